"""Public links `/s/<token>/`: a bearer token that opens one tenant object without a login.

Only `sha256(token)` is stored. The token is looked up across tenants by a SECURITY DEFINER
function (owned by the owner role, executable by the runtime role) that returns only
`(organisation_id, link_id)`; everything else is read inside that organisation's
`tenant_context`. Apps register a handler per purpose (`register_link_handler`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .context import tenant_context
from .models import Organisation, TenantOwned

# Tokens longer than this are not ours; refuse them before hashing.
MAX_TOKEN_LENGTH = 128


class PublicLink(TenantOwned):
    """A link that opens `target_id` for `purpose` (e.g. a survey invitation) until it expires."""

    purpose = models.CharField(_("purpose"), max_length=40)
    target_id = models.BigIntegerField(_("target id"))
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenancy"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "token_hash"], name="tenancy_publiclink_token_per_org"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "purpose", "target_id"], name="publiclink_org_target"
            ),
            # Serves only the cross-tenant lookup function (not tenant queries); not unique,
            # so it cannot be used to probe another tenant's values.
            models.Index(fields=["token_hash"], name="publiclink_token_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.target_id}"

    @property
    def is_live(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class LinkNotFound(Exception):
    """No link has this token (or its purpose has no handler): a 404."""


class LinkGone(Exception):
    """The link expired or was already used: a 410."""


LinkHandler = Callable[[HttpRequest, PublicLink], HttpResponse]
_handlers: dict[str, LinkHandler] = {}


def register_link_handler(purpose: str, handler: LinkHandler) -> None:
    """Route links of `purpose` to `handler(request, link)`, called inside the link's tenant."""
    existing = _handlers.get(purpose)
    if existing is not None and existing is not handler:
        raise ValueError(f"A handler for public links of purpose {purpose!r} is registered.")
    _handlers[purpose] = handler


def unregister_link_handler(purpose: str) -> None:
    _handlers.pop(purpose, None)


def link_handler(purpose: str) -> LinkHandler | None:
    return _handlers.get(purpose)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_link_issue(
    *, purpose: str, target_id: int, expires_at: datetime
) -> tuple[PublicLink, str]:
    """A new link in the organisation in scope, and its token (returned once, never stored)."""
    token = secrets.token_urlsafe(32)
    link = PublicLink(
        purpose=purpose, target_id=target_id, token_hash=token_hash(token), expires_at=expires_at
    )
    link.claim_organisation()
    link.full_clean()
    link.save()
    return link, token


def _lookup_ids(digest: str) -> tuple[int, int] | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id, link_id FROM tenancy_public_link_lookup(%s) LIMIT 2",
                [digest],
            )
            rows = cursor.fetchall()
    else:  # SQLite (the embedded demo) has no row-level security to cross.
        rows = list(
            PublicLink.all_tenants.filter(token_hash=digest).values_list("organisation_id", "pk")[
                :2
            ]
        )
    # Two tenants holding the same hash of a 256-bit token is not a case to guess about.
    return (int(rows[0][0]), int(rows[0][1])) if len(rows) == 1 else None


def public_link_lookup(token: str) -> tuple[Organisation, PublicLink]:
    """The link of `token`, live or not; raises LinkNotFound."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkNotFound
    ids = _lookup_ids(token_hash(token))
    if ids is None:
        raise LinkNotFound
    organisation_id, link_id = ids
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise LinkNotFound
    with tenant_context(organisation):
        link = PublicLink.objects.filter(pk=link_id).first()
    if link is None:
        raise LinkNotFound
    return organisation, link


def public_link_resolve(token: str) -> tuple[Organisation, PublicLink]:
    """The organisation and live link of `token`; raises LinkNotFound or LinkGone."""
    organisation, link = public_link_lookup(token)
    if not link.is_live:
        raise LinkGone
    return organisation, link


def public_link_mark_used(link: PublicLink) -> bool:
    """Mark the link used (in its tenant's scope); False when it was already used."""
    now = timezone.now()
    marked = PublicLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if marked:
        link.used_at = now
    return bool(marked)


__all__: list[Any] = [
    "LinkGone",
    "LinkNotFound",
    "PublicLink",
    "public_link_issue",
    "public_link_lookup",
    "public_link_mark_used",
    "public_link_resolve",
    "register_link_handler",
]
