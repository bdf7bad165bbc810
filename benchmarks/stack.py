"""Full-stack benchmark: Debian nginx (our production config) in front of the real start scripts.

Everything on loopback: nginx with ``compose/production/nginx/nginx.conf`` (only ports and paths
rewritten, as the routing test does), ``start-http`` (gunicorn + uvicorn workers) and ``start-ws``
(uvicorn), both on ``config.settings.production`` as they are (a psycopg pool per process),
Redis (cache + pub/sub channel layer) and a dedicated PostgreSQL database this script creates,
migrates, fills (demo data when ``load_demo`` exists, plus ggplot2's 58,788 films with seeded
offers) and drops.

Through nginx it measures:

1. the catalog page (``/`` and a filtered ``/?genre=drama&provider=netflix``) at 64 concurrent
   keep-alive clients: requests/s and p99;
2. the same load straight at the HTTP server's port: ``nginx_overhead = rps_direct / rps_nginx``
   (runs interleaved nginx, direct, nginx, direct so machine noise hits both alike);
3. WebSockets held to ``/ws/chat/titles/<id>/`` (anonymous readers of public title rooms, spread
   over 20 titles), opened at a bounded rate and held while watched; a connection counts as held
   when it is still open at the end and answers a ping through nginx. Memory per connection =
   (RSS of the WS server and nginx process trees after − before) / connections held.

    .venv/bin/python benchmarks/stack.py            # full: 2 x 10 s per side, 5,000 sockets, 30 s hold
    .venv/bin/python benchmarks/stack.py --quick    # 2 x 2.5 s per side, 500 sockets, 10 s hold

Bounded (full run well under 5 minutes). Every process and the database are cleaned up on
error, Ctrl-C or SIGTERM. Targets (issue 7): 5,000 connections on 2 cores, nginx_overhead < 1.15.
Last line: {"page_rps": …, "page_p99_ms": …, "ws_connections": …, "kb_per_connection": …,
"nginx_overhead": …}
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import LoadResult
from benchmarks.common import bench_database
from benchmarks.common import demo_load
from benchmarks.common import django_setup
from benchmarks.common import ggplot2_load
from benchmarks.common import load_run
from benchmarks.common import log
from benchmarks.common import migrate
from benchmarks.production_stack import app_errors_log
from benchmarks.production_stack import fd_limit_raise
from benchmarks.production_stack import process_tree
from benchmarks.production_stack import production_stack_running
from benchmarks.production_stack import redis_clean
from benchmarks.production_stack import rss_kb
from benchmarks.production_stack import sigterm_to_interrupt

DATABASE = "moochu_bench_stack"
PAGE_PATHS = ["/", "/?genre=drama&provider=netflix"]
ROOMS = 20


@dataclass(frozen=True)
class Settings:
    load_seconds: float  # per side (nginx / direct), split into two interleaved halves
    clients: int
    ws_connections: int
    ws_rate: float
    hold_seconds: float


FULL = Settings(load_seconds=20, clients=64, ws_connections=5000, ws_rate=250, hold_seconds=30)
QUICK = Settings(load_seconds=5, clients=64, ws_connections=500, ws_rate=250, hold_seconds=10)


# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------


def database_fill() -> list[int]:
    """Demo data (if this checkout has it) and ggplot2's films; returns the room title ids."""
    from django.db import connection

    from apps.movies.models import Title

    began = time.perf_counter()
    outcome = "loaded" if demo_load() else "no load_demo command in this checkout"
    log(f"demo data: {outcome} in {time.perf_counter() - began:.1f}s")
    report = ggplot2_load()
    log(f"ggplot2: {report.titles} films, {report.availabilities} offers in {report.seconds:.1f}s")
    title_ids = list(Title.objects.order_by("-popularity").values_list("id", flat=True)[:ROOMS])
    connection.close()
    return title_ids


# -----------------------------------------------------------------------------
# Page load
# -----------------------------------------------------------------------------


def pages_check(base_url: str) -> None:
    import httpx

    for path in PAGE_PATHS:
        response = httpx.get(base_url + path, timeout=30)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} via {base_url} answered {response.status_code}")


def merged(results: list[LoadResult]) -> LoadResult:
    return LoadResult(
        latencies_ms=[ms for r in results for ms in r.latencies_ms],
        seconds=sum(r.seconds for r in results),
        errors=sum(r.errors for r in results),
    )


def describe(name: str, result: LoadResult) -> str:
    return (
        f"{name}: {result.rps:.0f} req/s, p50 {result.percentile(50):.1f} ms, "
        f"p99 {result.percentile(99):.1f} ms, {len(result.latencies_ms)} ok, {result.errors} errors"
    )


# -----------------------------------------------------------------------------
# WebSockets
# -----------------------------------------------------------------------------


@dataclass
class WsOutcome:
    opened: int
    failed: int
    closed_during_hold: int
    held: int
    open_seconds: float
    rss_after_kb: int


async def _ws_hold(
    *, port: int, title_ids: list[int], total: int, rate: float, hold: float, watched: list[int]
) -> WsOutcome:
    from websockets.asyncio.client import connect
    from websockets.protocol import State

    origin = f"http://127.0.0.1:{port}"
    connections = []
    failed = 0
    in_flight = asyncio.Semaphore(500)  # bounded handshakes in flight, whatever the rate

    async def open_one(index: int) -> None:
        nonlocal failed
        url = f"ws://127.0.0.1:{port}/ws/chat/titles/{title_ids[index % len(title_ids)]}/"
        async with in_flight:
            try:
                # No client pings: the server pings every 20 s and the client answers.
                connections.append(await connect(url, origin=origin, ping_interval=None, open_timeout=30))
            except Exception:  # refused, timed out or reset: a failed connect
                failed += 1

    started = time.perf_counter()
    tasks = []
    for index in range(total):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(open_one(index)))
    await asyncio.gather(*tasks)
    open_seconds = time.perf_counter() - started
    log(f"ws: {len(connections)} opened, {failed} failed in {open_seconds:.1f}s; holding {hold:.0f}s")

    deadline = time.monotonic() + hold
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(5.0, left))
        still = sum(1 for c in connections if c.state is State.OPEN)
        log(f"ws: {still} of {len(connections)} open")
    rss_after = rss_kb([pid for root in watched for pid in process_tree(root)])
    closed_during_hold = sum(1 for c in connections if c.state is not State.OPEN)

    # Held = still open and answering a ping end to end (client -> nginx -> uvicorn -> back).
    pinging = asyncio.Semaphore(500)

    async def alive(connection) -> bool:
        async with pinging:
            try:
                pong = await connection.ping()
                await asyncio.wait_for(pong, timeout=15)
                return True
            except Exception:
                return False

    answers = await asyncio.gather(*(alive(c) for c in connections if c.state is State.OPEN))
    held = sum(answers)
    await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)
    return WsOutcome(
        opened=len(connections),
        failed=failed,
        closed_during_hold=closed_during_hold,
        held=held,
        open_seconds=open_seconds,
        rss_after_kb=rss_after,
    )


def ws_warm(*, port: int, title_ids: list[int]) -> None:
    """One socket per room first: imports, pools and rooms exist before the 'before' RSS."""
    asyncio.run(_ws_hold(port=port, title_ids=title_ids, total=len(title_ids), rate=50, hold=0, watched=[]))


# -----------------------------------------------------------------------------
# Main
# -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short loads, 500 sockets, 10 s hold")
    parser.add_argument("--connections", type=int, help="WebSockets to open")
    parser.add_argument("--rate", type=float, help="WebSocket connects per second")
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL
    connections_target = args.connections or settings.ws_connections
    rate = args.rate or settings.ws_rate
    signal.signal(signal.SIGTERM, sigterm_to_interrupt)
    fd_limit_raise()
    overall = time.perf_counter()

    try:
        with (
            bench_database(DATABASE) as database_url,
            tempfile.TemporaryDirectory(prefix="moochu-stack-") as tmp,
        ):
            django_setup(database_url)
            migrate()
            title_ids = database_fill()
            with production_stack_running(database_url, workdir=Path(tmp), websockets=True) as stack:
                assert stack.ws is not None
                figures = measure(
                    settings=settings,
                    edge_port=stack.edge_port,
                    http_port=stack.http_port,
                    title_ids=title_ids,
                    watched=[stack.ws.pid, stack.edge.pid],
                    connections_target=connections_target,
                    rate=rate,
                )
                for line in stack.nginx_alerts()[:5]:
                    log(f"nginx: {line}")
                app_errors_log(*stack.server_logs())
    finally:
        with contextlib.suppress(Exception):
            redis_clean()
    log(f"total {time.perf_counter() - overall:.0f}s")
    print(json.dumps(figures))


def measure(
    *,
    settings: Settings,
    edge_port: int,
    http_port: int,
    title_ids: list[int],
    watched: list[int],
    connections_target: int,
    rate: float,
) -> dict[str, float | int]:
    via_nginx = f"http://127.0.0.1:{edge_port}"
    direct = f"http://127.0.0.1:{http_port}"
    pages_check(via_nginx)
    pages_check(direct)
    nginx_urls = [via_nginx + path for path in PAGE_PATHS]
    direct_urls = [direct + path for path in PAGE_PATHS]
    load_run(nginx_urls, clients=settings.clients, duration=3)  # warm workers, pools, caches

    half = settings.load_seconds / 2
    runs: dict[str, list[LoadResult]] = {"nginx": [], "direct": []}
    for _ in range(2):
        runs["nginx"].append(load_run(nginx_urls, clients=settings.clients, duration=half))
        runs["direct"].append(load_run(direct_urls, clients=settings.clients, duration=half))
    nginx_result, direct_result = merged(runs["nginx"]), merged(runs["direct"])
    log(describe(f"pages via nginx, {settings.clients} clients", nginx_result))
    log(describe(f"pages direct,    {settings.clients} clients", direct_result))
    overhead = direct_result.rps / nginx_result.rps if nginx_result.rps else float("nan")
    log(f"nginx overhead (direct rps / nginx rps): {overhead:.3f}")

    ws_warm(port=edge_port, title_ids=title_ids)
    time.sleep(1)
    pids_before = [pid for root in watched for pid in process_tree(root)]
    rss_before = rss_kb(pids_before)
    log(f"ws: RSS before {rss_before / 1024:.0f} MB over {len(pids_before)} processes (ws server + nginx)")
    outcome = asyncio.run(
        _ws_hold(
            port=edge_port,
            title_ids=title_ids,
            total=connections_target,
            rate=rate,
            hold=settings.hold_seconds,
            watched=watched,
        )
    )
    kb_per_connection = (outcome.rss_after_kb - rss_before) / outcome.held if outcome.held else float("nan")
    log(
        f"ws: {outcome.held} held of {connections_target} "
        f"({outcome.failed} failed to open, {outcome.closed_during_hold} closed during the hold); "
        f"RSS after {outcome.rss_after_kb / 1024:.0f} MB, {kb_per_connection:.1f} KB per connection"
    )
    return {
        "page_rps": round(nginx_result.rps, 1),
        "page_p99_ms": round(nginx_result.percentile(99), 1),
        "ws_connections": outcome.held,
        "kb_per_connection": round(kb_per_connection, 1),
        "nginx_overhead": round(overhead, 3),
    }


if __name__ == "__main__":
    main()
