"""Idempotent demo data: organisations acme and globex, their users, and each app's demo rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from rpo_portal.tenancy import demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, users and data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=None, help="defaults to DEMO_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or settings.DEMO_PASSWORD
        with transaction.atomic():
            logins = demo.seed(password=password)
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ with:")
        )
        for email, what in logins:
            self.stdout.write(f"  {email:<28} {what}")
        self.stdout.write(f"  password: {password}")
