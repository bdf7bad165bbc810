"""The chat WebSocket endpoint. Thin: validates frames, calls services/selectors through
``database_sync_to_async`` and forwards channel-layer events. Protocol: docs/chat-protocol.md."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from apps.chat import events
from apps.chat import presence
from apps.chat import selectors
from apps.chat import services
from apps.chat.exceptions import ChatError
from apps.chat.fanout import SocketWriter
from apps.chat.fanout import room_hub
from config import bad_input
from config import realtime

logger = logging.getLogger(__name__)

# Close codes (docs/chat-protocol.md). 4xxx: do not reconnect blindly; 1011/1012: do.
CLOSE_KICKED = 4001
CLOSE_TOO_SLOW = 4009
CLOSE_FORBIDDEN = 4003
CLOSE_NOT_FOUND = 4004
CLOSE_FLOOD = 4008
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_RESTART = realtime.CLOSE_UNAVAILABLE

# Frames are small JSON commands; a 2,000-character message is < 8 KB of UTF-8.
MAX_FRAME_BYTES = 16 * 1024
MAX_OVERSIZE_FRAMES = 3
# Frame budget per socket: bursts of 30, then 10/s. Past that frames are dropped with one
# error frame; a client that keeps flooding (200 dropped) is closed.
FRAME_BURST = 30
FRAME_RATE = 10.0
FLOOD_CLOSE_AFTER = 200
TYPING_MIN_INTERVAL = 3.0
# How long an out-of-order message waits for the one before it before we fetch the gap.
# Overtaken messages arrive within milliseconds; a real loss waits this long, then one query
# per process (not per socket) fetches it.
GAP_WAIT_S = 1.0
PRESENCE_COALESCE_S = 0.5
# Frames queued for a socket that stopped reading. Past this the socket is closed; its
# client reconnects with last_seq and gets the rest from history.
MAX_OUTBOX_FRAMES = 1000

_pending_presence: dict[int, asyncio.Task[None]] = {}


def _db(func: Any) -> Any:
    """Run ORM work in the loop's shared, bounded thread pool.

    Channels' default (thread_sensitive=True) gives every consumer its own thread, and every
    thread its own PostgreSQL connection: 2,000 sockets would want 2,000 connections. Each
    service call is self-contained (its own transaction), so a shared pool is safe.
    """
    return database_sync_to_async(func, thread_sensitive=False)


class ChatConsumer(realtime.LayerUnavailableMixin, AsyncJsonWebsocketConsumer):
    # -------------------------------------------------------------------------
    # Protocol handlers
    # -------------------------------------------------------------------------
    closing = False

    def unavailable_frame(self) -> dict[str, Any]:
        return events.frame(
            "error", room=None, code="unavailable", message="Chat is restarting, reconnecting…"
        )

    async def connect(self) -> None:
        self.user = self.scope["user"]
        self.room_id: int | None = None
        self.group: str | None = None
        self.delivered_seq = 0
        self.buffer: dict[int, str] = {}
        self.gap_task: asyncio.Task[None] | None = None
        # Room events that arrive before the hello frame went out wait here.
        self.early_events: list[dict[str, Any]] | None = []
        self.writer = SocketWriter(
            self.base_send, max_queued=MAX_OUTBOX_FRAMES, on_overflow=self._close_too_slow
        )
        self.close_task: asyncio.Task[None] | None = None
        self.tokens = float(FRAME_BURST)
        self.tokens_at = time.monotonic()
        self.dropped = 0
        self.flood_warned = False
        self.oversize = 0
        self.last_typing = 0.0
        await self.accept()

        kwargs = self.scope["url_route"]["kwargs"]
        last_seq = _query_int(self.scope, "last_seq")
        state = await _db(services.room_join)(
            user=self.user,
            room_id=kwargs.get("room_id"),
            title_id=kwargs.get("title_id"),
            last_seq=None,
            load_messages=False,
        )
        if state is None:
            await self._fatal("not_found", "No such room.", CLOSE_NOT_FOUND)
            return
        room = state["room"]
        access = state["access"]
        if not access.can_read:
            message = "You are banned from this room." if access.banned else "This room is invite only."
            await self._fatal(access.reason, message, CLOSE_FORBIDDEN)
            return
        self.room_id = room.pk
        self.group = room.group_name
        try:
            # Join the room before reading history: nothing committed later can be missed.
            await room_hub(self.channel_layer).join(self.group, self)
            if self.user.is_authenticated:
                change = await presence.presence_touch(
                    room_id=room.pk, conn_id=self.channel_name, user_id=self.user.pk
                )
                if change.changed:
                    _schedule_presence(self.channel_layer, room.pk)
            online, presence_ts = await presence.presence_users(room_id=room.pk)
        except (RedisError, OSError):
            logger.warning("chat connect: Redis unavailable", exc_info=True)
            await self._fatal("unavailable", "Chat is restarting, reconnecting…", CLOSE_RESTART)
            return
        state = await _db(services.room_join)(user=self.user, room_id=room.pk, last_seq=last_seq)
        users = await _db(selectors.users_by_ids)(user_ids=online[:50])
        self.delivered_seq = state["delivered_seq"]
        await self.send_json(
            events.frame(
                "hello",
                room=room.pk,
                room_info={
                    "name": room.name,
                    "kind": room.kind,
                    "title_id": room.title_id,
                    "visibility": room.visibility,
                    "slow_mode_seconds": room.slow_mode_seconds,
                    "last_seq": room.last_seq,
                },
                you={
                    "id": self.user.pk if self.user.is_authenticated else None,
                    "name": self.user.display_name if self.user.is_authenticated else None,
                    "role": access.role,
                    "can_post": access.can_post,
                    "can_moderate": access.can_moderate,
                    "muted_until": access.muted_until.isoformat() if access.muted_until else None,
                    "watched": access.watched,
                    "reason": access.reason,
                },
                messages=state["messages"],
                has_more=state["has_more"],
                reset=state["reset"],
                resumed_from=last_seq if not state["reset"] else None,
                presence={"count": len(online), "users": users, "ts": presence_ts},
                heartbeat_s=presence.HEARTBEAT_INTERVAL,
            )
        )
        early, self.early_events = self.early_events, None
        for event in early or ():
            self.deliver(event)

    async def disconnect(self, code: int) -> None:
        if self.gap_task is not None:
            self.gap_task.cancel()
        if self.group is None or self.room_id is None:
            return
        group, self.group = self.group, None  # run once, whichever path gets here first
        self.writer.close()
        try:
            await room_hub(self.channel_layer).leave(group, self)
            if self.user.is_authenticated:
                change = await presence.presence_leave(room_id=self.room_id, conn_id=self.channel_name)
                if change.changed:
                    _schedule_presence(self.channel_layer, self.room_id)
        except (RedisError, OSError):
            # Presence entries expire by themselves (PRESENCE_TTL).
            logger.info("chat disconnect: Redis unavailable; presence will expire")

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        if self.closing:
            return  # the close is on its way: a later send would be an ASGI protocol error
        try:
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)
        except OSError:
            # The peer vanished while we were sending (uvicorn raises ClientDisconnected).
            # Channels would end the consumer without calling disconnect(): clean up here
            # so the group and presence forget this socket now, not at expiry.
            await self.disconnect(1006)
            raise StopConsumer from None

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is None or self.closing:
            return
        size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
        if size > MAX_FRAME_BYTES:
            self.oversize += 1
            if self.oversize >= MAX_OVERSIZE_FRAMES:
                await self._fatal("frame_too_large", "Too many oversized frames.", CLOSE_TOO_BIG)
                return
            await self._error("frame_too_large", f"Frames are limited to {MAX_FRAME_BYTES} bytes.")
            return
        if not self._take_frame_token():
            self.dropped += 1
            if self.dropped >= FLOOD_CLOSE_AFTER:
                await self._fatal("flood", "Too many frames.", CLOSE_FLOOD)
            elif not self.flood_warned:
                self.flood_warned = True
                await self._error(
                    "flood", "Too many frames; slow down.", retry_after=round(1 / FRAME_RATE, 2)
                )
            return
        self.flood_warned = False
        try:
            # The one gate for outside text (config/bad_input.py): nesting is bounded before
            # decoding, NUL and lone surrogates never reach a service or the database.
            content = bad_input.json_load(raw, where="frame", max_chars=MAX_FRAME_BYTES)
        except bad_input.BadInput as exc:
            if exc.reason in ("nul_byte", "lone_surrogate"):
                await self._error("bad_text", "Text must be valid Unicode without NUL characters.")
            else:
                await self._error("bad_json", "Frames must be JSON objects.")
            return
        if not isinstance(content, dict):
            await self._error("bad_json", "Frames must be JSON objects.")
            return
        try:
            await self.receive_json(content)
        except StopConsumer:
            raise
        except Exception:
            # Whatever a frame sets off, the sender gets the documented error and a close
            # it reconnects from (1011), not a dropped socket (1006).
            logger.exception("chat: a frame raised; closing with 1011")
            await self._fatal("server_error", "Something went wrong on our side.", CLOSE_SERVER_ERROR)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        if self.room_id is None:
            return
        kind = content.get("type")
        handler = _COMMANDS.get(kind) if isinstance(kind, str) else None
        ref = content.get("ref") if isinstance(content.get("ref"), (str, int)) else None
        if handler is None:
            await self._error("unknown_type", f"Unknown frame type: {str(kind)[:40]!r}.", ref=ref)
            return
        try:
            await handler(self, content)
        except ChatError as exc:
            await self._error(exc.code, exc.message, ref=ref, **exc.extra)
        except (RedisError, OSError):
            logger.warning("chat: Redis unavailable", exc_info=True)
            await self._fatal("unavailable", "Chat is restarting, reconnecting…", CLOSE_RESTART)

    # -------------------------------------------------------------------------
    # Command helpers
    # -------------------------------------------------------------------------
    async def cmd_ping(self, content: dict[str, Any]) -> None:
        if self.user.is_authenticated and self.room_id is not None:
            change = await presence.presence_touch(
                room_id=self.room_id, conn_id=self.channel_name, user_id=self.user.pk
            )
            if change.changed:
                _schedule_presence(self.channel_layer, self.room_id)
        await self.send_json(events.frame("pong", room=self.room_id, ts=content.get("ts")))

    async def cmd_send(self, content: dict[str, Any]) -> None:
        self._require_login()
        body = _field(content, "body", str)
        reply_to = _optional(content, "reply_to", int)
        spoiler = _optional(content, "spoiler", bool) or False
        client_id = _optional(content, "client_id", str) or ""
        decision = await presence.rate_limit_take(user_id=self.user.pk)
        if not decision.allowed:
            raise ChatError(
                "rate_limited",
                "You are sending messages too fast.",
                {"retry_after": round(decision.retry_after, 2), "client_id": client_id},
            )
        try:
            await _db(services.message_create)(
                room_id=self.room_id,
                author=self.user,
                body=body,
                reply_to_id=reply_to,
                spoiler=spoiler,
                client_id=client_id,
            )
        except ChatError as exc:
            exc.extra.setdefault("client_id", client_id)
            raise

    async def cmd_edit(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.message_edit)(
            message_id=_field(content, "message_id", int), user=self.user, body=_field(content, "body", str)
        )

    async def cmd_delete(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.message_delete)(message_id=_field(content, "message_id", int), user=self.user)

    async def cmd_spoiler(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.message_spoiler_set)(
            message_id=_field(content, "message_id", int),
            user=self.user,
            spoiler=_field(content, "spoiler", bool),
        )

    async def cmd_react(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.reaction_toggle)(
            message_id=_field(content, "message_id", int), user=self.user, emoji=_field(content, "emoji", str)
        )

    async def cmd_read(self, content: dict[str, Any]) -> None:
        self._require_login()
        seq = _field(content, "seq", int)
        unread = await _db(services.read_state_mark)(room_id=self.room_id, user=self.user, seq=seq)
        await self.send_json(events.frame("read.updated", room=self.room_id, seq=seq, unread=unread))

    async def cmd_history(self, content: dict[str, Any]) -> None:
        before = _field(content, "before_seq", int)
        messages, has_more = await _db(selectors.message_page_before)(room_id=self.room_id, before_seq=before)
        await self.send_json(
            events.frame(
                "history", room=self.room_id, before_seq=before, messages=messages, has_more=has_more
            )
        )

    async def cmd_typing(self, content: dict[str, Any]) -> None:
        self._require_login()
        now = time.monotonic()
        if now - self.last_typing < TYPING_MIN_INTERVAL:
            return  # throttled: one indicator per user per 3 s is plenty
        self.last_typing = now
        await events.group_send(
            self.channel_layer,
            self.group,
            events.typing_layer_message(room_id=self.room_id, user=events.user_ref(self.user)),
        )

    async def cmd_report(self, content: dict[str, Any]) -> None:
        self._require_login()
        report = await _db(services.report_create)(
            message_id=_field(content, "message_id", int),
            reporter=self.user,
            reason=_field(content, "reason", str),
        )
        await self.send_json(events.frame("report.received", room=self.room_id, report_id=report.pk))

    async def cmd_mute(self, content: dict[str, Any]) -> None:
        await self._sanction(content, "mute")

    async def cmd_ban(self, content: dict[str, Any]) -> None:
        await self._sanction(content, "ban")

    async def cmd_kick(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.member_kick)(
            room_id=self.room_id, by=self.user, user_id=_field(content, "user_id", int)
        )

    async def cmd_slow_mode(self, content: dict[str, Any]) -> None:
        self._require_login()
        await _db(services.room_slow_mode_set)(
            room_id=self.room_id, by=self.user, seconds=_field(content, "seconds", int)
        )

    async def _sanction(self, content: dict[str, Any], kind: str) -> None:
        self._require_login()
        await _db(services.sanction_apply)(
            room_id=self.room_id,
            by=self.user,
            user_id=_field(content, "user_id", int),
            kind=kind,
            seconds=_optional(content, "seconds", int),
            reason=_optional(content, "reason", str) or "",
        )

    def _require_login(self) -> None:
        if not self.user.is_authenticated:
            raise ChatError("login_required", "Log in to chat.")

    def _take_frame_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(FRAME_BURST, self.tokens + (now - self.tokens_at) * FRAME_RATE)
        self.tokens_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def _error(self, code: str, message: str, *, ref: Any = None, **extra: Any) -> None:
        payload = events.frame("error", room=self.room_id, code=code, message=message, **extra)
        if ref is not None:
            payload["ref"] = ref
        await self.send_json(payload)

    async def _fatal(self, code: str, message: str, close_code: int) -> None:
        await self._error(code, message)
        await self.close(code=close_code)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        if self.closing:
            return
        self.closing = True
        self.writer.close()
        await super().close(code=code, reason=reason)

    # -------------------------------------------------------------------------
    # Room events, handed over by the process's RoomHub (apps/chat/fanout.py)
    # -------------------------------------------------------------------------
    def deliver(self, event: dict[str, Any]) -> None:
        if self.early_events is not None:
            self.early_events.append(event)
            return
        seq = event.get("seq")
        if seq is None:
            self.writer.write(event["text"])
        else:
            self._deliver_in_order(seq, event["text"])
        if (
            event["type"] == realtime.CHAT_SANCTION
            and event["action"] in ("kick", "ban")
            and self.user.is_authenticated
            and event["user_id"] == self.user.pk
        ):
            code = CLOSE_KICKED if event["action"] == "kick" else CLOSE_FORBIDDEN
            self.close_task = asyncio.ensure_future(self._close_after_writes(code))

    async def _close_after_writes(self, code: int) -> None:
        await self.writer.drained()
        if not self.writer.closed:
            await self.close(code=code)

    def _close_too_slow(self) -> None:
        logger.info("chat: closing a socket %d frames behind", MAX_OUTBOX_FRAMES)
        self.close_task = asyncio.ensure_future(self._close_quietly(CLOSE_TOO_SLOW))

    async def _close_quietly(self, code: int) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            await self.close(code=code)

    # -------------------------------------------------------------------------
    # Ordered delivery: exactly once, in seq order, gaps filled from the database
    # -------------------------------------------------------------------------
    def _deliver_in_order(self, seq: int, text: str) -> None:
        if seq <= self.delivered_seq:
            return  # already sent (history on join, or a duplicate)
        if seq == self.delivered_seq + 1:
            self.delivered_seq = seq
            self.writer.write(text)
            self._flush_buffer()
            return
        # Out of order (two processes committed close together) or lost by the layer.
        self.buffer[seq] = text
        if self.gap_task is None or self.gap_task.done():
            self.gap_task = asyncio.ensure_future(self._fill_gap_later())

    def _flush_buffer(self) -> None:
        while self.delivered_seq + 1 in self.buffer:
            self.delivered_seq += 1
            self.writer.write(self.buffer.pop(self.delivered_seq))
        for stale in [s for s in self.buffer if s <= self.delivered_seq]:
            del self.buffer[stale]

    async def _fill_gap_later(self) -> None:
        await asyncio.sleep(GAP_WAIT_S)
        if not self.buffer:
            return
        missing_to = min(self.buffer) - 1
        if missing_to > self.delivered_seq:
            missed = await _gap_fetch(self.room_id, self.delivered_seq, missing_to)
            # Everything below runs without a pause, so live events cannot interleave.
            for message in missed:
                if message["seq"] > self.delivered_seq:
                    frame = events.frame("message.created", room=self.room_id, message=message)
                    self.writer.write(json.dumps(frame, ensure_ascii=False))
                    self.delivered_seq = message["seq"]
            # A seq can be missing for good only if its transaction rolled back, which
            # message_create never lets happen after assigning it; skip past to stay live.
            self.delivered_seq = max(self.delivered_seq, missing_to)
        self._flush_buffer()


_gap_fetches: dict[tuple[int, int, int], asyncio.Future[list[Any]]] = {}


async def _gap_fetch(room_id: int, after_seq: int, up_to_seq: int) -> list[Any]:
    """One database read per process for a gap, however many sockets of the room saw it."""
    key = (room_id, after_seq, up_to_seq)
    pending = _gap_fetches.get(key)
    if pending is None:
        pending = asyncio.ensure_future(
            _db(selectors.message_list_after)(room_id=room_id, after_seq=after_seq, up_to_seq=up_to_seq)
        )
        _gap_fetches[key] = pending
        pending.add_done_callback(lambda _: _gap_fetches.pop(key, None))
    return await asyncio.shield(pending)


_COMMANDS = {
    "ping": ChatConsumer.cmd_ping,
    "message.send": ChatConsumer.cmd_send,
    "message.edit": ChatConsumer.cmd_edit,
    "message.delete": ChatConsumer.cmd_delete,
    "message.spoiler": ChatConsumer.cmd_spoiler,
    "reaction.toggle": ChatConsumer.cmd_react,
    "read": ChatConsumer.cmd_read,
    "history": ChatConsumer.cmd_history,
    "typing": ChatConsumer.cmd_typing,
    "report": ChatConsumer.cmd_report,
    "mod.mute": ChatConsumer.cmd_mute,
    "mod.ban": ChatConsumer.cmd_ban,
    "mod.kick": ChatConsumer.cmd_kick,
    "mod.slow_mode": ChatConsumer.cmd_slow_mode,
}


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


def _query_int(scope: dict[str, Any], name: str) -> int | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        return None


def _schedule_presence(layer: Any, room_id: int) -> None:
    """Coalesce presence broadcasts: at most one per room per process every 0.5 s."""
    pending = _pending_presence.get(room_id)
    if pending is not None and not pending.done():
        _presence_dirty.add(room_id)  # a change after its read started: it goes round again
        return
    _pending_presence[room_id] = asyncio.ensure_future(_broadcast_presence(layer, room_id))


_presence_dirty: set[int] = set()


async def _broadcast_presence(layer: Any, room_id: int) -> None:
    while True:
        await asyncio.sleep(PRESENCE_COALESCE_S)
        _presence_dirty.discard(room_id)
        await _broadcast_presence_once(layer, room_id)
        if room_id not in _presence_dirty:
            return


async def _broadcast_presence_once(layer: Any, room_id: int) -> None:
    try:
        online, ts = await presence.presence_users(room_id=room_id)
        users = await _db(selectors.users_by_ids)(user_ids=online[:50])
        await events.group_send(
            layer,
            realtime.chat_room_group(room_id),
            events.presence_layer_message(room_id=room_id, count=len(online), users=users, ts=ts),
        )
    except (RedisError, OSError):
        logger.info("presence broadcast skipped: Redis unavailable")
