"""Celery tasks of the recommender: thin wrappers over one service each."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction

from apps.recs.services.ops import TrainingAlreadyRunning
from apps.recs.services.ops import recs_training_running

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def recs_model_train_task(as_of: str | None = None) -> None:
    from apps.recs.services.training import recs_model_train

    try:
        recs_model_train(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    except TrainingAlreadyRunning:
        # Not an error to retry: the running one trains on the same data.
        logger.info("recs training: one is already running; this request is dropped")


def recs_model_retrain_request() -> None:
    """Queue a retrain now (the admin's button); refused while one is running."""
    if recs_training_running():
        raise TrainingAlreadyRunning("A retrain is already running; try again when it has finished.")
    transaction.on_commit(lambda: recs_model_train_task.delay())


@shared_task(ignore_result=True, expires=50)
def events_flush_task() -> None:
    from django.conf import settings

    from apps.recs.services.events import events_flush

    # Drain up to a few batches per run; the next beat tick picks up the rest.
    for _ in range(10):
        if events_flush() < settings.RECS_EVENTS_FLUSH_BATCH:
            break


@shared_task(ignore_result=True, expires=60)
def recs_user_refresh_task(user_id: int) -> None:
    from django.contrib.auth import get_user_model

    from apps.recs.services.serving import recs_user_refresh

    if not get_user_model().objects.filter(id=user_id).exists():
        logger.info("recs refresh: user %s is gone", user_id)
        return
    recs_user_refresh(user_id=user_id)
