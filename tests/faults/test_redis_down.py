"""Redis unreachable (pointed at a dead port): pages and API that need no Redis answer 200,
the rest 503 with Retry-After in the one error shape; never 500. The chat and notification
handshakes send ``unavailable`` and close 1012 (docs/chat-protocol.md)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.test import override_settings

from apps.chat.services import room_get_or_create_for_title
from tests.factories import TitleFactory
from tests.factories import UserFactory


def _dead_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # bound then released: nothing listens there


@pytest.fixture
def redis_down(settings) -> Iterator[str]:
    from apps.social.visitors import visitor_store

    url = _dead_redis_url()
    overrides = {
        "REDIS_URL": url,
        "CACHES": {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}},
        "CHANNEL_LAYERS": {
            "default": {
                **settings.CHANNEL_LAYERS["default"],
                "CONFIG": {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "hosts": [{"address": url}]},
            }
        },
    }
    visitor_store.cache_clear()
    with override_settings(**overrides):
        yield url
    visitor_store.cache_clear()


@pytest.fixture
def world(db):
    owner = UserFactory(nickname="owner")
    title = TitleFactory(title_ko="기생충")
    room = room_get_or_create_for_title(title=title)
    return {"owner": owner, "title": title, "room": room}


def _probes(world) -> list[tuple[str, str, dict | None]]:
    title, room, owner = world["title"], world["room"], world["owner"]
    return [
        ("get", "/", None),
        ("get", f"/titles/{title.pk}/", None),
        ("get", "/search/?q=기생", None),
        ("get", "/coming-soon/", None),
        ("get", "/board/", None),
        ("get", "/accounts/login/", None),
        ("get", f"/@{owner.nickname}/", None),
        ("post", f"/@{owner.nickname}/visit/", None),  # the page's visit beacon
        ("get", "/chat/", None),
        ("get", f"/chat/rooms/{room.pk}/", None),
        ("get", f"/titles/{title.pk}/social/", None),
        ("get", "/feed/", None),
        ("get", "/me/friends/", None),
        ("get", "/api/titles/", None),
        ("get", f"/api/titles/{title.pk}/", None),
        ("get", "/api/genres/", None),
        ("get", "/api/search/?q=기생", None),
        ("get", f"/api/social/users/{owner.nickname}/", None),
        ("get", f"/api/social/titles/{title.pk}/reviews/", None),
        ("get", "/api/social/me/watchlist/", None),
        ("get", "/api/chat/rooms/", None),
        ("get", "/api/recs/trending/", None),
        ("get", "/api/recs/for-me/", None),
        ("put", f"/api/social/titles/{title.pk}/rating/", {"stars": 4.5}),
        (
            "post",
            "/api/events/",
            {"events": [{"kind": "view", "title_id": title.pk, "occurred_at": "2026-01-01T00:00:00Z"}]},
        ),
    ]


# The behaviour-event buffer lives in Redis: accepting events without it would lose them.
NEEDS_REDIS = {"/api/events/"}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_no_probe_answers_500_with_redis_down(redis_down, world, signed_in: bool) -> None:
    client = Client()
    if signed_in:
        client.force_login(UserFactory())
    failures = []
    for method, url, body in _probes(world):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        kwargs["headers"] = {"Sec-Fetch-Site": "same-origin"}  # as a page's own script sends it
        try:
            response = getattr(client, method)(url, **kwargs)
        except Exception as exc:  # the test client re-raises what would be a 500
            failures.append(f"{method.upper()} {url}: raised {type(exc).__name__}: {exc}"[:60])
            continue
        if url in NEEDS_REDIS:
            if response.status_code != 503 or not response.headers.get("Retry-After"):
                failures.append(f"{method.upper()} {url}: {response.status_code}, wanted 503 + Retry-After")
            elif set(response.json()) != {"message", "extra"}:
                failures.append(f"{method.upper()} {url}: 503 not in the one error shape")
        elif response.status_code >= 500:
            failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_visit_beacon_answers_the_persisted_counts_with_redis_down(
    redis_down, world, signed_in: bool
) -> None:
    # given: visits persisted earlier today; Redis (the visitor sets) unreachable
    from apps.social.models import VisitDaily
    from apps.social.services.common import seoul_today

    owner = world["owner"]
    VisitDaily.objects.create(owner=owner, day=seoul_today(), count=4)
    client = Client()
    if signed_in:
        client.force_login(UserFactory())

    # when: the page is shown and its beacon posts
    page = client.get(f"/@{owner.nickname}/")
    answer = client.post(f"/@{owner.nickname}/visit/", headers={"Sec-Fetch-Site": "same-origin"})

    # then: the visit goes uncounted (visitors.py fails soft), and both show what is persisted
    assert page.status_code == 200
    assert "TODAY <strong data-today>4</strong>" in page.text
    assert answer.status_code == 200
    assert answer.json() == {"today": 4, "total": 4}


@pytest.mark.django_db
def test_readiness_names_redis_while_pages_still_serve(redis_down, world) -> None:
    client = Client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["down"] == ["redis"]
    assert client.get(f"/titles/{world['title'].pk}/").status_code == 200
    # the page's cache reads fell back, and the probe shows the meter
    assert sum(client.get("/readyz").json()["redis_fallbacks"].values()) > 0


async def _handshake(path: str, user) -> tuple[list[dict], int | None]:
    from channels.routing import URLRouter

    from apps.chat.routing import websocket_urlpatterns
    from apps.social.routing import websocket_urlpatterns as social_patterns

    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns + social_patterns), path)
    communicator.scope["user"] = user
    await communicator.connect(timeout=5)
    frames, close_code = [], None
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            close_code = output.get("code")
            break
        frames.append(json.loads(output["text"]))
    await communicator.wait()
    return frames, close_code


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("which", ["chat", "notifications"])
async def test_websocket_handshake_with_redis_down_sends_unavailable_and_closes_1012(
    redis_down, which: str
) -> None:
    from asgiref.sync import sync_to_async

    user = await sync_to_async(UserFactory)()
    title = await sync_to_async(TitleFactory)()
    path = f"/ws/chat/titles/{title.pk}/" if which == "chat" else "/ws/notifications/"
    frames, close_code = await _handshake(path, user)
    assert [frame.get("code") for frame in frames if frame.get("type") == "error"] == ["unavailable"]
    assert close_code == 1012


def test_cache_reads_fall_back_to_a_miss_and_are_metered(redis_down) -> None:
    from django.core.cache import cache

    from config.redis_client import fallbacks

    before = fallbacks["cache.get"]
    assert cache.get("anything", "default") == "default"
    cache.set("anything", 1)  # a no-op, not an error
    assert cache.add("lock", 1) is False  # a lock is never taken twice
    assert fallbacks["cache.get"] == before + 1
