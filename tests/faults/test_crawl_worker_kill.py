"""A real Celery worker (the project's app, Redis as broker) killed with SIGKILL in the middle
of a crawl: the broker hands the unacknowledged crawl out again, it runs to the end, and the
catalog is the one an uninterrupted run leaves: no title, record or offer lost or doubled.

The crawl is Megabox's recording (tests/fixtures/sources/megabox), answered one request at a
time with a pause so the kill lands mid-run; see tests/celery_worker.py.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import call_command

from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import Credit
from apps.movies.models import SourceOffer
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.crawl_runs import crawl_run_execute
from tests.movies.crawlers.recordings import FIXTURES
from tests.servers import app_server_env
from tests.servers import broker_options
from tests.servers import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RECORDING = FIXTURES / "megabox" / "index.json"
REQUESTS_IN_RECORDING = 9  # two lists, seven detail pages
TASK = "apps.movies.tasks.crawl_source_task"


def _catalog() -> dict[str, list[tuple[Any, ...]]]:
    """The catalog by natural keys (ids differ between runs), duplicates kept as duplicates."""
    return {
        "titles": sorted(
            Title.objects.values_list(
                "media_type", "title_ko", "title_en", "year", "release_date", "runtime_minutes", "age_rating"
            )
        ),
        "records": sorted(
            SourceRecord.objects.values_list("source", "external_id", "title__title_ko", "payload_hash")
        ),
        "offers": sorted(
            Availability.objects.values_list(
                "title__title_ko", "provider__slug", "offer_type", "region", "starts_on", "ends_on"
            )
        ),
        "offer_sources": sorted(
            SourceOffer.objects.values_list("source_record__external_id", "availability__offer_type")
        ),
        "credits": sorted(Credit.objects.values_list("title__title_ko", "person__name", "role")),
        "genres": sorted(Title.genres.through.objects.values_list("title__title_ko", "genre__slug")),
    }


def _wait_for(condition: Callable[[], Any], *, what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"gave up waiting for {what} after {timeout} s")


def _lines(marks: Path, word: str) -> list[str]:
    if not marks.exists():
        return []
    return [line for line in marks.read_text().splitlines() if line.split()[1] == word]


def _finished_runs() -> list[CrawlRun]:
    done = [CrawlRunStatus.SUCCEEDED, CrawlRunStatus.PARTIAL]
    return list(CrawlRun.objects.filter(source="megabox", status__in=done).order_by("id"))


@pytest.fixture
def broker(tmp_path):
    """A queue and a broker key prefix of this test's own, and a producer for them."""
    tag = uuid.uuid4().hex[:10]
    options = broker_options(f"{settings.REDIS_KEY_PREFIX}:celery-{tag}:")
    producer = Celery("crawl-kill-producer", broker=settings.REDIS_URL)
    producer.conf.broker_transport_options = options
    queue = f"crawl-kill-{tag}"
    env = app_server_env(
        DJANGO_SETTINGS_MODULE="config.settings.base",  # REDIS_URL set: Redis broker, not eager
        MOOCHU_TEST_BROKER_OPTIONS=json.dumps(options),
        MOOCHU_TEST_RECORDING=str(RECORDING),
        MOOCHU_TEST_MARKS=str(tmp_path / "marks"),
    )

    def send() -> str:
        return producer.send_task(TASK, args=["megabox"], queue=queue).id

    yield {"queue": queue, "env": env, "send": send, "marks": tmp_path / "marks"}
    producer.close()


def _kill(worker) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def test_worker_killed_mid_crawl_resumes_and_leaves_what_an_uninterrupted_run_does(broker, tmp_path):
    queue, env, marks = broker["queue"], broker["env"], broker["marks"]

    # given a crawl killed after 4 of its 9 requests, before anything was merged
    task_id = broker["send"]()
    slow = {**env, "MOOCHU_TEST_REQUEST_DELAY": "0.5"}
    with celery_worker(queue=queue, env=slow, log=tmp_path / "worker1.log") as worker:
        _wait_for(lambda: len(_lines(marks, "request")) >= 4, what="4 requests of the crawl")
        _kill(worker)
    assert CrawlRun.objects.get(source="megabox").status == CrawlRunStatus.RUNNING
    assert Title.objects.count() == 0  # the merge is one transaction: nothing of it landed

    # when a new worker starts, the broker hands the unacknowledged crawl out again
    with celery_worker(queue=queue, env=env, log=tmp_path / "worker2.log"):
        runs = _wait_for(_finished_runs, what="the resumed crawl to finish")
        _wait_for(lambda: _lines(marks, "finished"), what="the task to be acknowledged")

    # then the resumed crawl ran under the same task id and closed the lost run
    assert f"finished {task_id} SUCCESS" in marks.read_text()
    assert len(runs) == 1
    assert runs[0].new_count > 0
    lost = CrawlRun.objects.get(source="megabox", status=CrawlRunStatus.FAILED)
    assert "interrupted" in lost.alert
    assert not CrawlRun.objects.filter(status=CrawlRunStatus.RUNNING).exists()
    assert len(_lines(marks, "request")) >= 4 + REQUESTS_IN_RECORDING
    resumed = _catalog()

    # given the next crawl is killed after it committed, before its message was acknowledged
    marks.unlink()
    broker["send"]()
    holding = {**env, "MOOCHU_TEST_HOLD_ACK": "120"}
    with celery_worker(queue=queue, env=holding, log=tmp_path / "worker3.log") as worker:
        _wait_for(lambda: _lines(marks, "finished"), what="the second crawl to commit")
        _kill(worker)
    # when it is handed out again and runs a second time
    with celery_worker(queue=queue, env=env, log=tmp_path / "worker4.log"):
        runs = _wait_for(lambda: (r := _finished_runs())[2:] and r, what="the redelivered crawl")
    # then the rerun changed nothing and the catalog holds each row once
    assert (runs[2].new_count, runs[2].updated_count, runs[2].closed_count) == (0, 0, 0)
    assert runs[2].unchanged_count == runs[0].new_count + runs[0].updated_count
    assert _catalog() == resumed

    # and an uninterrupted run on an empty catalog leaves exactly the same rows
    call_command("flush", interactive=False, verbosity=0)
    run = crawl_run_execute(source="megabox", from_file=RECORDING)
    assert run.status == runs[0].status
    assert _catalog() == resumed
