"""Writes for the risk log and the improvement backlog."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programmes.metric_catalogue import CATALOGUE
from programmes.models import Improvement, Programme, Risk, RiskRequisition
from rpo_portal.audit.services import audited
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.updates import Changes, gather, model_update

from .build import _check_owner, _validate

RISK_EDITABLE = (
    "title",
    "description",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "status",
    "review_date",
    "process_area",
)
IMPROVEMENT_EDITABLE = (
    "title",
    "description",
    "kind",
    "priority",
    "effort",
    "owner",
    "status",
    "process_area",
    "metric_key",
)


def _link_requisitions(risk: Risk, requisition_ids: Iterable[int]) -> None:
    """Replace the risk's linked requisitions; ids must be requisitions of this organisation."""
    wanted = set(requisition_ids)
    requisition_model: Any = Risk._meta.get_field("requisitions").related_model
    found = set(requisition_model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise ValidationError(
            {
                "requisitions": [
                    _("No requisition with id %(ids)s in this organisation.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    existing = set(
        RiskRequisition.objects.filter(risk=risk).values_list("requisition_id", flat=True)
    )
    RiskRequisition.objects.filter(risk=risk, requisition_id__in=existing - wanted).delete()
    RiskRequisition.objects.bulk_create(
        [RiskRequisition(risk=risk, requisition_id=pk) for pk in sorted(wanted - existing)]
    )


@audited("risk.create")
@transaction.atomic
def risk_create(
    *,
    programme: Programme,
    title: str,
    likelihood: int,
    impact: int,
    process_area: str,
    by: Any = None,
    requisitions: Iterable[int] = (),
    **fields: Any,
) -> Risk:
    """Log a risk; its score is likelihood x impact (computed by the database)."""
    unknown = set(fields) - set(RISK_EDITABLE)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in sorted(unknown)})
    risk = Risk(
        programme=programme,
        title=title.strip(),
        likelihood=likelihood,
        impact=impact,
        process_area=process_area,
        **fields,
    )
    risk.claim_organisation()
    _validate(risk, lambda: _check_owner(risk.owner))
    risk.save()
    _link_requisitions(risk, requisitions)
    return risk


@audited("risk.update", subject="risk")
@transaction.atomic
def risk_update(
    *, risk: Risk, by: Any = None, requisitions: Iterable[int] | None = None, **changes: Any
) -> Risk:
    def check(changed: Changes) -> None:
        if "owner" in changed:
            _check_owner(risk.owner)

    if model_update(risk, fields=RISK_EDITABLE, data=changes, check=check):
        risk.refresh_from_db(fields=["score"])
    if requisitions is not None:
        _link_requisitions(risk, requisitions)
    return risk


def risk_warnings(risk: Risk) -> list[str]:
    """What is unusual but allowed about a saved risk, for the user to read: an open risk whose
    review date has already passed."""
    if risk.status not in Risk.ACTIVE_STATUSES or not isinstance(risk.review_date, date):
        return []
    if risk.review_date < organisation_today():
        return [
            _(
                "The review date (%(date)s) has already passed. Set the date of the next review "
                "so the risk is looked at again."
            )
            % {"date": formats.date_format(risk.review_date, "j M Y")}
        ]
    return []


@audited("risk.delete", subject="risk")
def risk_delete(*, risk: Risk, by: Any = None) -> None:
    risk.delete()


def _done_time(improvement: Improvement, changes: Changes | None = None) -> None:
    """Stamp `done_at` when the improvement becomes done; clear it when it is reopened."""
    changes = Changes() if changes is None else changes
    if improvement.status == Improvement.Status.DONE and improvement.done_at is None:
        changes.set(improvement, "done_at", timezone.now())
    elif improvement.status != Improvement.Status.DONE and improvement.done_at is not None:
        changes.set(improvement, "done_at", None)


def _check_metric(metric_key: str) -> None:
    if metric_key and metric_key not in CATALOGUE:
        raise ValidationError(
            {"metric_key": [_("“%(key)s” is not in the metric catalogue.") % {"key": metric_key}]}
        )


@audited("improvement.create")
@transaction.atomic
def improvement_create(
    *,
    programme: Programme,
    title: str,
    process_area: str,
    by: Any = None,
    origin: str = Improvement.Origin.MANUAL,
    origin_risk: Risk | None = None,
    origin_ref: int | None = None,
    **fields: Any,
) -> Improvement:
    """Add to the backlog. An improvement from a risk links back to it (origin_risk)."""
    unknown = set(fields) - set(IMPROVEMENT_EDITABLE)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in sorted(unknown)})
    if origin == Improvement.Origin.RISK and origin_risk is None:
        raise ValidationError({"origin_risk": [_("Name the risk this improvement comes from.")]})
    if origin_risk is not None and origin_risk.programme_id != programme.pk:
        raise ValidationError({"origin_risk": [_("That risk belongs to another programme.")]})
    improvement = Improvement(
        programme=programme,
        title=title.strip(),
        process_area=process_area,
        origin=origin,
        origin_risk=origin_risk,
        origin_ref=origin_ref,
        **fields,
    )
    _done_time(improvement)
    improvement.claim_organisation()
    _validate(
        improvement,
        lambda: _check_owner(improvement.owner),
        lambda: _check_metric(improvement.metric_key),
    )
    improvement.save()
    return improvement


@audited("improvement.update", subject="improvement")
@transaction.atomic
def improvement_update(*, improvement: Improvement, by: Any = None, **changes: Any) -> Improvement:
    def check(changed: Changes) -> None:
        _done_time(improvement, changed)
        errors: dict[str, list[Any]] = {}
        gather(errors, _check_metric, improvement.metric_key)
        if "owner" in changed:
            gather(errors, _check_owner, improvement.owner)
        if errors:
            raise ValidationError(errors)

    model_update(improvement, fields=IMPROVEMENT_EDITABLE, data=changes, check=check)
    return improvement


@audited("improvement.delete", subject="improvement")
def improvement_delete(*, improvement: Improvement, by: Any = None) -> None:
    improvement.delete()


@audited("improvement.create_from_risk", subject="risk")
@transaction.atomic
def improvement_from_risk(*, risk: Risk, by: Any = None) -> tuple[Improvement, bool]:
    """Turn a risk into an improvement (one action). Returns the improvement and whether it is
    new: a risk that already became an improvement returns that one."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    existing = Improvement.objects.filter(origin_risk=risk).order_by("id").first()
    if existing is not None:
        return existing, False
    improvement = improvement_create(
        programme=risk.programme,
        title=risk.title,
        process_area=risk.process_area,
        description=risk.mitigation or risk.description,
        owner=risk.owner,
        origin=Improvement.Origin.RISK,
        origin_risk=risk,
        priority=Improvement.Priority.HIGH
        if risk.rating == "high"
        else Improvement.Priority.MEDIUM,
        by=by,
    )
    if risk.status == Risk.Status.OPEN:
        risk.status = Risk.Status.MITIGATING
        risk.save(update_fields=["status", "updated_at"])
    return improvement, True
