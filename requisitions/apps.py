from django.apps import AppConfig


class RequisitionsConfig(AppConfig):
    name = "requisitions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from programmes.extensions import programme_overview
        from programmes.models import Programme
        from rpo_portal.audit.services import register_personal_data

        from .extensions import programme_run_section
        from .personal_data import PERSONAL_DATA

        register_personal_data(PERSONAL_DATA)

        programme_overview.connect(
            programme_run_section, sender=Programme, dispatch_uid="requisitions.programme_run"
        )
