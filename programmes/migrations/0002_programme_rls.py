from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [EnableTenantRLS("programme")]
