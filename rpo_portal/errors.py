"""Domain errors shared by the UI and the API."""

from __future__ import annotations


class Conflict(Exception):
    """The request conflicts with the current state (HTTP 409), with the reasons listed."""

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []
