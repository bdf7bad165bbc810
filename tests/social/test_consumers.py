"""The notification WebSocket: per-user group, unread badge on connect, forwarding."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from config import realtime
from config.asgi import application
from tests.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@sync_to_async
def _session_cookie_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _communicator(session_key: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost")]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


async def test_anonymous_is_rejected():
    communicator = _communicator(None)
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401
    await communicator.disconnect()


async def test_guestbook_entry_arrives_live_with_unread_count():
    from apps.social.services import guestbook_entry_create

    owner, author = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    communicator = _communicator(await _session_cookie_for(owner))
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {"type": "unread", "unread": 0}

    await sync_to_async(guestbook_entry_create)(owner=owner, author=author, body="secret!", is_secret=True)
    event = await communicator.receive_json_from(timeout=5)
    assert event["type"] == "notification"
    assert event["unread"] == 1
    assert event["notification"]["kind"] == "guestbook"
    assert "secret!" not in str(event)
    await communicator.disconnect()


async def test_chat_mentions_on_the_same_group_are_forwarded_only_to_that_user():
    user, other = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    mine = _communicator(await _session_cookie_for(user))
    theirs = _communicator(await _session_cookie_for(other))
    await mine.connect()
    await theirs.connect()
    await mine.receive_json_from()
    await theirs.receive_json_from()
    await get_channel_layer().group_send(
        realtime.user_notify_group(user.pk),
        {"type": realtime.NOTIFY_MESSAGE, "kind": "mention", "room": "movie-night"},
    )
    assert await mine.receive_json_from(timeout=5) == {
        "type": "notification",
        "kind": "mention",
        "room": "movie-night",
    }
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()
