"""Where raw source payloads are kept: the database by default, MongoDB when MONGO_URL is set.

Payloads are versioned by hash: storing the same payload twice is a no-op, so a
re-run adds nothing. This is the only module that imports pymongo.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import cache
from typing import Any
from typing import Protocol

from django.conf import settings

from apps.movies.models import RawPayload

# (external_id, payload_hash, payload)
PayloadItem = tuple[str, str, dict[str, Any]]


class RawPayloadStore(Protocol):
    def save_many(self, *, source: str, items: Sequence[PayloadItem], fetched_at: datetime.datetime) -> int:
        """Store payload versions not stored yet; returns how many were new."""
        ...

    def latest(self, *, source: str, external_id: str) -> dict[str, Any] | None:
        """The newest stored payload of one record, or None."""
        ...


class DatabaseRawPayloadStore:
    """Payloads in the RawPayload table (PostgreSQL in production, SQLite embedded)."""

    def save_many(self, *, source: str, items: Sequence[PayloadItem], fetched_at: datetime.datetime) -> int:
        rows = [
            RawPayload(
                source=source,
                external_id=external_id,
                payload_hash=payload_hash,
                payload=payload,
                fetched_at=fetched_at,
            )
            for external_id, payload_hash, payload in items
        ]
        before = RawPayload.objects.filter(source=source).count()
        RawPayload.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        return RawPayload.objects.filter(source=source).count() - before

    def latest(self, *, source: str, external_id: str) -> dict[str, Any] | None:
        row = (
            RawPayload.objects.filter(source=source, external_id=external_id)
            .order_by("-fetched_at", "-id")
            .values_list("payload", flat=True)
            .first()
        )
        return row


class MongoRawPayloadStore:
    """Payloads in a MongoDB collection, one document per (source, id, hash)."""

    def __init__(self, url: str, database: str, *, collection: str = "raw_payloads", **client_options: Any):
        import pymongo

        self._pymongo = pymongo
        self.client = pymongo.MongoClient(url, **client_options)
        self.collection = self.client[database][collection]
        self._indexed = False

    def _ensure_index(self) -> None:
        if not self._indexed:
            self.collection.create_index(
                [("source", 1), ("external_id", 1), ("payload_hash", 1)],
                unique=True,
                name="source_external_id_hash",
            )
            self._indexed = True

    def save_many(self, *, source: str, items: Sequence[PayloadItem], fetched_at: datetime.datetime) -> int:
        if not items:
            return 0
        self._ensure_index()
        UpdateOne = self._pymongo.UpdateOne
        operations = [
            UpdateOne(
                {"source": source, "external_id": external_id, "payload_hash": payload_hash},
                {"$setOnInsert": {"payload": payload, "fetched_at": fetched_at}},
                upsert=True,
            )
            for external_id, payload_hash, payload in items
        ]
        result = self.collection.bulk_write(operations, ordered=False)
        return result.upserted_count

    def latest(self, *, source: str, external_id: str) -> dict[str, Any] | None:
        document = self.collection.find_one(
            {"source": source, "external_id": external_id}, sort=[("fetched_at", -1)]
        )
        return None if document is None else document["payload"]

    def close(self) -> None:
        self.client.close()


@cache
def _mongo_store(url: str, database: str) -> MongoRawPayloadStore:
    return MongoRawPayloadStore(url, database)


def raw_store_get() -> RawPayloadStore:
    """The configured store: MongoDB when MONGO_URL is set, else the database."""
    if settings.MONGO_URL:
        return _mongo_store(settings.MONGO_URL, settings.MONGO_DATABASE)
    return DatabaseRawPayloadStore()
