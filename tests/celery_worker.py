"""The project's Celery app as a real worker process for tests (see tests/servers.py).

Everything is real (the app and its task settings, Redis as broker, PostgreSQL) except the
crawlers' HTTP: it is answered from a recording, one request at a time with a pause, so a
test can kill the worker in the middle of a crawl. The broker keys live under a prefix of
their own, and abandoned messages come back after seconds instead of the default hour.

Environment: MOOCHU_TEST_BROKER_OPTIONS (JSON kombu transport options),
MOOCHU_TEST_RECORDING (an index.json), MOOCHU_TEST_REQUEST_DELAY (seconds),
MOOCHU_TEST_MARKS (a file the worker appends progress lines to), MOOCHU_TEST_HOLD_ACK
(seconds a finished task waits before it is acknowledged).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import django

django.setup()

from celery.signals import task_postrun  # noqa: E402

from apps.movies.crawlers import base  # noqa: E402
from config.celery import app  # noqa: E402

RECORDING = Path(os.environ["MOOCHU_TEST_RECORDING"])
DELAY = float(os.environ.get("MOOCHU_TEST_REQUEST_DELAY", "0"))
MARKS = Path(os.environ["MOOCHU_TEST_MARKS"])
HOLD_ACK = float(os.environ.get("MOOCHU_TEST_HOLD_ACK", "0"))


def _mark(line: str) -> None:
    with MARKS.open("a", encoding="utf-8") as marks:
        marks.write(f"{os.getpid()} {line}\n")


class _SlowReplay(base.ReplayTransport):
    def _answer(self, request: Any) -> Any:
        _mark(f"request {request.url.path}")
        time.sleep(DELAY)
        return super()._answer(request)


_client_init = base.PoliteClient.__init__


def _replaying_init(self: base.PoliteClient, **kwargs: Any) -> None:
    kwargs.setdefault("transport", None)
    kwargs["transport"] = kwargs["transport"] or _SlowReplay(RECORDING)
    kwargs["min_interval"] = 0.0
    _client_init(self, **kwargs)


base.PoliteClient.__init__ = _replaying_init  # type: ignore[method-assign]

app.conf.broker_transport_options = json.loads(os.environ["MOOCHU_TEST_BROKER_OPTIONS"])


@task_postrun.connect
def _finished(task_id: str | None = None, state: str | None = None, **kwargs: Any) -> None:
    # Runs in the pool process before the late acknowledgement: a kill here is a task that
    # committed its work but whose message the broker still holds.
    _mark(f"finished {task_id} {state}")
    time.sleep(HOLD_ACK)
