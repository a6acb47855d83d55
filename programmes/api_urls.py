from django.urls import path

from . import api

urlpatterns = [
    path("programmes/", api.ProgrammeListCreate.as_view(), name="api-programmes"),
    path("programmes/<int:programme_id>/", api.ProgrammeDetail.as_view(), name="api-programme"),
]
