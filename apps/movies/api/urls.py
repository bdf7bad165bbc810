from __future__ import annotations

from django.urls import path

from apps.movies.api import views

app_name = "movies-api"
urlpatterns = [
    path("titles/", views.TitleListApi.as_view(), name="title-list"),
    path("titles/<int:title_id>/", views.TitleDetailApi.as_view(), name="title-detail"),
    path("genres/", views.GenreListApi.as_view(), name="genre-list"),
    path("providers/", views.ProviderListApi.as_view(), name="provider-list"),
]
