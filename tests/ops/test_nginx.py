"""Debian's nginx with Moochu's own config, in front of the real start scripts.

Proves the routing split (pages and API to the HTTP upstream, /ws/ to the WebSocket
upstream), static files from disk with cache headers, and the edge's refusals.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets
from django.test import Client

from apps.social.visitors import visitor_store
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.servers import START_SCRIPTS
from tests.servers import app_server_env
from tests.servers import free_port
from tests.servers import nginx_binary
from tests.servers import nginx_config_for_test
from tests.servers import running
from tests.servers import wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@dataclass(frozen=True)
class Stack:
    url: str
    port: int
    workdir: Path


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("nginx")
    static_root, media_root = workdir / "static", workdir / "media"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "probe.css").write_text("body { color: #111; }\n" * 200)
    # As collectstatic's manifest storage writes it: a hashed name with a pre-compressed twin.
    hashed = static_root / "css" / "probe.0123456789ab.css"
    hashed.write_text("body { color: #222; }\n" * 200)
    hashed.with_name(hashed.name + ".gz").write_bytes(gzip.compress(hashed.read_bytes()))
    media_root.mkdir()
    http_port, ws_port, edge_port = free_port(), free_port(), free_port()
    with django_db_blocker.unblock():
        http_env = app_server_env(
            BIND=f"127.0.0.1:{http_port}", WEB_CONCURRENCY="1", MOOCHU_UPSTREAM_NAME="http"
        )
        ws_env = app_server_env(
            WS_HOST="127.0.0.1", WS_PORT=str(ws_port), WS_WORKERS="1", MOOCHU_UPSTREAM_NAME="ws"
        )
    conf = nginx_config_for_test(
        listen=edge_port,
        http_port=http_port,
        ws_port=ws_port,
        static_root=static_root,
        media_root=media_root,
        workdir=workdir,
    )
    nginx = [
        nginx_binary(),
        "-p",
        str(workdir),
        "-c",
        str(conf),
        "-e",
        str(workdir / "error.log"),
        "-g",
        "daemon off;",
    ]
    check = subprocess.run([*nginx[:-2], "-t"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    with (
        running([str(START_SCRIPTS / "start-http")], port=http_port, env=http_env, log=workdir / "http.log"),
        running([str(START_SCRIPTS / "start-ws")], port=ws_port, env=ws_env, log=workdir / "ws.log"),
        running(nginx, port=edge_port, env={}, log=workdir / "nginx.out"),
    ):
        wait_for_port(edge_port)
        yield Stack(url=f"http://127.0.0.1:{edge_port}", port=edge_port, workdir=workdir)


def test_pages_and_api_are_answered_by_the_http_upstream(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        page = client.get("/")
        schema = client.get("/api/schema/")

    assert page.status_code == 200
    assert page.headers["x-moochu-upstream"] == "http"
    assert schema.status_code == 200
    assert schema.headers["x-moochu-upstream"] == "http"


def test_hashed_static_files_come_from_disk_cached_for_a_year_precompressed(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        response = client.get("/static/css/probe.0123456789ab.css", headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert "x-moochu-upstream" not in response.headers
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "body { color: #222; }\n" * 200


def test_unhashed_static_files_are_cached_briefly_and_gzipped(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        response = client.get("/static/css/probe.css", headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["content-encoding"] == "gzip"


def test_an_oversized_body_gets_413_from_the_edge(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        response = client.post("/api/titles/", content=b"x" * (11 * 1024 * 1024))

    assert response.status_code == 413


def test_an_absurdly_long_url_gets_414(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        response = client.get("/?q=" + "a" * 20_000)

    assert response.status_code == 414


def test_a_foreign_host_is_dropped_without_reaching_django(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/", headers={"Host": "evil.example"})


def test_a_slow_client_is_cut_off_while_others_are_served(stack: Stack):
    # given: a slowloris-style client that never finishes its headers
    slow = socket.create_connection(("127.0.0.1", stack.port), timeout=30)
    slow.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    started = time.monotonic()

    # when: someone else asks meanwhile
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        assert client.get("/healthz").status_code == 200

    # then: the edge closes the slow connection after client_header_timeout (10 s)
    assert slow.recv(1024) in (b"", b"HTTP/1.1 408")  # nginx closes without a reply
    assert 5 < time.monotonic() - started < 25
    slow.close()


def test_the_request_id_of_the_edge_reaches_the_app_and_comes_back(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        response = client.get("/healthz")

    # nginx writes the access line just after the response: give it a moment
    deadline = time.monotonic() + 5
    while response.headers["x-request-id"] not in (stack.workdir / "access.log").read_text():
        assert time.monotonic() < deadline, "the edge never logged the request id the app echoed"
        time.sleep(0.05)


async def _open_title_room(stack: Stack, title_id: int, *, origin: str):
    url = f"ws://127.0.0.1:{stack.port}/ws/chat/titles/{title_id}/"
    return await websockets.connect(url, origin=origin, ping_interval=None, open_timeout=10)


async def _frames_until(connection, frame_type: str, *, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await connection.recv())
            if frame.get("type") == frame_type:
                return frame


def test_a_chat_websocket_is_answered_by_the_ws_upstream_and_survives_two_idle_minutes(stack: Stack):
    # given: a title whose public room anyone may read
    title = TitleFactory()

    async def scenario() -> tuple[str, dict]:
        connection = await _open_title_room(stack, title.pk, origin=stack.url)
        try:
            upstream = connection.response.headers["x-moochu-upstream"]
            # when: the socket sits idle past nginx's default 60 s proxy timeout, twice over
            await asyncio.sleep(125)
            await connection.send(json.dumps({"type": "ping", "ts": 42}))
            # then: it still carries frames both ways
            return upstream, await _frames_until(connection, "pong")
        finally:
            await connection.close()

    upstream, pong = asyncio.run(scenario())
    assert upstream == "ws"
    assert pong["ts"] == 42


def test_a_websocket_from_a_foreign_origin_is_refused(stack: Stack):
    title = TitleFactory()

    async def scenario() -> None:
        await _open_title_room(stack, title.pk, origin="http://evil.example")

    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        asyncio.run(scenario())
    assert refused.value.response.status_code == 403


# -----------------------------------------------------------------------------
# The edge's page cache: anonymous pages shared for five seconds, nothing personal ever
# -----------------------------------------------------------------------------


def _signed_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_an_anonymous_page_is_rendered_once_then_served_by_the_edge(stack: Stack):
    path = f"/titles/{TitleFactory(title_ko='엣지 캐시').pk}/"  # a URL no other test has warmed
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        first, second = client.get(path), client.get(path)

    assert first.status_code == second.status_code == 200
    assert "set-cookie" not in first.headers  # a page that sets a cookie could not be shared
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert second.text == first.text
    assert "엣지 캐시" in second.text


def test_each_language_choice_is_cached_apart(stack: Stack):
    path = f"/titles/{TitleFactory().pk}/"
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        korean = client.get(path, headers={"Accept-Language": "ko"})
        english = client.get(path, headers={"Accept-Language": "en"})
        english_by_cookie = client.get(path, headers={"Cookie": "django_language=en"})
        english_again = client.get(path, headers={"Accept-Language": "en"})

    assert '<html lang="ko">' in korean.text
    assert '<html lang="en">' in english.text
    assert '<html lang="en">' in english_by_cookie.text
    assert english_by_cookie.headers["x-cache"] == "MISS"  # its own entry, not the header's
    assert english_again.headers["x-cache"] == "HIT"
    assert '<html lang="en">' in english_again.text


def test_a_signed_in_page_is_never_stored_nor_answered_from_the_cache(stack: Stack):
    user = UserFactory(nickname="캐시안됨")
    signed_in = {"Cookie": _signed_in_cookie(user)}
    path = "/board/?page=1"
    # Two clients: a client's cookie jar would carry the signed-in session into the anonymous one.
    with httpx.Client(base_url=stack.url, timeout=10) as anonymous:
        anonymous_before = anonymous.get(path)
        with httpx.Client(base_url=stack.url, timeout=10) as client:
            mine = [client.get(path, headers=signed_in) for _ in range(2)]
        anonymous_after = anonymous.get(path)

    assert [page.headers["x-cache"] for page in mine] == ["BYPASS", "BYPASS"]
    assert all("캐시안됨" in page.text for page in mine)  # the menu names who is signed in
    assert anonymous_before.headers["x-cache"] == "MISS"
    assert anonymous_after.headers["x-cache"] == "HIT"  # the anonymous copy, not a signed-in one
    assert "캐시안됨" not in anonymous_after.text


def test_any_other_cookie_or_an_api_token_goes_to_django_every_time(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        with_csrf = [client.get("/chat/", headers={"Cookie": "csrftoken=abc"}) for _ in range(2)]
        with_token = [
            client.get("/api/titles/", headers={"Authorization": "Token not-a-real-one"}) for _ in range(2)
        ]

    assert [page.headers["x-cache"] for page in with_csrf] == ["BYPASS", "BYPASS"]
    assert [answer.headers["x-cache"] for answer in with_token] == ["BYPASS", "BYPASS"]


def test_an_anonymous_homepage_is_served_by_the_edge_and_its_visit_beacon_by_django(stack: Stack):
    # given: a mini-homepage no other test has warmed, and no visit counted yet
    visitor_store().clear()
    owner = UserFactory(nickname="방문세기")
    homepage, beacon = f"/@{owner.nickname}/", f"/@{owner.nickname}/visit/"
    same_origin = {"Sec-Fetch-Site": "same-origin"}

    # when: two first-time visitors (a new client each: no session to send) open the page,
    # then each browser's beacon posts, and the first one reloads the page
    pages, answers = [], []
    with (
        httpx.Client(base_url=stack.url, timeout=10) as first,
        httpx.Client(base_url=stack.url, timeout=10) as second,
    ):
        pages = [first.get(homepage), second.get(homepage)]
        answers = [first.post(beacon, headers=same_origin), second.post(beacon, headers=same_origin)]
        answers.append(first.post(beacon, headers=same_origin))  # a reload: the same visitor
        reloaded = first.get(homepage)  # now with the session the beacon made

    # then: the page sets no cookie, so the second visitor is served the edge's copy
    assert [page.status_code for page in pages] == [200, 200]
    assert not [page for page in pages if "set-cookie" in page.headers]
    assert [page.headers["x-cache"] for page in pages] == ["MISS", "HIT"]
    assert 'data-visit-url="' in pages[1].text
    # every beacon reaches Django (a POST is never cached), which counts each browser once
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.headers["x-moochu-upstream"] for answer in answers] == ["http"] * 3
    assert [answer.headers.get("x-cache", "") for answer in answers] == ["", "", ""]
    assert [answer.json()["today"] for answer in answers] == [1, 2, 2]
    assert "set-cookie" in answers[0].headers  # the visitor's session is made by the beacon
    # a visitor with a session goes to Django, past the cache, and sees both visits
    assert reloaded.headers["x-cache"] == "BYPASS"
    assert "TODAY <strong data-today>2</strong>" in reloaded.text


def test_a_cross_site_visit_beacon_is_refused_by_django_through_the_edge(stack: Stack):
    owner = UserFactory(nickname="위조방문")
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        forged = [
            client.post(f"/@{owner.nickname}/visit/", headers={"Sec-Fetch-Site": "cross-site"})
            for _ in range(2)
        ]

    assert [answer.status_code for answer in forged] == [403, 403]
    assert [answer.headers["x-moochu-upstream"] for answer in forged] == ["http", "http"]


def test_the_health_probes_are_never_served_from_the_cache(stack: Stack):
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        probes = [client.get("/healthz") for _ in range(2)]

    assert [probe.headers["x-cache"] for probe in probes] == ["MISS", "MISS"]
    assert probes[0].headers["x-request-id"] != probes[1].headers["x-request-id"]


def test_a_cached_page_shows_a_change_within_seconds(stack: Stack):
    title = TitleFactory(title_ko="첫 이름")
    path = f"/titles/{title.pk}/"
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        assert "첫 이름" in client.get(path).text
        title.title_ko = "바뀐 이름"
        title.save(update_fields=["title_ko"])
        # The edge keeps the copy up to five seconds, then Django's new page replaces it.
        deadline = time.monotonic() + 15
        while "바뀐 이름" not in client.get(path).text:
            assert time.monotonic() < deadline, "the edge kept serving a page older than its 5 s"
            time.sleep(0.5)
