from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from metrics import views as metrics_views
from rpo_portal.accounts.api import ObtainTokenView
from rpo_portal.health import healthz
from rpo_portal.tenancy import api as tenancy_api
from rpo_portal.tenancy import public_views as tenancy_public_views
from rpo_portal.tenancy import views as tenancy_views

org_ui: list[URLPattern | URLResolver] = [
    path("", metrics_views.dashboard, name="dashboard"),
    path("programmes/", include("programmes.urls")),
    path("change-plans/", include("changeplans.urls")),
    path("requisitions/", include("requisitions.urls")),
]

org_api: list[URLPattern | URLResolver] = [
    path("", tenancy_api.OrganisationDetailView.as_view(), name="api-organisation"),
    path("members/", tenancy_api.MemberList.as_view(), name="api-members"),
    path("", include("programmes.api_urls")),
    path("", include("changeplans.api_urls")),
    path("", include("requisitions.api_urls")),
]

urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("rpo_portal.accounts.urls")),
    path("admin/", admin.site.urls),
    path("orgs/<slug:org_slug>/", include(org_ui)),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/orgs/", tenancy_api.OrganisationListView.as_view(), name="api-organisations"),
    path("api/v1/orgs/<slug:org_slug>/", include(org_api)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("s/<str:link_token>/", tenancy_public_views.public_link, name="public-link"),
]
