"""Per-user notification events sent to the channel layer after commit."""

from __future__ import annotations

from typing import Any
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from config import realtime
from config.redis_client import redis_fallback


class NotificationPayload(TypedDict):
    id: int
    kind: str
    text: str
    params: dict[str, Any]
    url: str
    created_at: str


class NotificationCreateEvent(TypedDict):
    type: str  # realtime.NOTIFY_MESSAGE
    notification: NotificationPayload
    unread: int


def notification_broadcast(*, user_id: int, event: NotificationCreateEvent) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # After commit: the notification is stored; a Redis outage only delays it to the next page.
    with redis_fallback("social.notification_broadcast"):
        async_to_sync(layer.group_send)(realtime.user_notify_group(user_id), event)
