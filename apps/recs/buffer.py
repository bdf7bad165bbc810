"""The one module that talks to Redis for recommendations: event buffer, rate limits, top-N.

Every key starts with ``settings.REDIS_KEY_PREFIX``. Without ``REDIS_URL`` (the embedded
default) ``redis_client()`` returns None and callers write straight through to the database.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings

from config.redis_client import redis_sync


def redis_client() -> redis.Redis | None:
    # The project's one client and timeout policy (config/redis_client.py).
    return redis_sync()


def key(*parts: object) -> str:
    return ":".join([settings.REDIS_KEY_PREFIX, "recs", *map(str, parts)])


# -- event buffer ------------------------------------------------------------------------
# Producers LPUSH onto ``pending``. The flusher atomically moves a batch onto ``processing``
# (LMOVE, tail first so order holds), writes it, and only then removes it: a crash between
# the two leaves the batch on ``processing`` for the next flush to retry (at-least-once;
# rows are idempotent on event_id).


def buffer_push(client: redis.Redis, events: list[dict[str, Any]]) -> None:
    if events:
        client.lpush(key("events", "pending"), *[json.dumps(e) for e in events])


def _text(value: bytes | str) -> str:
    """A Redis reply as text (the client may or may not decode replies itself)."""
    return value.decode() if isinstance(value, bytes) else value


def buffer_claim(client: redis.Redis, limit: int) -> list[str]:
    """Unfinished batch left by a crashed flush first, else up to ``limit`` new events."""
    processing = key("events", "processing")
    stranded = client.lrange(processing, 0, -1)
    if stranded:
        return [_text(s) for s in stranded]
    pipe = client.pipeline(transaction=False)
    for _ in range(limit):
        pipe.lmove(key("events", "pending"), processing, "RIGHT", "LEFT")
    return [raw.decode() for raw in pipe.execute() if raw is not None]


def buffer_ack(client: redis.Redis) -> None:
    client.delete(key("events", "processing"))


def buffer_length(client: redis.Redis) -> int:
    return int(client.llen(key("events", "pending"))) + int(client.llen(key("events", "processing")))


# -- rate limit --------------------------------------------------------------------------


def rate_limit_take(client: redis.Redis, actor: str, amount: int, limit: int, window_s: int) -> int:
    """Take up to ``amount`` of the actor's budget for this window; returns how many were granted."""
    bucket = key("rate", actor, int(time.time()) // window_s)
    pipe = client.pipeline()
    pipe.incrby(bucket, amount)
    pipe.expire(bucket, window_s * 2)
    used = int(pipe.execute()[0])
    before = used - amount
    return max(0, min(amount, limit - before))


# -- precomputed top-N ---------------------------------------------------------------------


# Reads the version pointer and that version's list in one round trip (the two GETs are
# dependent, so a pipeline cannot do it). Single-instance Redis: the second key is built
# inside the script.
_TOP_READ_LUA = """
local version = redis.call('GET', KEYS[1])
if not version then return false end
return redis.call('GET', ARGV[1] .. version .. ':' .. ARGV[2])
"""


@lru_cache(maxsize=4)
def _top_read_script(client: redis.Redis) -> Any:
    return client.register_script(_TOP_READ_LUA)


# One precomputed pick: title id, score, reason, reason title id (RecModel.score's rows).
Pick = tuple[int, float, str, int]


def top_read(client: redis.Redis, user_id: int) -> list[Pick] | None:
    """The active version's precomputed list for a person, or None (one round trip)."""
    raw = _top_read_script(client)(keys=[key("top", "version")], args=[key("top", ""), user_id])
    return None if raw is None else [tuple(p) for p in json.loads(raw)]  # type: ignore[misc]


def top_write_one(client: redis.Redis, user_id: int, picks: list[Pick], ttl_s: int) -> None:
    version = client.get(key("top", "version"))
    if version is not None:
        client.set(key("top", _text(version), user_id), json.dumps(picks), ex=ttl_s)
