from django.urls import path

from . import views

app_name = "programmes"

P = "<int:programme_id>/"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path(P, views.programme_detail, name="detail"),
    path(P + "edit/", views.programme_edit, name="edit"),
    path(P + "checklist/", views.checklist, name="checklist"),
    path(
        P + "checklist/<int:item_id>/status/", views.checklist_item_status, name="checklist_status"
    ),
    path(
        P + "checklist/<int:item_id>/delete/", views.checklist_item_delete, name="checklist_delete"
    ),
    path(P + "go-live/", views.go_live, name="go_live"),
    path(P + "go-live/sign/", views.go_live_sign, name="go_live_sign"),
    path(P + "metrics/", views.metrics, name="metrics"),
    path(P + "metrics/<int:metric_id>/", views.metric_change, name="metric_change"),
    path(P + "metrics/<int:metric_id>/remove/", views.metric_remove, name="metric_remove"),
    path(P + "objectives/", views.objective_create, name="objective_create"),
    path(
        P + "objectives/<int:objective_id>/status/", views.objective_status, name="objective_status"
    ),
    path(P + "risks/", views.risk_log, name="risks"),
    path(P + "risks/export/", views.risk_export, name="risk_export"),
    path(P + "risks/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path(
        P + "risks/<int:risk_id>/improvement/",
        views.risk_to_improvement,
        name="risk_to_improvement",
    ),
    path(P + "risks/<int:risk_id>/delete/", views.risk_delete, name="risk_delete"),
    path(P + "improvements/", views.improvements, name="improvements"),
    path(P + "improvements/export/", views.improvement_export, name="improvement_export"),
    path(P + "improvements/<int:improvement_id>/", views.improvement_edit, name="improvement_edit"),
    path(
        P + "improvements/<int:improvement_id>/status/",
        views.improvement_status,
        name="improvement_status",
    ),
]
