"""A Redis restart is survived: sockets are closed with 1012, clients reconnect, presence
rebuilds and messages flow again within 15 s. Runs against a private redis-server."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from typing import Any

import pytest
import websockets

from tests.chat.servers import REPO
from tests.chat.servers import AsgiServer
from tests.chat.servers import free_port
from tests.chat.servers import server_env
from tests.chat.test_scale_out import session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class ReconnectingClient:
    """Behaves like static/chat/chat.js: heartbeats, reconnects with backoff and last_seq."""

    def __init__(self, url: str, cookie: str) -> None:
        self.url = url
        self.cookie = cookie
        self.last_seq: int | None = None
        self.frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.ws: Any = None
        self.closes: list[int] = []
        self.online = 0
        self.online_ts = 0.0
        self.task = asyncio.ensure_future(self.run())

    async def run(self) -> None:
        delay = 0.2
        while True:
            try:
                url = self.url + (f"?last_seq={self.last_seq}" if self.last_seq is not None else "")
                async with websockets.connect(
                    url, additional_headers={"Cookie": f"sessionid={self.cookie}"}, origin="http://127.0.0.1"
                ) as ws:
                    self.ws = ws
                    pinger = asyncio.ensure_future(self.ping(ws))
                    try:
                        async for raw in ws:
                            frame = json.loads(raw)
                            if frame["type"] == "hello":
                                delay = 0.2
                                seqs = [m["seq"] for m in frame["messages"]]
                                self.last_seq = max([*seqs, self.last_seq or 0])
                            if frame["type"] == "message.created":
                                self.last_seq = frame["message"]["seq"]
                            snapshot = frame.get("presence") if frame["type"] == "hello" else frame
                            if frame["type"] in ("hello", "presence") and snapshot["ts"] >= self.online_ts:
                                self.online, self.online_ts = snapshot["count"], snapshot["ts"]
                            await self.frames.put(frame)
                    finally:
                        pinger.cancel()
                        self.ws = None
                        if ws.close_code is not None:
                            self.closes.append(ws.close_code)
            except (OSError, websockets.WebSocketException):
                pass
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def ping(self, ws: Any) -> None:
        while True:
            await asyncio.sleep(1)  # the browser pings every 15 s; faster here to keep the test short
            await ws.send(json.dumps({"type": "ping"}))

    async def send(self, **frame: Any) -> bool:
        if self.ws is None:
            return False
        try:
            await self.ws.send(json.dumps(frame))
            return True
        except websockets.WebSocketException:
            return False

    async def wait_for(self, predicate: Any, timeout: float) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.frames.get()
                if predicate(frame):
                    return frame


def test_redis_restart_clients_reconnect_presence_rebuilds_and_messages_flow(room, alice, bob):
    redis_server = PrivateRedis()
    redis_server.start()
    env = server_env()
    env["REDIS_URL"] = redis_server.url
    server = AsgiServer(free_port(), env, REPO / "var" / "test-servers" / "uvicorn-redis-restart.log")
    server.start()
    cookies = {"a": session_cookie(alice), "b": session_cookie(bob)}
    url = f"{server.ws}/ws/chat/rooms/{room.pk}/"

    async def scenario() -> float:
        a = ReconnectingClient(url, cookies["a"])
        b = ReconnectingClient(url, cookies["b"])
        await a.wait_for(lambda f: f["type"] == "hello", 10)
        await b.wait_for(lambda f: f["type"] == "hello", 10)
        await b.send(type="message.send", body="before")
        await a.wait_for(lambda f: f["type"] == "message.created", 5)

        # when Redis restarts empty
        redis_server.stop()
        redis_server.start()
        restarted = time.monotonic()

        # then within 15 s a message from B reaches A again, and presence counts both
        body = None
        while time.monotonic() - restarted < 15:
            body = f"after {time.monotonic() - restarted:.1f}"
            await b.send(type="message.send", body=body)
            try:
                await a.wait_for(
                    lambda f, body=body: f["type"] == "message.created" and f["message"]["body"] == body, 1.5
                )
                break
            except TimeoutError:
                continue
        recovered = time.monotonic() - restarted
        while a.online != 2 and time.monotonic() - restarted < 15:
            await asyncio.sleep(0.2)
        assert a.online == 2
        for client in (a, b):
            client.task.cancel()
        return recovered

    try:
        recovered = asyncio.run(scenario())
    finally:
        server.stop()
        redis_server.stop()
    assert recovered < 15
    from apps.chat.models import Message

    bodies = list(Message.objects.filter(room=room).order_by("seq").values_list("body", flat=True))
    assert bodies[0] == "before"
