from __future__ import annotations

from django.urls import path

from apps.imports.api import views

app_name = "imports-api"
urlpatterns = [
    path("imports/<int:batch_id>/", views.ImportBatchDetailApi.as_view(), name="detail"),
]
