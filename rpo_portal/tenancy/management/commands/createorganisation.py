from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.services import organisation_create


class Command(BaseCommand):
    help = "Create a client organisation (a tenant)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="URL slug, e.g. acme")
        parser.add_argument("--name", required=True, help="Display name, e.g. 'Acme Ltd'")
        parser.add_argument("--timezone", default="Europe/London")
        parser.add_argument("--brand-colour", default="#1f5fbf")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(slug=options["slug"]).exists():
            raise CommandError(
                f"--slug: an organisation with slug {options['slug']!r} already exists."
            )
        try:
            organisation = organisation_create(
                slug=options["slug"],
                name=options["name"],
                timezone=options["timezone"],
                brand_colour=options["brand_colour"],
            )
        except ValidationError as exc:
            raise CommandError(describe_validation_error(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created organisation {organisation.name} ({organisation.slug}).")
        )


def describe_validation_error(exc: ValidationError) -> str:
    """'--slug: Enter a valid slug…' lines, one for each field at fault."""
    if hasattr(exc, "error_dict"):
        return "\n".join(
            f"--{field.replace('_', '-')}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
