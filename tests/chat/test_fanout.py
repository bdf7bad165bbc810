"""The per-process room fan-out: one subscription per room, ordered writes, slow sockets."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.layers import InMemoryChannelLayer

from apps.chat import events
from apps.chat.fanout import Coalescer
from apps.chat.fanout import OrderedDelivery
from apps.chat.fanout import RoomHub
from apps.chat.fanout import SingleFlight
from apps.chat.fanout import SocketWriter
from apps.chat.fanout import start_eagerly
from apps.chat.presence import FrameBudget
from tests.chat.conftest import ChatClient
from tests.chat.test_consumers import make_messages
from tests.chat.test_consumers import room_path

pytestmark = pytest.mark.asyncio


class Member:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def deliver(self, event: dict[str, Any]) -> None:
        self.events.append(event)


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.01)


async def test_concurrent_joins_share_one_channel_and_each_member_gets_each_event_once():
    layer = InMemoryChannelLayer()
    hub = RoomHub(layer)
    members = [Member() for _ in range(20)]

    await asyncio.gather(*(hub.join("chat.room.1", member) for member in members))
    await events.group_send(layer, "chat.room.1", {"type": "chat.event", "text": "hi"})
    await events.group_send(layer, "chat.room.2", {"type": "chat.event", "text": "elsewhere"})
    await _settle()

    assert list(layer.groups["chat.room.1"]) == [hub.channel]
    assert [[e["text"] for e in m.events] for m in members] == [["hi"]] * 20
    hub.reader.cancel()


async def test_the_last_member_to_leave_unsubscribes_the_process():
    layer = InMemoryChannelLayer()
    hub = RoomHub(layer)
    first, second = Member(), Member()
    await hub.join("chat.room.1", first)
    await hub.join("chat.room.1", second)

    await hub.leave("chat.room.1", first)
    assert hub.channel in layer.groups["chat.room.1"]
    await hub.leave("chat.room.1", second)

    assert "chat.room.1" not in layer.groups
    assert hub.members("chat.room.1") == 0
    hub.reader.cancel()


async def test_a_member_that_raises_does_not_cost_the_others_their_event():
    layer = InMemoryChannelLayer()
    hub = RoomHub(layer)

    class Broken:
        def deliver(self, event: dict[str, Any]) -> None:
            raise ValueError("boom")

    healthy = Member()
    await hub.join("chat.room.1", Broken())
    await hub.join("chat.room.1", healthy)
    await events.group_send(layer, "chat.room.1", {"type": "chat.event", "text": "still here"})
    await _settle()

    assert [e["text"] for e in healthy.events] == ["still here"]
    hub.reader.cancel()


async def test_start_eagerly_finishes_in_the_callers_stack_when_nothing_waits():
    done: list[str] = []

    async def quick() -> None:
        done.append("quick")

    assert start_eagerly(quick()) is None
    assert done == ["quick"]


async def test_start_eagerly_hands_a_waiting_coroutine_to_a_task():
    gate = asyncio.Event()
    done: list[str] = []

    async def slow() -> None:
        await gate.wait()
        await asyncio.sleep(0)
        done.append("slow")

    task = start_eagerly(slow())
    assert task is not None
    assert done == []
    gate.set()
    await task
    assert done == ["slow"]


async def test_writer_keeps_order_behind_a_socket_that_has_to_wait():
    sent: list[str] = []
    writable = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        await writable.wait()
        sent.append(message["text"])

    writer = SocketWriter(send, max_queued=10, on_overflow=lambda: None)
    for text in ("1", "2", "3"):
        writer.write(text)
    assert sent == []
    writable.set()
    await writer.drained()
    assert sent == ["1", "2", "3"]

    writer.write("4")  # the socket takes it at once: no task, no wait
    assert sent == ["1", "2", "3", "4"]
    assert writer.pending is None


async def test_writer_gives_up_on_a_socket_that_stopped_reading():
    overflowed: list[bool] = []

    async def stuck(message: dict[str, Any]) -> None:
        await asyncio.Event().wait()

    writer = SocketWriter(stuck, max_queued=3, on_overflow=lambda: overflowed.append(True))
    for i in range(5):
        writer.write(str(i))

    assert overflowed == [True]
    assert writer.closed
    assert not writer.queued
    writer.write("more")  # ignored once closed
    assert not writer.queued
    assert writer.pending is not None
    writer.pending.cancel()


async def test_writer_stops_quietly_when_the_socket_is_gone():
    async def gone(message: dict[str, Any]) -> None:
        raise OSError("client disconnected")

    writer = SocketWriter(gone, max_queued=3, on_overflow=lambda: pytest.fail("not an overflow"))
    writer.write("x")
    assert writer.closed
    assert writer.pending is None


@pytest.mark.django_db(transaction=True)
async def test_a_stalled_socket_is_closed_with_4009_while_the_room_keeps_flowing(
    room, alice, bob, chat_client, monkeypatch
):
    from apps.chat import consumers

    monkeypatch.setattr(consumers, "MAX_OUTBOX_FRAMES", 3)
    stalled: ChatClient = chat_client(room_path(room), alice)
    await stalled.connect()
    healthy: ChatClient = chat_client(room_path(room), bob)
    await healthy.connect()
    await stalled.drain()

    # the stalled client stops reading: its socket takes one more frame, then makes sends wait
    output = stalled.comm.output_queue
    output._maxsize = 1

    await make_messages(room, bob, 6)
    seqs = [(await healthy.recv_type("message.created"))["message"]["seq"] for _ in range(6)]
    assert seqs == [1, 2, 3, 4, 5, 6]

    output._maxsize = 0
    frames = [await stalled.comm.receive_output(timeout=3)]
    while frames[-1]["type"] != "websocket.close":
        frames.append(await stalled.comm.receive_output(timeout=3))
    assert frames[-1]["code"] == consumers.CLOSE_TOO_SLOW
    # what it did get arrived in order; the rest comes from history when it reconnects
    got = [json.loads(f["text"])["message"]["seq"] for f in frames if "message.created" in f.get("text", "")]
    assert got == sorted(got)
    assert len(got) < 6


# -----------------------------------------------------------------------------
# The small per-socket and per-process machines the consumer composes
# -----------------------------------------------------------------------------
async def test_ordered_delivery_holds_an_early_message_until_the_one_before_it_arrives():
    written: list[str] = []

    async def no_gap(after: int, up_to: int) -> list[tuple[int, str]]:
        raise AssertionError("the gap closed by itself; nothing should be fetched")

    ordered = OrderedDelivery(write=written.append, fetch_gap=no_gap, gap_wait_s=0.05)
    ordered.delivered_seq = 1
    ordered.push(3, "three")
    ordered.push(1, "one again")  # already delivered: dropped
    assert written == []
    ordered.push(2, "two")
    assert written == ["two", "three"]
    assert ordered.delivered_seq == 3
    await asyncio.sleep(0.1)  # the gap timer finds nothing left to fetch
    assert written == ["two", "three"]


async def test_ordered_delivery_fetches_a_lost_message_once_then_moves_on():
    written: list[str] = []
    fetched: list[tuple[int, int]] = []

    async def fetch_gap(after: int, up_to: int) -> list[tuple[int, str]]:
        fetched.append((after, up_to))
        return [(2, "two from db")]  # seq 3 rolled back: skipped, not waited for forever

    ordered = OrderedDelivery(write=written.append, fetch_gap=fetch_gap, gap_wait_s=0.01)
    ordered.delivered_seq = 1
    ordered.push(4, "four")
    ordered.push(5, "five")
    await asyncio.sleep(0.1)
    assert fetched == [(1, 3)]
    assert written == ["two from db", "four", "five"]
    assert ordered.delivered_seq == 5


async def test_single_flight_shares_one_call_between_concurrent_callers():
    calls = 0

    async def read() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return 42

    flight: SingleFlight[int] = SingleFlight()
    results = await asyncio.gather(*(flight.run("gap", read) for _ in range(5)))
    assert results == [42] * 5
    assert calls == 1
    assert flight.pending == {}  # forgotten once done: a later gap reads again
    assert await flight.run("gap", read) == 42
    assert calls == 2


async def test_coalescer_runs_once_per_window_and_again_for_a_change_during_the_run():
    runs: list[int] = []
    coalescer = Coalescer(0.02)
    started = asyncio.Event()
    release = asyncio.Event()

    async def action() -> None:
        runs.append(len(runs))
        started.set()
        await release.wait()

    for _ in range(10):
        coalescer.schedule("room", action)
    await started.wait()
    coalescer.schedule("room", action)  # a change while the first run reads
    release.set()
    await asyncio.sleep(0.1)
    assert runs == [0, 1]


async def test_frame_budget_allows_a_burst_then_warns_once_then_closes_a_flooder():
    budget = FrameBudget(burst=3, rate=0.0001, close_after=4)
    verdicts = [budget.take() for _ in range(7)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop", "drop", "close"]
