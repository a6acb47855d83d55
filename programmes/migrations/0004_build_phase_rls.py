from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_build_phase")]

    operations = [
        EnableTenantRLS("objective"),
        EnableTenantRLS("checklistitem"),
        EnableTenantRLS("golivesignature"),
        EnableTenantRLS("agreedmetric"),
        TenantForeignKey("objective", "programme"),
        TenantForeignKey("checklistitem", "programme"),
        TenantForeignKey("golivesignature", "programme"),
        TenantForeignKey("agreedmetric", "programme"),
        TenantForeignKey("agreedmetric", "previous"),
    ]
