from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "rpo_portal.tenancy"
    label = "tenancy"
    verbose_name = "Organisations and isolation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the system checks)
        from .roles import grant_runtime_privileges

        post_migrate.connect(grant_runtime_privileges, dispatch_uid="tenancy_grants")
