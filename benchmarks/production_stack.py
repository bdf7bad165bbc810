"""The production stack on loopback, for the benchmarks that measure through it.

Debian nginx with ``compose/production/nginx/nginx.conf`` (only ports and paths rewritten, as
the routing test does) in front of the real start scripts: ``start-http`` (gunicorn) and, when
asked, ``start-ws``, both on ``config.settings.production`` with Redis and the benchmark's own
PostgreSQL database. ``benchmarks/stack.py`` and ``benchmarks/pages.py`` start it the same way:

    signal.signal(signal.SIGTERM, sigterm_to_interrupt)
    fd_limit_raise()
    with production_stack_running(database_url, workdir=workdir, websockets=True) as stack:
        ...  # stack.edge_port (nginx), stack.http_port, stack.ws_port, stack.ws (the process)

Every process it starts is stopped (its strays killed) on leaving, on error, Ctrl-C or
SIGTERM; ``redis_clean`` removes the keys the servers wrote under this run's prefix.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT
from benchmarks.common import log
from tests.servers import START_SCRIPTS
from tests.servers import free_port
from tests.servers import nginx_binary
from tests.servers import nginx_config_for_test
from tests.servers import redis_keys_delete
from tests.servers import running
from tests.servers import wait_for_port

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = f"moochu-bench-stack-{os.getpid()}"
# Two workers per server: the machine has two cores.
HTTP_WORKERS = 2
WS_WORKERS = 2


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


def sigterm_to_interrupt(signum: int, frame: object) -> None:
    """A SIGTERM handler: unwind like Ctrl-C, so every ``finally`` cleans up."""
    raise KeyboardInterrupt(f"signal {signum}")


def fd_limit_raise() -> None:
    """Thousands of sockets need more file descriptors than the default soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def app_errors_log(*logs: Path) -> None:
    """Failed requests are figures too: show why (first few distinct error lines per server)."""
    for path in logs:
        lines = path.read_text(errors="replace").splitlines()
        errors = [line for line in lines if "Error" in line or "error" in line or '" 5' in line]
        log(f"{path.name}: {len(errors)} error lines")
        for line in list(dict.fromkeys(line[:300] for line in errors))[:4]:
            log(f"  {line}")


# -----------------------------------------------------------------------------
# Servers
# -----------------------------------------------------------------------------


def collectstatic(env: dict[str, str]) -> None:
    """Production settings use the manifest storage: pages need a collected STATIC_ROOT."""
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def redis_clean() -> None:
    """Remove the keys the servers wrote under this run's prefix."""
    redis_keys_delete(REDIS_URL, match=f"{REDIS_PREFIX}*")


def server_env(database_url: str) -> dict[str, str]:
    """The environment the start scripts run with: production settings on loopback."""
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


@dataclass(frozen=True)
class ProductionStack:
    """The running stack: nginx on ``edge_port`` in front of the HTTP (and WS) server."""

    edge_port: int
    http_port: int
    ws_port: int
    edge: subprocess.Popen[bytes]
    http: subprocess.Popen[bytes]
    ws: subprocess.Popen[bytes] | None
    workdir: Path

    @property
    def edge_url(self) -> str:
        return f"http://127.0.0.1:{self.edge_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def nginx_alerts(self) -> list[str]:
        """nginx's alert, emerg and crit lines so far."""
        return [
            line
            for line in (self.workdir / "error.log").read_text().splitlines()
            if "[alert]" in line or "[emerg]" in line or "[crit]" in line
        ]

    def server_logs(self) -> list[Path]:
        return [self.workdir / "http.log", *([self.workdir / "ws.log"] if self.ws is not None else [])]


@contextlib.contextmanager
def production_stack_running(
    database_url: str, *, workdir: Path, websockets: bool
) -> Iterator[ProductionStack]:
    """Collect static files, then run nginx and ``start-http`` (and ``start-ws`` when
    ``websockets``) on free ports against ``database_url``, logging into ``workdir``."""
    env = server_env(database_url)
    collectstatic(env)
    (workdir / "media").mkdir()
    http_port, ws_port, edge_port = free_port(), free_port(), free_port()
    conf = nginx_config_for_test(
        listen=edge_port,
        http_port=http_port,
        ws_port=ws_port,
        static_root=Path(env.get("DJANGO_STATIC_ROOT", ROOT / "staticfiles")),
        media_root=workdir / "media",
        workdir=workdir,
    )
    nginx = [nginx_binary(), "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
    check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise SystemExit(f"nginx -t failed:\n{check.stderr}")
    http_env = {**env, "BIND": f"127.0.0.1:{http_port}", "WEB_CONCURRENCY": str(HTTP_WORKERS)}
    ws_env = {**env, "WS_HOST": "127.0.0.1", "WS_PORT": str(ws_port), "WS_WORKERS": str(WS_WORKERS)}
    ws_said = f", ws :{ws_port} ({WS_WORKERS} workers)" if websockets else ""
    log(f"starting nginx :{edge_port} -> http :{http_port} ({HTTP_WORKERS} workers){ws_said}")
    start_http, start_ws = [str(START_SCRIPTS / "start-http")], [str(START_SCRIPTS / "start-ws")]
    with contextlib.ExitStack() as started:
        http = started.enter_context(
            running(start_http, port=http_port, env=http_env, log=workdir / "http.log")
        )
        started.enter_context(reaped(http))
        ws = None
        if websockets:
            ws = started.enter_context(running(start_ws, port=ws_port, env=ws_env, log=workdir / "ws.log"))
            started.enter_context(reaped(ws))
        edge = started.enter_context(
            running([*nginx, "-g", "daemon off;"], port=edge_port, env={}, log=workdir / "nginx.out")
        )
        started.enter_context(reaped(edge))
        wait_for_port(edge_port)
        yield ProductionStack(
            edge_port=edge_port,
            http_port=http_port,
            ws_port=ws_port,
            edge=edge,
            http=http,
            ws=ws,
            workdir=workdir,
        )
