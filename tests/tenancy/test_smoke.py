from programmes.models import Programme
from tests.factories import ProgrammeFactory


def test_member_sees_own_programmes_only(client, tenant_a, tenant_b):
    with tenant_a.scope():
        ProgrammeFactory(name="Acme secret")
    with tenant_b.scope():
        ProgrammeFactory(name="Globex plan")
    client.force_login(tenant_b.lead)
    response = client.get(f"/orgs/{tenant_b.slug}/programmes/")
    assert response.status_code == 200
    assert b"Globex plan" in response.content
    assert b"Acme secret" not in response.content
    assert client.get(f"/orgs/{tenant_a.slug}/programmes/").status_code == 404
    with tenant_a.scope():
        assert Programme.objects.count() == 1
