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
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT
from benchmarks.common import LoadResult
from benchmarks.common import bench_database
from benchmarks.common import demo_load
from benchmarks.common import django_setup
from benchmarks.common import ggplot2_load
from benchmarks.common import load_run
from benchmarks.common import log
from benchmarks.common import migrate
from tests.servers import START_SCRIPTS
from tests.servers import free_port
from tests.servers import nginx_binary
from tests.servers import nginx_config_for_test
from tests.servers import running
from tests.servers import wait_for_port

DATABASE = "moochu_bench_stack"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = f"moochu-bench-stack-{os.getpid()}"
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
# Processes
# -----------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc), parents first."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop(0)
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(OSError):
                    queue += [int(child) for child in (task / "children").read_text().split()]
    return found


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


@contextlib.contextmanager
def reaped(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """Yield ``process``; afterwards SIGKILL any descendant that outlived its parent.

    ``running`` stops the parent only; if it had to be killed (uvicorn can wait on open
    sockets), its workers would linger. Only pids this benchmark started are touched.
    """
    seen: set[int] = set(process_tree(process.pid))
    try:
        yield process
        seen.update(process_tree(process.pid))
    finally:
        seen.discard(process.pid)
        for pid in seen:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _sigterm_to_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


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


def collectstatic(env: dict[str, str]) -> None:
    """Production settings use the manifest storage: pages need a collected STATIC_ROOT."""
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def redis_clean() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{REDIS_PREFIX}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def server_env(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SECRET_KEY": "moochu-benchmark-only-key-8d2e61c4b0a9",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "MOOCHU_REDIS_PREFIX": REDIS_PREFIX,
        "ELASTICSEARCH_URL": "",
        "PYTHON": str(ROOT / ".venv" / "bin" / "python"),
    }
    env.pop("MONGO_URL", None)
    return env


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


def app_errors_log(*logs: Path) -> None:
    """Failed requests are figures too: show why (first few distinct error lines per server)."""
    for path in logs:
        lines = path.read_text(errors="replace").splitlines()
        errors = [line for line in lines if "Error" in line or "error" in line or '" 5' in line]
        log(f"{path.name}: {len(errors)} error lines")
        for line in list(dict.fromkeys(line[:300] for line in errors))[:4]:
            log(f"  {line}")


def fd_limit_raise() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short loads, 500 sockets, 10 s hold")
    parser.add_argument("--connections", type=int, help="WebSockets to open")
    parser.add_argument("--rate", type=float, help="WebSocket connects per second")
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL
    connections_target = args.connections or settings.ws_connections
    rate = args.rate or settings.ws_rate
    signal.signal(signal.SIGTERM, _sigterm_to_interrupt)
    fd_limit_raise()
    overall = time.perf_counter()

    try:
        with (
            bench_database(DATABASE) as database_url,
            tempfile.TemporaryDirectory(prefix="moochu-stack-") as tmp,
        ):
            workdir = Path(tmp)
            django_setup(database_url)
            migrate()
            title_ids = database_fill()
            env = server_env(database_url)
            collectstatic(env)
            (workdir / "media").mkdir()
            http_port, ws_port, edge_port = free_port(), free_port(), free_port()
            conf = nginx_config_for_test(
                listen=edge_port,
                http_port=http_port,
                ws_port=ws_port,
                static_root=ROOT / "staticfiles",
                media_root=workdir / "media",
                workdir=workdir,
            )
            nginx = [nginx_binary(), "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
            check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, check=False)
            if check.returncode != 0:
                raise SystemExit(f"nginx -t failed:\n{check.stderr}")
            http_env = {**env, "BIND": f"127.0.0.1:{http_port}", "WEB_CONCURRENCY": "2"}
            ws_env = {**env, "WS_HOST": "127.0.0.1", "WS_PORT": str(ws_port), "WS_WORKERS": "2"}
            log(f"starting nginx :{edge_port} -> http :{http_port} (2 workers), ws :{ws_port} (2 workers)")
            nginx_run = [*nginx, "-g", "daemon off;"]
            start_http, start_ws = [str(START_SCRIPTS / "start-http")], [str(START_SCRIPTS / "start-ws")]
            with (
                running(start_http, port=http_port, env=http_env, log=workdir / "http.log") as http,
                reaped(http),
                running(start_ws, port=ws_port, env=ws_env, log=workdir / "ws.log") as ws,
                reaped(ws),
                running(nginx_run, port=edge_port, env={}, log=workdir / "nginx.out") as edge,
                reaped(edge),
            ):
                wait_for_port(edge_port)
                figures = measure(
                    settings=settings,
                    edge_port=edge_port,
                    http_port=http_port,
                    title_ids=title_ids,
                    watched=[ws.pid, edge.pid],
                    connections_target=connections_target,
                    rate=rate,
                )
                alerts = [
                    line
                    for line in (workdir / "error.log").read_text().splitlines()
                    if "[alert]" in line or "[emerg]" in line or "[crit]" in line
                ]
                for line in alerts[:5]:
                    log(f"nginx: {line}")
                app_errors_log(workdir / "http.log", workdir / "ws.log")
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
