"""Chat fixtures: rooms, WebSocket communicators, and served ASGI processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from apps.chat.models import Room
from apps.chat.routing import websocket_urlpatterns
from tests.chat.servers import AsgiServer
from tests.chat.servers import start_servers
from tests.factories import TitleFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_chat_redis() -> Iterator[None]:
    """Presence and rate-limit keys of this checkout start empty in every test."""
    yield
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(f"{settings.REDIS_KEY_PREFIX}:chat:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def title(db):
    return TitleFactory(title_ko="기생충", title_en="Parasite")


@pytest.fixture
def room(title) -> Room:
    from apps.chat.services import room_get_or_create_for_title

    return room_get_or_create_for_title(title=title)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", nickname="앨리스")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", nickname="bob")


class ChatClient:
    """A WebsocketCommunicator speaking the chat protocol."""

    def __init__(self, path: str, user: Any = None) -> None:
        self.comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
        self.comm.scope["user"] = user or AnonymousUser()
        self.hello: dict[str, Any] | None = None

    async def connect(self) -> dict[str, Any]:
        connected, _ = await self.comm.connect()
        assert connected
        self.hello = await self.recv()
        return self.hello

    async def send(self, **frame: Any) -> None:
        await self.comm.send_to(text_data=json.dumps(frame))

    async def recv(self, timeout: float = 3) -> dict[str, Any]:
        return json.loads(await self.comm.receive_from(timeout=timeout))

    async def recv_type(self, *types: str, timeout: float = 3) -> dict[str, Any]:
        """Next frame of one of ``types``, skipping presence/typing chatter."""
        while True:
            frame = await self.recv(timeout=timeout)
            if frame["type"] in types:
                return frame

    async def drain(self, timeout: float = 0.5) -> list[dict[str, Any]]:
        """Every frame that arrives until ``timeout`` passes quietly."""
        frames = []
        while not await self.comm.receive_nothing(timeout=timeout):
            frames.append(await self.recv())
        return frames

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.comm.receive_nothing(timeout=timeout)

    async def close(self) -> None:
        await self.comm.disconnect()


@pytest.fixture
def chat_client():
    clients: list[ChatClient] = []

    def make(path: str, user: Any = None) -> ChatClient:
        client = ChatClient(path, user)
        clients.append(client)
        return client

    return make


@pytest.fixture(scope="session")
def chat_servers(django_db_setup, django_db_blocker) -> Iterator[list[AsgiServer]]:
    """Two uvicorn processes serving config.asgi against the test database and Redis."""
    with django_db_blocker.unblock():
        servers = start_servers(2)
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
