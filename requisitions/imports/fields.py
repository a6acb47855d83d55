"""What each kind of import can read, and the names applicant tracking systems give it.

Header synonyms cover the column names of the usual exports (Greenhouse, Workday, Lever,
SmartRecruiters, iCIMS), so most files map without anyone choosing a column. Value synonyms turn
their wording of stages, sources and statuses into ours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..models import Priority, Reason, RequisitionSeniority, Seniority, Source, Stage
from .models import ImportKind


def normalise(text: str) -> str:
    """Lower case, punctuation to single spaces: "Job Requisition ID" -> "job requisition id"."""
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


@dataclass(frozen=True)
class Target:
    name: str
    label: Any  # a lazy translation
    required: bool = False
    synonyms: tuple[str, ...] = field(default_factory=tuple)
    help: Any = ""


EXTERNAL_ID_HELP = _("Re-importing the same file updates the rows with these ids.")

TARGETS: dict[str, tuple[Target, ...]] = {
    ImportKind.HIRING_MANAGERS: (
        Target(
            "external_id",
            _("External id"),
            synonyms=(
                "hiring manager id",
                "employee id",
                "worker id",
                "user id",
                "external id",
                "id",
                "manager id",
            ),
            help=EXTERNAL_ID_HELP,
        ),
        Target(
            "name",
            _("Name"),
            required=True,
            synonyms=(
                "name",
                "full name",
                "hiring manager",
                "hiring manager name",
                "manager name",
                "manager",
                "legal name",
                "preferred name",
            ),
        ),
        Target(
            "email",
            _("Email"),
            required=True,
            synonyms=(
                "email",
                "email address",
                "work email",
                "hiring manager email",
                "manager email",
                "primary work email",
                "business email",
            ),
        ),
        Target(
            "department",
            _("Department"),
            synonyms=(
                "department",
                "dept",
                "team",
                "supervisory organization",
                "function",
                "cost center",
                "division",
            ),
        ),
        Target(
            "seniority",
            _("Seniority"),
            synonyms=("seniority", "management level", "job level", "level", "career level"),
        ),
    ),
    ImportKind.CANDIDATES: (
        Target(
            "external_id",
            _("External id"),
            synonyms=(
                "candidate id",
                "applicant id",
                "person id",
                "contact id",
                "profile id",
                "candidate reference",
                "candidate number",
                "external id",
                "id",
            ),
            help=EXTERNAL_ID_HELP,
        ),
        Target(
            "name",
            _("Name"),
            synonyms=(
                "name",
                "full name",
                "candidate name",
                "candidate",
                "applicant name",
                "applicant",
                "contact name",
            ),
            help=_("Or map first and last name."),
        ),
        Target("first_name", _("First name"), synonyms=("first name", "given name", "forename")),
        Target("last_name", _("Last name"), synonyms=("last name", "family name", "surname")),
        Target(
            "email",
            _("Email"),
            synonyms=(
                "email",
                "email address",
                "candidate email",
                "personal email",
                "emails",
                "contact email",
                "primary email",
            ),
        ),
        Target(
            "phone",
            _("Phone"),
            synonyms=(
                "phone",
                "phone number",
                "mobile",
                "mobile phone",
                "phone numbers",
                "telephone",
                "primary phone",
                "cell phone",
            ),
        ),
        Target(
            "source",
            _("Source"),
            synonyms=(
                "source",
                "candidate source",
                "source type",
                "origin",
                "source name",
                "referral source",
                "applicant source",
            ),
        ),
    ),
    ImportKind.REQUISITIONS: (
        Target(
            "external_id",
            _("External id"),
            required=True,
            synonyms=(
                "job id",
                "requisition id",
                "req id",
                "job requisition id",
                "job req id",
                "requisition number",
                "job requisition",
                "posting id",
                "job number",
                "job code",
                "ref number",
                "reference number",
                "external id",
                "id",
            ),
            help=EXTERNAL_ID_HELP,
        ),
        Target(
            "title",
            _("Title"),
            required=True,
            synonyms=(
                "job title",
                "title",
                "job name",
                "job posting title",
                "position title",
                "posting title",
                "requisition title",
                "job",
                "position",
            ),
        ),
        Target(
            "location",
            _("Location"),
            required=True,
            synonyms=(
                "location",
                "office",
                "offices",
                "primary location",
                "job location",
                "city",
                "work location",
                "location name",
            ),
        ),
        Target(
            "country",
            _("Country"),
            required=True,
            synonyms=(
                "country",
                "country code",
                "location country",
                "primary location country",
                "job country",
                "country region",
            ),
            help=_("ISO code such as GB, or an English country name."),
        ),
        Target(
            "hiring_manager",
            _("Hiring manager"),
            required=True,
            synonyms=(
                "hiring manager email",
                "hiring manager",
                "hiring managers",
                "hiring manager name",
                "hiring manager id",
                "hm email",
                "manager email",
            ),
            help=_("Matched by external id, email or name to a hiring manager already here."),
        ),
        Target(
            "recruiter",
            _("Recruiter"),
            synonyms=(
                "recruiter email",
                "recruiter",
                "recruiters",
                "primary recruiter",
                "recruiter name",
                "owner",
                "posting owner",
                "job owner",
            ),
            help=_("A member's email; rows without one get the default recruiter."),
        ),
        Target(
            "target_date",
            _("Target fill date"),
            required=True,
            synonyms=(
                "target fill date",
                "target date",
                "target hire date",
                "target start date",
                "due date",
                "close date",
                "target close date",
                "fill by",
            ),
        ),
        Target(
            "department",
            _("Department"),
            synonyms=(
                "department",
                "dept",
                "team",
                "supervisory organization",
                "function",
                "job function",
                "departments",
            ),
        ),
        Target(
            "seniority",
            _("Seniority"),
            synonyms=(
                "seniority",
                "job level",
                "management level",
                "level",
                "career level",
                "experience level",
            ),
        ),
        Target(
            "band",
            _("Band or grade"),
            synonyms=(
                "band",
                "grade",
                "pay grade",
                "job grade",
                "compensation grade",
                "salary band",
            ),
        ),
        Target(
            "openings",
            _("Openings"),
            synonyms=(
                "openings",
                "number of openings",
                "openings count",
                "positions",
                "number of positions",
                "headcount",
                "open positions",
                "vacancies",
            ),
        ),
        Target(
            "reason",
            _("Reason"),
            synonyms=(
                "reason",
                "reason for hire",
                "requisition reason",
                "job requisition reason",
                "hire reason",
                "new or backfill",
                "opening reason",
            ),
        ),
        Target("priority", _("Priority"), synonyms=("priority", "job priority")),
        Target(
            "status",
            _("Status"),
            synonyms=(
                "status",
                "job status",
                "requisition status",
                "job requisition status",
                "posting status",
                "state",
            ),
        ),
    ),
    ImportKind.APPLICATIONS: (
        Target(
            "external_id",
            _("External id"),
            required=True,
            synonyms=(
                "application id",
                "job application id",
                "opportunity id",
                "submission id",
                "workflow id",
                "external id",
                "id",
            ),
            help=EXTERNAL_ID_HELP,
        ),
        Target(
            "candidate",
            _("Candidate"),
            required=True,
            synonyms=(
                "candidate id",
                "applicant id",
                "person id",
                "contact id",
                "candidate email",
                "email",
                "candidate",
                "candidate reference",
            ),
            help=_("Matched by external id or email to a candidate already here."),
        ),
        Target(
            "requisition",
            _("Requisition"),
            required=True,
            synonyms=(
                "job id",
                "requisition id",
                "req id",
                "job requisition id",
                "job req id",
                "posting id",
                "job requisition",
                "requisition number",
                "job number",
            ),
            help=_("Matched by external id to a requisition already here."),
        ),
        Target(
            "stage",
            _("Stage"),
            synonyms=(
                "stage",
                "current stage",
                "application status",
                "status",
                "step",
                "candidate stage",
                "bin",
                "current step",
                "disposition",
            ),
        ),
        Target(
            "applied_at",
            _("Applied on"),
            synonyms=(
                "applied at",
                "applied on",
                "application date",
                "date applied",
                "applied date",
                "submitted at",
                "created at",
                "applied",
            ),
        ),
        Target(
            "stage_reached",
            _("Stage reached (rejected or withdrawn)"),
            synonyms=("stage reached", "last stage", "rejected at stage", "previous stage"),
        ),
        Target(
            "reason",
            _("Rejection or withdrawal reason"),
            synonyms=(
                "rejection reason",
                "reject reason",
                "archive reason",
                "disposition reason",
                "withdrawal reason",
                "reason",
            ),
        ),
        Target(
            "accepted_on",
            _("Offer accepted on"),
            synonyms=("offer accepted date", "accepted on", "offer accepted", "date accepted"),
        ),
        Target(
            "start_date",
            _("Start date"),
            synonyms=(
                "start date",
                "hire start date",
                "expected start date",
                "employee start date",
                "starts on",
            ),
        ),
    ),
}


def targets(kind: str) -> tuple[Target, ...]:
    return TARGETS[kind]


def target_names(kind: str) -> set[str]:
    return {t.name for t in TARGETS[kind]}


def missing_required(kind: str, mapping: dict[str, str]) -> list[Target]:
    """Required targets the mapping leaves without a column (a candidate needs a name, either
    one column or first and last name)."""
    missing = [t for t in TARGETS[kind] if t.required and not mapping.get(t.name)]
    if (
        kind == ImportKind.CANDIDATES
        and not mapping.get("name")
        and not (mapping.get("first_name") or mapping.get("last_name"))
    ):
        missing.append(next(t for t in TARGETS[kind] if t.name == "name"))
    return missing


def suggest(
    kind: str, headers: list[str], remembered: dict[str, str] | None = None
) -> dict[str, str]:
    """{target: header}: the remembered mapping where its headers are in the file, then synonyms
    (earlier synonyms win), each header used once."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    present = set(headers)
    for name, header in (remembered or {}).items():
        if name in target_names(kind) and header in present and header not in used:
            mapping[name] = header
            used.add(header)
    by_normal: dict[str, str] = {}
    for header in headers:
        by_normal.setdefault(normalise(header), header)
    for target in TARGETS[kind]:
        if target.name in mapping:
            continue
        for synonym in target.synonyms:
            found = by_normal.get(synonym)
            if found is not None and found not in used:
                mapping[target.name] = found
                used.add(found)
                break
    return mapping


# --- Values -------------------------------------------------------------------------------

STAGE_SYNONYMS = {
    "new": Stage.APPLIED,
    "lead": Stage.APPLIED,
    "application review": Stage.APPLIED,
    "applied": Stage.APPLIED,
    "application": Stage.APPLIED,
    "review": Stage.SCREENING,
    "screen": Stage.SCREENING,
    "phone screen": Stage.SCREENING,
    "recruiter screen": Stage.SCREENING,
    "cv review": Stage.SCREENING,
    "hiring manager review": Stage.SCREENING,
    "onsite": Stage.INTERVIEW,
    "face to face": Stage.INTERVIEW,
    "technical interview": Stage.INTERVIEW,
    "assessment": Stage.INTERVIEW,
    "interviewing": Stage.INTERVIEW,
    "offer extended": Stage.OFFER,
    "offer made": Stage.OFFER,
    "hired": Stage.ACCEPTED,
    "offer accepted": Stage.ACCEPTED,
    "onboarded": Stage.STARTED,
    "declined": Stage.REJECTED,
    "not selected": Stage.REJECTED,
    "archived": Stage.REJECTED,
    "unsuccessful": Stage.REJECTED,
    "withdrew": Stage.WITHDRAWN,
    "candidate withdrew": Stage.WITHDRAWN,
}
SOURCE_SYNONYMS = {
    "company website": Source.CAREERS_SITE,
    "careers page": Source.CAREERS_SITE,
    "career site": Source.CAREERS_SITE,
    "website": Source.CAREERS_SITE,
    "jobs page": Source.CAREERS_SITE,
    "linkedin": Source.JOB_BOARD,
    "indeed": Source.JOB_BOARD,
    "glassdoor": Source.JOB_BOARD,
    "totaljobs": Source.JOB_BOARD,
    "reed": Source.JOB_BOARD,
    "stepstone": Source.JOB_BOARD,
    "employee referral": Source.REFERRAL,
    "referred": Source.REFERRAL,
    "sourced": Source.DIRECT_SOURCING,
    "sourcing": Source.DIRECT_SOURCING,
    "prospect": Source.DIRECT_SOURCING,
    "recruitment agency": Source.AGENCY,
    "third party": Source.AGENCY,
    "internal applicant": Source.INTERNAL,
    "internal mobility": Source.INTERNAL,
    "employee": Source.INTERNAL,
}
SENIORITY_SYNONYMS = {
    "exec": "executive",
    "c level": "executive",
    "vp": "director",
    "vice president": "director",
    "head of": "director",
    "senior": "senior_manager",
    "mid level": "professional",
    "individual contributor": "professional",
    "ic": "professional",
    "graduate": "entry",
    "junior": "entry",
    "entry": "entry",
    "intern": "entry",
}
REASON_SYNONYMS = {
    "new": Reason.NEW_ROLE,
    "new position": Reason.NEW_ROLE,
    "new headcount": Reason.NEW_ROLE,
    "growth": Reason.NEW_ROLE,
    "replacement": Reason.BACKFILL,
    "replace": Reason.BACKFILL,
}
PRIORITY_SYNONYMS = {
    "medium": Priority.NORMAL,
    "critical": Priority.URGENT,
    "p1": 1,
    "p2": 2,
    "p3": 3,
    "p4": 4,
}
# Requisition statuses as the systems word them; "filled" imports as open, and fills by itself
# when its accepted applications are imported.
REQUISITION_STATUS_SYNONYMS = {
    "draft": "draft",
    "pending approval": "draft",
    "pending": "draft",
    "open": "open",
    "approved": "open",
    "active": "open",
    "published": "open",
    "posted": "open",
    "filled": "open",
    "on hold": "on_hold",
    "hold": "on_hold",
    "paused": "on_hold",
    "frozen": "on_hold",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "closed": "cancelled",
}


def choice_lookup(choices: list[tuple[Any, Any]], extra: Mapping[str, Any]) -> dict[str, Any]:
    """normalised value or label -> stored value."""
    table: dict[str, Any] = {}
    for value, label in choices:
        table[normalise(str(value))] = value
        table[normalise(str(label))] = value
    table.update({normalise(k): v for k, v in extra.items()})
    return table


STAGES = choice_lookup(list(Stage.choices), STAGE_SYNONYMS)
SOURCES = choice_lookup(list(Source.choices), SOURCE_SYNONYMS)
HM_SENIORITIES = choice_lookup(list(Seniority.choices), {"exec": "executive", "vp": "director"})
REQ_SENIORITIES = choice_lookup(list(RequisitionSeniority.choices), SENIORITY_SYNONYMS)
REASONS = choice_lookup(list(Reason.choices), REASON_SYNONYMS)
PRIORITIES = choice_lookup(list(Priority.choices), PRIORITY_SYNONYMS)
REQUISITION_STATUSES = choice_lookup([], REQUISITION_STATUS_SYNONYMS)
