"""Print the Citus set-up for this schema (reference, distributed and local tables, settings).

Read from the model registry, so a new model is placed without editing a list. Prints SQL to
run on the coordinator; it connects to nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rpo_portal.tenancy.citus import build_plan, render_plan


class Command(BaseCommand):
    help = (
        "Print the Citus set-up (create_distributed_table ... by organisation_id) for the schema."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=None,
            help="The database name for ALTER DATABASE (default: the configured one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"] or str(settings.DATABASES["default"]["NAME"])
        self.stdout.write(render_plan(build_plan(), database=database), ending="")
