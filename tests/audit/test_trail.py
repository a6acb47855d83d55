"""The audit trail: every service that writes records who changed what, from what, to what."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from programmes.services import backlog
from requisitions import services
from rpo_portal.audit.models import AuditEvent
from rpo_portal.tenancy.services import membership_set
from tests.conftest import owner_connect
from tests.factories import ProgrammeFactory, UserFactory

from ..requisitions.factories import CandidateFactory, make_requisition

AREA = "selection"
ROOT = Path(__file__).resolve().parents[2]
APPS = ("rpo_portal", "programmes", "changeplans", "requisitions", "feedback", "metrics")

# Public functions of service modules that write nothing of a tenant's (each with why).
NOT_AUDITED = {
    # Reads and checks that services and views share.
    "requisitions.services.recruiter_check": "a check, writes nothing",
    "requisitions.services.requisition_warnings": "reads",
    "requisitions.services.clean_interview_plan": "cleans input",
    "requisitions.services.kickoff_warnings": "reads",
    "programmes.services.backlog.risk_warnings": "reads",
    "programmes.services.build.side_for_role": "a lookup",
    "programmes.services.build.go_live_sign_refusal": "a check, writes nothing",
    "requisitions.imports.services.remembered_mapping": "reads",
    "requisitions.exports.services.export_filename": "names a file",
    "requisitions.exports.services.export_inline": "reads; the download is recorded by the view",
    # A person's login is not one organisation's data: memberships record who joins where.
    "rpo_portal.tenancy.services.user_ensure": "users are not tenant data",
    # Delivery bookkeeping of emails whose cause recorded its own event.
    "rpo_portal.outbox.services.outbox_enqueue": "written by an audited service",
    "rpo_portal.outbox.services.outbox_dispatch": "delivery state",
    "rpo_portal.outbox.services.outbox_claim_batch": "delivery state",
    "rpo_portal.outbox.services.outbox_requeue_expired": "delivery state",
    "rpo_portal.outbox.services.build_email": "builds a message",
    "rpo_portal.outbox.services.message_id_for": "names a message",
    "rpo_portal.outbox.services.smtp_reply_code": "reads an error",
    "rpo_portal.outbox.services.retry_delay": "arithmetic",
}


def _service_modules() -> list[str]:
    names = []
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            parts = info.name.split(".")
            # The trail's own writer is what the others call.
            if "services" in parts and "migrations" not in parts and "audit" not in parts:
                names.append(info.name)
    return sorted(names)


def _public_functions(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def test_every_public_service_function_records_its_event_or_says_why_not():
    modules = _service_modules()
    assert "requisitions.services" in modules and "programmes.services.build" in modules
    unaccounted = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in _public_functions(module_name):
            qualified = f"{module_name}.{name}"
            audited = getattr(getattr(module, name), "__audited__", None)
            if audited is None and qualified not in NOT_AUDITED:
                unaccounted.append(qualified)
            if audited is not None:
                assert qualified not in NOT_AUDITED, f"{qualified} is audited: unlist it"
    assert unaccounted == []
    stale = [q for q in NOT_AUDITED if q.rsplit(".", 1)[0] not in modules]
    assert stale == []


def test_the_completeness_check_finds_a_service_that_is_not_audited(tmp_path, monkeypatch):
    # A service module with an undecorated writer is reported (the check can fail).
    module = tmp_path / "shadow_services.py"
    module.write_text("def thing_create(*, by=None):\n    return None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    names = _public_functions("shadow_services")
    loaded = importlib.import_module("shadow_services")
    assert [n for n in names if not hasattr(getattr(loaded, n), "__audited__")] == ["thing_create"]


def test_an_update_records_old_and_new_values_with_actor_and_request(in_a):
    requisition = make_requisition(title="Data engineer")
    before = AuditEvent.objects.count()
    services.requisition_update(
        requisition=requisition,
        by=in_a.recruiter,
        title="Senior data engineer",
        target_date=dt.date(2027, 3, 1),
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "requisition.update"
    assert event.actor == in_a.recruiter
    assert (event.object_type, event.object_id) == ("requisitions.requisition", requisition.pk)
    assert event.requisition_id == requisition.pk
    assert event.programme_id == requisition.programme_id
    assert event.changes["title"] == ["Data engineer", "Senior data engineer"]
    assert event.changes["target_date"][1] == "2027-03-01"


def test_an_untouched_update_records_nothing(in_a):
    requisition = make_requisition(title="Data engineer")
    before = AuditEvent.objects.count()
    services.requisition_update(requisition=requisition, by=in_a.recruiter, title="Data engineer")
    assert AuditEvent.objects.count() == before


def test_personal_data_is_recorded_as_changed_never_with_its_value(in_a):
    candidate = CandidateFactory(name="Ada Lovelace", email="ada@example.com")
    services.candidate_update(
        candidate=candidate, by=in_a.recruiter, email="ada.l@example.com", source="referral"
    )
    event = AuditEvent.objects.filter(action="candidate.update").get()
    assert event.changes["email"] == {"changed": True}
    assert "ada" not in str(event.changes).lower()
    created = AuditEvent.objects.filter(action="candidate.create").order_by("-id").first()
    if created is not None:  # factories bypass services; a created candidate hides its values
        assert "Ada" not in str(created.changes)


def test_a_delete_records_the_object_it_removed(in_a):
    programme = ProgrammeFactory()
    risk = backlog.risk_create(
        programme=programme,
        title="Hiring freeze",
        likelihood=3,
        impact=4,
        process_area=AREA,
        by=in_a.lead,
    )
    risk_id = risk.pk
    backlog.risk_delete(risk=risk, by=in_a.lead)
    event = AuditEvent.objects.filter(action="risk.delete").get()
    assert (event.object_type, event.object_id, event.actor) == (
        "programmes.risk",
        risk_id,
        in_a.lead,
    )
    created = AuditEvent.objects.filter(action="risk.create").get()
    assert created.changes["title"] == [None, "Hiring freeze"]
    assert created.programme_id == programme.pk


def test_a_refused_write_records_nothing(in_a):
    programme = ProgrammeFactory()
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        backlog.risk_create(
            programme=programme,
            title="x",
            likelihood=9,
            impact=4,
            process_area=AREA,
            by=in_a.lead,
        )
    assert AuditEvent.objects.count() == before


def test_a_service_outside_a_tenant_records_in_the_organisation_it_names(tenant_a):
    user = UserFactory(email="new@acme.test")
    membership_set(organisation=tenant_a.organisation, user=user, role="viewer")
    with tenant_a.scope():
        event = AuditEvent.objects.filter(action="membership.set").order_by("-id").first()
        assert event is not None and event.changes["role"] == [None, "viewer"]


def test_the_trail_is_one_organisations_own(tenant_a, tenant_b):
    with tenant_a.scope():
        make_requisition(title="Only in A")
        services.requisition_update(
            requisition=make_requisition(), by=tenant_a.lead, title="Renamed in A"
        )
        assert AuditEvent.objects.filter(action="requisition.update").exists()
    with tenant_b.scope():
        assert not AuditEvent.objects.filter(action="requisition.update").exists()


@pytest.mark.django_db(transaction=True)
def test_the_runtime_role_can_append_to_the_trail_but_never_alter_or_empty_it(tenant_a):
    with tenant_a.scope():
        services.requisition_update(
            requisition=make_requisition(title="A"), by=tenant_a.lead, title="B"
        )
    db = settings.DATABASES["default"]
    with owner_connect() as owner:
        privileges = owner.execute(
            "SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT'), "
            "has_table_privilege(%s, 'audit_auditevent', 'SELECT'), "
            "has_table_privilege(%s, 'audit_auditevent', 'UPDATE'), "
            "has_table_privilege(%s, 'audit_auditevent', 'DELETE'), "
            "has_table_privilege(%s, 'audit_auditevent', 'TRUNCATE'), "
            "(SELECT relrowsecurity FROM pg_class WHERE relname = 'audit_auditevent')",
            [settings.DB_RUNTIME_ROLE] * 5,
        ).fetchone()
    assert privileges == (True, True, False, False, False, True)
    with psycopg.connect(
        dbname=db["NAME"],
        user=settings.DB_RUNTIME_ROLE,
        host=db["HOST"],
        port=db["PORT"],
        password=settings.DB_RUNTIME_PASSWORD or None,
        autocommit=True,
    ) as runtime:
        for statement in (
            "UPDATE audit_auditevent SET action = 'x'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                runtime.execute(statement)


def test_a_service_that_calls_another_on_the_same_object_records_one_event(in_a):
    # requisition_open changes the status through requisition_change_status: one action, one row.
    requisition = make_requisition(open_now=False)
    services.requisition_open(requisition=requisition, by=in_a.recruiter)
    events = AuditEvent.objects.filter(
        object_type="requisitions.requisition",
        object_id=requisition.pk,
        action__in=["requisition.open", "requisition.change_status"],
    )
    assert [(e.action, e.changes["status"]) for e in events] == [
        ("requisition.open", ["draft", "open"])
    ]
