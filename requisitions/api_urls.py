from django.urls import path

from . import api
from .imports import api as import_api

urlpatterns = [
    path("hiring-managers/", api.HiringManagerListCreate.as_view(), name="api-hiring-managers"),
    path(
        "hiring-managers/<int:hiring_manager_id>/",
        api.HiringManagerDetail.as_view(),
        name="api-hiring-manager",
    ),
    path("requisitions/", api.RequisitionListCreate.as_view(), name="api-requisitions"),
    path(
        "requisitions/<int:requisition_id>/",
        api.RequisitionDetail.as_view(),
        name="api-requisition",
    ),
    path(
        "requisitions/<int:requisition_id>/status/",
        api.RequisitionStatusView.as_view(),
        name="api-requisition-status",
    ),
    path(
        "requisitions/<int:requisition_id>/kickoff/",
        api.KickOffDetail.as_view(),
        name="api-requisition-kickoff",
    ),
    path(
        "requisitions/<int:requisition_id>/timeline/",
        api.RequisitionTimeline.as_view(),
        name="api-requisition-timeline",
    ),
    path("candidates/", api.CandidateListCreate.as_view(), name="api-candidates"),
    path("candidates/<int:candidate_id>/", api.CandidateDetail.as_view(), name="api-candidate"),
    path("applications/", api.ApplicationListCreate.as_view(), name="api-applications"),
    path(
        "applications/<int:application_id>/",
        api.ApplicationDetail.as_view(),
        name="api-application",
    ),
    path(
        "applications/<int:application_id>/move/",
        api.ApplicationMove.as_view(),
        name="api-application-move",
    ),
    path("imports/", import_api.ImportListCreate.as_view(), name="api-imports"),
    path("imports/<int:import_id>/", import_api.ImportDetail.as_view(), name="api-import"),
    path(
        "imports/<int:import_id>/report/",
        import_api.ImportReport.as_view(),
        name="api-import-report",
    ),
]
