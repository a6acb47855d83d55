"""The root URLconf plus probes that report what the database connection carries."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from rpo_portal.tenancy.context import current_organisation_id
from rpo_portal.urls import urlpatterns as root_patterns


def probe(request: HttpRequest, org_slug: str | None = None) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nullif(current_setting('app.tenant_id', true), ''), pg_backend_pid(), "
            "(SELECT count(*) FROM programmes_programme)"
        )
        setting, pid, programmes = cursor.fetchone()
    return JsonResponse(
        {
            "setting": setting,
            "pid": pid,
            "programmes": programmes,
            "organisation_id": current_organisation_id(),
        }
    )


def boom(request: HttpRequest, org_slug: str) -> JsonResponse:
    probe(request, org_slug)
    raise RuntimeError("the view failed after reading in its tenant")


urlpatterns = [
    path("probe/", probe),
    path("orgs/<slug:org_slug>/probe/", probe),
    path("orgs/<slug:org_slug>/boom/", boom),
    *root_patterns,
]
