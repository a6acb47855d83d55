from django.urls import path

from . import api

PLAN = "change-plans/<int:plan_id>/"

urlpatterns = [
    path("change-plans/", api.ChangePlanListCreate.as_view(), name="api-change-plans"),
    path(PLAN, api.ChangePlanDetail.as_view(), name="api-change-plan"),
    path(f"{PLAN}groups/", api.GroupListCreate.as_view(), name="api-change-plan-groups"),
    path(
        f"{PLAN}groups/<int:group_id>/",
        api.GroupDetail.as_view(),
        name="api-change-plan-group",
    ),
    path(
        f"{PLAN}assessments/",
        api.AssessmentListCreate.as_view(),
        name="api-change-plan-assessments",
    ),
    path(
        f"{PLAN}communications/",
        api.CommunicationListCreate.as_view(),
        name="api-change-plan-communications",
    ),
    path(
        f"{PLAN}communications/<int:communication_id>/",
        api.CommunicationDetail.as_view(),
        name="api-change-plan-communication",
    ),
]
