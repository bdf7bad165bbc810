"""Search URLs: the results page (mounted at /) and the APIs (mounted at /api/)."""

from __future__ import annotations

from django.urls import path

from apps.movies.search import views as search_views

app_name = "search"
urlpatterns = [
    path("search/", search_views.search_page, name="page"),
]

api_urlpatterns = (
    [
        path("search/", search_views.TitleSearchApi.as_view(), name="search"),
        path("search/suggest/", search_views.TitleSuggestApi.as_view(), name="suggest"),
    ],
    "search-api",
)
