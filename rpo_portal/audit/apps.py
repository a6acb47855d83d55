from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rpo_portal.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from rpo_portal.accounts.models import User

        from . import context  # noqa: F401  (connects the Celery task signals)
        from .services import register_personal_data

        register_personal_data({User: ("email", "full_name", "password", "last_login")})
