"""Progress-synced rooms: a socket is sent only what its viewer has reached in the title.

The consumer tests read the frames the server sends (WebsocketCommunicator); the served test
in test_progress_served.py reads them off a real socket.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from apps.chat.exceptions import ChatError
from apps.chat.fanout import ProgressGate
from apps.chat.models import Message
from apps.chat.models import Room
from apps.chat.models import ViewerPosition
from apps.chat.progress import position_validate
from tests.factories import TitleFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


# -----------------------------------------------------------------------------
# The gate (no sockets)
# -----------------------------------------------------------------------------
def _gate(horizon=(0, 600), max_withheld=10):
    written: list[str] = []
    overflowed: list[bool] = []
    gate = ProgressGate(
        write=written.append,
        horizon=horizon,
        max_withheld=max_withheld,
        on_overflow=lambda: overflowed.append(True),
    )
    return gate, written, overflowed


def test_gate_passes_earlier_and_unstamped_frames_and_holds_later_ones():
    gate, written, _ = _gate()
    gate.offer("early", (0, 599))
    gate.offer("at", (0, 600))
    gate.offer("later", (0, 601))
    gate.offer("presence", None)
    assert written == ["early", "at", "presence"]
    assert gate.withheld == [((0, 601), "later")]


def test_gate_releases_in_arrival_order_exactly_once_and_never_moves_back():
    gate, written, _ = _gate()
    for text, second in (("c", 900), ("a", 700), ("b", 800), ("far", 5000)):
        gate.offer(text, (0, second))
    assert gate.advance((0, 850)) == 2
    assert written == ["a", "b"]  # in the order they came, up to the new horizon
    assert gate.advance((0, 700)) == 0  # rewinding hides nothing and sends nothing
    assert gate.advance((0, 900)) == 1
    assert gate.advance((0, 900)) == 0
    assert written == ["a", "b", "c"]
    gate.offer("rewound viewer still sees what they reached", (0, 850))
    assert written[-1] == "rewound viewer still sees what they reached"
    assert gate.advance((1, 0)) == 1  # a later episode is past every second of an earlier one


def test_gate_overflow_closes_instead_of_growing():
    gate, written, overflowed = _gate(max_withheld=2)
    for second in (700, 701, 702):
        gate.offer(str(second), (0, second))
    assert overflowed == [True]
    assert gate.withheld == []
    assert written == []


# -----------------------------------------------------------------------------
# Positions against the catalog
# -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("episode", "seconds", "code"),
    [
        (None, -1, "position_negative"),
        (None, "12", "position_invalid"),
        (None, 12.5, "position_invalid"),
        (None, True, "position_invalid"),
        (None, 132 * 60 + 1, "position_beyond_runtime"),
        (2, 60, "episode_not_found"),
    ],
)
def test_film_positions_out_of_range_are_refused_with_their_own_code(episode, seconds, code):
    film = TitleFactory(media_type="movie", runtime_minutes=132)
    with pytest.raises(ChatError) as refused:
        position_validate(title=film, episode=episode, position_s=seconds)
    assert refused.value.code == code


def test_series_need_an_episode_within_the_episode_count():
    series = TitleFactory(media_type="tv", runtime_minutes=60, episode_count=16)
    assert position_validate(title=series, episode=16, position_s=3600) == (16, 3600)
    for episode, code in ((None, "episode_required"), (0, "episode_not_found"), (17, "episode_not_found")):
        with pytest.raises(ChatError) as refused:
            position_validate(title=series, episode=episode, position_s=10)
        assert refused.value.code == code
    with pytest.raises(ChatError) as refused:
        position_validate(title=series, episode=3, position_s=3601)
    assert refused.value.code == "position_beyond_runtime"


# -----------------------------------------------------------------------------
# Over the socket (in-process)
# -----------------------------------------------------------------------------
@pytest.fixture
def synced_room(alice, bob) -> Room:
    from apps.chat.models import RoomVisibility
    from apps.chat.services import room_create
    from apps.chat.services import room_invite

    film = TitleFactory(title_ko="헤어질 결심", media_type="movie", runtime_minutes=138)
    room = room_create(
        owner=alice, name="같이 보기", visibility=RoomVisibility.INVITE_ONLY, title=film, progress_sync=True
    )
    room_invite(room=room, by=alice, user=bob)
    return room


def path(room: Room) -> str:
    return f"/ws/chat/rooms/{room.pk}/"


@database_sync_to_async
def set_position(room: Room, user, seconds: int) -> None:
    from apps.chat.services import viewer_position_set

    viewer_position_set(room_id=room.pk, user=user, episode=None, position_s=seconds)


@pytest.mark.asyncio
async def test_a_viewer_behind_is_not_sent_a_later_message_until_they_advance(
    synced_room, alice, bob, chat_client
):
    # given alice at 40:00 and bob at 10:00
    await set_position(synced_room, alice, 40 * 60)
    await set_position(synced_room, bob, 10 * 60)
    a = chat_client(path(synced_room), alice)
    b = chat_client(path(synced_room), bob)
    hello_a = await a.connect()
    hello_b = await b.connect()
    assert hello_a["room_info"]["progress_sync"] is True
    assert hello_b["you"]["position"] == [0, 600]
    # when alice writes from 40:00
    await a.send(type="message.send", body="그 장면에서 범인이 밝혀져", client_id="c1")
    mine = await a.recv_type("message.created")
    assert mine["message"]["position"] == [0, 2400]
    # then bob is sent nothing about it
    frames = await b.drain(timeout=0.6)
    assert all("범인" not in str(frame) for frame in frames)
    # when bob reaches 39:59 he still is not; at 40:00 it comes, once
    await b.send(type="position.set", position_s=40 * 60 - 1)
    assert (await b.recv_type("position.updated"))["horizon"] == [0, 2399]
    assert all(f["type"] != "message.created" for f in await b.drain(timeout=0.4))
    await b.send(type="position.set", position_s=40 * 60)
    got = await b.recv_type("message.created")
    assert got["message"]["body"] == "그 장면에서 범인이 밝혀져"
    await b.send(type="position.set", position_s=50 * 60)
    assert all(f["type"] != "message.created" for f in await b.drain(timeout=0.4))
    await a.close()
    await b.close()


@pytest.mark.asyncio
async def test_a_late_joiner_gets_only_what_they_reached_then_the_rest_in_order(
    synced_room, alice, bob, chat_client
):
    # given three messages from 5:00, 30:00 and 20:00, and bob at 0:00
    for seconds, body in ((300, "opening"), (1800, "twist"), (1200, "middle")):
        await set_position(synced_room, alice, seconds)

        @database_sync_to_async
        def write(body: str = body) -> None:
            from apps.chat.services import message_create

            message_create(room_id=synced_room.pk, author=alice, body=body)

        await write()
    b = chat_client(path(synced_room), bob)
    hello = await b.connect()
    assert hello["messages"] == []
    assert hello["you"]["horizon"] == [0, 0]
    # history paging holds nothing later either
    await b.send(type="history", before_seq=10)
    assert (await b.recv_type("history"))["messages"] == []
    # when bob jumps to 25:00: the two he reached, in seq order
    await b.send(type="position.set", position_s=1500)
    first = await b.recv_type("message.created")
    second = await b.recv_type("message.created")
    assert [first["message"]["body"], second["message"]["body"]] == ["opening", "middle"]
    await b.send(type="position.set", position_s=1800)
    assert (await b.recv_type("message.created"))["message"]["body"] == "twist"
    await b.close()


@pytest.mark.asyncio
async def test_an_edit_of_a_withheld_message_is_withheld_with_it(synced_room, alice, bob, chat_client):
    await set_position(synced_room, alice, 3000)
    a = chat_client(path(synced_room), alice)
    b = chat_client(path(synced_room), bob)
    await a.connect()
    await b.connect()
    await a.send(type="message.send", body="first take")
    created = await a.recv_type("message.created")
    await a.send(type="message.edit", message_id=created["message"]["id"], body="the ending spoiler")
    await a.recv_type("message.updated")
    assert all("spoiler" not in str(f) and "first take" not in str(f) for f in await b.drain(timeout=0.6))
    await b.send(type="position.set", position_s=3000)
    assert (await b.recv_type("message.created"))["message"]["body"] == "first take"
    assert (await b.recv_type("message.updated"))["message"]["body"] == "the ending spoiler"
    await a.close()
    await b.close()


@pytest.mark.asyncio
async def test_bad_positions_get_an_error_frame_and_change_nothing(synced_room, bob, chat_client):
    b = chat_client(path(synced_room), bob)
    await b.connect()
    for frame, code in (
        ({"position_s": 138 * 60 + 1}, "position_beyond_runtime"),
        ({"position_s": -5}, "position_negative"),
        ({"position_s": "ten"}, "position_invalid"),
        ({"position_s": 10, "episode": 3}, "episode_not_found"),
    ):
        await b.send(type="position.set", ref="p", **frame)
        error = await b.recv_type("error")
        assert error["code"] == code
        assert error["ref"] == "p"
    assert not await database_sync_to_async(ViewerPosition.objects.filter(user=bob).exists)()
    await b.close()


@pytest.mark.asyncio
async def test_timeline_reactions_are_stamped_and_only_from_the_set(synced_room, alice, chat_client):
    await set_position(synced_room, alice, 90)
    a = chat_client(path(synced_room), alice)
    await a.connect()
    await a.send(type="message.send", body="😱", kind="reaction")
    got = await a.recv_type("message.created")
    assert (got["message"]["kind"], got["message"]["position"]) == ("reaction", [0, 90])
    await a.send(type="message.send", body="<b>", kind="reaction")
    assert (await a.recv_type("error"))["code"] == "invalid"
    assert await database_sync_to_async(Message.objects.filter(room=synced_room).count)() == 1
    await a.close()


def test_position_in_a_room_that_does_not_follow_progress_is_refused(room, alice):
    from apps.chat.services import viewer_position_set

    with pytest.raises(ChatError) as refused:
        viewer_position_set(room_id=room.pk, user=alice, episode=None, position_s=10)
    assert refused.value.code == "not_synced"
    assert not ViewerPosition.objects.exists()


@pytest.mark.asyncio
async def test_moves_within_the_save_interval_are_stored_by_the_time_the_socket_closes(
    synced_room, bob, chat_client
):
    b = chat_client(path(synced_room), bob)
    await b.connect()
    for seconds, horizon in ((600, [0, 600]), (1800, [0, 1800]), (900, [0, 1800])):
        await b.send(type="position.set", position_s=seconds)
        # this socket's own answer (the first store's broadcast may echo it once more)
        moved = [f for f in await b.drain(timeout=0.3) if f["type"] == "position.updated"]
        assert moved[0] == {**moved[0], "position": [0, seconds], "horizon": horizon}
    await b.close()
    # and the store keeps the last position and the furthest point reached
    stored = await database_sync_to_async(ViewerPosition.objects.get)(room=synced_room, user=bob)
    assert (stored.position, stored.horizon) == ((0, 900), (0, 1800))
