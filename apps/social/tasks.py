"""Celery tasks of the social app (thin: one service each)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(expires=55)
def visits_flush_task() -> None:
    """Move pending homepage-visit counts from Redis into VisitDaily (every minute)."""
    from apps.social.services import visits_flush

    rows = visits_flush()
    if rows:
        logger.info("flushed visitor counts for %s homepage-days", rows)
