"""The chat WebSocket endpoint. Thin: validates frames, calls services/selectors through
``database_sync_to_async`` and forwards channel-layer events. Protocol: docs/chat-protocol.md."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING
from typing import Any

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from apps.chat import commands
from apps.chat import events
from apps.chat import presence
from apps.chat import selectors
from apps.chat import services
from apps.chat.commands import in_db_pool
from apps.chat.exceptions import ChatError
from apps.chat.fanout import OrderedDelivery
from apps.chat.fanout import ProgressGate
from apps.chat.fanout import SocketWriter
from apps.chat.fanout import room_hub
from apps.chat.presence import FrameBudget
from apps.chat.progress import START
from apps.chat.progress import Position
from config import bad_input
from config import realtime

if TYPE_CHECKING:
    from apps.movies.models import Title

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
# Frames queued for a socket that stopped reading. Past this the socket is closed; its
# client reconnects with last_seq and gets the rest from history.
MAX_OUTBOX_FRAMES = 1000
# A viewer's moves are stored at most this often per socket (they take effect at once).
POSITION_SAVE_S = 10.0
# Why a join was refused -> close code.
_JOIN_CLOSE = {"not_found": CLOSE_NOT_FOUND, "banned": CLOSE_FORBIDDEN, "invite_only": CLOSE_FORBIDDEN}


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
        # Room events that arrive before the hello frame went out wait here.
        self.early_events: list[dict[str, Any]] | None = []
        self.writer = SocketWriter(
            self.base_send, max_queued=MAX_OUTBOX_FRAMES, on_overflow=self._close_too_slow
        )
        self.hub = room_hub(self.channel_layer)
        self.ordered: OrderedDelivery[tuple[str, Position | None]] = OrderedDelivery(
            write=self._offer, fetch_gap=self._fetch_gap
        )
        # Progress-synced rooms only: where the viewer is, and the gate holding back what
        # is later in the title than they have reached (apps/chat/progress.py).
        self.gate: ProgressGate | None = None
        self.position: Position | None = None
        self.work: Title | None = None
        self.position_saved_at = 0.0
        self.position_save_task: asyncio.Task[None] | None = None
        self.close_task: asyncio.Task[None] | None = None
        self.budget = FrameBudget()
        self.oversize = 0
        self.last_typing = 0.0
        await self.accept()

        kwargs = self.scope["url_route"]["kwargs"]
        try:
            access = await in_db_pool(services.room_join)(
                user=self.user, room_id=kwargs.get("room_id"), title_id=kwargs.get("title_id")
            )
        except ChatError as exc:
            await self._fatal(exc.code, exc.message, _JOIN_CLOSE.get(exc.code, CLOSE_FORBIDDEN))
            return
        room = access.room
        self.room_id = room.pk
        self.group = room.group_name
        try:
            # Join the room before reading history: nothing committed later can be missed.
            await self.hub.join(self.group, self)
            await self.presence_touch()
            online, presence_ts = await presence.presence_users(room_id=room.pk)
        except (RedisError, OSError):
            logger.warning("chat connect: Redis unavailable", exc_info=True)
            await self._fatal("unavailable", "Chat is restarting, reconnecting…", CLOSE_RESTART)
            return
        last_seq = _query_int(self.scope, "last_seq")
        horizon: Position | None = None
        if room.progress_sync:
            # The title positions are checked against, loaded once for the socket's life.
            self.work = await in_db_pool(selectors.room_title)(room=room)
            stored = await in_db_pool(selectors.viewer_position_get)(room_id=room.pk, user=self.user)
            self.position = stored.position if stored is not None else START
            horizon = stored.horizon if stored is not None else START
            self.gate = ProgressGate(
                write=self.writer.write,
                horizon=horizon,
                max_withheld=selectors.MAX_WITHHELD,
                on_overflow=self._close_too_slow,
            )
        history = await in_db_pool(selectors.room_history)(room=room, last_seq=last_seq, horizon=horizon)
        users = await in_db_pool(selectors.users_by_ids)(user_ids=online[:50])
        self.ordered.delivered_seq = history.delivered_seq
        hello = events.hello_event(
            access=access,
            user=self.user,
            history=history,
            last_seq=last_seq,
            online=online,
            users=users,
            presence_ts=presence_ts,
            heartbeat_s=presence.HEARTBEAT_INTERVAL,
            position=self.position,
            horizon=horizon,
        )
        await self.send_json(hello)
        if self.gate is not None:
            for message in history.withheld:
                text = events.message_created_text(room_id=room.pk, message=message)
                self.gate.offer(text, _position(message["position"]))
        early, self.early_events = self.early_events, None
        for event in early or ():
            self.deliver(event)

    async def disconnect(self, code: int) -> None:
        self.ordered.cancel()
        if self.position_save_task is not None and not self.position_save_task.done():
            # The viewer's last move is stored before the socket goes (best effort).
            self.position_save_task.cancel()
            with contextlib.suppress(Exception):
                await self._position_save()
        if self.group is None or self.room_id is None:
            return
        group, self.group = self.group, None  # run once, whichever path gets here first
        self.writer.close()
        try:
            await self.hub.leave(group, self)
            if self.user.is_authenticated:
                change = await presence.presence_leave(room_id=self.room_id, conn_id=self.channel_name)
                if change.changed:
                    self._schedule_presence()
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
        verdict = self.budget.take()
        if verdict != "ok":
            if verdict == "close":
                await self._fatal("flood", "Too many frames.", CLOSE_FLOOD)
            elif verdict == "warn":
                retry_after = round(1 / self.budget.rate, 2)
                await self._error("flood", "Too many frames; slow down.", retry_after=retry_after)
            return
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
        handler = commands.COMMANDS.get(kind) if isinstance(kind, str) else None
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
    # Command helpers (the commands themselves are in apps/chat/commands.py)
    # -------------------------------------------------------------------------
    async def presence_touch(self) -> None:
        if self.user.is_authenticated and self.room_id is not None:
            change = await presence.presence_touch(
                room_id=self.room_id, conn_id=self.channel_name, user_id=self.user.pk
            )
            if change.changed:
                self._schedule_presence()

    def _schedule_presence(self) -> None:
        room_id, layer = self.room_id, self.channel_layer
        if room_id is not None:
            self.hub.presence_broadcasts.schedule(room_id, lambda: _presence_broadcast(layer, room_id))

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
        if event["type"] == realtime.CHAT_POSITION:
            # Only the viewer who moved: their horizon, and the frame that tells their page.
            if self.user.is_authenticated and event["user_id"] == self.user.pk:
                self.writer.write(event["text"])
                self.viewer_moved(_position(event["horizon"]))
            return
        seq = event.get("seq")
        position = _position(event.get("position"))
        if seq is None:
            self._offer((event["text"], position))
        else:
            self.ordered.push(seq, (event["text"], position))
        if (
            event["type"] == realtime.CHAT_SANCTION
            and event["action"] in ("kick", "ban")
            and self.user.is_authenticated
            and event["user_id"] == self.user.pk
        ):
            code = CLOSE_KICKED if event["action"] == "kick" else CLOSE_FORBIDDEN
            self.close_task = asyncio.ensure_future(self._close_after_writes(code))

    async def position_save_soon(self) -> None:
        """Store the viewer's position now, or once POSITION_SAVE_S has passed since the last
        store; moves in between only update the socket (its gate already released)."""
        if self.position_save_task is not None and not self.position_save_task.done():
            return  # a store is due; it will take the latest position
        wait = POSITION_SAVE_S - (time.monotonic() - self.position_saved_at)
        if wait <= 0:
            await self._position_save()
        else:
            self.position_save_task = asyncio.ensure_future(self._position_save(after=wait))

    async def _position_save(self, after: float = 0.0) -> None:
        if after:
            await asyncio.sleep(after)
        if self.position is None or self.room_id is None:
            return
        self.position_saved_at = time.monotonic()
        horizon = self.gate.horizon if self.gate is not None else None
        await in_db_pool(services.viewer_position_record)(
            room_id=self.room_id, user_id=self.user.pk, position=self.position, horizon=horizon
        )

    def viewer_moved(self, horizon: Position | None, position: Position | None = None) -> None:
        """Release what the viewer has now reached (a no-op if the horizon did not move)."""
        if position is not None:
            self.position = position
        if self.gate is not None and horizon is not None:
            self.gate.advance(horizon)

    def _offer(self, frame: tuple[str, Position | None]) -> None:
        text, position = frame
        if self.gate is None:
            self.writer.write(text)
        else:
            self.gate.offer(text, position)

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

    async def _fetch_gap(
        self, after_seq: int, up_to_seq: int
    ) -> list[tuple[int, tuple[str, Position | None]]]:
        """One database read per process for a gap, however many sockets of the room saw it."""
        room_id = self.room_id
        assert room_id is not None

        async def read() -> list[tuple[int, tuple[str, Position | None]]]:
            missed = await in_db_pool(selectors.message_list_after)(
                room_id=room_id, after_seq=after_seq, up_to_seq=up_to_seq
            )
            return [
                (
                    m["seq"],
                    (events.message_created_text(room_id=room_id, message=m), _position(m["position"])),
                )
                for m in missed
            ]

        return await self.hub.gap_reads.run((room_id, after_seq, up_to_seq), read)


def _position(value: Any) -> Position | None:
    """A position off the layer (msgpack turns tuples into lists)."""
    if value is None:
        return None
    episode, seconds = value
    return (int(episode), int(seconds))


def _query_int(scope: dict[str, Any], name: str) -> int | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        return None


async def _presence_broadcast(layer: Any, room_id: int) -> None:
    """The room's online users to every socket of the room (coalesced by the hub)."""
    try:
        online, ts = await presence.presence_users(room_id=room_id)
        users = await in_db_pool(selectors.users_by_ids)(user_ids=online[:50])
        await events.group_send(
            layer,
            realtime.chat_room_group(room_id),
            events.presence_layer_message(room_id=room_id, count=len(online), users=users, ts=ts),
        )
    except (RedisError, OSError):
        logger.info("presence broadcast skipped: Redis unavailable")
