from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [
        ("changeplans", "0001_initial"),
        ("programmes", "0002_programme_rls"),
    ]

    # Parents first: a composite foreign key needs its parent's (organisation_id, id) key.
    operations = [
        EnableTenantRLS("changeplan"),
        TenantForeignKey("changeplan", "programme"),
        EnableTenantRLS("stakeholdergroup"),
        TenantForeignKey("stakeholdergroup", "plan"),
        EnableTenantRLS("assessment"),
        TenantForeignKey("assessment", "group"),
        EnableTenantRLS("communication"),
        TenantForeignKey("communication", "plan"),
        EnableTenantRLS("communicationaudience"),
        TenantForeignKey("communicationaudience", "communication"),
        TenantForeignKey("communicationaudience", "group"),
    ]
