from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "rpo_portal.outbox"
    label = "outbox"
    verbose_name = "Email outbox"
