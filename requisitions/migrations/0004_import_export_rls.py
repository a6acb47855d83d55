from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("requisitions", "0003_import_export_jobs")]

    # Parents first: the composite foreign key references the job's (organisation_id, id) key.
    operations = [
        EnableTenantRLS("importjob"),
        EnableTenantRLS("importrow"),
        EnableTenantRLS("columnmapping"),
        EnableTenantRLS("exportjob"),
        TenantForeignKey("importrow", "job"),
    ]
