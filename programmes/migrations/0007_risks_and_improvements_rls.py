from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS, TenantForeignKey


class Migration(migrations.Migration):
    dependencies = [("programmes", "0006_risks_and_improvements")]

    operations = [
        EnableTenantRLS("risk"),
        EnableTenantRLS("riskrequisition"),
        EnableTenantRLS("improvement"),
        TenantForeignKey("risk", "programme"),
        TenantForeignKey("riskrequisition", "risk"),
        TenantForeignKey("riskrequisition", "requisition"),
        TenantForeignKey("improvement", "programme"),
        TenantForeignKey("improvement", "origin_risk"),
    ]
