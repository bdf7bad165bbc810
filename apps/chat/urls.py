from __future__ import annotations

from django.urls import path

from apps.chat import views

app_name = "chat"
urlpatterns = [
    path("", views.room_list, name="room_list"),
    path("rooms/new/", views.room_create_view, name="room_create"),
    path("rooms/<int:room_id>/", views.room_detail, name="room"),
    path("titles/<int:title_id>/", views.title_room, name="title_room"),
    path("rooms/<int:room_id>/moderation/", views.room_moderation, name="room_moderation"),
    path("rooms/<int:room_id>/moderation/do/", views.room_moderation_action, name="room_moderation_action"),
    path("health/", views.health, name="health"),
]
