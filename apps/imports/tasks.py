"""Import tasks: thin, by id; the status field makes a rerun a no-op."""

from __future__ import annotations

import logging

from celery import shared_task

from apps.imports.models import ImportBatch

logger = logging.getLogger(__name__)


@shared_task
def import_batch_read_task(batch_id: int) -> None:
    from apps.imports.services import import_batch_read

    if not ImportBatch.objects.filter(pk=batch_id).exists():
        logger.info("import batch %s is gone", batch_id)
        return
    import_batch_read(batch_id=batch_id)


@shared_task
def import_batch_apply_task(batch_id: int) -> None:
    from apps.imports.services import import_batch_apply

    if not ImportBatch.objects.filter(pk=batch_id).exists():
        logger.info("import batch %s is gone", batch_id)
        return
    import_batch_apply(batch_id=batch_id)
