from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [
        ("requisitions", "0001_initial"),
        ("programmes", "0002_programme_rls"),
    ]

    # Parents first: a composite foreign key references the parent's (organisation_id, id) key,
    # which EnableTenantRLS adds.
    operations = [
        EnableTenantRLS("hiringmanager"),
        EnableTenantRLS("requisition"),
        EnableTenantRLS("requisitionevent"),
        EnableTenantRLS("kickoff"),
        EnableTenantRLS("candidate"),
        EnableTenantRLS("candidatediversity"),
        EnableTenantRLS("application"),
        EnableTenantRLS("applicationevent"),
        TenantForeignKey("requisition", "programme"),
        TenantForeignKey("requisition", "hiring_manager"),
        TenantForeignKey("requisitionevent", "requisition"),
        TenantForeignKey("kickoff", "requisition"),
        TenantForeignKey("candidatediversity", "candidate"),
        TenantForeignKey("application", "candidate"),
        TenantForeignKey("application", "requisition"),
        TenantForeignKey("applicationevent", "application"),
    ]
