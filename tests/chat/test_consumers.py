"""The chat protocol over WebsocketCommunicator (in-process, Redis channel layer)."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from apps.chat.models import Message
from apps.chat.models import Sanction
from apps.chat.selectors import PAGE_SIZE

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def room_path(room) -> str:
    return f"/ws/chat/rooms/{room.pk}/"


@database_sync_to_async
def make_messages(room, user, count: int) -> None:
    from apps.chat.services import message_create

    for i in range(count):
        message_create(room_id=room.pk, author=user, body=f"m{i}")


async def test_join_sends_last_50_messages_oldest_first_and_history_pages_back(room, alice, chat_client):
    # given 60 messages
    await make_messages(room, alice, 60)
    client = chat_client(room_path(room), alice)
    # when
    hello = await client.connect()
    # then
    seqs = [m["seq"] for m in hello["messages"]]
    assert seqs == list(range(11, 61))
    assert hello["has_more"] is True
    assert hello["v"] == 1
    await client.send(type="history", before_seq=11)
    page = await client.recv_type("history")
    assert [m["seq"] for m in page["messages"]] == list(range(1, 11))
    assert page["has_more"] is False
    assert len(hello["messages"]) == PAGE_SIZE
    await client.close()


async def test_two_users_see_each_others_messages_with_seq_and_presence(room, alice, bob, chat_client):
    a = chat_client(room_path(room), alice)
    b = chat_client(room_path(room), bob)
    await a.connect()
    hello_b = await b.connect()
    assert hello_b["presence"]["count"] == 2

    await a.send(type="message.send", body="안녕 <script>alert(1)</script>", client_id="c1")
    got_b = await b.recv_type("message.created")
    got_a = await a.recv_type("message.created")
    assert got_b["message"]["body"] == "안녕 <script>alert(1)</script>"  # stored as text, escaped on render
    assert got_b["message"]["seq"] == 1
    assert got_a["message"]["client_id"] == "c1"
    assert got_b["message"]["author"] == {"id": alice.pk, "name": "앨리스"}

    await b.send(type="message.send", body="hi", reply_to=got_b["message"]["id"])
    reply = await a.recv_type("message.created")
    assert reply["message"]["seq"] == 2
    assert reply["message"]["reply_to"]["id"] == got_b["message"]["id"]
    await a.close()
    await b.close()


async def test_two_tabs_count_once_and_refresh_adds_no_one(room, alice, bob, chat_client):
    tab1 = chat_client(room_path(room), alice)
    tab2 = chat_client(room_path(room), alice)
    watcher = chat_client(room_path(room), bob)
    await watcher.connect()
    await tab1.connect()
    hello2 = await tab2.connect()
    assert hello2["presence"]["count"] == 2  # alice (2 tabs) + bob
    # a refresh: one tab goes, a new one comes
    await tab1.close()
    tab3 = chat_client(room_path(room), alice)
    hello3 = await tab3.connect()
    assert hello3["presence"]["count"] == 2
    assert sorted(u["id"] for u in hello3["presence"]["users"]) == sorted([alice.pk, bob.pk])
    await tab2.close()
    await tab3.close()
    # the last tab gone: bob sees alice leave
    frame = await watcher.recv_type("presence")
    while frame["count"] != 1:
        frame = await watcher.recv_type("presence")
    assert [u["id"] for u in frame["users"]] == [bob.pk]
    await watcher.close()


async def test_reconnect_with_last_seq_gets_exactly_the_missed_messages(room, alice, bob, chat_client):
    await make_messages(room, bob, 5)
    # alice saw up to seq 3, then was away while 4 more arrived
    await make_messages(room, bob, 4)
    client = chat_client(f"{room_path(room)}?last_seq=3", alice)
    hello = await client.connect()
    assert [m["seq"] for m in hello["messages"]] == [4, 5, 6, 7, 8, 9]
    assert hello["resumed_from"] == 3
    # a live message continues the sequence without duplicates
    await make_messages(room, bob, 1)
    live = await client.recv_type("message.created")
    assert live["message"]["seq"] == 10
    assert not [f for f in await client.drain() if f["type"] == "message.created"]
    await client.close()


async def test_out_of_order_and_lost_broadcasts_are_delivered_in_seq_order(room, alice, bob, chat_client):
    # given a client that has seen seq 0
    client = chat_client(room_path(room), alice)
    await client.connect()
    await make_messages(room, bob, 1)
    assert (await client.recv_type("message.created"))["message"]["seq"] == 1

    # when seq 2 and 3 are saved but only 3 is broadcast (2 "lost" by the layer)
    @database_sync_to_async
    def save_silently() -> None:
        from unittest import mock

        from apps.chat.services import message_create

        with mock.patch("apps.chat.events._send"):
            message_create(room_id=room.pk, author=bob, body="lost in transit")

    await save_silently()
    await make_messages(room, bob, 1)
    # then the consumer fills the gap from the database, in order, once each
    first = await client.recv_type("message.created")
    second = await client.recv_type("message.created")
    assert [first["message"]["seq"], second["message"]["seq"]] == [2, 3]
    assert first["message"]["body"] == "lost in transit"
    assert not [f for f in await client.drain() if f["type"] == "message.created"]
    await client.close()


async def test_edit_and_delete_by_author_only(room, alice, bob, chat_client):
    a = chat_client(room_path(room), alice)
    b = chat_client(room_path(room), bob)
    await a.connect()
    await b.connect()
    await a.send(type="message.send", body="first take")
    created = await b.recv_type("message.created")
    message_id = created["message"]["id"]

    await b.send(type="message.edit", message_id=message_id, body="hijack", ref=7)
    error = await b.recv_type("error")
    assert error["code"] == "forbidden"
    assert error["ref"] == 7

    await a.send(type="message.edit", message_id=message_id, body="second take")
    edited = await b.recv_type("message.updated")
    assert edited["message"]["body"] == "second take"
    assert edited["message"]["edited"] is True

    await a.send(type="message.delete", message_id=message_id)
    deleted = await b.recv_type("message.updated")
    assert deleted["message"]["deleted"] is True
    assert deleted["message"]["body"] == ""
    assert await database_sync_to_async(Message.objects.filter(pk=message_id, body="second take").exists)()
    await a.close()
    await b.close()


async def test_reactions_toggle_and_broadcast_counts(room, alice, bob, chat_client):
    a = chat_client(room_path(room), alice)
    b = chat_client(room_path(room), bob)
    await a.connect()
    await b.connect()
    await a.send(type="message.send", body="반전 대박")
    message_id = (await b.recv_type("message.created"))["message"]["id"]
    await b.send(type="reaction.toggle", message_id=message_id, emoji="🔥")
    update = await a.recv_type("reaction.updated")
    assert update["reactions"] == [{"emoji": "🔥", "count": 1, "user_ids": [bob.pk]}]
    await b.send(type="reaction.toggle", message_id=message_id, emoji="🔥")
    assert (await a.recv_type("reaction.updated"))["reactions"] == []
    await b.send(type="reaction.toggle", message_id=message_id, emoji="<b>")
    assert (await b.recv_type("error"))["code"] == "invalid"
    await a.close()
    await b.close()


async def test_mention_notifies_the_mentioned_users_group(room, alice, bob, chat_client):
    from channels.layers import get_channel_layer

    from config import realtime

    layer = get_channel_layer()
    inbox = await layer.new_channel()
    await layer.group_add(realtime.user_notify_group(bob.pk), inbox)
    a = chat_client(room_path(room), alice)
    await a.connect()
    await a.send(type="message.send", body="@bob 이거 봤어?")
    created = await a.recv_type("message.created")
    assert created["message"]["mentions"] == [bob.pk]
    note = await asyncio.wait_for(layer.receive(inbox), 3)
    assert note["type"] == realtime.NOTIFY_MESSAGE
    assert note["notification"]["kind"] == "mention"
    assert note["notification"]["url"] == f"/chat/rooms/{room.pk}/"
    await a.close()


async def test_read_marker_reports_unread_count(room, alice, bob, chat_client):
    await make_messages(room, bob, 4)
    client = chat_client(room_path(room), alice)
    await client.connect()
    await client.send(type="read", seq=1)
    assert (await client.recv_type("read.updated"))["unread"] == 3
    await client.send(type="read", seq=0)  # never moves back
    assert (await client.recv_type("read.updated"))["unread"] == 3
    await client.close()


async def test_typing_is_broadcast_and_throttled(room, alice, bob, chat_client):
    a = chat_client(room_path(room), alice)
    b = chat_client(room_path(room), bob)
    await a.connect()
    await b.connect()
    for _ in range(5):
        await a.send(type="typing")
    typing = await b.recv_type("typing")
    assert typing["user"]["id"] == alice.pk
    assert not [f for f in await b.drain() if f["type"] == "typing"]
    await a.close()
    await b.close()


async def test_rate_limit_answers_with_retry_after_and_saves_nothing_extra(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    for i in range(6):
        await client.send(type="message.send", body=f"spam {i}", client_id=f"c{i}")
    error = await client.recv_type("error")
    assert error["code"] == "rate_limited"
    assert 0 < error["retry_after"] <= 1.0
    assert error["client_id"] == "c5"
    assert await database_sync_to_async(Message.objects.filter(room=room).count)() == 5
    await client.close()


async def test_bad_frames_get_error_frames_and_the_socket_keeps_working(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    await client.comm.send_to(text_data="not json {")
    assert (await client.recv_type("error"))["code"] == "bad_json"
    await client.comm.send_to(text_data="[1, 2]")
    assert (await client.recv_type("error"))["code"] == "bad_json"
    await client.send(type="launch.missiles")
    assert (await client.recv_type("error"))["code"] == "unknown_type"
    await client.send(type="message.send")
    missing = await client.recv_type("error")
    assert (missing["code"], missing["field"]) == ("missing_field", "body")
    await client.send(type="message.edit", message_id=True, body="x")
    assert (await client.recv_type("error"))["code"] == "missing_field"
    await client.send(type="message.send", body="   ")
    assert (await client.recv_type("error"))["code"] == "empty"
    await client.send(type="message.send", body="x" * 2001)
    assert (await client.recv_type("error"))["code"] == "too_long"
    # still serving
    await client.send(type="message.send", body="still here")
    assert (await client.recv_type("message.created"))["message"]["body"] == "still here"
    assert await database_sync_to_async(Message.objects.count)() == 1
    await client.close()


async def test_one_megabyte_frames_get_an_error_then_a_close(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    huge = json.dumps({"type": "message.send", "body": "x" * 1_000_000})
    await client.comm.send_to(text_data=huge)
    assert (await client.recv_type("error"))["code"] == "frame_too_large"
    await client.comm.send_to(text_data=huge)
    assert (await client.recv_type("error"))["code"] == "frame_too_large"
    await client.comm.send_to(text_data=huge)
    assert (await client.recv_type("error"))["code"] == "frame_too_large"
    closed = await client.comm.receive_output(timeout=2)
    assert (closed["type"], closed["code"]) == ("websocket.close", 1009)
    assert await database_sync_to_async(Message.objects.count)() == 0


async def test_a_flood_of_frames_is_cut_off_and_others_keep_chatting(room, alice, bob, chat_client):
    flooder = chat_client(room_path(room), alice)
    other = chat_client(room_path(room), bob)
    await flooder.connect()
    await other.connect()
    for _ in range(1000):
        await flooder.comm.send_to(text_data='{"type": "ping"}')
    frames = []
    while True:
        output = await flooder.comm.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        frames.append(json.loads(output["text"]))
    assert output["code"] == 4008
    assert any(f["type"] == "error" and f["code"] == "flood" for f in frames)
    await other.send(type="message.send", body="unaffected")
    assert (await other.recv_type("message.created"))["message"]["body"] == "unaffected"
    await other.close()


async def test_anonymous_reads_public_rooms_but_cannot_post(room, bob, chat_client):
    await make_messages(room, bob, 2)
    guest = chat_client(room_path(room))
    hello = await guest.connect()
    assert [m["seq"] for m in hello["messages"]] == [1, 2]
    assert hello["you"]["can_post"] is False
    await guest.send(type="message.send", body="hello?")
    assert (await guest.recv_type("error"))["code"] == "login_required"
    assert await database_sync_to_async(Message.objects.count)() == 2
    await guest.close()


async def test_invite_only_room_rejects_strangers_with_close_code(alice, bob, chat_client):
    from apps.chat.services import room_create

    room = await database_sync_to_async(room_create)(owner=alice, name="watch night", visibility="invite")
    stranger = chat_client(room_path(room), bob)
    connected, _ = await stranger.comm.connect()
    assert connected
    error = await stranger.recv()
    assert error["code"] == "invite_only"
    assert (await stranger.comm.receive_output(timeout=2))["code"] == 4003
    guest = chat_client(room_path(room))
    await guest.comm.connect()
    assert (await guest.recv())["code"] == "invite_only"


async def test_unknown_room_closes_with_4004(db, chat_client):
    client = chat_client("/ws/chat/rooms/999999/")
    await client.comm.connect()
    assert (await client.recv())["code"] == "not_found"
    assert (await client.comm.receive_output(timeout=2))["code"] == 4004


async def test_title_route_creates_the_room_on_first_connect(title, alice, chat_client):
    client = chat_client(f"/ws/chat/titles/{title.pk}/", alice)
    hello = await client.connect()
    assert hello["room_info"]["title_id"] == title.pk
    assert hello["room_info"]["name"] == "기생충"
    await client.close()


async def test_moderator_mutes_kicks_and_bans_and_banned_user_cannot_reconnect(alice, bob, chat_client):
    from apps.chat.models import Membership
    from apps.chat.services import room_create

    room = await database_sync_to_async(room_create)(owner=alice, name="모임")
    owner = chat_client(room_path(room), alice)
    target = chat_client(room_path(room), bob)
    await owner.connect()
    await target.connect()

    await owner.send(type="mod.mute", user_id=bob.pk, seconds=60)
    muted = await target.recv_type("member.sanctioned")
    assert (muted["action"], muted["user_id"]) == ("mute", bob.pk)
    await target.send(type="message.send", body="let me talk")
    assert (await target.recv_type("error"))["code"] == "muted"

    await owner.send(type="mod.kick", user_id=bob.pk)
    assert (await target.recv_type("member.sanctioned"))["action"] == "kick"
    assert (await target.comm.receive_output(timeout=2))["code"] == 4001

    await owner.send(type="mod.ban", user_id=bob.pk, seconds=3600)
    actions = [(await owner.recv_type("member.sanctioned"))["action"] for _ in range(3)]
    assert actions == ["mute", "kick", "ban"]
    again = chat_client(room_path(room), bob)
    await again.comm.connect()
    assert (await again.recv())["code"] == "banned"
    assert (await again.comm.receive_output(timeout=2))["code"] == 4003

    bans = await database_sync_to_async(Sanction.objects.filter(user=bob, kind="ban").count)()
    assert bans == 1
    used = await database_sync_to_async(Membership.objects.values_list("rights_last_used_at", flat=True).get)(
        room=room, user=alice
    )
    assert used is not None
    await owner.close()


async def test_a_moderator_is_told_why_the_owner_and_they_themselves_cannot_be_sanctioned(
    alice, bob, chat_client
):
    from apps.chat.services import moderator_appoint
    from apps.chat.services import room_create

    room = await database_sync_to_async(room_create)(owner=alice, name="모임")
    await database_sync_to_async(moderator_appoint)(room=room, by=alice, user=bob)
    moderator = chat_client(room_path(room), bob)
    hello = await moderator.connect()
    # the client leaves mute, kick and ban out of the owner's message menus by this id
    assert hello["room_info"]["owner_id"] == alice.pk

    await moderator.send(type="mod.ban", user_id=alice.pk)
    assert (await moderator.recv_type("error"))["code"] == "sanction_protected"
    await moderator.send(type="mod.mute", user_id=bob.pk, seconds=600)
    assert (await moderator.recv_type("error"))["code"] == "sanction_self"

    assert not await database_sync_to_async(Sanction.objects.exists)()
    await moderator.close()


async def test_members_cannot_moderate(room, alice, bob, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    await client.send(type="mod.ban", user_id=bob.pk)
    assert (await client.recv_type("error"))["code"] == "forbidden"
    await client.send(type="mod.slow_mode", seconds=10)
    assert (await client.recv_type("error"))["code"] == "forbidden"
    await client.close()


async def test_slow_mode_tells_when_to_retry(alice, bob, chat_client):
    from apps.chat.services import room_create

    room = await database_sync_to_async(room_create)(owner=alice, name="느린방")
    owner = chat_client(room_path(room), alice)
    member = chat_client(room_path(room), bob)
    await owner.connect()
    await member.connect()
    await owner.send(type="mod.slow_mode", seconds=30)
    assert (await member.recv_type("room.updated"))["slow_mode_seconds"] == 30
    await member.send(type="message.send", body="one")
    await member.recv_type("message.created")
    await member.send(type="message.send", body="two")
    error = await member.recv_type("error")
    assert error["code"] == "slow_mode"
    assert 25 < error["retry_after"] <= 30
    await owner.close()
    await member.close()


async def test_spoiler_flag_by_author_and_watched_state_in_hello(room, title, alice, bob, chat_client):
    from django.utils import timezone

    from apps.social.models import Rating

    await database_sync_to_async(Rating.objects.create)(
        user=alice, title=title, half_stars=9, created_at=timezone.now()
    )
    a = chat_client(room_path(room), alice)
    b = chat_client(room_path(room), bob)
    assert (await a.connect())["you"]["watched"] is True
    assert (await b.connect())["you"]["watched"] is False
    await a.send(type="message.send", body="범인은 ||지하실에|| 있었다", spoiler=False)
    message = (await b.recv_type("message.created"))["message"]
    await a.send(type="message.spoiler", message_id=message["id"], spoiler=True)
    flagged = await b.recv_type("message.updated")
    assert flagged["message"]["spoiler"] is True
    await b.send(type="message.spoiler", message_id=message["id"], spoiler=False)
    assert (await b.recv_type("error"))["code"] == "forbidden"
    await a.close()
    await b.close()


async def test_a_lone_surrogate_in_a_message_gets_bad_text_and_the_socket_stays(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    # JSON may escape a lone UTF-16 surrogate; PostgreSQL cannot encode it.
    await client.comm.send_to(text_data='{"type": "message.send", "body": "hi \\ud800", "client_id": "c1"}')
    assert (await client.recv_type("error"))["code"] == "bad_text"
    await client.comm.send_to(text_data='{"type": "message.send", "body": "nul \\u0000"}')
    assert (await client.recv_type("error"))["code"] == "bad_text"
    # an emoji (a valid surrogate pair when escaped) is fine
    await client.comm.send_to(text_data='{"type": "message.send", "body": "\\ud83c\\udfac 좋아"}')
    assert (await client.recv_type("message.created"))["message"]["body"] == "🎬 좋아"
    assert await database_sync_to_async(Message.objects.count)() == 1
    await client.close()


async def test_deeply_nested_frames_get_bad_json_and_the_socket_stays(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    await client.comm.send_to(text_data="[" * 2000 + "]" * 2000)
    assert (await client.recv_type("error"))["code"] == "bad_json"
    await client.comm.send_to(text_data='{"type": "ping", "ts": ' + "[" * 2000 + "]" * 2000 + "}")
    assert (await client.recv_type("error"))["code"] == "bad_json"
    await client.send(type="ping", ts=1)
    assert (await client.recv_type("pong"))["ts"] == 1
    await client.close()


async def test_a_server_fault_in_a_command_sends_server_error_then_closes_1011(
    room, alice, chat_client, monkeypatch
):
    from apps.chat import services

    def broken(**kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(services, "message_create", broken)
    client = chat_client(room_path(room), alice)
    await client.connect()
    await client.send(type="message.send", body="hi")
    assert (await client.recv_type("error"))["code"] == "server_error"
    closed = await client.comm.receive_output(timeout=2)
    assert (closed["type"], closed["code"]) == ("websocket.close", 1011)
    # frames arriving after the close are ignored: nothing is sent after websocket.close
    await client.send(type="ping", ts=1)
    assert await client.comm.receive_nothing(timeout=0.3)


async def test_nothing_is_sent_after_a_flood_close(room, alice, chat_client):
    client = chat_client(room_path(room), alice)
    await client.connect()
    for _ in range(600):
        await client.comm.send_to(text_data='{"type": "ping"}')
    outputs = []
    while not await client.comm.receive_nothing(timeout=1):
        outputs.append(await client.comm.receive_output())
    kinds = [output["type"] for output in outputs]
    assert kinds.count("websocket.close") == 1
    assert kinds[-1] == "websocket.close"
