from django.core.management import call_command

from changeplans.models import Assessment, ChangePlan, Communication
from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation


def counts(slug):
    with tenant_context(Organisation.objects.get(slug=slug)):
        return (
            ChangePlan.objects.count(),
            Assessment.objects.count(),
            Communication.objects.count(),
        )


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = {slug: counts(slug) for slug in ("acme", "globex")}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {slug: counts(slug) for slug in ("acme", "globex")} == first
    # acme: a plan with two rounds of assessments and communications; globex: a draft, no scores
    assert first["acme"] == (1, 40, 4)
    assert first["globex"] == (1, 0, 0)
    with tenant_context(Organisation.objects.get(slug="globex")):
        assert ChangePlan.objects.get().status == "draft"
