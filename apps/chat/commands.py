"""The client → server commands of the chat socket (docs/chat-protocol.md): each one checks
its frame's fields and calls one service or selector. ``ChatConsumer`` dispatches here and
turns a ``ChatError`` into an error frame."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from channels.db import database_sync_to_async

from apps.chat import events
from apps.chat import presence
from apps.chat import selectors
from apps.chat import services
from apps.chat.exceptions import ChatError
from apps.chat.progress import position_validate

if TYPE_CHECKING:
    from apps.chat.consumers import ChatConsumer

TYPING_MIN_INTERVAL = 3.0


def in_db_pool(func: Any) -> Any:
    """Run ORM work in the loop's shared, bounded thread pool.

    Channels' default (thread_sensitive=True) gives every consumer its own thread, and every
    thread its own PostgreSQL connection: 2,000 sockets would want 2,000 connections. Each
    service call is self-contained (its own transaction), so a shared pool is safe.
    """
    return database_sync_to_async(func, thread_sensitive=False)


async def cmd_ping(conn: ChatConsumer, content: dict[str, Any]) -> None:
    await conn.presence_touch()
    await conn.send_json(events.frame("pong", room=conn.room_id, ts=content.get("ts")))


async def cmd_send(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    body = _field(content, "body", str)
    reply_to = _optional(content, "reply_to", int)
    spoiler = _optional(content, "spoiler", bool) or False
    client_id = _optional(content, "client_id", str) or ""
    kind = _optional(content, "kind", str) or "text"
    decision = await presence.rate_limit_take(user_id=conn.user.pk)
    if not decision.allowed:
        raise ChatError(
            "rate_limited",
            "You are sending messages too fast.",
            {"retry_after": round(decision.retry_after, 2), "client_id": client_id},
        )
    try:
        await in_db_pool(services.message_create)(
            room_id=conn.room_id,
            author=conn.user,
            body=body,
            reply_to_id=reply_to,
            spoiler=spoiler,
            client_id=client_id,
            kind=kind,
            # A progress-synced room stamps the message with where this socket's viewer is.
            position=conn.position if conn.gate is not None else None,
        )
    except ChatError as exc:
        exc.extra.setdefault("client_id", client_id)
        raise


async def cmd_edit(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.message_edit)(
        message_id=_field(content, "message_id", int), user=conn.user, body=_field(content, "body", str)
    )


async def cmd_delete(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.message_delete)(message_id=_field(content, "message_id", int), user=conn.user)


async def cmd_spoiler(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.message_spoiler_set)(
        message_id=_field(content, "message_id", int),
        user=conn.user,
        spoiler=_field(content, "spoiler", bool),
    )


async def cmd_react(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.reaction_toggle)(
        message_id=_field(content, "message_id", int), user=conn.user, emoji=_field(content, "emoji", str)
    )


async def cmd_read(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    seq = _field(content, "seq", int)
    unread = await in_db_pool(services.read_state_mark)(room_id=conn.room_id, user=conn.user, seq=seq)
    await conn.send_json(events.frame("read.updated", room=conn.room_id, seq=seq, unread=unread))


async def cmd_history(conn: ChatConsumer, content: dict[str, Any]) -> None:
    before = _field(content, "before_seq", int)
    # In a progress-synced room older pages hold nothing past the viewer's horizon either.
    horizon = conn.gate.horizon if conn.gate is not None else None
    messages, has_more = await in_db_pool(selectors.message_page_before)(
        room_id=conn.room_id, before_seq=before, horizon=horizon
    )
    await conn.send_json(
        events.frame("history", room=conn.room_id, before_seq=before, messages=messages, has_more=has_more)
    )


async def cmd_position(conn: ChatConsumer, content: dict[str, Any]) -> None:
    """Where the viewer is (progress-synced rooms). Checked against the title the socket loaded
    when it joined (a non-numeric, negative or past-the-end position gets its own error code);
    the socket releases what it has now reached at once, and the position is stored at most
    every few seconds (``ChatConsumer.position_save_soon``): a page following the party clock
    says where it is every 5 s, and 200 viewers' writes must not queue the room's messages."""
    _require_login(conn)
    if conn.gate is None or conn.room_id is None:
        raise ChatError("not_synced", "This room does not follow progress.")
    position = position_validate(
        title=conn.work, episode=content.get("episode"), position_s=content.get("position_s")
    )
    horizon = max(conn.gate.horizon, position)
    conn.viewer_moved(horizon, position)
    await conn.send_json(
        events.position_updated_frame(room_id=conn.room_id, position=position, horizon=horizon)
    )
    await conn.position_save_soon()


async def cmd_typing(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    now = time.monotonic()
    if now - conn.last_typing < TYPING_MIN_INTERVAL:
        return  # throttled: one indicator per user per 3 s is plenty
    conn.last_typing = now
    if conn.group is None or conn.room_id is None:
        return  # the socket is leaving
    await events.group_send(
        conn.channel_layer,
        conn.group,
        events.typing_layer_message(room_id=conn.room_id, user=events.user_ref(conn.user)),
    )


async def cmd_report(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    report = await in_db_pool(services.report_create)(
        message_id=_field(content, "message_id", int),
        reporter=conn.user,
        reason=_field(content, "reason", str),
    )
    await conn.send_json(events.frame("report.received", room=conn.room_id, report_id=report.pk))


async def cmd_mute(conn: ChatConsumer, content: dict[str, Any]) -> None:
    await _sanction(conn, content, "mute")


async def cmd_ban(conn: ChatConsumer, content: dict[str, Any]) -> None:
    await _sanction(conn, content, "ban")


async def cmd_kick(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.member_kick)(
        room_id=conn.room_id, by=conn.user, user_id=_field(content, "user_id", int)
    )


async def cmd_slow_mode(conn: ChatConsumer, content: dict[str, Any]) -> None:
    _require_login(conn)
    await in_db_pool(services.room_slow_mode_set)(
        room_id=conn.room_id, by=conn.user, seconds=_field(content, "seconds", int)
    )


async def _sanction(conn: ChatConsumer, content: dict[str, Any], kind: str) -> None:
    _require_login(conn)
    await in_db_pool(services.sanction_apply)(
        room_id=conn.room_id,
        by=conn.user,
        user_id=_field(content, "user_id", int),
        kind=kind,
        seconds=_optional(content, "seconds", int),
        reason=_optional(content, "reason", str) or "",
    )


def _require_login(conn: ChatConsumer) -> None:
    if not conn.user.is_authenticated:
        raise ChatError("login_required", "Log in to chat.")


def _field(content: dict[str, Any], name: str, kind: type) -> Any:
    value = content.get(name)
    # bool is an int subclass; never accept True as a message id.
    if value is None or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ChatError("missing_field", f"Field {name!r} is required ({kind.__name__}).", {"field": name})
    return value


def _optional(content: dict[str, Any], name: str, kind: type) -> Any:
    if content.get(name) is None:
        return None
    return _field(content, name, kind)


COMMANDS: dict[str, Callable[[ChatConsumer, dict[str, Any]], Awaitable[None]]] = {
    "ping": cmd_ping,
    "message.send": cmd_send,
    "message.edit": cmd_edit,
    "message.delete": cmd_delete,
    "message.spoiler": cmd_spoiler,
    "reaction.toggle": cmd_react,
    "read": cmd_read,
    "history": cmd_history,
    "typing": cmd_typing,
    "position.set": cmd_position,
    "report": cmd_report,
    "mod.mute": cmd_mute,
    "mod.ban": cmd_ban,
    "mod.kick": cmd_kick,
    "mod.slow_mode": cmd_slow_mode,
}
