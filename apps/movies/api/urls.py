from __future__ import annotations

from django.urls import URLPattern

app_name = "movies-api"
urlpatterns: list[URLPattern] = []
