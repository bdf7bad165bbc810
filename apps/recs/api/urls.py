from __future__ import annotations

from django.urls import path

from apps.recs.api import views

app_name = "recs-api"
urlpatterns = [
    path("events/", views.EventBatchCreateApi.as_view(), name="events"),
    path("recs/for-me/", views.RecsForMeApi.as_view(), name="for-me"),
    path("recs/home/", views.RecsHomeRowsApi.as_view(), name="home"),
    path("recs/trending/", views.RecsTrendingApi.as_view(), name="trending"),
    path("recs/titles/<int:title_id>/similar/", views.RecsSimilarTitlesApi.as_view(), name="similar"),
    path("recs/taste-match/<int:user_id>/", views.RecsTasteMatchApi.as_view(), name="taste-match"),
]
