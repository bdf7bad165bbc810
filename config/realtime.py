"""The real-time contract between apps: channel-layer group names and layer event types.

Chat and social both import these; nothing else spells a group name or a layer type. A
layer type ``a.b_c`` is handled by a consumer method ``a_b_c`` (Channels replaces dots),
and Channels raises (closing the socket) on a type without a handler, so every type a group
can receive is listed with its group below and ``tests/config/test_realtime_contract.py``
checks each has its handler.

Group names: letters, digits, hyphens and periods only (a channels-redis rule).
"""

from __future__ import annotations

from typing import Final

# -----------------------------------------------------------------------------
# Groups
# -----------------------------------------------------------------------------


def chat_room_group(room_id: int) -> str:
    """Every process serving a socket of the room (its RoomHub, apps/chat/fanout.py)."""
    return f"chat.room.{room_id}"


def user_notify_group(user_id: int) -> str:
    """Every notification socket of one user (apps/social/consumers.py)."""
    return f"notify.user.{user_id}"


# Every notification socket of a staff user.
STAFF_NOTIFY_GROUP: Final = "notify.staff"

# -----------------------------------------------------------------------------
# Layer event types
# -----------------------------------------------------------------------------
# To a chat room group: a pre-encoded frame for every socket in the room.
CHAT_EVENT: Final = "chat.event"
# To a chat room group: a frame, and the sanctioned user's sockets close.
CHAT_SANCTION: Final = "chat.sanction"
# To a user's group: a stored Notification (apps.social), chat @mentions included.
NOTIFY_MESSAGE: Final = "notify.message"
# To the staff group: a chat message was reported.
NOTIFY_CHAT_REPORT: Final = "notify.chat_report"

# What notification groups may receive: NotificationConsumer has a handler for each. Room
# groups are read by one RoomHub per process, which hands every event to
# ChatConsumer.deliver (no per-type handlers).
NOTIFY_LAYER_TYPES: Final = (NOTIFY_MESSAGE, NOTIFY_CHAT_REPORT)


def handler_name(layer_type: str) -> str:
    """The consumer method Channels calls for ``layer_type``."""
    return layer_type.replace(".", "_")
