"""Watch party API routes, mounted under /api/parties/ by config/api.py."""

from __future__ import annotations

from django.urls import path

from apps.parties.api import views

app_name = "parties-api"
urlpatterns = [
    path("mine/", views.PartyMineApi.as_view(), name="mine"),
    path("create/", views.PartyCreateApi.as_view(), name="create"),
    path("<int:party_id>/", views.PartyDetailApi.as_view(), name="detail"),
    path("<int:party_id>/rsvp/", views.PartyRsvpApi.as_view(), name="rsvp"),
    path("<int:party_id>/invitations/", views.PartyInviteApi.as_view(), name="invite"),
    path("<int:party_id>/position/", views.PartyPositionApi.as_view(), name="position"),
    path("<int:party_id>/clock/", views.PartyClockApi.as_view(), name="clock"),
    path("<int:party_id>/end/", views.PartyEndApi.as_view(), name="end"),
]
