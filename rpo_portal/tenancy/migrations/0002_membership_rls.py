from django.conf import settings
from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, RunSQLOnPostgres

RUNTIME = settings.DB_RUNTIME_ROLE

# Memberships are tenant rows, but the organisation switcher must list one user's memberships
# across tenants. This function, owned by the owner role (which RLS does not bind), returns only
# the rows of the user asked for; the runtime role may execute it and nothing else of the kind.
MEMBERSHIPS_OF = f"""
CREATE FUNCTION tenancy_memberships_of(p_user_id bigint)
RETURNS TABLE (organisation_id bigint, role varchar)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT m.organisation_id, m.role FROM public.tenancy_membership m WHERE m.user_id = p_user_id
$$;
REVOKE ALL ON FUNCTION tenancy_memberships_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenancy_memberships_of(bigint) TO "{RUNTIME}";
"""


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        EnableTenantRLS("membership"),
        RunSQLOnPostgres(MEMBERSHIPS_OF, "DROP FUNCTION tenancy_memberships_of(bigint);"),
    ]
