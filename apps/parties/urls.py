"""Watch party pages: /parties/…"""

from __future__ import annotations

from django.urls import path

from apps.parties import views

app_name = "parties"
urlpatterns = [
    path("parties/", views.my_parties, name="mine"),
    path("parties/new/", views.party_new, name="new"),
    path("parties/<int:party_id>/", views.party_detail, name="detail"),
    path("parties/<int:party_id>/timeline/", views.party_timeline_page, name="timeline"),
    path("parties/<int:party_id>/rsvp/", views.party_rsvp_view, name="rsvp"),
    path("parties/<int:party_id>/invite/", views.party_invite_view, name="invite"),
    path("parties/<int:party_id>/position/", views.party_position_view, name="position"),
    path("parties/<int:party_id>/clock/", views.party_clock_view, name="clock"),
    path("parties/<int:party_id>/end/", views.party_end_view, name="end"),
]
