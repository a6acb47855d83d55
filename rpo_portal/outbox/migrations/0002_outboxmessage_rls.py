from django.db import migrations

from rpo_portal.tenancy.operations import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_outbox_message")]

    operations = [EnableTenantRLS("outboxmessage")]
