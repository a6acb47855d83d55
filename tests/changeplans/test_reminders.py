import datetime

from changeplans import selectors, services
from changeplans.reminders import communication_reminders_send
from changeplans.tasks import communication_reminders_all
from rpo_portal.outbox.models import OutboxMessage
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.context import tenant_context
from tests.changeplans.factories import ChangePlanFactory, CommunicationFactory

TODAY = datetime.date(2026, 11, 27)
TOMORROW = TODAY + datetime.timedelta(days=1)


def make(plan, owner, planned_date, status="planned", **kwargs):
    sent_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) if status == "sent" else None
    return CommunicationFactory(
        plan=plan, owner=owner, planned_date=planned_date, status=status, sent_at=sent_at, **kwargs
    )


def test_selection_due_tomorrow_and_overdue(in_a):
    # Given communications around today
    plan = ChangePlanFactory()
    owner = in_a.recruiter
    due = make(plan, owner, TOMORROW)
    make(plan, owner, TOMORROW, status="sent")
    make(plan, owner, TOMORROW, status="cancelled")
    make(plan, None, TOMORROW)  # nobody to remind
    make(plan, owner, TODAY + datetime.timedelta(days=2))
    make(plan, owner, TODAY)  # due today: neither tomorrow nor overdue yet
    overdue = make(plan, owner, TODAY - datetime.timedelta(days=1))
    long_overdue = make(plan, owner, TODAY - datetime.timedelta(days=30))
    make(plan, owner, TODAY - datetime.timedelta(days=3), status="sent")
    # Then the selectors pick exactly the ones to remind about
    assert list(selectors.communications_due_tomorrow(today=TODAY)) == [due]
    assert list(selectors.communications_overdue(today=TODAY)) == [overdue, long_overdue]


def test_reminders_are_sent_once(in_a):
    plan = ChangePlanFactory(title="Store hiring rollout")
    due = make(plan, in_a.recruiter, TOMORROW, message="Intake form walkthrough")
    overdue = make(plan, in_a.lead, TODAY - datetime.timedelta(days=2))

    first = communication_reminders_send(organisation=in_a.organisation, today=TODAY)
    second = communication_reminders_send(organisation=in_a.organisation, today=TODAY)
    # The next day the due one is due today (no reminder) and the overdue one is still overdue.
    third = communication_reminders_send(
        organisation=in_a.organisation, today=TODAY + datetime.timedelta(days=1)
    )

    assert (first.due, first.overdue) == (1, 1)
    assert (second.due, second.overdue) == (0, 0)
    assert (third.due, third.overdue) == (0, 0)
    messages = {m.idempotency_key: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {
        f"comm-{due.pk}-due-{TOMORROW}",
        f"comm-{overdue.pk}-overdue-{overdue.planned_date}",
    }
    reminder = messages[f"comm-{due.pk}-due-{TOMORROW}"]
    assert reminder.to == in_a.recruiter.email
    assert "Due tomorrow" in reminder.subject and "Store hiring rollout" in reminder.subject
    assert "Intake form walkthrough" in reminder.text_body
    assert f"/orgs/{in_a.slug}/change-plans/{plan.pk}/" in reminder.html_body
    assert messages[f"comm-{overdue.pk}-overdue-{overdue.planned_date}"].to == in_a.lead.email


def test_overdue_after_the_due_reminder_still_reminds(in_a):
    communication = make(ChangePlanFactory(), in_a.recruiter, TOMORROW)
    communication_reminders_send(organisation=in_a.organisation, today=TODAY)
    sent = communication_reminders_send(
        organisation=in_a.organisation, today=TOMORROW + datetime.timedelta(days=1)
    )
    assert (sent.due, sent.overdue) == (0, 1)
    assert (
        OutboxMessage.objects.filter(idempotency_key__contains=f"comm-{communication.pk}-").count()
        == 2
    )


def test_moving_the_date_rearms_the_reminders(in_a):
    communication = make(ChangePlanFactory(), in_a.recruiter, TODAY - datetime.timedelta(days=1))
    assert communication_reminders_send(organisation=in_a.organisation, today=TODAY).overdue == 1
    services.communication_update(
        communication=communication, planned_date=TODAY + datetime.timedelta(days=5)
    )
    later = TODAY + datetime.timedelta(days=4)
    assert communication_reminders_send(organisation=in_a.organisation, today=later).due == 1
    much_later = TODAY + datetime.timedelta(days=7)
    assert (
        communication_reminders_send(organisation=in_a.organisation, today=much_later).overdue == 1
    )
    assert OutboxMessage.objects.count() == 3


def test_marked_sent_gets_no_overdue_reminder(in_a):
    communication = make(ChangePlanFactory(), in_a.recruiter, TODAY - datetime.timedelta(days=1))
    services.communication_set_status(communication=communication, status="sent")
    assert communication_reminders_send(organisation=in_a.organisation, today=TODAY).overdue == 0


def test_today_is_the_organisations_date(tenant_a):
    tenant_a.organisation.timezone = "Pacific/Auckland"
    now = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)  # 01:00 on the 28th there
    with tenant_context(tenant_a.organisation):
        assert organisation_today(now) == TOMORROW
    tenant_a.organisation.timezone = "America/Los_Angeles"  # 04:00 on the 27th
    with tenant_context(tenant_a.organisation):
        assert organisation_today(now) == TODAY


def test_periodic_task_fans_out_per_organisation(tenant_a, tenant_b):
    # Given one communication due tomorrow (in its organisation's time zone) in each tenant
    made = {}
    for tenant in (tenant_a, tenant_b):
        with tenant.scope():
            tomorrow = organisation_today() + datetime.timedelta(days=1)
            made[tenant.slug] = make(ChangePlanFactory(), tenant.recruiter, tomorrow).pk
    # When the beat task runs (tasks run inline in tests)
    assert communication_reminders_all() == 2
    # Then each organisation has its own reminder, and only its own
    for tenant in (tenant_a, tenant_b):
        with tenant.scope():
            keys = list(OutboxMessage.objects.values_list("idempotency_key", "to"))
            assert len(keys) == 1
            assert keys[0][0].startswith(f"comm-{made[tenant.slug]}-due-")
            assert keys[0][1] == tenant.recruiter.email


def test_beat_runs_the_reminders_hourly():
    from django.conf import settings

    from rpo_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["changeplans-communication-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 3600
