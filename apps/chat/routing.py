"""WebSocket URL patterns, mounted by config/asgi.py."""

from __future__ import annotations

from django.urls import URLPattern
from django.urls import path

from apps.chat.consumers import ChatConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/rooms/<int:room_id>/", ChatConsumer.as_asgi()),
    # A title's room, created on first connect: the title page panel needs only the title id.
    path("ws/chat/titles/<int:title_id>/", ChatConsumer.as_asgi()),
]
