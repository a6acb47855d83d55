"""Idempotent demo data: organisations acme and globex, their users, and each app's demo rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from rpo_portal.tenancy import demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, users and data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=None, help="defaults to DEMO_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or settings.DEMO_PASSWORD
        try:
            with transaction.atomic():
                logins = demo.seed(password=password)
        except ValidationError as exc:
            # The only input is the password; Django's validators judged it.
            raise CommandError("--password: " + " ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ with:")
        )
        for email, what in logins:
            self.stdout.write(f"  {email:<28} {what}")
        self.stdout.write(f"  password: {password}")
