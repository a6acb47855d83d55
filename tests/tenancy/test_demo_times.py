"""Every moment the demo stores, Django's stamps included, is in working hours of its
organisation's time zone, whatever the hour it is seeded at."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import DateTimeField

from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.demo import DEMO_ORGANISATIONS
from rpo_portal.tenancy.models import Organisation, TenantOwned
from rpo_portal.tenancy.working_hours import is_working_moment

pytestmark = pytest.mark.django_db


def test_every_stored_moment_of_the_demo_is_in_working_hours():
    call_command("seed_demo", stdout=io.StringIO())
    checked, outside = 0, []
    for slug, *_rest in DEMO_ORGANISATIONS:
        with tenant_context(Organisation.objects.get(slug=slug)):
            for model in apps.get_models():
                if not issubclass(model, TenantOwned):
                    continue
                fields = [
                    f.name for f in model._meta.concrete_fields if isinstance(f, DateTimeField)
                ]
                for row in model.objects.values("pk", *fields) if fields else []:
                    for name in fields:
                        if row[name] is not None:
                            checked += 1
                            if not is_working_moment(row[name]):
                                outside.append(f"{slug} {model._meta.label} {row['pk']}.{name}")
    assert checked > 500
    assert outside == []
