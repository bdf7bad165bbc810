"""Model operations that web processes run (the admin's button): the one-training-at-a-time
lock. Kept apart from training.py, which imports scikit-learn. Queueing a retrain is the
task module's (``apps.recs.tasks.recs_model_retrain_request``): services never import tasks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import timezone

from config.exceptions import ApplicationError

# One training at a time, whoever asks (the nightly task, the admin's button, train_recs):
# a second would fit the same data again and race the first to switch the active version.
# The lock lives in the shared cache (Redis in production) and expires after an hour past
# the task's 30-minute hard limit (a manual train_recs may run longer), so a killed worker
# cannot hold it forever.
TRAINING_LOCK_KEY = "recs:training-lock"
TRAINING_LOCK_TIMEOUT_S = 90 * 60


class TrainingAlreadyRunning(ApplicationError):
    """A retrain was asked for while one is running."""


def recs_training_running() -> bool:
    return cache.get(TRAINING_LOCK_KEY) is not None


@contextmanager
def training_lock() -> Iterator[None]:
    if not cache.add(TRAINING_LOCK_KEY, timezone.now().isoformat(), TRAINING_LOCK_TIMEOUT_S):
        raise TrainingAlreadyRunning(
            "A retrain is already running; try again when it has finished.",
            {"since": cache.get(TRAINING_LOCK_KEY)},
        )
    try:
        yield
    finally:
        cache.delete(TRAINING_LOCK_KEY)
