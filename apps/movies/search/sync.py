"""Keeping the search index in step with the catalog (Saleor-style dirty flag).

Writers set ``Title.search_index_dirty = True``. ``title_search_index_sync`` takes one
bounded batch of dirty titles in primary-key order, refreshes their folded search
keys (the database backends' index), bulk-indexes them into Elasticsearch when that
backend is on, and clears the flags of exactly the rows it locked.
"""

from __future__ import annotations

import logging

from django.db import transaction

from apps.movies.models import Title
from apps.movies.search.base import SearchBackendUnavailable
from apps.movies.search.indexing import title_search_fields_refresh
from apps.movies.search.service import get_search_backend

logger = logging.getLogger(__name__)

# Titles whose keys are refreshed per transaction during a full rebuild.
REBUILD_BATCH_SIZE = 2000


def title_search_index_sync(*, batch_size: int) -> int:
    """Index one batch of dirty titles. Returns how many were indexed (0 when none or on outage)."""
    backend = get_search_backend()
    with transaction.atomic():
        # SKIP LOCKED: two overlapping runs take different rows instead of waiting.
        ids = list(
            Title.objects.select_for_update(skip_locked=True)
            .filter(search_index_dirty=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return 0
        title_search_fields_refresh(title_ids=ids)
        if backend.name == "elasticsearch":
            try:
                backend.index_titles(title_ids=ids)
            except SearchBackendUnavailable as error:
                # Keys are saved; the flags stay set so the next run sends them again.
                logger.warning("Search index sync: %s; %d titles stay dirty", error, len(ids))
                return 0
        Title.objects.filter(pk__in=ids).update(search_index_dirty=False)
    return len(ids)


def search_index_sync_all(*, batch_size: int = REBUILD_BATCH_SIZE) -> int:
    """Index every dirty title now, batch by batch (after a bulk import)."""
    total = 0
    while indexed := title_search_index_sync(batch_size=batch_size):
        total += indexed
    return total


def search_index_rebuild() -> int:
    """Refresh every title's search keys and, with Elasticsearch, swap in a fresh index."""
    ids = list(Title.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REBUILD_BATCH_SIZE):
        title_search_fields_refresh(title_ids=ids[start : start + REBUILD_BATCH_SIZE])
    backend = get_search_backend()
    if backend.name == "elasticsearch":
        # Imported here: the Elasticsearch client loads only where it is configured.
        from apps.movies.search.elastic import ElasticsearchSearchBackend

        if isinstance(backend, ElasticsearchSearchBackend):
            return backend.reindex()
    return len(ids)
