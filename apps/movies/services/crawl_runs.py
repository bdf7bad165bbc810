"""Crawl runs: fetch one source, merge it, record the run, report a failure.

``crawl_run_execute`` is what the crawl task and ``manage.py crawl`` call. Suspicious runs
(nothing listed, most records failing, a sudden drop) alert Slack and the admin; offers a run
opened are announced to the apps that listen (watchlist alerts) after commit. Services never
import tasks: the caller that wants posters copied passes how to queue them (``posters_copy``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import ReplayTransport
from apps.movies.crawlers.base import TransientSourceError
from apps.movies.crawlers.registry import crawler_for
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import SourceRecord
from apps.movies.raw_store import raw_store_get
from apps.movies.services.ingestion import source_records_ingest
from apps.movies.services.ingestion import title_match_keys_backfill

logger = logging.getLogger(__name__)


def crawl_run_execute(
    *,
    source: str,
    client: PoliteClient | None = None,
    from_file: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    slack_transport: httpx.BaseTransport | None = None,
    resumes_lost_run: bool = False,
    posters_copy: Callable[[list[int]], None] | None = None,
) -> CrawlRun:
    """Run one source end to end and record it as a CrawlRun.

    A run-level failure (format change, HTTP error, unknown source) is recorded as
    FAILED with nothing of it written, and posted to Slack when configured. Transient
    errors are re-raised after recording, so the calling task can retry.
    ``from_file`` replays a recording (an ``index.json``, see ReplayTransport).
    ``resumes_lost_run``: the caller holds the source's lock for a crawl whose worker
    died; the run it left "running" is closed as failed (its writes were rolled back).
    ``posters_copy(title_ids)`` queues the copies of the posters this run found, after commit
    (the crawl task and command pass ``title_posters_copy_enqueue``); without it none are copied.
    """
    if resumes_lost_run:
        _crawl_runs_interrupted_close(source=source)
    run = CrawlRun.objects.create(source=source, started_at=timezone.now())
    owns_client = client is None
    try:
        crawler = crawler_for(source)
        if hasattr(crawler, "known_ids") and crawler.known_ids is None:
            # A changes feed refreshes only what the catalog already has from this source.
            crawler.known_ids = set(
                SourceRecord.objects.filter(source=source).values_list("external_id", flat=True)
            )
        if client is None:
            transport = ReplayTransport(Path(from_file)) if from_file else None
            client = PoliteClient(transport=transport, min_interval=0.0 if from_file else None)
        result = crawler.crawl(client, progress=progress)
        # Titles loaded outside ingestion (the demo catalog, an admin add) get keys first.
        title_match_keys_backfill()
        report = source_records_ingest(
            source=source,
            records=result.records,
            seen_ids=result.seen_ids,
            complete=result.complete,
            fetched_at=run.started_at,
            raw_store=raw_store_get(),
        )
    except Exception as exc:
        _crawl_run_fail(run, exc, slack_transport=slack_transport)
        if isinstance(exc, TransientSourceError) or not isinstance(exc, CrawlError | KeyError | OSError):
            raise
        return run
    finally:
        if owns_client and client is not None:
            client.close()

    errors = [e.as_dict() for e in result.errors] + [e.as_dict() for e in report.errors]
    failed = result.failed + report.failed
    run.status = CrawlRunStatus.PARTIAL if failed else CrawlRunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.new_count, run.updated_count, run.unchanged_count = report.new, report.updated, report.unchanged
    run.failed_count, run.closed_count, run.errors = failed, report.closed, errors
    run.complete = result.complete
    run.opened_count = len(report.opened_availability_ids)
    run.alert = crawl_run_suspicion(run=run)
    run.save()
    logger.info(
        "crawl %s: %s new, %s updated, %s unchanged, %s failed, %s closed, %s opened",
        source,
        report.new,
        report.updated,
        report.unchanged,
        failed,
        report.closed,
        run.opened_count,
    )
    if run.alert:
        logger.error("crawl %s needs attention: %s", source, run.alert)
        crawl_run_alert_notify(run=run, transport=slack_transport)
    # Saved answers may be months old: a replay fills the catalog but alerts nobody.
    if report.opened_availability_ids and not from_file:
        opened = sorted(report.opened_availability_ids)
        transaction.on_commit(lambda: offers_opened_announce(availability_ids=opened, run_id=run.pk))
    # A replayed recording never reaches the network, posters included.
    if posters_copy is not None and report.poster_title_ids and not from_file:
        poster_ids = sorted(report.poster_title_ids)
        transaction.on_commit(lambda: posters_copy(poster_ids))
    return run


# A run listing fewer than this share of the records of the source's last good run
# is a sudden drop (a half-loaded page, a quietly narrowed API), worth a look.
SUDDEN_DROP_RATIO = 0.5
# Below this many records a drop says little (a small festival list).
SUDDEN_DROP_MIN_RECORDS = 10


def crawl_run_suspicion(*, run: CrawlRun) -> str:
    """Why a finished run looks wrong, or "" (0 records, most failing, a sudden drop)."""
    records = run.new_count + run.updated_count + run.unchanged_count
    if records == 0:
        return f"no records ({run.failed_count} failed)"
    if run.failed_count > records:
        return f"most records failed ({run.failed_count} failed, {records} read)"
    previous = (
        CrawlRun.objects.filter(
            source=run.source, status__in=[CrawlRunStatus.SUCCEEDED, CrawlRunStatus.PARTIAL]
        )
        .exclude(pk=run.pk)
        .order_by("-started_at", "-id")
        .values_list("new_count", "updated_count", "unchanged_count")
        .first()
    )
    if previous is not None:
        before = sum(previous)
        if before >= SUDDEN_DROP_MIN_RECORDS and records < before * SUDDEN_DROP_RATIO:
            return f"sudden drop: {records} records, the last run read {before}"
    return ""


def _crawl_runs_interrupted_close(*, source: str) -> int:
    """Close the runs of ``source`` a lost worker left running (call holding its lock)."""
    message = "interrupted: the worker running it was lost; the crawl ran again"
    return CrawlRun.objects.filter(source=source, status=CrawlRunStatus.RUNNING).update(
        status=CrawlRunStatus.FAILED,
        finished_at=timezone.now(),
        errors=[{"external_id": None, "message": message, "level": "error"}],
        alert=message,
    )


def _crawl_run_fail(run: CrawlRun, exc: Exception, *, slack_transport: httpx.BaseTransport | None) -> None:
    message = str(exc) or type(exc).__name__
    logger.error("crawl %s failed: %s", run.source, message)
    run.status = CrawlRunStatus.FAILED
    run.finished_at = timezone.now()
    run.errors = [{"external_id": None, "message": message, "level": "error"}]
    run.alert = f"failed: {message}"[:300]
    run.save(update_fields=["status", "finished_at", "errors", "alert"])
    crawl_run_alert_notify(run=run, transport=slack_transport)


def offers_opened_announce(*, availability_ids: list[int], run_id: int | None = None) -> None:
    """Tell the apps that listen (watchlist alerts) which offers a run opened. Never raises:
    the run is committed; a listener's failure is logged, not the crawl's."""
    from apps.movies.hooks import offers_opened_listeners

    for listener in offers_opened_listeners():
        try:
            listener(availability_ids=availability_ids, run_id=run_id)
        except Exception:
            logger.exception("offers-opened listener %r failed", listener)


def crawl_run_alert_notify(*, run: CrawlRun, transport: httpx.BaseTransport | None = None) -> bool:
    """Post a failed or suspicious run to the Slack webhook, if one is configured. Never raises."""
    url = settings.SLACK_WEBHOOK_URL
    if not url:
        return False
    if run.status == CrawlRunStatus.FAILED:
        message = run.errors[0]["message"] if run.errors else "unknown error"
        text = f":warning: Moochu crawl of *{run.source}* failed (run {run.pk}): {message}"
    else:
        text = f":warning: Moochu crawl of *{run.source}* looks wrong (run {run.pk}): {run.alert}"
    try:
        with httpx.Client(transport=transport, timeout=10.0) as client:
            client.post(url, json={"text": text}).raise_for_status()
    except httpx.HTTPError as exc:
        logger.warning("could not post crawl alert to Slack: %s", exc)
        return False
    return True
