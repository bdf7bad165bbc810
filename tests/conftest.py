"""Shared fixtures: users, logged-in clients, and the live-server helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delete_prefixed_redis_keys() -> None:
    # Django's RedisCache.clear() is FLUSHDB, which would also wipe other test runs
    # sharing the server; delete only this run's keys.
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"*{settings.REDIS_KEY_PREFIX}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def clean_cache() -> Iterator[None]:
    """An empty cache (and rate-limit history) for this test, whatever ran before."""
    _delete_prefixed_redis_keys()
    yield
    _delete_prefixed_redis_keys()


@pytest.fixture(autouse=True)
def _fresh_catalog_vocabulary():
    """The catalog caches genres/providers per process; each test starts without it."""
    from apps.movies.selectors import catalog_vocabulary_clear

    catalog_vocabulary_clear()
    yield
    catalog_vocabulary_clear()


@pytest.fixture
def recording(tmp_path):
    """Write an ad-hoc recording of source responses (see tests/movies/crawlers/recordings.py)."""
    from tests.movies.crawlers.recordings import recording_builder

    return recording_builder(tmp_path)
