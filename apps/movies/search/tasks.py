"""Celery task that keeps the search index in step with the catalog."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)

# Task names stay those of the module's old home (apps/movies/search_tasks.py): the beat
# schedule is stored in the database (django-celery-beat) and queued messages carry the name.
_OLD_MODULE = "apps.movies.search_tasks"


@shared_task(name=f"{_OLD_MODULE}.movies_search_index_sync_task")
def movies_search_index_sync_task() -> None:
    """One bounded batch of dirty titles; re-enqueues itself while batches come back full."""
    from apps.movies.search.sync import title_search_index_sync

    batch_size = settings.SEARCH_INDEX_BATCH_SIZE
    indexed = title_search_index_sync(batch_size=batch_size)
    logger.info("Search index sync: %d titles indexed", indexed)
    if indexed == batch_size:
        movies_search_index_sync_task.delay()


@shared_task(name=f"{_OLD_MODULE}.movies_search_index_rebuild_task")
def movies_search_index_rebuild_task() -> None:
    """Nightly: refresh every title's search keys and swap in a fresh Elasticsearch index.

    Also drops documents of titles deleted or merged away since the last build.
    """
    from apps.movies.search.sync import search_index_rebuild

    logger.info("Search index rebuild: %d titles", search_index_rebuild())
