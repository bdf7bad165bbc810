"""Notifications over a real WebSocket: uvicorn serving the ASGI app, Redis channel layer."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from websockets.sync.client import connect

from apps.social.services import friend_request_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_friend_request_reaches_the_receivers_open_socket(asgi_server):
    alice, bob = UserFactory(), UserFactory()
    client = Client()
    client.force_login(bob)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    ws_url = asgi_server.replace("http://", "ws://") + "/ws/notifications/"
    with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": asgi_server}, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10)) == {"type": "unread", "unread": 0}
        friend_request_send(from_user=alice, to_user=bob, message="hi")
        event = json.loads(ws.recv(timeout=10))
    assert event["type"] == "notification"
    assert event["notification"]["kind"] == "friend_request"
    assert event["unread"] == 1


def test_socket_without_a_session_is_refused(asgi_server):
    from websockets.exceptions import InvalidStatus

    ws_url = asgi_server.replace("http://", "ws://") + "/ws/notifications/"
    with (
        pytest.raises(InvalidStatus) as refused,
        connect(ws_url, additional_headers={"Origin": asgi_server}, open_timeout=10),
    ):
        pass
    assert refused.value.response.status_code == 403
