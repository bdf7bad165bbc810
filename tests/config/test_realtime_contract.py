"""The real-time contract (config/realtime.py) across the chat/social seam: every layer type a
group can receive has its handler, and a real chat @mention reaches a connected notification
socket as a stored notification."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from apps.social.consumers import NotificationConsumer
from config import realtime
from config.asgi import application
from tests.factories import TitleFactory
from tests.factories import UserFactory


@pytest.mark.parametrize("layer_type", realtime.NOTIFY_LAYER_TYPES)
def test_the_notification_consumer_handles_every_notify_layer_type(layer_type: str) -> None:
    assert callable(getattr(NotificationConsumer, realtime.handler_name(layer_type), None))


def test_no_app_spells_a_group_name_or_layer_type_of_its_own() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "apps"
    spelled = [
        f"{path.relative_to(root)}: {needle}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for needle in ('"notify.', '"chat.room.', '"chat.event"', '"chat.sanction"', 'f"notify.user')
        if needle in path.read_text()
    ]
    assert spelled == []


@sync_to_async
def _session_cookie_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _notifications_socket(session_key: str) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"cookie", f"sessionid={session_key}".encode())]
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_chat_mention_arrives_on_the_notification_socket_as_a_stored_notification() -> None:
    from apps.chat.services import message_create
    from apps.chat.services import room_get_or_create_for_title
    from apps.social.models import Notification

    # given bob's notification socket is open
    alice = await sync_to_async(UserFactory)(nickname="앨리스")
    bob = await sync_to_async(UserFactory)(nickname="bob")
    room = await sync_to_async(room_get_or_create_for_title)(title=await sync_to_async(TitleFactory)())
    socket = _notifications_socket(await _session_cookie_for(bob))
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "unread", "unread": 0}

    # when alice mentions him through the chat service
    await sync_to_async(message_create)(room_id=room.pk, author=alice, body="@bob 기생충 봤어?")

    # then the socket stays open and shows the stored notification
    frame = await socket.receive_json_from(timeout=5)
    stored = await sync_to_async(Notification.objects.get)(user=bob)
    assert frame["type"] == "notification"
    assert frame["unread"] == 1
    assert frame["notification"]["id"] == stored.pk
    assert frame["notification"]["kind"] == "mention" == stored.kind
    assert "앨리스" in frame["notification"]["text"]
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"error": "read_only"}  # still open
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_chat_report_reaches_staff_notification_sockets_only() -> None:
    from apps.chat.services import message_create
    from apps.chat.services import report_create
    from apps.chat.services import room_get_or_create_for_title

    staff = await sync_to_async(UserFactory)(is_staff=True)
    member = await sync_to_async(UserFactory)()
    author = await sync_to_async(UserFactory)()
    room = await sync_to_async(room_get_or_create_for_title)(title=await sync_to_async(TitleFactory)())
    staff_socket = _notifications_socket(await _session_cookie_for(staff))
    member_socket = _notifications_socket(await _session_cookie_for(member))
    for socket in (staff_socket, member_socket):
        assert (await socket.connect())[0]
        await socket.receive_json_from()

    message = await sync_to_async(message_create)(room_id=room.pk, author=author, body="스포일러 폭탄")
    report = await sync_to_async(report_create)(message_id=message.pk, reporter=member, reason="spoiler")

    frame = await staff_socket.receive_json_from(timeout=5)
    assert (frame["type"], frame["report_id"], frame["message_id"]) == ("chat.report", report.pk, message.pk)
    assert await member_socket.receive_nothing(timeout=0.3)
    # a layer message of the staff group no longer closes anyone's socket
    await get_channel_layer().group_send(
        realtime.STAFF_NOTIFY_GROUP,
        {"type": realtime.NOTIFY_CHAT_REPORT, "event": {"type": "chat.report", "report_id": 0}},
    )
    assert (await staff_socket.receive_json_from(timeout=3))["report_id"] == 0
    for socket in (staff_socket, member_socket):
        await socket.disconnect()
