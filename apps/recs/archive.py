"""MongoDB archive of behaviour events (pymongo), on when ``MONGO_URL`` is set.

Writes are upserts keyed by ``_id = event_id`` with ``$setOnInsert``, so a replayed
flush never duplicates or rewrites an archived event.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from pymongo import MongoClient
from pymongo import UpdateOne

COLLECTION = "recs_events"


class EventArchive:
    def __init__(self, client: MongoClient, database: str) -> None:
        self._collection = client[database][COLLECTION]

    def write(self, events: list[dict[str, Any]]) -> int:
        if not events:
            return 0
        ops = [
            UpdateOne({"_id": e["event_id"]}, {"$setOnInsert": {**e, "_id": e["event_id"]}}, upsert=True)
            for e in events
        ]
        result = self._collection.bulk_write(ops, ordered=False)
        return result.upserted_count


_archive: EventArchive | None = None


def event_archive() -> EventArchive | None:
    global _archive
    if not settings.MONGO_URL:
        return None
    if _archive is None:
        _archive = EventArchive(
            MongoClient(settings.MONGO_URL, serverSelectionTimeoutMS=3000), settings.MONGO_DATABASE
        )
    return _archive
