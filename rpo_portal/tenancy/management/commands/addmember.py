from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rpo_portal.tenancy.models import Role
from rpo_portal.tenancy.selectors import organisation_by_slug
from rpo_portal.tenancy.services import membership_set, user_ensure

from .createorganisation import describe_validation_error


class Command(BaseCommand):
    help = "Add a user (created if new) to an organisation with a role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--password", help="set (or reset) the user's password")
        parser.add_argument("--name", default="", help="full name for a new user")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_by_slug(options["org"])
        if organisation is None:
            raise CommandError(f"--org: no organisation with slug {options['org']!r}.")
        try:
            user = user_ensure(
                email=options["email"], password=options["password"], full_name=options["name"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise CommandError(describe_validation_error(exc)) from exc
            raise CommandError("--password: " + " ".join(exc.messages)) from exc
        membership_set(organisation=organisation, user=user, role=options["role"])
        self.stdout.write(
            self.style.SUCCESS(f"{user.email} is now {options['role']} in {organisation.slug}.")
        )
        if not user.has_usable_password():
            self.stdout.write(
                "They have no password yet: they choose one with “Forgotten your password?” "
                "on the login page."
            )
