"""The REST API: each app mounts its own ``api/urls.py`` here."""

from __future__ import annotations

from django.urls import include
from django.urls import path

from apps.movies.search.urls import api_urlpatterns as search_api_urlpatterns

urlpatterns = [
    path("", include("apps.movies.api.urls")),
    path("", include(search_api_urlpatterns)),
    path("social/", include("apps.social.api.urls")),
    path("", include("apps.chat.api.urls")),
    path("", include("apps.recs.api.urls")),
    path("lists/", include("apps.lists.api.urls")),
    path("parties/", include("apps.parties.api.urls")),
    path("", include("apps.imports.api.urls")),
]
