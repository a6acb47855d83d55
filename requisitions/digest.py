"""The recruiters' daily digest: each recruiter's requisitions that need attention today."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from rpo_portal.outbox.services import outbox_enqueue
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.context import require_organisation

from . import selectors
from .models import Requisition


def flag_labels(requisition: Requisition) -> list[str]:
    """The flags of an annotated requisition (see `slas.with_flags`), as words."""
    labels = []
    if getattr(requisition, "is_overdue", False):
        labels.append(_("Past target date"))
    if getattr(requisition, "flag_kickoff_late", False):
        labels.append(_("Kick-off not held within 5 working days"))
    if getattr(requisition, "flag_feedback_overdue", False):
        labels.append(_("Hiring-manager feedback overdue"))
    if getattr(requisition, "flag_stale", False):
        labels.append(
            _("No movement for %(days)s days") % {"days": settings.REQUISITION_STALE_DAYS}
        )
    return labels


def digest_send(*, now: datetime | None = None) -> int:
    """Queue today's digest for every recruiter with something flagged; returns how many.

    Idempotent per recruiter and day (the outbox key), so a retried or doubled run sends once.
    Call inside tenant_context.
    """
    organisation = require_organisation()
    today = organisation_today(now)
    list_url = settings.SITE_URL + reverse(
        "requisitions:list", kwargs={"org_slug": organisation.slug}
    )
    sent = 0
    for recruiter in selectors.recruiter_users():
        rows: list[dict[str, Any]] = [
            {
                "title": requisition.title,
                "location": requisition.location,
                "flags": flag_labels(requisition),
                "url": settings.SITE_URL
                + reverse(
                    "requisitions:detail",
                    kwargs={"org_slug": organisation.slug, "requisition_id": requisition.pk},
                ),
            }
            for requisition in selectors.recruiter_flagged(recruiter, now=now)[:50]
        ]
        if not rows:
            continue
        outbox_enqueue(
            to=recruiter.email,
            subject=_("Your requisitions today: %(n)s need attention") % {"n": len(rows)},
            template="requisitions/email/digest",
            context={"rows": rows, "list_url": f"{list_url}?recruiter={recruiter.pk}"},
            idempotency_key=f"requisitions-digest:{recruiter.pk}:{today.isoformat()}",
        )
        sent += 1
    return sent
