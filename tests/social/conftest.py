"""Fixtures of the social tests: users, titles, friends, a clean Redis/cache per test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from apps.social.services.friends import _friendship_make
from apps.social.visitors import visitor_store
from tests.factories import TitleFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_shared_state():
    # Rate-limit windows, taste caches and visitor sets live in Redis under this checkout's prefix.
    cache.clear()
    visitor_store().clear()
    yield
    cache.clear()
    visitor_store().clear()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", nickname="앨리스")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", nickname="bob")


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", nickname="carol")


@pytest.fixture
def title(db):
    return TitleFactory()


@pytest.fixture
def friends(alice, bob):
    _friendship_make(alice, bob)
    return alice, bob


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[str]:
    """Moochu's ASGI app (HTTP, static files and WebSockets) served by uvicorn on a free loopback port."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application), log_level="warning", lifespan="off", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
