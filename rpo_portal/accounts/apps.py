from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rpo_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"
