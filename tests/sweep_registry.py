"""How the isolation sweep fills URL keyword arguments with tenant A's objects.

Every URL kwarg except `org_slug` must have an entry; a pattern with an unknown kwarg fails the
sweep, so each new URL is covered or noticed. An entry receives the objects already made for the
kwargs to its left in the same URL (so `item_id` can belong to `programme_id`'s programme) and
returns the object (its `pk` goes into the URL) or a plain value. Fillers run inside tenant A's
`tenant_context`.

`made` also carries two keys of context: `"__model__"`, the model of an admin page (or None), and
`"__route__"`, the pattern's full route. A model instance returned by a filler marks the URL as
naming A's object: no response to another tenant's member, or to an anonymous visitor, may be a
2xx. A plain value (a string) does not, unless it is A's slug.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from rpo_portal.tenancy.context import require_organisation
from rpo_portal.tenancy.links import public_link_issue
from rpo_portal.tenancy.models import Membership, Organisation, TenantOwned
from tests.changeplans.factories import (
    ChangePlanFactory,
    CommunicationFactory,
    StakeholderGroupFactory,
)
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.programmes.factories import (
    AgreedMetricFactory,
    ChecklistItemFactory,
    ImprovementFactory,
    ObjectiveFactory,
    RiskFactory,
)
from tests.requisitions.factories import (
    CandidateFactory,
    HiringManagerFactory,
    make_application,
    make_requisition,
)
from tests.requisitions.import_factories import make_export_job, make_import_job

Made = dict[str, Any]

# Text every sentinel object of tenant A carries; it must never appear in a response to B.
SENTINEL = "SWEEP-SENTINEL-A"

# A purpose no app registers a handler for: the sweep's public link of A must be a 404.
SWEEP_LINK_PURPOSE = "sweep-sentinel"


def sentinel_user() -> Any:
    """A member of A (the organisation in scope) whose name and email carry the sentinel."""
    organisation = require_organisation()
    user = UserFactory(
        email=f"{SENTINEL.lower()}-{organisation.slug}@example.test",
        full_name=f"{SENTINEL} member",
    )
    if not Membership.objects.filter(user=user).exists():
        MembershipFactory(user=user, role="recruiter")
    return user


def sentinel_public_link_token() -> str:
    _link, token = public_link_issue(
        purpose=SWEEP_LINK_PURPOSE,
        target_id=0,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return token


# One sentinel row per tenant-owned model, for admin pages that name an object of that model.
# A tenant-owned model without an entry here falls back to any row of A the sweep made.
SWEEP_MODEL_FACTORIES: dict[str, Callable[[], models.Model]] = {
    "programmes.programme": lambda: ProgrammeFactory(name=f"{SENTINEL} programme"),
    "tenancy.membership": lambda: Membership.objects.get(user=sentinel_user()),
}


def admin_object(made: Made) -> Any:
    """The object an admin page of `made["__model__"]` opens: A's own where A has one."""
    model = made.get("__model__")
    content_type = made.get("content_type_id")
    if isinstance(content_type, ContentType):  # admin's "view on site" shortcut
        model = content_type.model_class()
    if model is None:
        raise LookupError("object_id outside an admin page: add a filler for it")
    if model is Organisation:
        return require_organisation()
    if model._meta.label_lower == "accounts.user":
        return sentinel_user()
    if model is Token:
        return Token.objects.get_or_create(user=sentinel_user())[0]
    if issubclass(model, TenantOwned):
        factory = SWEEP_MODEL_FACTORIES.get(model._meta.label_lower)
        if factory is not None:
            return factory()
        row = model.objects.order_by("pk").first()
        if row is None:
            raise LookupError(
                f"no row of {model._meta.label} in A: add it to SWEEP_MODEL_FACTORIES"
            )
        return row
    # Not tenant data (celery beat schedules, groups...): any id does.
    return "1"


def _of_programme(made: Made) -> dict[str, Any]:
    return {"programme": made["programme_id"]} if "programme_id" in made else {}


SWEEP_KWARGS: dict[str, Callable[[Made], Any]] = {
    "programme_id": lambda made: ProgrammeFactory(name=f"{SENTINEL} programme"),
    "item_id": lambda made: ChecklistItemFactory(
        programme=made["programme_id"], title=f"{SENTINEL} checklist item"
    ),
    "objective_id": lambda made: ObjectiveFactory(
        programme=made["programme_id"], title=f"{SENTINEL} objective"
    ),
    "metric_id": lambda made: AgreedMetricFactory(programme=made["programme_id"]),
    # A risk or an improvement of the URL's programme when it names one (the page shows it).
    "risk_id": lambda made: RiskFactory(title=f"{SENTINEL} risk", **_of_programme(made)),
    "improvement_id": lambda made: ImprovementFactory(
        title=f"{SENTINEL} improvement", **_of_programme(made)
    ),
    "link_token": lambda made: sentinel_public_link_token(),
    # Admin: the app index, object pages, "view on site" and the final catch-all.
    "object_id": admin_object,
    "id": admin_object,  # admin's user password page
    "app_label": lambda made: "tenancy",
    "content_type_id": lambda made: ContentType.objects.get_for_model(Organisation),
    "url": lambda made: "sweep-no-such-page/",
    # Password reset confirmation: A's member, with a token that is not valid.
    "uidb64": lambda made: urlsafe_base64_encode(force_bytes(sentinel_user().pk)),
    "token": lambda made: "sweep-invalid-token",
    # Requisitions: an open requisition of A; an application on it (or on a new one).
    "requisition_id": lambda made: make_requisition(title=f"{SENTINEL} requisition"),
    "application_id": lambda made: make_application(
        requisition=made.get("requisition_id") or make_requisition(title=f"{SENTINEL} req"),
        candidate=CandidateFactory(name=f"{SENTINEL} applicant"),
    ),
    "candidate_id": lambda made: CandidateFactory(name=f"{SENTINEL} candidate"),
    "hiring_manager_id": lambda made: HiringManagerFactory(name=f"{SENTINEL} hiring manager"),
    # Imports and exports: a finished import whose report names the sentinel; a ready export.
    "import_id": lambda made: make_import_job(name="sweep.csv", message=f"{SENTINEL} report row"),
    "export_id": lambda made: make_export_job(content=f"{SENTINEL} export\n".encode()),
    # Change plans: a plan of A with a group and a communication of that plan.
    "plan_id": lambda made: ChangePlanFactory(title=f"{SENTINEL} change plan"),
    "group_id": lambda made: StakeholderGroupFactory(
        plan=made["plan_id"], name=f"{SENTINEL} group"
    ),
    "communication_id": lambda made: CommunicationFactory(
        plan=made["plan_id"], message=f"{SENTINEL} message"
    ),
}
