from django.apps import AppConfig


class ChangeplansConfig(AppConfig):
    name = "changeplans"
    default_auto_field = "django.db.models.BigAutoField"
