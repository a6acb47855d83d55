from django.urls import path

from . import api

P = "programmes/<int:programme_id>/"

urlpatterns = [
    path("programmes/", api.ProgrammeListCreate.as_view(), name="api-programmes"),
    path(P, api.ProgrammeDetail.as_view(), name="api-programme"),
    path(P + "checklist/", api.ChecklistListCreate.as_view(), name="api-checklist"),
    path(P + "checklist/<int:item_id>/", api.ChecklistDetail.as_view(), name="api-checklist-item"),
    path(P + "go-live/", api.GoLiveState.as_view(), name="api-go-live"),
    path(P + "go-live/sign/", api.GoLiveSign.as_view(), name="api-go-live-sign"),
    path(P + "objectives/", api.ObjectiveListCreate.as_view(), name="api-objectives"),
    path(P + "objectives/<int:objective_id>/", api.ObjectiveDetail.as_view(), name="api-objective"),
    path(P + "metrics/", api.AgreedMetricListCreate.as_view(), name="api-agreed-metrics"),
    path(
        P + "metrics/<int:metric_id>/", api.AgreedMetricDetail.as_view(), name="api-agreed-metric"
    ),
    path("risks/", api.RiskListCreate.as_view(), name="api-risks"),
    path("risks/<int:risk_id>/", api.RiskDetail.as_view(), name="api-risk"),
    path(
        "risks/<int:risk_id>/improvement/",
        api.RiskToImprovement.as_view(),
        name="api-risk-improvement",
    ),
    path("improvements/", api.ImprovementListCreate.as_view(), name="api-improvements"),
    path(
        "improvements/<int:improvement_id>/",
        api.ImprovementDetail.as_view(),
        name="api-improvement",
    ),
]
