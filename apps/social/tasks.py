"""Celery tasks of the social app; each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def rights_batch_run_task() -> None:
    from apps.social.rights import rights_batch_run

    rights_batch_run(now=timezone.now())
