"""Celery tasks of the social app (thin: one service each)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(expires=55)
def visits_flush_task() -> None:
    """Move pending homepage-visit counts from Redis into VisitDaily (every minute)."""
    from apps.social.services import visits_flush

    rows = visits_flush()
    if rows:
        logger.info("flushed visitor counts for %s homepage-days", rows)


@shared_task(acks_late=True)
def rights_batch_run_task() -> None:
    """The daily inactive-rights batch (apps/social/rights.py)."""
    from apps.social.rights import rights_batch_run

    rights_batch_run(now=timezone.now())


def watch_alerts_for_offers_enqueue(*, availability_ids: list[int], run_id: int | None = None) -> None:
    """The catalog's offers-opened hook: alerts are computed by a task, off the crawl."""
    watch_alerts_create_task.delay(availability_ids=availability_ids)


@shared_task(acks_late=True, ignore_result=True)
def watch_alerts_create_task(*, availability_ids: list[int]) -> None:
    """Alerts for the offers one crawl opened. Idempotent: the alert's unique key
    (user, title, provider) makes a retried or repeated task alert nobody twice."""
    from apps.social.services.watch_alerts import watch_alerts_create

    created = watch_alerts_create(availability_ids=availability_ids)
    if created:
        logger.info("watchlist alerts: %s new", len(created))
