"""Per-process room fan-out: one channel-layer subscription per room per process.

Channels' own path subscribes every socket to the room group. Each event then costs, per
socket, a msgpack decode, a queue hand-off and two task switches in the consumer's dispatch
loop, which capped a 200-member room near 1,500 deliveries/s on two processes here. The hub
subscribes once per room, decodes each event once, and hands the pre-encoded frame to every
local member in one pass; a member writes it straight to its socket without a task switch.

Members keep their own ordering (seq, gap fill) and their own outbox, so a slow socket
queues behind itself and never holds up the room.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Coroutine
from collections.abc import Hashable
from typing import Any
from typing import Generic
from typing import Protocol
from typing import TypeVar

T = TypeVar("T")
# (episode, second) in the title; apps/chat/progress.py. Repeated here so fan-out stays a leaf.
Position = tuple[int, int]

logger = logging.getLogger(__name__)

# How long an out-of-order message waits for the one before it before we fetch the gap.
# Overtaken messages arrive within milliseconds; a real loss waits this long, then one query
# per process (not per socket) fetches it.
GAP_WAIT_S = 1.0
# At most one presence broadcast per room per process in this window.
PRESENCE_COALESCE_S = 0.5


class RoomMember(Protocol):
    def deliver(self, event: dict[str, Any]) -> None:
        """Take one layer event for the room; must not block."""


class RoomHub:
    """The local members of every room this process serves, fed by one layer channel."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        # A room is here exactly while the process is subscribed to it (its members may be
        # none for a moment while the last one leaves). Dicts, not sets: members are served
        # in the order they joined.
        self.rooms: dict[str, dict[RoomMember, None]] = {}
        self.locks: dict[str, asyncio.Lock] = {}
        self.setup_lock = asyncio.Lock()
        self.channel: str | None = None
        self.reader: asyncio.Task[None] | None = None
        # Per-process work the room's sockets share: one gap read, one presence broadcast.
        self.gap_reads: SingleFlight[list[tuple[int, tuple[str, Position | None]]]] = SingleFlight()
        self.presence_broadcasts = Coalescer(PRESENCE_COALESCE_S)

    async def join(self, group: str, member: RoomMember) -> None:
        """Add ``member``; returns once the process is subscribed, so nothing sent after
        this call is missed."""
        await self._ensure_reader()
        async with self.locks.setdefault(group, asyncio.Lock()):
            if group not in self.rooms:
                assert self.channel is not None
                await self.layer.group_add(group, self.channel)
                self.rooms[group] = {}
            self.rooms[group][member] = None

    async def leave(self, group: str, member: RoomMember) -> None:
        members = self.rooms.get(group)
        if members is not None:
            members.pop(member, None)
        if members:
            return
        async with self.locks.setdefault(group, asyncio.Lock()):
            # Re-checked under the lock: a join may have arrived, or another leave finished.
            members = self.rooms.get(group)
            if members is None or members:
                return
            del self.rooms[group]
            assert self.channel is not None
            await self.layer.group_discard(group, self.channel)

    def members(self, group: str) -> int:
        return len(self.rooms.get(group, ()))

    def dispatch(self, event: dict[str, Any]) -> None:
        members = self.rooms.get(event.get("group", ""))
        if not members:
            return
        for member in list(members):
            try:
                member.deliver(event)
            except Exception:
                # One broken socket must not cost the rest of the room its message.
                logger.exception("chat fan-out: delivery to one member failed")

    async def _ensure_reader(self) -> None:
        # Many sockets connect at once; only the first may create the hub's channel.
        async with self.setup_lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("chat.hub.")
            if self.reader is None or self.reader.done():
                self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        assert self.channel is not None
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("chat fan-out: layer receive failed; retrying")
                await asyncio.sleep(0.5)
                continue
            self.dispatch(event)


class SingleFlight(Generic[T]):
    """One call in flight per key; callers asking for the same key meanwhile share its result."""

    def __init__(self) -> None:
        self.pending: dict[Hashable, asyncio.Future[T]] = {}

    async def run(self, key: Hashable, call: Callable[[], Awaitable[T]]) -> T:
        pending = self.pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(call())
            self.pending[key] = pending
            pending.add_done_callback(lambda _: self.pending.pop(key, None))
        # Shielded: one caller going away must not cancel the read the others wait on.
        return await asyncio.shield(pending)


class Coalescer:
    """Runs an action for a key at most once per ``delay``; changes made while it runs make it
    go round once more, so the last change is always reflected."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.pending: dict[Hashable, asyncio.Task[None]] = {}
        self.dirty: set[Hashable] = set()

    def schedule(self, key: Hashable, action: Callable[[], Awaitable[None]]) -> None:
        pending = self.pending.get(key)
        if pending is not None and not pending.done():
            self.dirty.add(key)  # a change after its read started: it goes round again
            return
        self.pending[key] = asyncio.ensure_future(self._run(key, action))

    async def _run(self, key: Hashable, action: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(self.delay)
            self.dirty.discard(key)
            await action()
            if key not in self.dirty:
                return


class OrderedDelivery(Generic[T]):
    """Exactly once, in seq order, for one socket; gaps are filled from the database.

    Events with a seq can arrive out of order (two processes committed close together) or
    not at all (lost by the layer). An early one waits in ``buffer``; if the one before it
    has not come within ``gap_wait_s`` the missing range is fetched (``fetch_gap`` returns
    ``(seq, frame)`` pairs) and delivery moves on. A frame is whatever ``write`` takes: the
    frame text, or the text with its position in a progress-synced room.
    """

    def __init__(
        self,
        *,
        write: Callable[[T], None],
        fetch_gap: Callable[[int, int], Awaitable[list[tuple[int, T]]]],
        gap_wait_s: float = GAP_WAIT_S,
    ) -> None:
        self.write = write
        self.fetch_gap = fetch_gap
        self.gap_wait_s = gap_wait_s
        self.delivered_seq = 0
        self.buffer: dict[int, T] = {}
        self.gap_task: asyncio.Task[None] | None = None

    def push(self, seq: int, text: T) -> None:
        if seq <= self.delivered_seq:
            return  # already sent (history on join, or a duplicate)
        if seq == self.delivered_seq + 1:
            self.delivered_seq = seq
            self.write(text)
            self._flush_buffer()
            return
        self.buffer[seq] = text
        if self.gap_task is None or self.gap_task.done():
            self.gap_task = asyncio.ensure_future(self._fill_gap_later())

    def cancel(self) -> None:
        if self.gap_task is not None:
            self.gap_task.cancel()

    def _flush_buffer(self) -> None:
        while self.delivered_seq + 1 in self.buffer:
            self.delivered_seq += 1
            self.write(self.buffer.pop(self.delivered_seq))
        for stale in [s for s in self.buffer if s <= self.delivered_seq]:
            del self.buffer[stale]

    async def _fill_gap_later(self) -> None:
        await asyncio.sleep(self.gap_wait_s)
        if not self.buffer:
            return
        missing_to = min(self.buffer) - 1
        if missing_to > self.delivered_seq:
            missed = await self.fetch_gap(self.delivered_seq, missing_to)
            # Everything below runs without a pause, so live events cannot interleave.
            for seq, text in missed:
                if seq > self.delivered_seq:
                    self.write(text)
                    self.delivered_seq = seq
            # A seq can be missing for good only if its transaction rolled back, which
            # message_create never lets happen after assigning it; skip past to stay live.
            self.delivered_seq = max(self.delivered_seq, missing_to)
        self._flush_buffer()


class ProgressGate:
    """Withholds a socket's frames from later in the title than its viewer has reached.

    Sits after ``OrderedDelivery``: frames come in seq order, and those at or before the
    horizon go straight to ``write``. Later ones wait here, in arrival order, and ``advance``
    writes every one the new horizon reaches, in that order, exactly once (a frame leaves the
    list as it is written). The horizon never moves back, so nothing is sent twice.

    Withheld frames live in memory only; past ``max_withheld`` the socket is closed with
    ``on_overflow`` and its client reconnects, which reads what it has not reached from the
    database again.
    """

    def __init__(
        self,
        *,
        write: Callable[[str], None],
        horizon: Position,
        max_withheld: int,
        on_overflow: Callable[[], None],
    ) -> None:
        self.write = write
        self.horizon = horizon
        self.max_withheld = max_withheld
        self.on_overflow = on_overflow
        self.withheld: list[tuple[Position, str]] = []

    def offer(self, text: str, position: Position | None) -> None:
        if position is None or position <= self.horizon:
            self.write(text)
            return
        if len(self.withheld) >= self.max_withheld:
            self.withheld.clear()
            self.on_overflow()
            return
        self.withheld.append((position, text))

    def advance(self, horizon: Position) -> int:
        """Move the horizon to ``horizon`` (if later) and release what it reaches; returns how
        many frames went out."""
        if horizon <= self.horizon:
            return 0
        self.horizon = horizon
        released = [text for position, text in self.withheld if position <= horizon]
        if released:
            self.withheld = [(p, t) for p, t in self.withheld if p > horizon]
            for text in released:
                self.write(text)
        return len(released)


class SocketWriter:
    """Writes text frames to one socket in order, without a task per frame.

    A write the socket takes at once (the usual case) happens in the caller's stack. When a
    send has to wait (the client stopped reading and the transport paused), later frames
    queue behind it; past ``max_queued`` the writer gives up and calls ``on_overflow``.
    """

    def __init__(
        self,
        send: Callable[[dict[str, Any]], Awaitable[None]],
        *,
        max_queued: int,
        on_overflow: Callable[[], None],
    ) -> None:
        self.send = send
        self.max_queued = max_queued
        self.on_overflow = on_overflow
        self.queued: deque[str] = deque()
        self.pending: asyncio.Task[None] | None = None
        self.closed = False

    def write(self, text: str) -> None:
        if self.closed:
            return
        if self.pending is not None:
            if len(self.queued) >= self.max_queued:
                self.close()
                self.on_overflow()
                return
            self.queued.append(text)
            return
        self.pending = start_eagerly(self._send_through(text))

    def close(self) -> None:
        self.closed = True
        self.queued.clear()

    async def drained(self) -> None:
        """Wait until every frame written so far has been handed to the socket."""
        while self.pending is not None and not self.pending.done():
            await asyncio.wait([self.pending])

    async def _send_through(self, text: str) -> None:
        try:
            await self.send({"type": "websocket.send", "text": text})
            while self.queued and not self.closed:
                await self.send({"type": "websocket.send", "text": self.queued.popleft()})
        except (OSError, RuntimeError):
            # The socket is gone or closing; the server reports the disconnect separately.
            self.close()
        finally:
            self.pending = None


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, RoomHub]] = weakref.WeakKeyDictionary()


def room_hub(layer: Any) -> RoomHub:
    """The hub of ``layer`` on the running event loop (tests run one loop per test)."""
    per_loop = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = per_loop.get(id(layer))
    if hub is None:
        hub = per_loop[id(layer)] = RoomHub(layer)
    return hub


def start_eagerly(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
    """Run ``coro`` now, in the caller's stack; a Task finishes it only if it has to wait.

    A socket write that does not wait (the usual case) then costs a function call rather
    than a task and a loop iteration. Python 3.12's eager tasks do the same.
    """
    try:
        awaited = coro.send(None)
    except StopIteration:
        return None
    except BaseException:
        coro.close()
        raise
    return asyncio.ensure_future(_finish(coro, awaited))


async def _finish(coro: Coroutine[Any, Any, None], awaited: Any) -> None:
    try:
        while True:
            if awaited is None:  # a bare yield: give the loop one turn
                await asyncio.sleep(0)
            else:
                # What asyncio.Task does with a yielded future: wait for it, then resume
                # the coroutine, which reads the future's result itself.
                awaited._asyncio_future_blocking = False
                await asyncio.wait([awaited])
            try:
                awaited = coro.send(None)
            except StopIteration:
                return
    except asyncio.CancelledError:
        coro.close()
        raise
