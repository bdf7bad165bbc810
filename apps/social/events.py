"""Per-user notification events sent to the channel layer after commit."""

from __future__ import annotations

from typing import Any
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def notify_group_name(user_id: int) -> str:
    # Shared with chat (@mentions): letters, digits and periods only.
    return f"notify.user.{user_id}"


class NotificationPayload(TypedDict):
    id: int
    kind: str
    text: str
    params: dict[str, Any]
    url: str
    created_at: str


class NotificationCreateEvent(TypedDict):
    type: str  # "notify.message"
    notification: NotificationPayload
    unread: int


def notification_broadcast(*, user_id: int, event: NotificationCreateEvent) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(notify_group_name(user_id), event)
