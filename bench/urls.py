"""The product's URLs plus the bare baseline views, which never ship in the product URLconf.

The bare views sit under /api/v1/orgs/<slug>/ so the same middleware (token, tenant, membership,
one transaction with SET LOCAL) runs for both sides; only what happens inside the view differs.
"""

from django.urls import path

from rpo_portal.urls import urlpatterns as product_urlpatterns

from . import raw_views

urlpatterns = [
    path(
        "api/v1/orgs/<slug:org_slug>/bench-raw/requisitions/",
        raw_views.raw_requisitions,
        name="bench-raw-requisitions",
    ),
    path(
        "api/v1/orgs/<slug:org_slug>/bench-raw/applications/",
        raw_views.raw_applications,
        name="bench-raw-applications",
    ),
    *product_urlpatterns,
]
