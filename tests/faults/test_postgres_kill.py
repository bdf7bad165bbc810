"""PostgreSQL backends killed mid-traffic (``pg_terminate_backend`` on this run's test database
only) cost at most one failed request per kill: the served process's connection pool checks
each connection before handing it out."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.factories import TitleFactory
from tests.servers import START_SCRIPTS
from tests.servers import app_server_env
from tests.servers import free_port
from tests.servers import running

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KILLS = 3


def _kill_backends_of_this_test_database() -> int:
    """Terminate every other session on the test database (never another database)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _other_backends_of_this_test_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _kill_once_the_pool_has_reconnected(timeout_s: float = 30.0) -> int:
    """The pool refills in the background after a kill; on a loaded machine that can take longer
    than the pause between kills, and a kill that finds no backend tests nothing. Wait for one."""
    deadline = time.monotonic() + timeout_s
    while _other_backends_of_this_test_database() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    return _kill_backends_of_this_test_database()


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer at all counts as a failure too


def test_a_killed_backend_costs_at_most_one_failed_request(tmp_path) -> None:
    title = TitleFactory()
    port = free_port()
    env = app_server_env(
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        HTTP_THREADS="4",
        DJANGO_DB_POOL="1",
        DJANGO_DB_POOL_MIN="6",
    )
    url = f"http://127.0.0.1:{port}/api/titles/{title.pk}/"
    with running([str(START_SCRIPTS / "start-http")], port=port, env=env, log=tmp_path / "http.log"):
        deadline = time.monotonic() + 90
        while _get(url) != 200:
            assert time.monotonic() < deadline, (tmp_path / "http.log").read_text()[-2000:]
            time.sleep(0.2)
        statuses: list[int] = []
        killed: list[int] = []
        stop = threading.Event()

        def traffic() -> None:
            # One client: at most one request is in flight when a kill lands, so every failure
            # beyond one per kill is a dead connection the pool handed out.
            while not stop.is_set():
                statuses.append(_get(url))

        worker = threading.Thread(target=traffic)
        worker.start()
        try:
            for _ in range(KILLS):
                time.sleep(1.0)
                killed.append(_kill_once_the_pool_has_reconnected())
            time.sleep(1.0)
        finally:
            stop.set()
            worker.join()
    failed = sum(status != 200 for status in statuses)
    print(f"pg kills: {KILLS}, backends killed: {killed}, requests: {len(statuses)}, failed: {failed}")
    assert all(count >= 1 for count in killed)
    assert failed <= KILLS, f"{failed} failed requests over {KILLS} kills"
