"""Per-user notification stream: recommendations, friend requests, guestbook entries, @mentions."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation

from apps.social.events import notify_group_name
from apps.social.notification_text import notification_text
from apps.social.notification_text import scope_language

# Close code a client reads as "signed out: do not reconnect".
CLOSE_UNAUTHENTICATED = 4401


@database_sync_to_async
def _unread_count(user_id: int) -> int:
    from apps.social.models import Notification

    return Notification.objects.filter(user_id=user_id, is_read=False).count()


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    # ---- protocol handlers -------------------------------------------------
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group_name = notify_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        # What arrived while offline: the badge is right from the first frame.
        await self.send_json({"type": "unread", "unread": await _unread_count(user.pk)})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Read-only stream: marking read goes through the HTTP API.
        await self.send_json({"error": "read_only"})

    # ---- channel-layer handlers --------------------------------------------
    async def notify_message(self, event: dict[str, Any]) -> None:
        """Forward social notifications, the text rendered in this socket's language."""
        frame = {k: v for k, v in event.items() if k != "type"} | {"type": "notification"}
        item = frame.get("notification")
        if isinstance(item, dict) and item.get("params"):
            with translation.override(scope_language(self.scope)):
                text = notification_text(
                    kind=item.get("kind", ""), params=item["params"], fallback=item["text"]
                )
            frame["notification"] = item | {"text": text}
        await self.send_json(frame)
