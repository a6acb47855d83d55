import pytest

from rpo_portal.outbox.tasks import outbox_sweep_organisation_task
from rpo_portal.tenancy.context import TenantScopeError


@pytest.mark.django_db
def test_tenant_tasks_enqueue_on_commit_with_the_organisation_first(
    tenant_a, django_capture_on_commit_callbacks
):
    # given a tenant task, enqueued inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox_sweep_organisation_task.delay_on_commit(tenant_a.organisation.pk)
    # then nothing runs until the transaction commits
    assert len(callbacks) == 1
    # and a call without an organisation id refuses to run
    with pytest.raises(TenantScopeError):
        outbox_sweep_organisation_task.apply(args=["not-an-id"]).get()
