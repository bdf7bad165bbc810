"""The REST API: each app mounts its own ``api/urls.py`` here."""

from __future__ import annotations

from django.urls import include
from django.urls import path

urlpatterns = [
    path("", include("apps.movies.api.urls")),
    path("", include("apps.recs.api.urls")),
]
