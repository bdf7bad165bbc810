"""Catalog tasks: thin wrappers over the crawl-run, poster and stats services, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from apps.movies.crawlers.base import TransientSourceError

logger = logging.getLogger(__name__)

# Longer than any crawl may run (CELERY_TASK_TIME_LIMIT), so a dead worker's lock expires.
CRAWL_LOCK_SECONDS = 35 * 60


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(TransientSourceError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=3,
)
def crawl_source_task(self, source: str) -> int | None:
    """Crawl one source into the catalog. Idempotent: unchanged records write nothing.

    Only transient errors (network, 429/5xx) are retried; a changed format is recorded
    as a failed run and not retried.
    """
    from apps.movies.services.crawl_runs import crawl_run_execute

    lock = f"{settings.REDIS_KEY_PREFIX}:crawl-lock:{source}"
    task_id = self.request.id or "eager"
    resumes_lost_run = False
    if not cache.add(lock, task_id, timeout=CRAWL_LOCK_SECONDS):
        # acks_late: a worker killed mid-run leaves the message unacknowledged, and the
        # broker hands it out again with the same task id, while the lock still names it.
        # That is this very crawl, resumed; anything else is another crawl, still running.
        if self.request.id is None or cache.get(lock) != task_id:
            logger.info("crawl of %s already running; skipped", source)
            return None
        logger.warning("crawl of %s resumes task %s, whose worker was lost", source, task_id)
        resumes_lost_run = True
    try:
        return crawl_run_execute(
            source=source, resumes_lost_run=resumes_lost_run, posters_copy=title_posters_copy_enqueue
        ).pk
    finally:
        cache.delete(lock)


@shared_task(
    acks_late=True,
    autoretry_for=(TransientSourceError,),
    retry_backoff=30,
    max_retries=2,
    ignore_result=True,
)
def title_poster_copy_task(title_id: int) -> None:
    """Copy one poster into our storage; a poster that cannot be fetched is skipped."""
    from apps.movies.services.posters import title_poster_copy

    title_poster_copy(title_id=title_id)


def title_posters_copy_enqueue(title_ids: list[int]) -> None:
    """Queue one poster copy per title (what a crawl passes as ``posters_copy``)."""
    for title_id in title_ids:
        try:
            title_poster_copy_task.delay(title_id)
        except Exception:
            # Eager Celery (the embedded default) runs the copy inline: its failure
            # must not fail the crawl that already committed.
            logger.warning("poster copy of title %s failed", title_id, exc_info=True)


@shared_task(acks_late=True, ignore_result=True, expires=60 * 60)
def title_stats_refresh_task() -> None:
    """Nightly: every title's rating aggregates and popularity from today's signals
    (ratings, watchlist adds, views, box office). Idempotent: unchanged rows are not written."""
    from apps.movies.services.popularity import title_stats_refresh

    changed = title_stats_refresh()
    logger.info("title stats refreshed: %s titles changed", changed)
