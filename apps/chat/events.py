"""Server → client events: typed payloads and the channel-layer sends that carry them.

Every event a client sees is ``{"v": PROTOCOL_VERSION, "type": ..., "room": id, ...}``
(docs/chat-protocol.md). The JSON text is built once here and forwarded as-is by every
consumer in the group, so a fan-out to N sockets serialises once, not N times.

Only group sends are used, never ``channel_layer.send()``: with several Redis hosts
channels-redis loses direct sends (channels_redis#221); per-user groups avoid that.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from redis.exceptions import RedisError

from config import realtime

if TYPE_CHECKING:
    from apps.chat.models import Message
    from apps.chat.models import Room
    from apps.chat.selectors import RoomAccess
    from apps.chat.selectors import RoomHistory

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 1


class UserRef(TypedDict):
    id: int
    name: str


class MessagePayload(TypedDict):
    id: int
    seq: int
    author: UserRef | None
    body: str
    reply_to: dict[str, Any] | None
    spoiler: bool
    mentions: list[int]
    reactions: list[dict[str, Any]]
    client_id: str
    created_at: str
    edited: bool
    deleted: bool
    kind: str  # text | reaction (an emoji on the title's timeline)
    position: list[int] | None  # [episode, second] in progress-synced rooms


class MessageCreatedEvent(TypedDict):
    v: int
    type: Literal["message.created"]
    room: int
    message: MessagePayload


class MessageUpdatedEvent(TypedDict):
    v: int
    type: Literal["message.updated"]  # edit, delete, spoiler flag
    room: int
    message: MessagePayload


class ReactionUpdatedEvent(TypedDict):
    v: int
    type: Literal["reaction.updated"]
    room: int
    message_id: int
    reactions: list[dict[str, Any]]


class PresenceEvent(TypedDict):
    v: int
    type: Literal["presence"]
    room: int
    count: int
    users: list[UserRef]
    ts: float  # snapshot time; clients ignore a presence older than the one they show


class TypingEvent(TypedDict):
    v: int
    type: Literal["typing"]
    room: int
    user: UserRef


class MemberSanctionedEvent(TypedDict):
    v: int
    type: Literal["member.sanctioned"]
    room: int
    user_id: int
    action: str  # mute | ban | kick | lift
    until: str | None


class RoomUpdatedEvent(TypedDict):
    v: int
    type: Literal["room.updated"]
    room: int
    slow_mode_seconds: int


class PositionUpdatedEvent(TypedDict):
    """To the viewer's own sockets: where they are now and the furthest they have reached."""

    v: int
    type: Literal["position.updated"]
    room: int
    position: list[int]
    horizon: list[int]


class HelloRoom(TypedDict):
    name: str
    owner_id: int | None
    kind: str
    title_id: int | None
    visibility: str
    slow_mode_seconds: int
    last_seq: int
    progress_sync: bool


class HelloYou(TypedDict):
    id: int | None
    name: str | None
    role: str | None
    can_post: bool
    can_moderate: bool
    muted_until: str | None
    watched: bool
    reason: str
    position: list[int] | None  # progress-synced rooms: where you are, and how far you got
    horizon: list[int] | None


class HelloPresence(TypedDict):
    count: int
    users: list[UserRef]
    ts: float


class HelloEvent(TypedDict):
    """The first frame on a socket: the room, what the user may do, history and presence."""

    v: int
    type: Literal["hello"]
    room: int
    room_info: HelloRoom
    you: HelloYou
    messages: list[MessagePayload]
    has_more: bool
    reset: bool
    resumed_from: int | None
    presence: HelloPresence
    heartbeat_s: int


def user_ref(user: Any) -> UserRef:
    return {"id": user.pk, "name": user.display_name}


def message_payload(
    message: Message, *, mention_ids: list[int] | None = None, reactions: list[Any] | None = None
) -> MessagePayload:
    """Serialise a message for clients; expects author/reply_to selected and reactions prefetched
    (or ``mention_ids``/``reactions`` given, as for a message just created)."""
    deleted = message.deleted_at is not None
    if mention_ids is None:
        mention_ids = [user.pk for user in message.mentions.all()]
    if reactions is None:
        reactions = list(message.reactions.all())
    reply = message.reply_to
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": user_ref(message.author) if message.author_id else None,
        # A deleted message keeps its seq (no gaps) but loses its text.
        "body": "" if deleted else message.body,
        "reply_to": (
            {
                "id": reply.pk,
                "seq": reply.seq,
                "excerpt": "" if reply.deleted_at else reply.body[:80],
                "spoiler": reply.is_spoiler or "||" in reply.body,
            }
            if reply is not None
            else None
        ),
        "spoiler": message.is_spoiler,
        "mentions": mention_ids,
        "reactions": [] if deleted else reaction_summary(reactions),
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": deleted,
        "kind": message.kind,
        "position": [message.episode or 0, message.position_s] if message.position_s is not None else None,
    }


def reaction_summary(reactions: list[Any]) -> list[dict[str, Any]]:
    summary: dict[str, list[int]] = {}
    for reaction in sorted(reactions, key=lambda r: (r.created_at, r.pk)):
        summary.setdefault(reaction.emoji, []).append(reaction.user_id)
    return [{"emoji": emoji, "count": len(users), "user_ids": users[:50]} for emoji, users in summary.items()]


def frame(event_type: str, **fields: Any) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "type": event_type, **fields}


async def group_send(layer: Any, group: str, message: dict[str, Any]) -> None:
    """``group_send`` with one retry: after a Redis restart the first command on each pooled
    connection fails ("Connection closed by server") and the retry gets a fresh one.

    The message names its group: a process's RoomHub receives every room it serves on one
    channel and routes by it (apps/chat/fanout.py)."""
    message = {**message, "group": group}
    try:
        await layer.group_send(group, message)
    except (ConnectionError, OSError, RedisError):
        await layer.group_send(group, message)


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(group_send)(layer, group, message)
    except Exception:
        # The row is committed; clients recover it by seq (resume/gap fill). Log, don't fail.
        logger.exception("chat broadcast to %s failed", group)


def _room_event(
    event: Mapping[str, object], *, seq: int | None = None, position: list[int] | None = None
) -> dict[str, Any]:
    layer_message: dict[str, Any] = {
        "type": realtime.CHAT_EVENT,
        "text": json.dumps(event, ensure_ascii=False),
    }
    if seq is not None:
        layer_message["seq"] = seq
    if position is not None:
        # Sockets of a progress-synced room hold the frame back until their viewer gets here.
        layer_message["position"] = position
    return layer_message


# -----------------------------------------------------------------------------
# The hello frame (sent by the consumer once it has joined)
# -----------------------------------------------------------------------------
def hello_event(
    *,
    access: RoomAccess,
    user: Any,
    history: RoomHistory,
    last_seq: int | None,
    online: list[int],
    users: list[UserRef],
    presence_ts: float,
    heartbeat_s: int,
    position: tuple[int, int] | None = None,
    horizon: tuple[int, int] | None = None,
) -> HelloEvent:
    room = access.room
    authenticated = bool(user.is_authenticated)
    return {
        "v": PROTOCOL_VERSION,
        "type": "hello",
        "room": room.pk,
        "room_info": {
            "name": room.name,
            "owner_id": room.owner_id,
            "kind": room.kind,
            "title_id": room.title_id,
            "visibility": room.visibility,
            "slow_mode_seconds": room.slow_mode_seconds,
            "last_seq": room.last_seq,
            "progress_sync": room.progress_sync,
        },
        "you": {
            "id": user.pk if authenticated else None,
            "name": user.display_name if authenticated else None,
            "role": access.role,
            "can_post": access.can_post,
            "can_moderate": access.can_moderate,
            "muted_until": access.muted_until.isoformat() if access.muted_until else None,
            "watched": access.watched,
            "reason": access.reason,
            "position": list(position) if position is not None else None,
            "horizon": list(horizon) if horizon is not None else None,
        },
        "messages": history.messages,
        "has_more": history.has_more,
        "reset": history.reset,
        "resumed_from": last_seq if not history.reset else None,
        "presence": {"count": len(online), "users": users, "ts": presence_ts},
        "heartbeat_s": heartbeat_s,
    }


def message_created_text(*, room_id: int, message: MessagePayload) -> str:
    """The JSON text of a ``message.created`` frame (gap fill re-sends missed messages)."""
    event: MessageCreatedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "message.created",
        "room": room_id,
        "message": message,
    }
    return json.dumps(event, ensure_ascii=False)


# -----------------------------------------------------------------------------
# Broadcasts (call from transaction.on_commit)
# -----------------------------------------------------------------------------
def message_created_broadcast(*, room: Room, message: Message, mention_ids: list[int]) -> None:
    payload = message_payload(message, mention_ids=mention_ids, reactions=[])
    event: MessageCreatedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "message.created",
        "room": room.pk,
        "message": payload,
    }
    _send(room.group_name, _room_event(event, seq=message.seq, position=payload["position"]))


def message_updated_broadcast(*, message: Message) -> None:
    payload = message_payload(message)
    event: MessageUpdatedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "message.updated",
        "room": message.room_id,
        "message": payload,
    }
    # An edit of a message a viewer has not reached is withheld with it: the text would spoil.
    _send(realtime.chat_room_group(message.room_id), _room_event(event, position=payload["position"]))


def reaction_updated_broadcast(*, message: Message, reactions: list[dict[str, Any]]) -> None:
    event: ReactionUpdatedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "reaction.updated",
        "room": message.room_id,
        "message_id": message.pk,
        "reactions": reactions,
    }
    position = [message.episode or 0, message.position_s] if message.position_s is not None else None
    _send(realtime.chat_room_group(message.room_id), _room_event(event, position=position))


def member_sanctioned_broadcast(*, room_id: int, user_id: int, action: str, until: str | None) -> None:
    event: MemberSanctionedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "member.sanctioned",
        "room": room_id,
        "user_id": user_id,
        "action": action,
        "until": until,
    }
    layer_message = _room_event(event)
    # Consumers of the sanctioned user act on these (close the socket, disable posting).
    layer_message.update({"type": realtime.CHAT_SANCTION, "user_id": user_id, "action": action})
    _send(realtime.chat_room_group(room_id), layer_message)


def position_updated_frame(
    *, room_id: int, position: tuple[int, int], horizon: tuple[int, int]
) -> PositionUpdatedEvent:
    return {
        "v": PROTOCOL_VERSION,
        "type": "position.updated",
        "room": room_id,
        "position": list(position),
        "horizon": list(horizon),
    }


def position_updated_broadcast(
    *, room_id: int, user_id: int, position: tuple[int, int], horizon: tuple[int, int]
) -> None:
    """The viewer's sockets (every tab, every process) move their horizon and release what
    it reaches; the frame tells each tab's page where the viewer now is."""
    event = position_updated_frame(room_id=room_id, position=position, horizon=horizon)
    layer_message = _room_event(event)
    layer_message.update({"type": realtime.CHAT_POSITION, "user_id": user_id, "horizon": list(horizon)})
    _send(realtime.chat_room_group(room_id), layer_message)


def room_updated_broadcast(*, room: Room) -> None:
    event: RoomUpdatedEvent = {
        "v": PROTOCOL_VERSION,
        "type": "room.updated",
        "room": room.pk,
        "slow_mode_seconds": room.slow_mode_seconds,
    }
    _send(room.group_name, _room_event(event))


def report_notify_staff(*, report_id: int, room_id: int, message_id: int) -> None:
    _send(
        realtime.STAFF_NOTIFY_GROUP,
        {
            "type": realtime.NOTIFY_CHAT_REPORT,
            "event": frame("chat.report", room=room_id, report_id=report_id, message_id=message_id),
        },
    )


# -----------------------------------------------------------------------------
# Ephemeral events (consumers send these directly; nothing to persist)
# -----------------------------------------------------------------------------
def presence_layer_message(*, room_id: int, count: int, users: list[UserRef], ts: float) -> dict[str, Any]:
    event: PresenceEvent = {
        "v": PROTOCOL_VERSION,
        "type": "presence",
        "room": room_id,
        "count": count,
        "users": users,
        "ts": ts,
    }
    return _room_event(event)


def typing_layer_message(*, room_id: int, user: UserRef) -> dict[str, Any]:
    event: TypingEvent = {"v": PROTOCOL_VERSION, "type": "typing", "room": room_id, "user": user}
    layer_message = _room_event(event)
    layer_message["from_user"] = user["id"]
    return layer_message
