"""Every table of this app takes the primary key (organisation_id, id) (see TenantPrimaryKey).

Runs after the single-column foreign keys between tenant tables are gone, here and in the apps
whose tables point at this one.
"""

from django.db import migrations

from rpo_portal.tenancy.operations import TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_publiclink"),
    ]

    operations = [
        TenantPrimaryKey("Membership"),
        TenantPrimaryKey("PublicLink"),
    ]
