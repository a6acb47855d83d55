from django.urls import path

from . import views
from .exports import views as export_views
from .imports import views as import_views

app_name = "requisitions"

urlpatterns = [
    path("", views.requisition_list, name="list"),
    path("new/", views.requisition_create, name="create"),
    path("<int:requisition_id>/", views.requisition_detail, name="detail"),
    path("<int:requisition_id>/edit/", views.requisition_edit, name="edit"),
    path("<int:requisition_id>/status/", views.requisition_status, name="status"),
    path("<int:requisition_id>/kickoff/", views.kickoff_edit, name="kickoff"),
    path("<int:requisition_id>/kickoff/held/", views.kickoff_held, name="kickoff_held"),
    path("<int:requisition_id>/board/", views.board, name="board"),
    path("<int:requisition_id>/board/add/", views.application_add, name="application_add"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:application_id>/move/", views.application_move, name="move"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:candidate_id>/edit/", views.candidate_edit, name="candidate_edit"),
    path("hiring-managers/", views.hiring_manager_list, name="hiring_managers"),
    path("hiring-managers/new/", views.hiring_manager_create, name="hiring_manager_create"),
    path(
        "hiring-managers/<int:hiring_manager_id>/edit/",
        views.hiring_manager_edit,
        name="hiring_manager_edit",
    ),
    # Imports and exports
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:import_id>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/map/", import_views.import_map, name="import_map"),
    *[
        path(f"export/{slug}/", export_views.export_list, {"kind": kind}, name=f"export_{kind}")
        for slug, kind in (
            ("requisitions", "requisitions"),
            ("hiring-managers", "hiring_managers"),
            ("candidates", "candidates"),
            ("applications", "applications"),
        )
    ],
    path("exports/<int:export_id>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/download/", export_views.export_download, name="export_download"),
]
