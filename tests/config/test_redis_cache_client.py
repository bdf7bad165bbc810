"""The Redis cache keeps one client per connection pool instead of building one per call."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from config.redis_client import FailSoftRedisCache


@pytest.fixture
def cache() -> FailSoftRedisCache:
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    return FailSoftRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"{settings.REDIS_KEY_PREFIX}:client-reuse"})


def test_reads_and_writes_share_one_client(cache: FailSoftRedisCache) -> None:
    key = uuid.uuid4().hex
    cache.set(key, {"n": 1}, timeout=30)

    assert cache.get(key) == {"n": 1}
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    cache.delete(key)


def test_a_reused_client_survives_its_connections_being_dropped(cache: FailSoftRedisCache) -> None:
    key = uuid.uuid4().hex
    cache.set(key, "before", timeout=30)
    client = cache._cache.get_client()
    client.connection_pool.disconnect()  # as when Redis restarts

    cache.set(key, "after", timeout=30)

    assert cache.get(key) == "after"
    assert cache._cache.get_client() is client
    cache.delete(key)
