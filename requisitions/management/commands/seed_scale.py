"""Fill one organisation with a large, believable run phase, fast, for benchmarks and trials.

    manage.py seed_scale --org acme --requisitions 100000 --applications 1000000

Creates recruiters (members with the recruiter role), hiring managers, requisitions in every
status with their status events and kick-offs, candidates, and applications at every stage with
their moves, inside the organisation's tenant context (one transaction: all or nothing). Run it
for a big tenant and leave a small one as it is to get the skew a real deployment has.

On PostgreSQL the rows go in with COPY into a temporary table and one INSERT ... SELECT per
table (COPY straight into a table with row-level security is not allowed for the runtime role;
the INSERT still passes every policy and constraint). Ids come from each table's own sequence.
On SQLite it uses bulk_create. Every run adds rows (its ids and emails carry a run token).
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.utils import timezone

from programmes.models import Programme
from programmes.services import programme_create
from rpo_portal.accounts.models import User
from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Membership, Organisation, Role

from ...models import (
    Application,
    ApplicationEvent,
    Candidate,
    HiringManager,
    KickOff,
    Requisition,
    RequisitionEvent,
)

CHUNK = 50_000
TITLES = (
    "Software engineer",
    "Store manager",
    "Data analyst",
    "Nurse",
    "Warehouse operative",
    "Account executive",
    "HR business partner",
    "Product designer",
    "Customer adviser",
    "Finance manager",
    "Site engineer",
    "Graduate trainee",
    "Chef",
    "Pharmacist",
)
LOCATIONS = (
    ("London", "GB"),
    ("Leeds", "GB"),
    ("Glasgow", "GB"),
    ("Dublin", "IE"),
    ("Berlin", "DE"),
    ("Munich", "DE"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Madrid", "ES"),
    ("Amsterdam", "NL"),
    ("Warsaw", "PL"),
    ("New York", "US"),
)
DEPARTMENTS = ("Engineering", "Operations", "Sales", "Finance", "People", "Retail", "Logistics")
FIRST = (
    "Ana",
    "Tom",
    "Priya",
    "Liam",
    "Sofia",
    "Noah",
    "Mia",
    "Omar",
    "Chloe",
    "Jonas",
    "Aisha",
    "Lucas",
    "Emma",
    "Mateo",
    "Zara",
    "Ben",
)
LAST = (
    "Ruiz",
    "Becker",
    "Patel",
    "Murphy",
    "Rossi",
    "Smith",
    "Nowak",
    "Khan",
    "Dubois",
    "Jensen",
    "Okafor",
    "Silva",
    "Brown",
    "Garcia",
    "Kowalski",
    "Evans",
)
# Requisition statuses and application stages, with their share of rows.
STATUS_MIX = (("open", 50), ("on_hold", 8), ("filled", 22), ("cancelled", 8), ("draft", 12))
STAGE_MIX = (
    ("applied", 33),
    ("screening", 18),
    ("interview", 12),
    ("offer", 3),
    ("accepted", 2),
    ("started", 4),
    ("rejected", 25),
    ("withdrawn", 3),
)
SOURCES = ("careers_site", "job_board", "referral", "direct_sourcing", "agency", "internal")


def _weighted(mix: Sequence[tuple[str, int]], count: int, rng: random.Random) -> list[str]:
    values = [v for v, _w in mix]
    weights = [w for _v, w in mix]
    return rng.choices(values, weights=weights, k=count)


class Writer:
    """Inserts rows of one model: COPY + INSERT ... SELECT on PostgreSQL, bulk_create elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` fresh ids from the table's sequence (PostgreSQL) or after its max (SQLite)."""
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                self._flush(model, columns, batch)
                batch = []
        if batch:
            self._flush(model, columns, batch)

    def _flush(
        self, model: type[models.Model], columns: Sequence[str], rows: list[Sequence[Any]]
    ) -> None:
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)
        if not self.postgres:
            fields = {f.column: f for f in model._meta.concrete_fields}
            objs = []
            for row in rows:
                values = {}
                for column, value in zip(columns, row, strict=True):
                    field = fields[column]
                    if isinstance(field, models.JSONField) and isinstance(value, str):
                        value = json.loads(value)
                    values[field.attname] = value
                objs.append(model(**values))
            model._base_manager.bulk_create(objs, batch_size=2000)  # type: ignore[attr-defined]
            return
        table = model._meta.db_table
        cols = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            # Column types only (no NOT NULL or defaults): ids not given come from the sequence.
            cursor.execute(
                f'CREATE TEMP TABLE IF NOT EXISTS "seed_{table}" ON COMMIT DROP AS '  # noqa: S608
                f'SELECT {cols} FROM "{table}" WITH NO DATA'
            )
            cursor.execute(f'TRUNCATE "seed_{table}"')
            with cursor.cursor.copy(f'COPY "seed_{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "seed_{table}"'  # noqa: S608
            )


class Command(BaseCommand):
    help = "Fill an organisation with many requisitions, candidates and applications, fast."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--requisitions", type=int, required=True)
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument(
            "--seed", type=int, default=5, help="Random seed (same seed, same data)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n_reqs: int = options["requisitions"]
        n_apps: int = options["applications"]
        if n_reqs < 1:
            raise CommandError("--requisitions must be at least 1.")
        if n_apps < 0:
            raise CommandError("--applications cannot be negative.")
        if n_reqs > 5_000_000 or n_apps > 50_000_000:
            raise CommandError(
                "That is more than this command is meant for (5M requisitions, 50M applications)."
            )
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            known = ", ".join(
                Organisation.objects.order_by("slug").values_list("slug", flat=True)[:20]
            )
            raise CommandError(
                f"No organisation with the slug “{options['org']}”. Known: {known or 'none'}."
            )
        started = time.perf_counter()
        with tenant_context(organisation):
            writer = Writer()
            Seeder(organisation, writer, random.Random(options["seed"])).run(n_reqs, n_apps)
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{n:,} {name}" for name, n in writer.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {organisation.slug} in {elapsed:.1f}s: {summary}.")
        )


class Seeder:
    def __init__(self, organisation: Organisation, writer: Writer, rng: random.Random) -> None:
        self.org = organisation
        self.writer = writer
        self.rng = rng
        self.run_token = uuid.uuid4().hex[:6]
        self.now = timezone.now()

    def run(self, n_reqs: int, n_apps: int) -> None:
        programme = Programme.objects.order_by("id").first() or programme_create(
            name="Scale programme"
        )
        recruiters = self._recruiters(min(25, 1 + n_reqs // 2000))
        hm_ids = self._hiring_managers(max(1, n_reqs // 20))
        reqs = self._requisitions(n_reqs, programme.pk, hm_ids, recruiters)
        self._applications(n_apps, reqs)

    def _recruiters(self, count: int) -> list[int]:
        password = make_password(None)
        users = [
            User(
                email=f"recruiter{i}.{self.run_token}@{self.org.slug}.scale.test",
                full_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                password=password,
            )
            for i in range(count)
        ]
        User.objects.bulk_create(users)
        users = list(User.objects.filter(email__in=[u.email for u in users]))
        Membership.objects.bulk_create(
            [Membership(user=u, role=Role.RECRUITER, organisation_id=self.org.pk) for u in users]
        )
        self.writer.counts["recruiters"] = len(users)
        return [u.pk for u in users]

    def _hiring_managers(self, count: int) -> list[int]:
        ids = self.writer.ids(HiringManager, count)
        rng, now, org, token = self.rng, self.now, self.org.pk, self.run_token
        rows = (
            (
                pk,
                org,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"hm{i}.{token}@client.scale.test",
                rng.choice(DEPARTMENTS),
                rng.choice(("executive", "director", "senior_manager", "manager", "manager")),
                f"S{token}-HM{i}",
                now,
                now,
            )
            for i, pk in enumerate(ids)
        )
        self.writer.insert(
            HiringManager,
            [
                "id",
                "organisation_id",
                "name",
                "email",
                "department",
                "seniority",
                "external_id",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        return ids

    def _requisitions(
        self, count: int, programme_id: int, hm_ids: list[int], recruiters: list[int]
    ) -> list[tuple[int, str, datetime | None]]:
        """Inserts requisitions, their status events and kick-offs; returns (id, status, opened)."""
        rng, now, org, token = self.rng, self.now, self.org.pk, self.run_token
        ids = self.writer.ids(Requisition, count)
        statuses = _weighted(STATUS_MIX, count, rng)
        out: list[tuple[int, str, datetime | None]] = []
        rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        kickoffs: list[tuple[Any, ...]] = []
        for i, (pk, status) in enumerate(zip(ids, statuses, strict=True)):
            created = now - timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
            opened = None if status == "draft" else created + timedelta(days=rng.randint(0, 10))
            changed = (
                opened
                if status in ("draft", "open")
                else (opened or created) + timedelta(days=rng.randint(1, 60))
            )
            if changed and changed > now:
                changed = now
            opened = min(opened, now) if opened else None
            location, country = rng.choice(LOCATIONS)
            target: date = (created + timedelta(days=rng.randint(30, 120))).date()
            last_activity = max(changed or created, created)
            rows.append(
                (
                    pk,
                    org,
                    programme_id,
                    rng.choice(TITLES),
                    rng.choice(DEPARTMENTS),
                    location,
                    country,
                    rng.choice(
                        (
                            "professional",
                            "professional",
                            "manager",
                            "senior_manager",
                            "entry",
                            "director",
                        )
                    ),
                    "",
                    rng.choice((1, 1, 1, 2, 3)),
                    rng.choice(hm_ids),
                    rng.choice(recruiters),
                    rng.choice(("new_role", "backfill")),
                    rng.choice((1, 2, 3, 3, 3, 4)),
                    target,
                    status,
                    "Role no longer needed" if status == "cancelled" else "",
                    opened,
                    changed or created,
                    last_activity,
                    f"S{token}-R{i}",
                    None,
                    created,
                    last_activity,
                )
            )
            events.append((org, pk, "status", "", "draft", created, None, ""))
            if opened:
                events.append((org, pk, "status", "draft", "open", opened, None, ""))
            if status in ("on_hold", "filled", "cancelled"):
                events.append(
                    (
                        org,
                        pk,
                        "status",
                        "open" if opened else "draft",
                        status,
                        changed,
                        None,
                        "Role no longer needed" if status == "cancelled" else "",
                    )
                )
            if opened and rng.random() < 0.7:
                scheduled = opened + timedelta(days=rng.randint(1, 8))
                held = scheduled if scheduled < now and rng.random() < 0.85 else None
                kickoffs.append(
                    (
                        org,
                        pk,
                        scheduled,
                        45,
                        held,
                        rng.random() < 0.3,
                        None,
                        "[]",
                        "[]",
                        "[]",
                        "",
                        None,
                        None,
                        5,
                        48,
                        "",
                        0,
                        created,
                        created,
                    )
                )
            out.append((pk, status, opened))
        self.writer.insert(
            Requisition,
            [
                "id",
                "organisation_id",
                "programme_id",
                "title",
                "department",
                "location",
                "country",
                "seniority",
                "band",
                "openings",
                "hiring_manager_id",
                "recruiter_id",
                "reason",
                "priority",
                "target_date",
                "status",
                "cancellation_reason",
                "first_opened_at",
                "status_changed_at",
                "last_activity_at",
                "external_id",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        self.writer.insert(
            RequisitionEvent,
            [
                "organisation_id",
                "requisition_id",
                "kind",
                "from_status",
                "to_status",
                "at",
                "actor_id",
                "reason",
            ],
            events,
        )
        self.writer.insert(
            KickOff,
            [
                "organisation_id",
                "requisition_id",
                "scheduled_at",
                "duration_minutes",
                "held_at",
                "talent_lead_joined",
                "talent_lead_id",
                "must_haves",
                "nice_to_haves",
                "interview_plan",
                "salary_currency",
                "salary_min",
                "salary_max",
                "cv_shortlist_days",
                "hm_feedback_hours",
                "notes",
                "ics_sequence",
                "created_at",
                "updated_at",
            ],
            kickoffs,
        )
        return out

    def _applications(self, count: int, reqs: list[tuple[int, str, datetime | None]]) -> None:
        rng, now, org, token = self.rng, self.now, self.org.pk, self.run_token
        # Candidates apply to one or a few requisitions; every (candidate, requisition) is unique.
        recruiting = [r for r in reqs if r[2] is not None] or reqs
        n_req = len(recruiting)
        n_cand = max(1, -(-count * 4 // 5), -(-count // n_req)) if count else 0
        cand_ids = self.writer.ids(Candidate, n_cand)
        self.writer.insert(
            Candidate,
            [
                "id",
                "organisation_id",
                "name",
                "email",
                "phone",
                "source",
                "consent_given_at",
                "consent_text_version",
                "external_id",
                "created_at",
                "updated_at",
            ],
            (
                (
                    pk,
                    org,
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    f"c{i}.{token}@people.scale.test",
                    f"+44 7700 {i % 1000000:06d}",
                    rng.choice(SOURCES),
                    now,
                    "v1",
                    f"S{token}-C{i}",
                    now,
                    now,
                )
                for i, pk in enumerate(cand_ids)
            ),
        )
        app_ids = self.writer.ids(Application, count)
        for start in range(0, count, CHUNK):
            apps, events = self._application_rows(
                app_ids[start : start + CHUNK], start, cand_ids, recruiting
            )
            self.writer.insert(
                Application,
                [
                    "id",
                    "organisation_id",
                    "candidate_id",
                    "requisition_id",
                    "stage",
                    "stage_entered_at",
                    "applied_at",
                    "stage_reached",
                    "outcome_reason",
                    "accepted_on",
                    "start_date",
                    "external_id",
                    "created_at",
                    "updated_at",
                ],
                apps,
            )
            self.writer.insert(
                ApplicationEvent,
                [
                    "organisation_id",
                    "application_id",
                    "from_stage",
                    "to_stage",
                    "at",
                    "actor_id",
                    "reason",
                ],
                events,
            )

    def _application_rows(
        self,
        app_ids: list[int],
        offset: int,
        cand_ids: list[int],
        recruiting: list[tuple[int, str, datetime | None]],
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng, now, org, token = self.rng, self.now, self.org.pk, self.run_token
        n_cand, n_req = len(cand_ids), len(recruiting)
        stages = _weighted(STAGE_MIX, len(app_ids), rng)
        reached_choices = ("applied", "screening", "interview", "offer")
        apps = []
        events: list[tuple[Any, ...]] = []
        for j, (pk, stage) in enumerate(zip(app_ids, stages, strict=True), start=offset):
            k, round_ = j % n_cand, j // n_cand
            req_id, _status, opened = recruiting[((k * 2654435761) % n_req + round_) % n_req]
            base = opened or now - timedelta(days=30)
            applied = base + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
            if applied > now:
                applied = now - timedelta(minutes=rng.randint(1, 600))
            entered = (
                applied
                if stage == "applied"
                else min(now, applied + timedelta(days=rng.randint(1, 40)))
            )
            reached = rng.choice(reached_choices) if stage in ("rejected", "withdrawn") else ""
            reason = {"rejected": "Not enough experience", "withdrawn": "Took another offer"}.get(
                stage, ""
            )
            accepted_on = entered.date() if stage in ("accepted", "started") else None
            start = accepted_on + timedelta(days=28) if accepted_on else None
            apps.append(
                (
                    pk,
                    org,
                    cand_ids[k],
                    req_id,
                    stage,
                    entered,
                    applied,
                    reached,
                    reason,
                    accepted_on,
                    start,
                    f"S{token}-A{j}",
                    applied,
                    entered,
                )
            )
            events.append((org, pk, "", "applied", applied, None, ""))
            if stage != "applied":
                events.append((org, pk, reached or "applied", stage, entered, None, reason))
        return apps, events
