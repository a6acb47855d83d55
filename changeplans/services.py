"""Writes for change plans. Every service validates with full_clean() and saves in scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.updates import Changes, model_update

from .frameworks import Framework, validate_element
from .models import Assessment, ChangePlan, Communication, StakeholderGroup
from .selectors import member_users

PLAN_EDITABLE = (
    "programme",
    "title",
    "kind",
    "framework",
    "description",
    "status",
    "owner",
    "start_date",
    "end_date",
)
GROUP_EDITABLE = ("name", "kind", "size", "influence", "notes")
COMMUNICATION_EDITABLE = ("channel", "message", "planned_date", "owner", "status")


def _check_member(owner: User | None, field: str = "owner") -> None:
    if owner is not None and not member_users().filter(pk=owner.pk).exists():
        raise ValidationError({field: _("The owner must be a member of this organisation.")})


def _full_clean(obj: Any) -> None:
    # The organisation is filled from the scope before validation, so unique checks that
    # include it run against the right tenant.
    obj.claim_organisation()
    obj.full_clean()


# --- Plans --------------------------------------------------------------------------------------


@audited("changeplan.create")
def changeplan_create(
    *,
    programme: Any,
    title: str,
    kind: str = ChangePlan.Kind.IMPLEMENTATION,
    framework: str = Framework.ADKAR,
    description: str = "",
    status: str = ChangePlan.Status.DRAFT,
    owner: User | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    by: User | None = None,
) -> ChangePlan:
    """Create a change plan for a programme of the organisation in scope."""
    _check_member(owner)
    plan = ChangePlan(
        programme=programme,
        title=title.strip(),
        kind=kind,
        framework=framework,
        description=description,
        status=status,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
    )
    _full_clean(plan)
    plan.save()
    return plan


@audited("changeplan.update", subject="plan")
@transaction.atomic
def changeplan_update(*, plan: ChangePlan, by: User | None = None, **changes: Any) -> ChangePlan:
    """Change the given fields (only those in PLAN_EDITABLE).

    The framework cannot change once the plan has assessments: their elements belong to it.
    """
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    fields = [f for f in changes if f in PLAN_EDITABLE]
    if (
        "framework" in fields
        and changes["framework"] != plan.framework
        and Assessment.objects.filter(group__plan=plan).exists()
    ):
        raise ValidationError(
            {
                "framework": _(
                    "This plan already has assessments against its framework; "
                    "start a new plan to use another framework."
                )
            }
        )
    if "owner" in fields and changes["owner"] != plan.owner:
        _check_member(changes["owner"])
    model_update(plan, fields=PLAN_EDITABLE, data=changes)
    return plan


@audited("changeplan.delete", subject="plan")
def changeplan_delete(*, plan: ChangePlan, by: User | None = None) -> None:
    plan.delete()


# --- Stakeholder groups -------------------------------------------------------------------------


@audited("stakeholder_group.create")
def stakeholder_group_create(
    *,
    plan: ChangePlan,
    name: str,
    kind: str = StakeholderGroup.Kind.OTHER,
    size: int = 0,
    influence: str = StakeholderGroup.Influence.MEDIUM,
    notes: str = "",
    by: User | None = None,
) -> StakeholderGroup:
    """Add a stakeholder group to a plan (names are unique within the plan)."""
    group = StakeholderGroup(
        plan=plan, name=name.strip(), kind=kind, size=size, influence=influence, notes=notes
    )
    _full_clean(group)
    group.save()
    return group


@audited("stakeholder_group.update", subject="group")
def stakeholder_group_update(
    *, group: StakeholderGroup, by: User | None = None, **changes: Any
) -> StakeholderGroup:
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    model_update(group, fields=GROUP_EDITABLE, data=changes, touch=False)
    return group


@audited("stakeholder_group.delete", subject="group")
def stakeholder_group_delete(*, group: StakeholderGroup, by: User | None = None) -> None:
    group.delete()


# --- Assessments --------------------------------------------------------------------------------


@audited("assessment.record")
def assessment_record(
    *,
    group: StakeholderGroup,
    element: str,
    score: int,
    assessed_on: date | None = None,
    note: str = "",
    by: User | None = None,
) -> Assessment:
    """Record a group's score on one element of its plan's framework.

    Earlier assessments stay: the grid shows the latest and the movement since the one before.
    The element must belong to the plan's framework; the date defaults to the organisation's
    today and cannot be in the future.
    """
    validate_element(group.plan.framework, element)
    today = organisation_today()
    assessed_on = assessed_on or today
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("An assessment cannot be dated in the future.")})
    assessment = Assessment(
        group=group,
        element=element,
        score=score,
        assessed_on=assessed_on,
        note=note,
        assessed_by=by,
    )
    _full_clean(assessment)
    assessment.save()
    return assessment


# --- Communications -----------------------------------------------------------------------------


def _check_audience(
    plan: ChangePlan, audience: Iterable[StakeholderGroup]
) -> list[StakeholderGroup]:
    groups = list(audience)
    if any(group.plan_id != plan.pk for group in groups):
        raise ValidationError({"audience": _("Choose groups of this change plan.")})
    return groups


def _sent_at_for(status: str, current: Any) -> Any:
    if status == Communication.Status.SENT:
        return current or timezone.now()
    return None


@audited("communication.create")
@transaction.atomic
def communication_create(
    *,
    plan: ChangePlan,
    channel: str,
    message: str,
    planned_date: date,
    audience: Iterable[StakeholderGroup] = (),
    owner: User | None = None,
    status: str = Communication.Status.PLANNED,
    by: User | None = None,
) -> Communication:
    """Plan a communication to some of the plan's groups."""
    groups = _check_audience(plan, audience)
    _check_member(owner)
    communication = Communication(
        plan=plan,
        channel=channel,
        message=message.strip(),
        planned_date=planned_date,
        owner=owner,
        status=status,
        sent_at=_sent_at_for(status, None),
    )
    _full_clean(communication)
    communication.save()
    communication.audience.set(groups)
    return communication


@audited("communication.update", subject="communication")
@transaction.atomic
def communication_update(
    *,
    communication: Communication,
    audience: Iterable[StakeholderGroup] | None = None,
    by: User | None = None,
    **changes: Any,
) -> Communication:
    """Change the given fields; `audience`, when given, replaces the audience."""
    if "owner" in changes and changes["owner"] != communication.owner:
        _check_member(changes["owner"])
    if "message" in changes:
        changes["message"] = changes["message"].strip()

    def check(changed: Changes) -> None:
        if "status" in changed:
            changed.set(
                communication,
                "sent_at",
                _sent_at_for(communication.status, communication.sent_at),
            )

    model_update(communication, fields=COMMUNICATION_EDITABLE, data=changes, check=check)
    if audience is not None:
        communication.audience.set(_check_audience(communication.plan, audience))
    return communication


@audited("communication.set_status", subject="communication")
def communication_set_status(
    *, communication: Communication, status: str, by: User | None = None
) -> Communication:
    """Mark a communication planned, sent (stamping when) or cancelled."""
    return communication_update(communication=communication, status=status, by=by)


@audited("communication.delete", subject="communication")
def communication_delete(*, communication: Communication, by: User | None = None) -> None:
    communication.delete()
