"""The real-time contract between apps: channel-layer group names and layer event types.

Chat and social both import these; nothing else spells a group name or a layer type. A
layer type ``a.b_c`` is handled by a consumer method ``a_b_c`` (Channels replaces dots),
and Channels raises (closing the socket) on a type without a handler, so every type a group
can receive is listed with its group below and ``tests/config/test_realtime_contract.py``
checks each has its handler.

Group names: letters, digits, hyphens and periods only (a channels-redis rule).
"""

from __future__ import annotations

import json
from typing import Any
from typing import Final

from config.redis_client import REDIS_ERRORS
from config.redis_client import fallback_record

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
# To a chat room group: one viewer moved in a progress-synced room; only their sockets
# take the frame (and release what they have now reached).
CHAT_POSITION: Final = "chat.position"
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


# -----------------------------------------------------------------------------
# When the channel layer (Redis) is unreachable
# -----------------------------------------------------------------------------
# Close code for "server restarting / Redis unavailable: reconnect with backoff".
CLOSE_UNAVAILABLE: Final = 1012


class LayerUnavailableMixin:
    """Put first in a consumer's bases: a channel-layer failure becomes the documented
    ``unavailable`` error frame and close 1012 (docs/chat-protocol.md), never an HTTP 500
    handshake or a dropped socket.

    channels-redis's pub/sub layer subscribes in ``new_channel()``, which Channels calls
    before the consumer sees ``websocket.connect``; so this wraps the whole ASGI call.
    """

    def unavailable_frame(self) -> dict[str, Any]:
        return {"type": "error", "code": "unavailable", "message": "Reconnecting…"}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        state = {"connect": False, "accept": False, "close": False}

        async def tracked_receive() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "websocket.connect":
                state["connect"] = True
            return message

        async def tracked_send(message: dict[str, Any]) -> None:
            kind = message["type"].removeprefix("websocket.")
            if kind in state:
                state[kind] = True
            await send(message)

        try:
            await super().__call__(scope, tracked_receive, tracked_send)  # type: ignore[misc]
        except REDIS_ERRORS as error:
            fallback_record("channel_layer", error)
            if state["close"]:
                return
            if not state["accept"]:
                if not state["connect"]:
                    await receive()  # the websocket.connect the consumer never got to read
                await send({"type": "websocket.accept"})
            await send({"type": "websocket.send", "text": json.dumps(self.unavailable_frame())})
            await send({"type": "websocket.close", "code": CLOSE_UNAVAILABLE})
