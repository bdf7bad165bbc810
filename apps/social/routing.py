"""WebSocket URL patterns of the social app, mounted by config/asgi.py."""

from __future__ import annotations

from django.urls import path

from apps.social.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
