"""Go-live checklist templates by delivery model (the guide's "technical build" list).

Each item: (section, title, description, owner side, blocks go-live, and the fact it follows
when it only restates one the product knows: see programmes/derived.py). The multi-country template
with technology deployment is the fullest; project and category engagements are lighter.
"""

from __future__ import annotations

from typing import NamedTuple


class TemplateItem(NamedTuple):
    section: str
    title: str
    description: str
    owner_side: str
    blocks_go_live: bool
    derived_from: str = ""


CORE: list[TemplateItem] = [
    TemplateItem(
        "technology",
        "Access: company email accounts for the RPO team",
        "Accounts created and tested for every recruiter on the programme.",
        "client",
        True,
    ),
    TemplateItem(
        "technology",
        "Access: intranet and document sites",
        "Intranet, SharePoint or document sites the recruiters need are reachable.",
        "client",
        False,
    ),
    TemplateItem(
        "technology",
        "Infosec: integration and due diligence agreed",
        "How integrated each system is; whether extra due diligence is needed.",
        "joint",
        True,
    ),
    TemplateItem(
        "technology",
        "Infosec: provider team training completed",
        "Security, data-protection and policy training the client requires.",
        "rpo",
        True,
    ),
    TemplateItem(
        "process",
        "Recruitment process mapped",
        "The end-to-end process written down, from requisition approval to day one.",
        "joint",
        True,
    ),
    TemplateItem(
        "process",
        "Hand-offs between the RPO and internal teams agreed",
        "Who does what at each hand-off, onboarding among them.",
        "joint",
        True,
    ),
    TemplateItem(
        "process",
        "Careers page and employer-review sites: owner named",
        "Who keeps the careers page and Glassdoor-style review sites current.",
        "client",
        False,
    ),
    TemplateItem(
        "timeline",
        "Go-live definition agreed",
        "Both sides agree what go-live means (default: the RPO takes full responsibility "
        "for the end-to-end hiring process).",
        "joint",
        True,
    ),
    TemplateItem(
        "timeline",
        "Before go-live vs on the move: split agreed",
        "What must be done before go-live and what can be done after it.",
        "joint",
        False,
    ),
    TemplateItem(
        "early_metrics",
        "Three early metrics agreed",
        "The three key metrics that validate early-stage success, with baselines and targets.",
        "joint",
        True,
        "early_metrics_agreed",
    ),
    TemplateItem(
        "early_metrics",
        "Data capture for the early metrics set up",
        "The data behind each early metric is captured from day one.",
        "rpo",
        True,
    ),
]

CATEGORY_EXTRA: list[TemplateItem] = [
    TemplateItem(
        "process",
        "Documentation handed over",
        "Job templates, interview guides and policies for the category.",
        "client",
        False,
    ),
    TemplateItem(
        "process",
        "Assessment tools for the category confirmed",
        "Technical tests or assessments used for this category of roles.",
        "joint",
        False,
    ),
]

MULTI_COUNTRY_EXTRA: list[TemplateItem] = [
    TemplateItem(
        "technology",
        "Deploy: applicant tracking system configured",
        "The new ATS is configured, integrated and tested end to end.",
        "rpo",
        True,
    ),
    TemplateItem(
        "technology",
        "Deploy: assessment technology live",
        "Assessment platform contracted, configured and connected to the ATS.",
        "rpo",
        False,
    ),
    TemplateItem(
        "technology",
        "Infosec: data transfer between countries approved",
        "Legal basis and safeguards for moving candidate data across borders.",
        "client",
        True,
    ),
    TemplateItem(
        "process",
        "Country-specific process variations mapped",
        "Local rules (right to work, background checks, works councils) per country.",
        "joint",
        True,
    ),
    TemplateItem(
        "process",
        "Onboarding hand-off per country agreed",
        "Who owns onboarding in each country and when the RPO hands over.",
        "joint",
        True,
    ),
    TemplateItem(
        "timeline",
        "Country roll-out sequence agreed",
        "The order in which countries go live, with dates.",
        "joint",
        False,
    ),
]

TEMPLATES: dict[str, list[TemplateItem]] = {
    "project": CORE,
    "category": CORE + CATEGORY_EXTRA,
    "multi_country": CORE + CATEGORY_EXTRA + MULTI_COUNTRY_EXTRA,
}
