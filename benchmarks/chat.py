"""Chat fan-out, scale-out and reconnect benchmark (loopback only, bounded in time).

    .venv/bin/python benchmarks/chat.py            # full run (scenario c holds for 300 s)
    .venv/bin/python benchmarks/chat.py --quick    # short runs, for a shared/busy machine

Two uvicorn processes serve Moochu (config.asgi, Redis pub/sub layer, PostgreSQL) and, for
scenario (d), two serve the tutorial-style baseline (benchmarks/chat_baseline, core layer).
The load generator runs here on the same machine. Listeners are spread over both processes.

Scenarios
  a  one room, 200 listeners, 10 messages/s (2,000 deliveries/s)
  b  one room, 1,000 listeners, 2 messages/s (2,000 deliveries/s)
  c  2,000 connections over 20 rooms held (default 300 s), then 100 connects/s while process 1
     is killed midway; every client cut off reconnects (backoff) to the surviving process
  d  scenario (a) stepped up (10, 20, 30 … messages/s) until p99 passes 250 ms or anything is
     lost; the highest deliveries/s that held, for Moochu and for the baseline
  p  progress-synced delivery (a watch party): 200 signed-in members at positions spread over
     a 120-minute film, 10 messages/s from senders also spread over it. Each member is sent
     only what it has reached; the film plays (each member says where it is every 5 s, as
     the page following the party clock does), and at the end all jump to the end. p99 of
     live deliveries (send → receive) and of releases (position.set → receive), messages
     lost (every member must end with every message exactly once),
     duplicates, and leaks (a frame from later than its member's position: must be 0)

Latency = receive time − send time on one clock. Loss is counted by sequence number: Moochu
messages by their room seq (checked against the database), baseline messages by a counter
the sender puts in the text.

Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaults below). Uses its own database
(moochu_bench) and Redis key prefix. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
DB_NAME = "moochu_bench"
PREFIX = "moochu-bench"
P99_LIMIT_MS = 250.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -----------------------------------------------------------------------------
# Servers
# -----------------------------------------------------------------------------
@dataclass
class Server:
    app: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (REPO / "var" / f"bench-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", self.app, "--host", "127.0.0.1", "--port", str(self.port),
                "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "3",
                "--ws-max-size", "65536",
            ],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} on {self.port} exited")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                if "config.asgi" in self.app:  # ready = Django imported and DB reachable
                    urllib.request.urlopen(f"http://127.0.0.1:{self.port}/chat/health/", timeout=5).read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.app} on {self.port} did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(8)
            except subprocess.TimeoutExpired:
                self.kill()


def moochu_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "MOOCHU_REDIS_PREFIX": PREFIX,
            "DJANGO_DEBUG": "false",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def baseline_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.chat_baseline.settings",
            "REDIS_URL": REDIS_URL,
            "BASELINE_PREFIX": f"{PREFIX}-baseline",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def prepare_database(senders: int, rooms: int) -> dict[str, Any]:
    """Create/migrate the bench database; make rooms and logged-in sender sessions."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = moochu_env()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=env, check=True
    )
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")})
    os.environ["MOOCHU_REDIS_PREFIX"] = PREFIX
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.chat.services import room_get_or_create_for_title
    from apps.movies.models import Title

    titles = []
    for i in range(rooms):
        title, _ = Title.objects.get_or_create(
            title_en=f"Bench title {i}", defaults={"title_ko": f"벤치 {i}"}
        )
        titles.append(title)
    room_ids = [room_get_or_create_for_title(title=t).pk for t in titles]
    users = []
    user_model = get_user_model()
    for i in range(senders):
        user, _ = user_model.objects.get_or_create(
            username=f"bench-sender-{i}", defaults={"email": f"bench{i}@example.com", "nickname": f"bench{i}"}
        )
        users.append(user)
    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    return {"room_ids": room_ids, "cookies": cookies}


def room_seqs_since(room_id: int, after_seq: int) -> list[int]:
    from apps.chat.models import Message

    return list(
        Message.objects.filter(room_id=room_id, seq__gt=after_seq)
        .order_by("seq")
        .values_list("seq", flat=True)
    )


def room_last_seq(room_id: int) -> int:
    from apps.chat.models import Room

    return Room.objects.get(pk=room_id).last_seq


def flush_bench_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for pattern in (f"{PREFIX}:chat:*",):
        keys = list(client.scan_iter(pattern, count=1000))
        if keys:
            client.delete(*keys)
    client.close()


# -----------------------------------------------------------------------------
# Clients
# -----------------------------------------------------------------------------
class Listener:
    def __init__(self, url: str, cookie: str | None = None, baseline: bool = False) -> None:
        self.url = url
        self.cookie = cookie
        self.baseline = baseline
        self.ws: Any = None
        self.seqs: set[int] = set()
        self.latencies: list[float] = []
        self.closed_unexpectedly = False
        self.task: asyncio.Task[None] | None = None
        self.last_seq: int | None = None

    async def connect(self, url: str | None = None) -> None:
        import websockets

        self.url = url or self.url
        full = self.url + (
            f"?last_seq={self.last_seq}" if self.last_seq is not None and not self.baseline else ""
        )
        headers = {"Cookie": f"sessionid={self.cookie}"} if self.cookie else {}
        self.ws = await websockets.connect(
            full, additional_headers=headers, origin="http://127.0.0.1", open_timeout=30, ping_interval=None
        )
        if not self.baseline:
            hello = json.loads(await self.ws.recv())
            for message in hello.get("messages", []):
                self.seqs.add(message["seq"])
            self.last_seq = hello["room_info"]["last_seq"] if self.last_seq is None else self.last_seq
        self.task = asyncio.ensure_future(self.read())

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.time()
                frame = json.loads(raw)
                if self.baseline:
                    parts = frame["message"].split(":")
                    self.seqs.add(int(parts[1]))
                    self.latencies.append(now - float(parts[2]))
                elif frame.get("type") == "message.created":
                    message = frame["message"]
                    self.seqs.add(message["seq"])
                    self.last_seq = max(self.last_seq or 0, message["seq"])
                    cid = message.get("client_id", "")
                    if cid.startswith("b:"):
                        self.latencies.append(now - float(cid.split(":")[2]))
        except Exception:
            self.closed_unexpectedly = True

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()


async def connect_all(listeners: list[Listener], concurrency: int = 50) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def one(listener: Listener) -> None:
        async with semaphore:
            await listener.connect()

    await asyncio.gather(*(one(listener) for listener in listeners))


async def run_senders(
    urls: list[str], cookies: list[str], rate: float, duration: float, baseline: bool
) -> tuple[int, int, float]:
    """``rate`` messages/s in total, each sender at most 1/s (Moochu's per-user limit).

    Returns messages sent, error frames, and the seconds the sending took."""
    import websockets

    count = max(1, int(rate + 0.999))
    per_sender_interval = count / rate
    sockets = []
    for i in range(count):
        headers = {} if baseline else {"Cookie": f"sessionid={cookies[i % len(cookies)]}"}
        ws = await websockets.connect(
            urls[i % len(urls)], additional_headers=headers, origin="http://127.0.0.1", ping_interval=None
        )
        sockets.append(ws)
    drains = [asyncio.ensure_future(_drain(ws)) for ws in sockets]
    sent = errors = 0
    counter = 0
    start = time.monotonic()

    async def sender(index: int, ws: Any) -> None:
        nonlocal sent, counter
        await asyncio.sleep(per_sender_interval * index / count)
        next_at = time.monotonic()
        while time.monotonic() - start < duration:
            counter += 1
            stamp = f"b:{counter}:{time.time():.6f}"
            if baseline:
                await ws.send(json.dumps({"message": stamp}))
            else:
                await ws.send(json.dumps({"type": "message.send", "body": "bench", "client_id": stamp}))
            sent += 1
            next_at += per_sender_interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    await asyncio.gather(*(sender(i, ws) for i, ws in enumerate(sockets)))
    sending_s = time.monotonic() - start
    await asyncio.sleep(2)  # let the last deliveries land
    for task in drains:
        errors += (task.done() and task.result()) or 0
        task.cancel()
    for ws in sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    return sent, errors, sending_s


async def _drain(ws: Any) -> int:
    errors = 0
    with contextlib.suppress(Exception):
        async for raw in ws:
            if '"type": "error"' in raw:
                errors += 1
    return errors


@dataclass
class FanoutResult:
    members: int
    rate: float
    sent: int
    deliveries_per_s: float
    p50_ms: float
    p99_ms: float
    lost: int
    errors: int


async def fanout(
    servers: list[Server],
    room: str,
    members: int,
    rate: float,
    duration: float,
    cookies: list[str],
    baseline: bool,
) -> FanoutResult:
    if baseline:
        urls = [f"{s.ws}/ws/chat/{room}/" for s in servers]
    else:
        urls = [f"{s.ws}/ws/chat/rooms/{room}/" for s in servers]
    listeners = [Listener(urls[i % len(urls)], baseline=baseline) for i in range(members)]
    await connect_all(listeners)
    first_seq = 0 if baseline else await asyncio.to_thread(room_last_seq, int(room))
    sent, errors, elapsed = await run_senders(urls, cookies, rate, duration, baseline)
    if baseline:
        expected = set(range(1, sent + 1))
    else:
        expected = set(await asyncio.to_thread(room_seqs_since, int(room), first_seq))
    lost = sum(len(expected - listener.seqs) for listener in listeners)
    latencies = [x for listener in listeners for x in listener.latencies]
    for listener in listeners:
        await listener.close()
    return FanoutResult(
        members=members,
        rate=rate,
        sent=sent,
        deliveries_per_s=round(len(latencies) / max(elapsed, 1e-9), 1),
        p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        lost=lost,
        errors=errors,
    )


async def scenario_c(
    servers: list[Server], room_ids: list[int], total: int, hold: float, storm: int
) -> dict[str, Any]:
    """Hold ``total`` connections, then a connect storm at 100/s with process 1 killed midway."""
    listeners = [
        Listener(f"{servers[i % 2].ws}/ws/chat/rooms/{room_ids[i % len(room_ids)]}/") for i in range(total)
    ]
    await connect_all(listeners, concurrency=100)
    held_start = time.monotonic()
    while time.monotonic() - held_start < hold:
        await asyncio.sleep(1)
    unexpected = sum(1 for listener in listeners if listener.closed_unexpectedly)
    held = total - unexpected
    print(f"  c: held {held}/{total} for {hold:.0f} s ({unexpected} unexpected closes)")

    # connect storm: `storm` new clients at 100/s; kill process 1 halfway through
    newcomers: list[Listener] = []
    storm_tasks: list[asyncio.Task[None]] = []
    killed_at = None
    for i in range(storm):
        if i == storm // 2:
            servers[0].kill()
            killed_at = time.monotonic()
        listener = Listener(f"{servers[1].ws}/ws/chat/rooms/{room_ids[i % len(room_ids)]}/")
        newcomers.append(listener)
        storm_tasks.append(asyncio.ensure_future(_connect_quietly(listener)))
        await asyncio.sleep(0.01)
    assert killed_at is not None

    # every client of the killed process reconnects to the survivor, with jittered backoff
    victims = [listener for i, listener in enumerate(listeners) if i % 2 == 0]
    back: list[float] = []

    async def reconnect(listener: Listener) -> None:
        delay = 0.5
        while time.monotonic() - killed_at < 60:
            await asyncio.sleep(delay * (0.5 + random.random() / 2))
            try:
                await listener.connect(listener.url.replace(servers[0].ws, servers[1].ws))
                back.append(time.monotonic() - killed_at)
                return
            except Exception:
                delay = min(delay * 2, 8)

    await asyncio.gather(*(reconnect(listener) for listener in victims), *storm_tasks)
    storm_ok = sum(1 for listener in newcomers if listener.ws is not None)
    within_30 = sum(1 for t in back if t <= 30)
    print(
        f"  c: storm {storm_ok}/{storm} connected; "
        f"{within_30}/{len(victims)} cut-off clients back within 30 s "
        f"(p50 {percentile(back, 0.5):.1f} s, max {max(back) if back else float('nan'):.1f} s)"
    )
    for listener in listeners + newcomers:
        await listener.close()
    return {
        "connections_held": held,
        "unexpected_closes": unexpected,
        "storm_connected": storm_ok,
        "victims": len(victims),
        "reconnected_within_30s": within_30,
    }


async def _connect_quietly(listener: Listener) -> None:
    with contextlib.suppress(Exception):
        await listener.connect()


async def step_up(
    servers: list[Server],
    room: str,
    members: int,
    cookies: list[str],
    baseline: bool,
    step_s: float,
    max_rate: int,
) -> tuple[float, list[FanoutResult]]:
    best = 0.0
    results = []
    rate = 10
    while rate <= max_rate:
        result = await fanout(servers, room, members, rate, step_s, cookies, baseline)
        results.append(result)
        label = "baseline" if baseline else "moochu"
        print(
            f"  d {label}: {rate} msg/s → {result.deliveries_per_s}/s, p50 {result.p50_ms} ms, "
            f"p99 {result.p99_ms} ms, lost {result.lost}"
        )
        if result.p99_ms > P99_LIMIT_MS or result.lost > 0:
            break
        best = result.deliveries_per_s
        rate += 10
    return best, results


# -----------------------------------------------------------------------------
# Scenario p: progress-synced delivery (watch parties)
# -----------------------------------------------------------------------------
PARTY_RUNTIME_MIN = 120
PARTY_SPREAD_S = 600  # members and senders sit at 0, 10, 20 … minutes into the film
PARTY_TICK_S = 5  # how often a member's page says where it is (the party clock's pace)


def prepare_party(members: int, senders: int) -> dict[str, Any]:
    """A progress-synced room on a 120-minute film; ``members`` viewer accounts with sessions,
    each at a spread position; the first ``senders`` bench senders at spread positions too."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.chat.models import Room
    from apps.chat.models import ViewerPosition
    from apps.chat.services import room_create
    from apps.movies.models import Title

    user_model = get_user_model()
    title, _ = Title.objects.get_or_create(
        title_en="Bench party film",
        defaults={"title_ko": "벤치 파티 영화", "runtime_minutes": PARTY_RUNTIME_MIN},
    )
    owner, _ = user_model.objects.get_or_create(
        username="bench-party-host", defaults={"email": "host@example.com", "nickname": "benchhost"}
    )
    # A fresh room per run: positions and horizons start where this run puts them.
    room = room_create(owner=owner, name="bench party", title=title, progress_sync=True)
    cookies, positions = [], []
    slots = PARTY_RUNTIME_MIN * 60 // PARTY_SPREAD_S
    for i in range(members):
        user, _ = user_model.objects.get_or_create(
            username=f"bench-viewer-{i}",
            defaults={"email": f"viewer{i}@example.com", "nickname": f"viewer{i}"},
        )
        position = (i % slots) * PARTY_SPREAD_S
        ViewerPosition.objects.create(room=room, user=user, position_s=position, horizon_s=position)
        positions.append(position)
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    for i in range(senders):
        sender = user_model.objects.get(username=f"bench-sender-{i}")
        position = (i * 7 % slots) * PARTY_SPREAD_S
        ViewerPosition.objects.update_or_create(
            room=room, user=sender, defaults={"position_s": position, "horizon_s": position}
        )
    assert Room.objects.get(pk=room.pk).progress_sync
    return {"room_id": room.pk, "cookies": cookies, "positions": positions}


class PartyListener(Listener):
    """A member of a progress-synced room: checks every frame against its own position."""

    def __init__(self, url: str, cookie: str, position_s: int) -> None:
        super().__init__(url, cookie)
        self.horizon_s = position_s
        # (when, horizon) of each move: which frames were due live and which were held.
        self.moves: list[tuple[float, int]] = [(0.0, position_s)]
        self.release_latencies: list[float] = []
        self.duplicates = 0
        self.leaks = 0

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.time()
                frame = json.loads(raw)
                if frame.get("type") != "message.created":
                    continue
                message = frame["message"]
                if message["seq"] in self.seqs:
                    self.duplicates += 1
                self.seqs.add(message["seq"])
                at = message["position"][1] if message["position"] else 0
                if at > self.horizon_s:
                    self.leaks += 1  # later than this member has reached: a spoiler
                cid = message.get("client_id", "")
                if not cid.startswith("b:"):
                    continue
                sent_at = float(cid.split(":")[2])
                horizon_then = max(h for t, h in self.moves if t <= sent_at)
                if at <= horizon_then:
                    self.latencies.append(now - sent_at)  # due at once: live latency
                else:
                    # Held back, then released by the first move that reached it.
                    moved = min(t for t, h in self.moves if h >= at and t >= sent_at)
                    self.release_latencies.append(now - moved)
        except Exception:
            self.closed_unexpectedly = True

    async def move_to(self, position_s: int) -> None:
        # The local horizon moves first: the server cannot answer before it hears us.
        self.horizon_s = max(self.horizon_s, position_s)
        self.moves.append((time.time(), self.horizon_s))
        await self.ws.send(json.dumps({"type": "position.set", "position_s": position_s}))


async def party_fanout(
    servers: list[Server],
    party: dict[str, Any],
    sender_cookies: list[str],
    rate: float,
    duration: float,
    tick_s: float = PARTY_TICK_S,
) -> dict[str, Any]:
    room = party["room_id"]
    urls = [f"{s.ws}/ws/chat/rooms/{room}/" for s in servers]
    listeners = [
        PartyListener(urls[i % len(urls)], cookie, position)
        for i, (cookie, position) in enumerate(zip(party["cookies"], party["positions"], strict=True))
    ]
    await connect_all(listeners)
    first_seq = await asyncio.to_thread(room_last_seq, room)
    sending = asyncio.ensure_future(run_senders(urls, sender_cookies, rate, duration, False))

    async def watch(listener: PartyListener, index: int) -> None:
        # The film plays: like the page following the party clock, each member says where it
        # is every PARTY_TICK_S (staggered), having watched on as many seconds.
        await asyncio.sleep(tick_s * index / len(listeners))
        while not sending.done():
            await listener.move_to(listener.horizon_s + int(tick_s))
            await asyncio.sleep(tick_s)

    watching = [
        asyncio.ensure_future(watch(listener, i)) for i, listener in enumerate(listeners) if tick_s > 0
    ]
    sent, errors, _elapsed = await sending
    for task in watching:
        task.cancel()
    for listener in listeners:  # the end: everyone reaches the end of the film
        await listener.move_to(PARTY_RUNTIME_MIN * 60)
    ended = time.monotonic()
    expected = set(await asyncio.to_thread(room_seqs_since, room, first_seq))
    # Every member must end with every message; give the last releases up to 30 s to land.
    while time.monotonic() - ended < 30:
        lost = sum(len(expected - listener.seqs) for listener in listeners)
        if not lost:
            break
        await asyncio.sleep(0.25)
    complete_s = time.monotonic() - ended
    live = [x for listener in listeners for x in listener.latencies]
    released = [x for listener in listeners for x in listener.release_latencies]
    result = {
        "members": len(listeners),
        "sent": sent,
        "errors": errors,
        "live_deliveries": len(live),
        "released_deliveries": len(released),
        "p50_ms": round(percentile(live, 0.50) * 1000, 1),
        "p99_ms": round(percentile(live, 0.99) * 1000, 1),
        "release_p99_ms": round(percentile(released, 0.99) * 1000, 1),
        "complete_after_end_s": round(complete_s, 2),
        "lost": lost,
        "duplicates": sum(listener.duplicates for listener in listeners),
        "leaks": sum(listener.leaks for listener in listeners),
    }
    for listener in listeners:
        await listener.close()
    return result


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    data = await asyncio.to_thread(prepare_database, 100, 20)
    party = await asyncio.to_thread(prepare_party, 200, 10) if "p" in args.scenarios else None
    flush_bench_redis()
    room_ids, cookies = data["room_ids"], data["cookies"]
    out: dict[str, Any] = {}
    moochu = [Server("config.asgi:application", moochu_env()) for _ in range(2)]
    for server in moochu:
        server.start()
    try:
        for server in moochu:
            server.wait()
        if "a" in args.scenarios:
            a = await fanout(moochu, str(room_ids[0]), 200, 10, args.duration, cookies, False)
            print(
                f"a: 200 × 10/s → {a.deliveries_per_s}/s, p50 {a.p50_ms} ms, p99 {a.p99_ms} ms, lost {a.lost}"
            )
            out.update(room200_p50_ms=a.p50_ms, room200_p99_ms=a.p99_ms, lost=a.lost)
        if "b" in args.scenarios:
            b = await fanout(moochu, str(room_ids[1]), 1000, 2, args.duration, cookies, False)
            print(
                f"b: 1000 × 2/s → {b.deliveries_per_s}/s, p50 {b.p50_ms} ms, p99 {b.p99_ms} ms, lost {b.lost}"
            )
            out.update(room1000_p99_ms=b.p99_ms, lost=out.get("lost", 0) + b.lost)
        if party is not None:
            p = await party_fanout(moochu, party, cookies, 10, args.duration, args.party_tick)
            print(
                f"p: party of {p['members']} × 10/s → {p['live_deliveries']} live, p50 {p['p50_ms']} ms, "
                f"p99 {p['p99_ms']} ms; {p['released_deliveries']} released, p99 {p['release_p99_ms']} ms "
                f"after the move (all in {p['complete_after_end_s']} s after the last); "
                f"lost {p['lost']}, duplicates {p['duplicates']}, leaks {p['leaks']}, "
                f"errors {p['errors']}"
            )
            out.update(
                party200_p99_ms=p["p99_ms"],
                party200_release_p99_ms=p["release_p99_ms"],
                party_lost=p["lost"],
                party_duplicates=p["duplicates"],
                party_leaks=p["leaks"],
            )
        if "d" in args.scenarios:
            best, _ = await step_up(moochu, str(room_ids[2]), 200, cookies, False, args.step, args.max_rate)
            out["max_deliveries_per_s"] = best
        if "c" in args.scenarios:
            out.update(await scenario_c(moochu, room_ids, args.connections, args.hold, args.storm))
    finally:
        for server in moochu:
            server.stop()
    if "d" in args.scenarios:
        baseline = [Server("benchmarks.chat_baseline.asgi:application", baseline_env()) for _ in range(2)]
        for server in baseline:
            server.start()
        try:
            for server in baseline:
                server.wait()
            best, _ = await step_up(baseline, "bench", 200, cookies, True, args.step, args.max_rate)
            out["baseline_max_deliveries_per_s"] = best
        finally:
            for server in baseline:
                server.stop()
        if out["baseline_max_deliveries_per_s"]:
            out["ratio_vs_baseline"] = round(
                out["max_deliveries_per_s"] / out["baseline_max_deliveries_per_s"], 2
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs for a busy machine")
    parser.add_argument("--scenarios", default="abcdp")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per fan-out run (a, b)")
    parser.add_argument("--step", type=float, default=10.0, help="seconds per step in (d)")
    parser.add_argument(
        "--max-rate",
        type=int,
        default=100,
        help="highest messages/s tried in (d); at most 100 (100 sender accounts, 1/s each)",
    )
    parser.add_argument(
        "--party-tick",
        type=float,
        default=PARTY_TICK_S,
        help="seconds between a member's moves in (p); 0: still",
    )
    parser.add_argument("--hold", type=float, default=300.0, help="seconds to hold connections in (c)")
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--storm", type=int, default=1000, help="new clients at 100/s in (c)")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.step, args.hold = 8.0, 5.0, 20.0
        args.connections, args.storm = min(args.connections, 1000), min(args.storm, 300)
    (REPO / "var").mkdir(exist_ok=True)
    started = time.monotonic()
    out = asyncio.run(main_async(args))
    result = {
        "room200_p50_ms": out.get("room200_p50_ms"),
        "room200_p99_ms": out.get("room200_p99_ms"),
        "room1000_p99_ms": out.get("room1000_p99_ms"),
        "lost": out.get("lost"),
        "connections_held": out.get("connections_held"),
        "reconnected_within_30s": out.get("reconnected_within_30s"),
        "max_deliveries_per_s": out.get("max_deliveries_per_s"),
        "baseline_max_deliveries_per_s": out.get("baseline_max_deliveries_per_s"),
        "ratio_vs_baseline": out.get("ratio_vs_baseline"),
        "party200_p99_ms": out.get("party200_p99_ms"),
        "party200_release_p99_ms": out.get("party200_release_p99_ms"),
        "party_lost": out.get("party_lost"),
        "party_duplicates": out.get("party_duplicates"),
        "party_leaks": out.get("party_leaks"),
    }
    print(f"(took {time.monotonic() - started:.0f} s; quick={args.quick}; machine shared: figures are noisy)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
