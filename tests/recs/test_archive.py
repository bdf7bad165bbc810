from __future__ import annotations

import os

import pytest
from mockupdb import MockupDB
from mockupdb import OpMsg
from mockupdb import go
from pymongo import MongoClient

from apps.recs.archive import COLLECTION
from apps.recs.archive import EventArchive


@pytest.fixture
def mongo_server():
    server = MockupDB(auto_ismaster={"maxWireVersion": 17})
    server.run()
    yield server
    server.stop()


def test_archive_upserts_each_event_by_its_id_with_set_on_insert(mongo_server):
    client = MongoClient(mongo_server.uri, serverSelectionTimeoutMS=2000)
    archive = EventArchive(client, "moochu_test")
    events = [
        {"event_id": "a1", "kind": "view", "title_id": 1},
        {"event_id": "b2", "kind": "like", "title_id": 2},
    ]
    future = go(archive.write, events)
    request = mongo_server.receives(OpMsg("update", COLLECTION))
    updates = request.docs[0]["updates"] if "updates" in request.docs[0] else request.docs[1:]
    assert request.doc["ordered"] is False
    assert [u["q"] for u in updates] == [{"_id": "a1"}, {"_id": "b2"}]
    assert all(u["upsert"] for u in updates)
    assert updates[0]["u"] == {"$setOnInsert": {**events[0], "_id": "a1"}}
    request.ok(n=2, nModified=0, upserted=[{"index": 0, "_id": "a1"}, {"index": 1, "_id": "b2"}])
    assert future() == 2
    client.close()


def test_archive_sends_nothing_for_an_empty_batch(mongo_server):
    client = MongoClient(mongo_server.uri, serverSelectionTimeoutMS=2000)
    assert EventArchive(client, "moochu_test").write([]) == 0
    client.close()


@pytest.mark.requires_mongo
@pytest.mark.skipif(not os.environ.get("MONGO_URL"), reason="MONGO_URL not set: no MongoDB server here")
def test_archive_against_a_real_mongodb_is_idempotent():
    client = MongoClient(os.environ["MONGO_URL"], serverSelectionTimeoutMS=3000)
    archive = EventArchive(client, "moochu_test_archive")
    client["moochu_test_archive"][COLLECTION].delete_many({})
    events = [{"event_id": "x1", "kind": "view", "title_id": 1}]
    assert archive.write(events) == 1
    assert archive.write(events) == 0
    assert client["moochu_test_archive"][COLLECTION].count_documents({}) == 1
    client.drop_database("moochu_test_archive")
