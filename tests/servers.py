"""Real server processes for end-to-end tests: ASGI app servers and nginx on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[1]
START_SCRIPTS = REPO / "compose" / "production" / "django"
NGINX_CONF = REPO / "compose" / "production" / "nginx" / "nginx.conf"


def redis_keys_delete(url: str, *, match: str) -> None:
    """Delete the keys matching ``match`` (never FLUSHDB: other runs share the server)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=match, count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen[bytes] | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


def app_server_env(**extra: str) -> dict[str, str]:
    """Environment for a served Moochu process sharing this test run's database and Redis."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "MOOCHU_REDIS_PREFIX": settings.REDIS_KEY_PREFIX,
        "PYTHON": str(REPO / ".venv" / "bin" / "python"),
        **extra,
    }


@contextmanager
def running(
    command: list[str], *, port: int, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process=process)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def nginx_config_for_test(
    *, listen: int, http_port: int, ws_port: int, static_root: Path, media_root: Path, workdir: Path
) -> Path:
    """Our production nginx.conf, with only addresses, ports and paths rewritten."""
    text = NGINX_CONF.read_text()
    replacements = {
        r"server http:8000;": f"server 127.0.0.1:{http_port};",
        r"server ws:8001;": f"server 127.0.0.1:{ws_port};",
        r"listen 80 default_server;": f"listen 127.0.0.1:{listen} default_server;",
        r"listen 80;": f"listen 127.0.0.1:{listen};",
        r"/srv/moochu/staticfiles/": f"{static_root}/",
        r"/srv/moochu/media/": f"{media_root}/",
        r"/tmp/nginx-moochu.pid": str(workdir / "nginx.pid"),
        r"/var/cache/nginx/moochu": str(workdir / "page-cache"),
        r"access_log /dev/stdout moochu;": f"access_log {workdir / 'access.log'} moochu;",
    }
    for old, new in replacements.items():
        assert old in text, f"nginx.conf no longer contains {old!r}"
        text = text.replace(old, new)
    text = re.sub(r"^worker_processes auto;", "worker_processes 2;", text, flags=re.M)
    if os.geteuid() == 0:
        # Started as root, nginx would drop workers to nobody, who cannot read pytest's tmp dirs.
        text = "user root;\n" + text
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        text = text.replace("http {\n", f"http {{\n    {temp}_temp_path {workdir / temp};\n", 1)
    conf = workdir / "nginx.conf"
    conf.write_text(text)
    return conf


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is not installed: scripts/services.sh installs Debian's nginx-light")
    return found


def run_on_embedded_sqlite(script: str, *, database: Path) -> Any:
    """Run a Python ``script`` in a fresh process on the embedded defaults (SQLite at
    ``database``, no Redis, Elasticsearch or forced search backend), as `make run` serves the
    demo; return the JSON its last output line holds."""
    hidden = {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "MOOCHU_SEARCH_BACKEND"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=f"sqlite:///{database}")
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def broker_options(prefix: str) -> dict[str, Any]:
    """Kombu Redis options for a test's worker: keys under ``prefix`` (other checkouts share
    Redis), and an unacknowledged message handed out again after 2 s (default: one hour)."""
    return {
        "global_keyprefix": prefix,
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }


@contextmanager
def celery_worker(*, queue: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker (tests/celery_worker.py: the project's app) consuming ``queue``.

    It runs in its own session, so ``os.killpg(worker.pid, SIGKILL)`` kills it with its pool
    process, as an OOM kill or a lost machine would. Ready when it logs "ready".
    """
    command = [
        sys.executable, "-m", "celery", "-A", "tests.celery_worker", "worker",
        "--queues", queue, "--concurrency", "1", "--pool", "prefork",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "info",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"celery worker not ready within 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
