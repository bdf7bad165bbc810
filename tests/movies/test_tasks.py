from __future__ import annotations

import io

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from apps.movies import tasks
from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import TransientSourceError
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import Title
from apps.movies.services import crawl_runs
from apps.movies.services import posters
from tests.factories import TitleFactory
from tests.movies.crawlers.recordings import replay_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_locks():
    # Only our own keys: the test Redis is shared with other checkouts (never flush it).
    keys = [f"{settings.REDIS_KEY_PREFIX}:crawl-lock:{source}" for source in ("lotte", "megabox")]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def test_crawl_source_task_runs_the_source_and_records_the_run(monkeypatch):
    monkeypatch.setattr(crawl_runs, "PoliteClient", lambda **kwargs: replay_client("lotte")[0])

    run_id = tasks.crawl_source_task("lotte")

    run = CrawlRun.objects.get(id=run_id)
    assert (run.source, run.status, run.new_count) == ("lotte", CrawlRunStatus.SUCCEEDED, 5)
    assert Title.objects.count() == 5
    assert not cache.get(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte")  # released


def test_crawl_source_task_skips_while_the_same_source_runs(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(crawl_runs, "crawl_run_execute", lambda **kwargs: calls.append(kwargs["source"]))
    cache.add(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte", "other-worker")

    assert tasks.crawl_source_task("lotte") is None
    assert calls == []


def test_redelivered_crawl_takes_over_its_own_lock_and_closes_the_lost_run(monkeypatch):
    # given a worker died running task t-1: its lock and its "running" run are left behind
    monkeypatch.setattr(crawl_runs, "PoliteClient", lambda **kwargs: replay_client("lotte")[0])
    cache.add(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte", "t-1")
    lost = CrawlRun.objects.create(source="lotte", started_at=timezone.now())

    # when the broker hands t-1 out again
    run_id = tasks.crawl_source_task.apply(args=["lotte"], task_id="t-1").get()

    # then it runs, and the lost run is closed as failed
    assert CrawlRun.objects.get(id=run_id).status == CrawlRunStatus.SUCCEEDED
    lost.refresh_from_db()
    assert lost.status == CrawlRunStatus.FAILED
    assert lost.alert.startswith("interrupted")
    assert not cache.get(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte")


def test_crawl_held_by_another_task_id_is_skipped(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(crawl_runs, "crawl_run_execute", lambda **kwargs: calls.append(kwargs["source"]))
    cache.add(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte", "t-1")

    assert tasks.crawl_source_task.apply(args=["lotte"], task_id="t-2").get() is None
    assert calls == []


@pytest.fixture
def retries(monkeypatch):
    """Capture retries the task asks Celery for, instead of scheduling them."""
    asked: list[dict] = []

    def retry(**kwargs):
        asked.append(kwargs)
        return Retry(exc=kwargs.get("exc"))

    monkeypatch.setattr(tasks.crawl_source_task, "retry", retry)
    return asked


def test_crawl_source_task_retries_transient_errors(monkeypatch, retries):
    def busy(**kwargs):
        raise TransientSourceError("HTTP 503")

    monkeypatch.setattr(crawl_runs, "crawl_run_execute", busy)

    with pytest.raises(Retry):
        tasks.crawl_source_task("lotte")

    assert isinstance(retries[0]["exc"], TransientSourceError)
    assert tasks.crawl_source_task.max_retries == 3
    assert tasks.crawl_source_task.acks_late is True


def test_crawl_source_task_does_not_retry_other_errors(monkeypatch, retries):
    def broken(**kwargs):
        raise CrawlError("HTTP 404")

    monkeypatch.setattr(crawl_runs, "crawl_run_execute", broken)

    with pytest.raises(CrawlError):
        tasks.crawl_source_task("lotte")

    assert retries == []
    assert not cache.get(f"{settings.REDIS_KEY_PREFIX}:crawl-lock:lotte")


def test_beat_schedule_has_one_task_per_enabled_source():
    from apps.movies.crawlers.registry import enabled_source_names

    scheduled = {
        entry["args"][0]: entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "apps.movies.tasks.crawl_source_task"
    }

    # CGV is switched off (it needs a browser session), Daum closed: neither is scheduled
    assert set(scheduled) == {"megabox", "lotte", "tmdb", "kobis"} == set(enabled_source_names())
    assert scheduled["megabox"]["schedule"].hour == set(range(24))  # cinemas hourly
    assert len(scheduled["tmdb"]["schedule"].hour) == 1  # OTT lists daily


def test_poster_task_copies_through_the_service(monkeypatch):
    import httpx

    title = TitleFactory(poster_source_url="https://img.megabox.co.kr/p.gif")
    buffer = io.BytesIO()
    Image.new("P", (2, 2)).save(buffer, format="GIF")
    gif = buffer.getvalue()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=gif))
    monkeypatch.setattr(
        posters, "PoliteClient", lambda **kwargs: PoliteClient(transport=transport, sleep=lambda s: None)
    )

    tasks.title_poster_copy_task(title.id)

    title.refresh_from_db()
    assert title.poster.name.endswith(".gif")


def test_poster_task_ignores_a_deleted_title():
    assert tasks.title_poster_copy_task(987654) is None


def test_crawl_source_task_queues_a_poster_copy_per_new_poster_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(crawl_runs, "PoliteClient", lambda **kwargs: replay_client("lotte")[0])
    queued: list[int] = []
    monkeypatch.setattr(tasks.title_poster_copy_task, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.crawl_source_task("lotte")

    with_posters = Title.objects.exclude(poster_source_url="").values_list("id", flat=True)
    assert queued == sorted(with_posters)
    assert len(queued) == 5


def test_a_poster_copy_that_fails_inline_does_not_fail_the_committed_crawl(monkeypatch, caplog):
    # Eager Celery runs the copy inside delay(); the crawl has already committed.
    def broken(title_id: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(tasks.title_poster_copy_task, "delay", broken)

    tasks.title_posters_copy_enqueue([1, 2])

    assert [r.getMessage() for r in caplog.records] == [
        "poster copy of title 1 failed",
        "poster copy of title 2 failed",
    ]


def test_a_crawl_without_a_poster_copier_queues_no_copies(monkeypatch, django_capture_on_commit_callbacks):
    queued: list[int] = []
    monkeypatch.setattr(tasks.title_poster_copy_task, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        crawl_runs.crawl_run_execute(source="lotte", client=replay_client("lotte")[0])

    assert Title.objects.count() == 5
    assert queued == []
