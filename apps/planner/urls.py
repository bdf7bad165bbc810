from __future__ import annotations

from django.urls import path

from apps.planner import views

app_name = "planner"

urlpatterns = [
    path("me/planner/", views.planner_page, name="planner"),
]
