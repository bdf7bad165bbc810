"""Per-user notification stream: recommendations, friend requests, guestbook entries, @mentions;
and, for staff, reported chat messages. Group names and layer types: config/realtime.py."""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation
from redis.exceptions import RedisError

from apps.social.notification_text import notification_text
from apps.social.notification_text import scope_language
from config import realtime

logger = logging.getLogger(__name__)

# Close code a client reads as "signed out: do not reconnect".
CLOSE_UNAUTHENTICATED = 4401


@database_sync_to_async
def _unread_count(user_id: int) -> int:
    from apps.social.models import Notification

    return Notification.objects.filter(user_id=user_id, is_read=False).count()


class NotificationConsumer(realtime.LayerUnavailableMixin, AsyncJsonWebsocketConsumer):
    # -------------------------------------------------------------------------
    # Protocol handlers
    # -------------------------------------------------------------------------
    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        groups = [realtime.user_notify_group(user.pk)]
        if user.is_staff:
            groups.append(realtime.STAFF_NOTIFY_GROUP)
        await self.accept()
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except (RedisError, OSError):
            logger.warning("notifications connect: Redis unavailable", exc_info=True)
            await self.send_json(self.unavailable_frame())
            await self.close(code=realtime.CLOSE_UNAVAILABLE)
            return
        # What arrived while offline: the badge is right from the first frame.
        await self.send_json({"type": "unread", "unread": await _unread_count(user.pk)})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", ()):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except (RedisError, OSError):
                logger.info("notifications disconnect: Redis unavailable")

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Read-only stream: marking read goes through the HTTP API.
        await self.send_json({"error": "read_only"})

    # -------------------------------------------------------------------------
    # Channel-layer handlers: one per type in realtime.NOTIFY_LAYER_TYPES
    # -------------------------------------------------------------------------
    async def notify_message(self, event: dict[str, Any]) -> None:
        """A stored notification (chat @mentions included), its text rendered in this socket's language."""
        frame = {k: v for k, v in event.items() if k != "type"} | {"type": "notification"}
        item = frame.get("notification")
        if isinstance(item, dict) and item.get("params"):
            with translation.override(scope_language(self.scope)):
                text = notification_text(
                    kind=item.get("kind", ""), params=item["params"], fallback=item["text"]
                )
            frame["notification"] = item | {"text": text}
        await self.send_json(frame)

    async def notify_chat_report(self, event: dict[str, Any]) -> None:
        """Staff only: a chat message was reported (``{v, type: "chat.report", room, …}``)."""
        await self.send_json(event["event"])
