from django.urls import path

from . import views

app_name = "changeplans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_id>/assessments/", views.assessment_create, name="assessment-create"),
    path("<int:plan_id>/groups/", views.group_create, name="group-create"),
    path(
        "<int:plan_id>/communications/",
        views.communication_create,
        name="communication-create",
    ),
    path(
        "<int:plan_id>/communications/<int:communication_id>/status/",
        views.communication_status,
        name="communication-status",
    ),
]
