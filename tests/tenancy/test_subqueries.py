import pytest

from rpo_portal.accounts.models import User
from rpo_portal.tenancy.context import TenantScopeError
from rpo_portal.tenancy.models import Membership


@pytest.mark.django_db
def test_a_scoped_queryset_used_as_a_subquery_filters_on_its_own_table(tenant_a, tenant_b):
    # Given memberships in two organisations
    members_of_scope = User.objects.filter(memberships__in=Membership.objects.all())
    # When the subquery is evaluated in A's scope (built outside any scope)
    with tenant_a.scope():
        emails = set(members_of_scope.values_list("email", flat=True))
    # Then only A's members come back
    assert emails == {tenant_a.lead.email, tenant_a.recruiter.email, tenant_a.viewer.email}
    # And without a scope the subquery still fails closed
    with pytest.raises(TenantScopeError):
        list(members_of_scope)
