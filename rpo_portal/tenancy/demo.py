"""The demo organisations and users. Each app adds its own demo rows in `<app>/demo.py`.

An app's `demo.seed(organisation, users)` runs inside `tenant_context(organisation)`, once
per demo organisation, in INSTALLED_APPS order (which follows the dependency direction). Every
seeder is idempotent.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db.models import DateTimeField

from rpo_portal.accounts.models import User

from .context import tenant_context
from .models import Organisation, Role, TenantOwned
from .services import membership_set, user_ensure
from .working_hours import is_working_moment, working_before

DEMO_ORGANISATIONS = [
    ("acme", "Acme Retail Group", "Europe/London", "#1f5fbf"),
    ("globex", "Globex Engineering", "Europe/Berlin", "#0f7a5a"),
]
DEMO_ROLES = [
    ("lead", Role.TALENT_LEAD, "Talent lead"),
    ("recruiter", Role.RECRUITER, "RPO recruiter"),
    ("viewer", Role.VIEWER, "Viewer"),
]
PROVIDER_ADMIN = "admin@provider.example"


def seed(*, password: str) -> list[tuple[str, str]]:
    """Create or refresh the demo; returns (email, description) of every login."""
    logins: list[tuple[str, str]] = []
    admin = user_ensure(email=PROVIDER_ADMIN, password=password, full_name="Provider Admin")
    if not admin.is_provider_admin:
        admin.is_provider_admin = True
        admin.save(update_fields=["is_provider_admin"])
    logins.append((PROVIDER_ADMIN, "provider admin: every organisation"))
    for slug, name, tz, colour in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "timezone": tz, "brand_colour": colour}
        )
        users: dict[str, User] = {}
        for local, role, label in DEMO_ROLES:
            email = f"{local}@{slug}.example"
            user = user_ensure(
                email=email, password=password, full_name=f"{name.split()[0]} {label}"
            )
            membership_set(organisation=organisation, user=user, role=role)
            users[role] = user
            logins.append((email, f"{label.lower()} at {name}"))
        for app in apps.get_app_configs():
            module_name = f"{app.name}.demo"
            if app.name.startswith("rpo_portal.") or find_spec(module_name) is None:
                continue
            with tenant_context(organisation):
                import_module(module_name).seed(organisation=organisation, users=users)
        with tenant_context(organisation):
            _into_working_hours()
    return logins


def _into_working_hours() -> None:
    """Every moment stored for the organisation in scope (including the ones Django stamps, such
    as `created_at`, at the hour the demo is seeded) moved back to a working moment of its time
    zone, so the demo reads like real work whenever it is seeded."""
    for model in apps.get_models():
        if not issubclass(model, TenantOwned) or model._meta.abstract:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, DateTimeField)]
        if not fields:
            continue
        for row in model.objects.values("pk", *fields):
            moved = {
                name: working_before(value)
                for name in fields
                if (value := row[name]) is not None and not is_working_moment(value)
            }
            if moved:
                model.objects.filter(pk=row["pk"]).update(**moved)
