"""What an audit row says about where a change came from: the request or the Celery task.

The request id is taken from a well-formed `X-Request-ID` header (a proxy's) or made here, and
is echoed on the response so a user's report can be matched to the trail and the logs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from celery.signals import task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("rpo_audit_request_id", default="")
_task: ContextVar[tuple[str, str]] = ContextVar("rpo_audit_task", default=("", ""))

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def current_task() -> tuple[str, str]:
    """(task id, task name) of the Celery task running now, or ("", "")."""
    return _task.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


_task_tokens: dict[str, Any] = {}


@task_prerun.connect
def _enter_task(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    _task_tokens[task_id] = _task.set((task_id or "", getattr(task, "name", "") or ""))


@task_postrun.connect
def _leave_task(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _task.reset(token)
        except ValueError:  # entered in another context (an eager task inside a request)
            _task.set(("", ""))
