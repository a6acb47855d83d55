"""Every table of this app takes the primary key (organisation_id, id) (see TenantPrimaryKey).

Runs after the single-column foreign keys between tenant tables are gone, here and in the apps
whose tables point at this one.
"""

from django.db import migrations

from rpo_portal.tenancy.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0010_tenant_fks_composite_only"),
        ("requisitions", "0005_tenant_fks_composite_only"),
        ("changeplans", "0003_tenant_fks_composite_only"),
    ]

    operations = [
        TenantPrimaryKey("Programme"),
        TenantPrimaryKey("Objective"),
        TenantPrimaryKey("ChecklistItem"),
        TenantPrimaryKey("GoLiveSignature"),
        TenantPrimaryKey("AgreedMetric"),
        TenantPrimaryKey("Risk"),
        TenantPrimaryKey("RiskRequisition"),
        TenantPrimaryKey("Improvement"),
    ]
