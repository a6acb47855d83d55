"""The audit table is a tenant table like the others: row-level security and the primary key
(organisation_id, id)."""

from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_event")]

    operations = [EnableTenantRLS("auditevent"), TenantPrimaryKey("AuditEvent")]
