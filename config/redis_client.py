"""The one place Moochu gets a Redis client, with one timeout policy and one failure policy.

Timeouts (``settings.REDIS_SOCKET_CONNECT_TIMEOUT_S`` / ``REDIS_SOCKET_TIMEOUT_S``) apply to
every client here, to the Django cache and to the channel layer (config/settings/base.py), so
an unreachable Redis costs each caller at most a connect timeout, never a hung thread.

Failure policy: Redis holds caches, rate-limit counters, visit counters, presence and the
channel layer, never the only copy of anything a person saved. So:

* reads of a cache or counter fall back (a miss, an allowed request, a skipped count) through
  :func:`redis_fallback`, which logs (at most once a minute per use) and meters the fallback;
* what cannot work without Redis raises :data:`REDIS_ERRORS`, which the error handlers turn into
  503 + ``Retry-After`` in the one error shape (config/exceptions.py), and the WebSocket
  consumers into an ``unavailable`` frame + close 1012 (config/realtime.py).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What "Redis is unavailable" looks like to a caller: redis-py's own errors, and socket errors
# some code paths leak (a connection reset mid-read).
REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
# Seconds a client should wait before retrying a request that needed Redis.
RETRY_AFTER_S = 5
# Connections per client pool: at redis-py defaults a busy process hit "Too many connections"
# and 5 s stalls (shared/realtime-notes.md).
MAX_CONNECTIONS = 256


def client_options() -> dict[str, Any]:
    """The timeout policy, as redis-py connection keyword arguments."""
    return {
        "socket_connect_timeout": settings.REDIS_SOCKET_CONNECT_TIMEOUT_S,
        "socket_timeout": settings.REDIS_SOCKET_TIMEOUT_S,
        "health_check_interval": 30,
        "max_connections": MAX_CONNECTIONS,
    }


_sync_clients: dict[tuple[str, bool], redis.Redis] = {}
_async_clients: dict[tuple[int, str, bool], aioredis.Redis] = {}
_lock = threading.Lock()


def redis_sync(*, decode_responses: bool = False) -> redis.Redis | None:
    """The process's client for ``settings.REDIS_URL``; None when no Redis is configured."""
    url = settings.REDIS_URL
    if not url:
        return None
    key = (url, decode_responses)
    client = _sync_clients.get(key)
    if client is None:
        with _lock:
            client = _sync_clients.get(key)
            if client is None:
                client = redis.Redis.from_url(url, decode_responses=decode_responses, **client_options())
                _sync_clients[key] = client
    return client


def redis_async(*, decode_responses: bool = False) -> aioredis.Redis | None:
    """The running event loop's client (an asyncio client cannot cross loops)."""
    url = settings.REDIS_URL
    if not url:
        return None
    loop_id = id(asyncio.get_running_loop())
    key = (loop_id, url, decode_responses)
    client = _async_clients.get(key)
    if client is None:
        # A new loop means the old one is gone (tests run one loop each; a server has one).
        for stale in [k for k in _async_clients if k[0] != loop_id]:
            del _async_clients[stale]
        client = aioredis.Redis.from_url(url, decode_responses=decode_responses, **client_options())
        _async_clients[key] = client
    return client


# -----------------------------------------------------------------------------
# Fallbacks: logged (rate-limited) and metered
# -----------------------------------------------------------------------------
fallbacks: Counter[str] = Counter()
_last_logged: dict[str, float] = {}
LOG_EVERY_S = 60.0


def fallback_record(use: str, error: BaseException) -> None:
    """Count a fallback for ``use`` and log it, at most once a minute per use."""
    fallbacks[use] += 1
    now = time.monotonic()
    if now - _last_logged.get(use, -LOG_EVERY_S) >= LOG_EVERY_S:
        _last_logged[use] = now
        logger.warning(
            "Redis unavailable for %s; falling back (%d times so far): %s", use, fallbacks[use], error
        )


@contextmanager
def redis_fallback(use: str) -> Iterator[None]:
    """Swallow a Redis failure inside the block, recording it as a fallback for ``use``.

    For work whose absence is acceptable (a count, a cache fill); the caller's code after the
    block must not depend on it.
    """
    try:
        yield
    except REDIS_ERRORS as error:
        fallback_record(use, error)


class _OneClientPerPoolRedisCacheClient(RedisCacheClient):
    """Django's cache client builds a new ``redis.Redis`` for every operation (about 230 µs of
    Python, more than a GET's round trip here). One per connection pool is enough: a client is
    thread-safe and holds no connection of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # django-stubs leave out the private pool helpers used here
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, where an unreachable Redis reads as a miss and writes as no-ops.

    Everything cached is derived data, so a miss is always correct, only slower. Rate-limit
    counters stored here fail open (a request is allowed), which the fallback meter records.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPoolRedisCacheClient

    def _soft(self, use: str, default: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except REDIS_ERRORS as error:
            fallback_record(f"cache.{use}", error)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft("has_key", False, super().has_key, key, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._soft("set", None, super().set, key, value, timeout, version)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._soft("set_many", [], super().set_many, data, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # False ("someone else holds it"): a lock taken with add() is not taken twice.
        return self._soft("add", False, super().add, key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._soft("incr", delta, super().incr, key, delta, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft("delete", False, super().delete, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._soft("delete_many", None, super().delete_many, keys, version)
