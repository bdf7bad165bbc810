from __future__ import annotations

import datetime
import os
import uuid

import pytest
from mockupdb import MockupDB
from mockupdb import OpMsg
from mockupdb import going

from apps.movies import raw_store
from apps.movies.models import RawPayload
from apps.movies.raw_store import DatabaseRawPayloadStore
from apps.movies.raw_store import MongoRawPayloadStore

FETCHED = datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mongo_server():
    """A MongoDB wire-protocol test server: pymongo talks to it, the test answers."""
    server = MockupDB(auto_ismaster={"maxWireVersion": 21, "minWireVersion": 0})
    server.run()
    yield server
    server.stop()


@pytest.fixture
def mongo_store(mongo_server):
    store = MongoRawPayloadStore(mongo_server.uri, "moochu", serverSelectionTimeoutMS=3000)
    yield store
    store.close()


@pytest.mark.django_db
def test_database_store_keeps_each_version_once_and_returns_the_newest():
    store = DatabaseRawPayloadStore()

    assert store.save_many(source="cgv", items=[("1", "a" * 64, {"v": 1})], fetched_at=FETCHED) == 1
    assert store.save_many(source="cgv", items=[("1", "a" * 64, {"v": 1})], fetched_at=FETCHED) == 0
    later = FETCHED + datetime.timedelta(hours=1)
    store.save_many(source="cgv", items=[("1", "b" * 64, {"v": 2})], fetched_at=later)

    assert RawPayload.objects.count() == 2
    assert store.latest(source="cgv", external_id="1") == {"v": 2}
    assert store.latest(source="cgv", external_id="missing") is None


def test_mongo_store_upserts_on_source_id_and_hash(mongo_server, mongo_store):
    with going(
        mongo_store.save_many,
        source="megabox",
        items=[("24073500", "h1", {"movieNm": "위키드"}), ("24075100", "h2", {"movieNm": "글래디에이터 Ⅱ"})],
        fetched_at=FETCHED,
    ) as future:
        index = mongo_server.receives(OpMsg("createIndexes", "raw_payloads"), timeout=5)
        assert index.doc["indexes"][0]["unique"] is True
        assert dict(index.doc["indexes"][0]["key"]) == {"source": 1, "external_id": 1, "payload_hash": 1}
        index.ok()
        update = mongo_server.receives(OpMsg("update", "raw_payloads"), timeout=5)
        assert update.doc["ordered"] is False
        first = update.doc["updates"][0]
        assert dict(first["q"]) == {"source": "megabox", "external_id": "24073500", "payload_hash": "h1"}
        assert first["upsert"] is True
        # $setOnInsert: a version already stored is left exactly as it was
        assert first["u"]["$setOnInsert"]["payload"]["movieNm"] == "위키드"
        update.ok(n=2, nModified=0, upserted=[{"index": 0, "_id": 1}, {"index": 1, "_id": 2}])

    assert future() == 2


def test_mongo_store_reads_the_newest_version(mongo_server, mongo_store):
    with going(mongo_store.latest, source="cgv", external_id="88924") as future:
        find = mongo_server.receives(OpMsg("find", "raw_payloads"), timeout=5)
        assert dict(find.doc["filter"]) == {"source": "cgv", "external_id": "88924"}
        assert dict(find.doc["sort"]) == {"fetched_at": -1}
        find.ok(
            cursor={"id": 0, "ns": "moochu.raw_payloads", "firstBatch": [{"_id": 1, "payload": {"v": 3}}]}
        )

    assert future() == {"v": 3}


def test_mongo_store_sends_nothing_for_an_empty_batch(mongo_store):
    assert mongo_store.save_many(source="cgv", items=[], fetched_at=FETCHED) == 0


def test_settings_choose_the_store(settings, mongo_server):
    settings.MONGO_URL = ""
    assert isinstance(raw_store.raw_store_get(), DatabaseRawPayloadStore)

    settings.MONGO_URL = mongo_server.uri
    store = raw_store.raw_store_get()
    assert isinstance(store, MongoRawPayloadStore)
    assert store.collection.full_name == f"{settings.MONGO_DATABASE}.raw_payloads"
    store.close()
    raw_store._mongo_store.cache_clear()


@pytest.mark.requires_mongo
@pytest.mark.skipif(not os.environ.get("MONGO_URL"), reason="MONGO_URL is not set: no MongoDB server here")
def test_mongo_store_against_a_real_server():
    database = f"moochu_test_{uuid.uuid4().hex[:8]}"
    store = MongoRawPayloadStore(os.environ["MONGO_URL"], database, serverSelectionTimeoutMS=5000)
    try:
        assert store.save_many(source="cgv", items=[("1", "h1", {"v": 1})], fetched_at=FETCHED) == 1
        assert store.save_many(source="cgv", items=[("1", "h1", {"v": 1})], fetched_at=FETCHED) == 0
        later = FETCHED + datetime.timedelta(minutes=5)
        store.save_many(source="cgv", items=[("1", "h2", {"v": 2})], fetched_at=later)
        assert store.latest(source="cgv", external_id="1") == {"v": 2}
    finally:
        store.client.drop_database(database)
        store.close()
