"""Writes for programmes, the go-live checklist, sign-off, objectives and agreed metrics.

Every service runs in the organisation in scope, validates with full_clean() and saves existing
rows with update_fields. Rules are written once here; the UI and the API both call them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import derived, selectors
from programmes.checklist_templates import TEMPLATES
from programmes.metric_catalogue import CATALOGUE
from programmes.models import (
    AgreedMetric,
    ChecklistItem,
    GoLiveSignature,
    Objective,
    Programme,
    Side,
)
from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited, note_changes
from rpo_portal.errors import Conflict
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.models import Membership, Role
from rpo_portal.tenancy.permissions import require_client_for
from rpo_portal.updates import Changes, apply_changes, model_update

PROGRAMME_EDITABLE = (
    "name",
    "provider_name",
    "scope",
    "category_name",
    "delivery_model",
    "countries",
    "go_live_target",
    "go_live_definition",
)
CHECKLIST_EDITABLE = (
    "section",
    "title",
    "description",
    "owner_side",
    "owner",
    "due_date",
    "status",
    "blocks_go_live",
    "notes",
    "position",
)
OBJECTIVE_EDITABLE = (
    "title",
    "description",
    "origin",
    "target",
    "status",
    "achieved_on",
    "celebrated_on",
    "celebration_note",
)
METRIC_EDITABLE = ("baseline", "target", "direction", "owner")


# --- Programmes -------------------------------------------------------------------------------


@audited("programme.create")
@transaction.atomic
def programme_create(
    *,
    name: str,
    by: User | None = None,
    provider_name: str = "",
    scope: str = Programme.Scope.END_TO_END,
    category_name: str = "",
    delivery_model: str = Programme.DeliveryModel.PROJECT,
    countries: Iterable[str] = (),
    go_live_target: date | None = None,
    go_live_definition: str | None = None,
) -> Programme:
    """Create a programme in build, with its go-live checklist from the delivery model's template.
    The go-live target is the client's to set (require_client_for)."""
    require_client_for(by, "programmes.Programme", ["go_live_target"] if go_live_target else [])
    programme = Programme(
        name=name.strip(),
        provider_name=provider_name.strip(),
        scope=scope,
        category_name=category_name.strip(),
        delivery_model=delivery_model,
        countries=list(countries),  # type: ignore[misc]
        go_live_target=go_live_target,
    )
    if go_live_definition:
        programme.go_live_definition = go_live_definition.strip()
    programme.claim_organisation()
    _validate(programme, lambda: _check_category(programme))
    programme.save()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            programme=programme,
            section=t.section,
            title=t.title,
            description=t.description,
            owner_side=t.owner_side,
            blocks_go_live=t.blocks_go_live,
            derived_from=t.derived_from,
            position=i,
            due_date=go_live_target if t.blocks_go_live else None,
        )
        for i, t in enumerate(TEMPLATES[programme.delivery_model])
    )
    return programme


def _check_category(programme: Programme) -> None:
    if programme.scope == Programme.Scope.CATEGORY and not programme.category_name:
        raise ValidationError(
            {"category_name": [_("Name the category, e.g. “all technology hiring”.")]}
        )


@audited("programme.update", subject="programme")
@transaction.atomic
def programme_update(*, programme: Programme, by: User | None = None, **changes: Any) -> Programme:
    """Change the editable fields. Changing the go-live definition voids current signatures;
    once live it is refused."""
    programme = _lock(programme)
    if "go_live_definition" in changes:
        changes["go_live_definition"] = (changes["go_live_definition"] or "").strip()

    def check(changed: Changes) -> None:
        require_client_for(by, "programmes.Programme", list(changed))
        if "go_live_definition" in changed:
            if programme.is_live:
                raise Conflict(_("The go-live definition was signed and the programme is live."))
            GoLiveSignature.objects.filter(programme=programme, superseded_at__isnull=True).update(
                superseded_at=timezone.now()
            )
        _check_category(programme)

    model_update(programme, fields=PROGRAMME_EDITABLE, data=changes, check=check)
    return programme


def _lock(programme: Programme) -> Programme:
    """The programme row, locked: every change that go-live sign-off depends on takes this lock
    first, so sign-off and the change happen one after the other, never interleaved."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


@audited("programme.delete", subject="programme")
@transaction.atomic
def programme_delete(*, programme: Programme, by: User | None = None) -> None:
    """Delete a programme still in build; a live programme is kept (its history matters), and
    so is one that has requisitions (they would lose their programme)."""
    programme = _lock(programme)
    if programme.is_live:
        raise Conflict(_("A live programme cannot be deleted."))
    AgreedMetric.objects.filter(programme=programme).update(previous=None)
    try:
        with transaction.atomic():
            programme.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise Conflict(
            _("This programme cannot be deleted while it has %(what)s.")
            % {"what": ", ".join(map(str, kinds))}
        ) from exc


# --- Go-live checklist ------------------------------------------------------------------------


def _completion(item: ChecklistItem, by: User | None, changes: Changes | None = None) -> None:
    """Stamp who completed the item and when as it becomes done; clear both when reopened."""
    changes = Changes() if changes is None else changes
    if item.status == ChecklistItem.Status.DONE and item.completed_at is None:
        changes.set(item, "completed_at", timezone.now())
        changes.set(item, "completed_by", by)
    elif item.status != ChecklistItem.Status.DONE and item.completed_at is not None:
        changes.set(item, "completed_at", None)
        changes.set(item, "completed_by", None)


def _check_owner(owner: User | None) -> None:
    if owner is not None and not Membership.objects.filter(user=owner).exists():
        raise ValidationError({"owner": [_("The owner must be a member of this organisation.")]})


def _validate(instance: Any, *checks: Any) -> None:
    """`full_clean()` and the other checks, every problem at once, each on its field: a form
    shows them all after one submit rather than one per submit."""
    errors: dict[str, list[ValidationError]] = {}
    for check in (instance.full_clean, *checks):
        try:
            check()
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@audited("checklist_item.create")
@transaction.atomic
def checklist_item_create(
    *, programme: Programme, section: str, title: str, by: User | None = None, **fields: Any
) -> ChecklistItem:
    unknown = set(fields) - set(CHECKLIST_EDITABLE)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in sorted(unknown)})
    item = ChecklistItem(programme=programme, section=section, title=title.strip(), **fields)
    if "position" not in fields:
        last = (
            ChecklistItem.objects.filter(programme=programme, section=section)
            .order_by("-position")
            .first()
        )
        item.position = (last.position + 1) if last else 0
    _completion(item, by)
    item.claim_organisation()
    _validate(item, lambda: _check_owner(item.owner))
    item.save()
    return item


@audited("checklist_item.update", subject="item")
@transaction.atomic
def checklist_item_update(
    *, item: ChecklistItem, by: User | None = None, **changes: Any
) -> ChecklistItem:
    _lock(item.programme)
    if item.is_derived and "status" in changes and changes["status"] != item.status:
        raise ValidationError(
            {
                "status": [
                    _("“%(title)s” is not ticked by hand. %(how)s")
                    % {"title": item.title, "how": item.derived_explanation}
                ]
            }
        )

    def check(changed: Changes) -> None:
        owner_changed = "owner" in changed
        _completion(item, by, changed)
        if owner_changed:
            _check_owner(item.owner)

    model_update(item, fields=CHECKLIST_EDITABLE, data=changes, check=check)
    return item


@audited("checklist_item.delete", subject="item")
def checklist_item_delete(*, item: ChecklistItem, by: User | None = None) -> None:
    item.delete()


@audited("checklist.sync_derived", subject="programme")
def checklist_sync_derived(*, programme: Programme, by: User | None = None) -> list[ChecklistItem]:
    """Bring every derived item of the programme in step with its fact; returns those changed.

    Called by each service that changes a fact (agreeing or removing a metric), inside its
    transaction, so the checklist never disagrees with what it restates."""
    changed = []
    for item in ChecklistItem.objects.filter(programme=programme).exclude(derived_from=""):
        item.programme = programme
        changes = Changes()
        if changes.set(item, "status", derived.status_for(item)):
            _completion(item, by, changes)
            item.save(update_fields=[*changes, "updated_at"])
            note_changes(item, changes)
            changed.append(item)
    return changed


# --- Go-live sign-off -------------------------------------------------------------------------

SIGNING_ROLE = {Side.CLIENT: Role.TALENT_LEAD, Side.RPO: Role.RECRUITER}


def side_for_role(role: str | None) -> str | None:
    return {Role.TALENT_LEAD: Side.CLIENT, Role.RECRUITER: Side.RPO}.get(role)  # type: ignore[call-overload]


def go_live_sign_refusal(*, programme: Programme, by: User) -> Conflict | None:
    """Why `by` cannot sign go-live now (a Conflict carrying the reasons), or None if they can.

    The one statement of the sign-off rule: go_live_sign raises what this returns, and the
    go-live page disables its button with the same reasons.
    """
    membership = Membership.objects.filter(user=by).first()
    side = side_for_role(membership.role if membership else None)
    if side is None:
        return Conflict(
            _("Only a talent lead (client side) or a recruiter (RPO side) can sign go-live."),
        )
    if programme.is_live:
        return Conflict(_("This programme is already live."))
    missing = selectors.go_live_blockers(programme)
    if missing:
        return Conflict(_("Go-live cannot be signed yet."), missing)
    current = {s.side: s for s in selectors.current_signatures(programme)}
    if side in current:
        return Conflict(
            _("The %(side)s side has already signed.") % {"side": Side(side).label},
        )
    if any(s.signed_by_id == by.pk for s in current.values()):
        return Conflict(_("The two sign-offs must come from two different people."))
    return None


@audited("go_live.sign")
@transaction.atomic
def go_live_sign(*, programme: Programme, by: User, at: datetime | None = None) -> GoLiveSignature:
    """Sign the go-live definition for the signer's side (talent lead: client; recruiter: RPO).

    Refused with Conflict (409) while a blocking checklist item is open or the three early
    metrics are not agreed, when the side already signed, or when one person would sign for
    both sides (see go_live_sign_refusal). When both sides have signed, the programme goes live
    that day (`at`, default now: a back-dated signature is for imports and the demo).
    """
    at = at or timezone.now()
    programme = _lock(programme)
    refusal = go_live_sign_refusal(programme=programme, by=by)
    if refusal is not None:
        raise refusal
    side = side_for_role(Membership.objects.get(user=by).role)
    assert side is not None  # go_live_sign_refusal refuses a user without a side
    current = selectors.current_signatures(programme)
    signature = GoLiveSignature(
        programme=programme,
        side=side,
        signed_by=by,
        signed_at=at,
        definition_text=programme.go_live_definition,
    )
    signature.claim_organisation()
    signature.full_clean()
    signature.save()
    if len(current) + 1 == 2:
        programme.status = Programme.Status.LIVE
        programme.went_live_on = organisation_today(at)
        programme.save(update_fields=["status", "went_live_on", "updated_at"])
    return signature


# --- Objectives -------------------------------------------------------------------------------


def _objective_dates(objective: Objective, changes: Changes | None = None) -> None:
    """An objective achieved without a date is dated today (the organisation's day)."""
    if objective.status == Objective.Status.ACHIEVED and objective.achieved_on is None:
        (Changes() if changes is None else changes).set(
            objective, "achieved_on", organisation_today()
        )


@audited("objective.create")
def objective_create(
    *, programme: Programme, title: str, by: User | None = None, **fields: Any
) -> Objective:
    unknown = set(fields) - set(OBJECTIVE_EDITABLE)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in sorted(unknown)})
    require_client_for(by, "programmes.Objective", [f for f, v in fields.items() if v])
    objective = Objective(programme=programme, title=title.strip(), **fields)
    _objective_dates(objective)
    objective.claim_organisation()
    objective.full_clean()
    objective.save()
    return objective


@audited("objective.update", subject="objective")
def objective_update(*, objective: Objective, by: User | None = None, **changes: Any) -> Objective:
    require_client_for(
        by,
        "programmes.Objective",
        [f for f in changes if getattr(objective, f, None) != changes[f]],
    )
    model_update(
        objective,
        fields=OBJECTIVE_EDITABLE,
        data=changes,
        check=lambda changed: _objective_dates(objective, changed),
        touch=False,
    )
    return objective


@audited("objective.delete", subject="objective")
def objective_delete(*, objective: Objective, by: User | None = None) -> None:
    objective.delete()


# --- Agreed metrics ---------------------------------------------------------------------------

EARLY_SLOTS = (1, 2, 3)


@audited("agreed_metric.create")
@transaction.atomic
def agreed_metric_create(
    *,
    programme: Programme,
    metric_key: str,
    target: Decimal,
    tier: str = AgreedMetric.Tier.EARLY,
    baseline: Decimal | None = None,
    direction: str | None = None,
    owner: User | None = None,
    by: User | None = None,
) -> AgreedMetric:
    """Agree a metric from the catalogue. A programme agrees exactly three early metrics: a
    fourth is refused with a ValidationError naming the three already agreed. The client's
    talent lead agrees its targets (require_client_for)."""
    require_client_for(by, "programmes.AgreedMetric", ["target", "baseline", "direction"])
    programme = _lock(programme)
    definition = CATALOGUE.get(metric_key)
    if definition is None:
        raise ValidationError(
            {"metric_key": [_("“%(key)s” is not in the metric catalogue.") % {"key": metric_key}]}
        )
    current = list(AgreedMetric.objects.filter(programme=programme, is_current=True))
    if any(m.metric_key == metric_key for m in current):
        raise ValidationError(
            {
                "metric_key": [
                    _("%(name)s is already agreed for this programme.") % {"name": definition.name}
                ]
            }
        )
    slot = None
    if tier == AgreedMetric.Tier.EARLY:
        if programme.is_live:
            raise Conflict(
                _(
                    "The early metrics were locked at go-live: change one instead (a new version with a reason)."
                )
            )
        taken = {m.slot for m in current if m.tier == AgreedMetric.Tier.EARLY}
        free = [s for s in EARLY_SLOTS if s not in taken]
        if not free:
            names = ", ".join(
                CATALOGUE[m.metric_key].name for m in current if m.tier == AgreedMetric.Tier.EARLY
            )
            raise ValidationError(
                {
                    "tier": [
                        _(
                            "A programme agrees exactly three early metrics, and three are agreed (%(names)s). "
                            "Add this one as a nice-to-have, or remove an early metric first."
                        )
                        % {"names": names}
                    ]
                }
            )
        slot = free[0]
    _check_owner(owner)
    metric = AgreedMetric(
        programme=programme,
        metric_key=metric_key,
        definition_version=definition.version,
        tier=tier,
        slot=slot,
        baseline=baseline,
        target=target,
        direction=direction
        or (
            AgreedMetric.Direction.HIGHER
            if definition.higher_is_better
            else AgreedMetric.Direction.LOWER
        ),
        owner=owner,
        created_by=by,
    )
    metric.claim_organisation()
    metric.full_clean()
    metric.save()
    checklist_sync_derived(programme=programme, by=by)
    return metric


@audited("agreed_metric.change", subject="metric")
@transaction.atomic
def agreed_metric_change(
    *, metric: AgreedMetric, by: User | None = None, reason: str = "", **changes: Any
) -> AgreedMetric:
    """Change baseline, target, direction or owner. Before go-live in place; once live, a new
    version with a reason (required), keeping the old one as history. Only the client's
    talent lead moves a target, baseline or direction (require_client_for)."""
    require_client_for(
        by,
        "programmes.AgreedMetric",
        [f for f in changes if getattr(metric, f, None) != changes[f]],
    )
    _lock(metric.programme)
    metric = (
        AgreedMetric.objects.select_related("programme")
        .select_for_update(of=("self",))
        .get(pk=metric.pk)
    )
    if not metric.is_current:
        raise Conflict(_("This is an old version of the metric; change the current one."))
    if "owner" in changes:
        _check_owner(changes["owner"])
    if not metric.programme.is_live:
        model_update(metric, fields=METRIC_EDITABLE, data=changes, touch=False)
        return metric
    if not reason.strip():
        raise ValidationError(
            {
                "reason": [
                    _("The metrics are locked since go-live: give the reason for this change.")
                ]
            }
        )
    successor = AgreedMetric(
        programme=metric.programme,
        metric_key=metric.metric_key,
        definition_version=metric.definition_version,
        tier=metric.tier,
        slot=metric.slot,
        baseline=metric.baseline,
        target=metric.target,
        direction=metric.direction,
        owner=metric.owner,
        version=metric.version + 1,
        previous=metric,
        change_reason=reason.strip(),
        created_by=by,
    )
    if not apply_changes(successor, fields=METRIC_EDITABLE, data=changes):
        raise ValidationError({"reason": [_("Nothing changed: there is no new version to make.")]})
    metric.is_current = False
    metric.save(update_fields=["is_current"])
    successor.claim_organisation()
    successor.full_clean()
    successor.save()
    return successor


@audited("agreed_metric.remove", subject="metric")
@transaction.atomic
def agreed_metric_remove(*, metric: AgreedMetric, by: User | None = None) -> None:
    """Remove an agreement before go-live; afterwards it is locked (Conflict). Removing takes
    its target away: the client's talent lead's to do."""
    require_client_for(by, "programmes.AgreedMetric", ["target"])
    programme = _lock(metric.programme)
    if programme.is_live:
        raise Conflict(
            _("The metrics were locked at go-live; change a metric instead of removing it.")
        )
    metric.delete()
    checklist_sync_derived(programme=programme, by=by)
