"""Presence and per-user rate limits, kept in Redis so every ASGI process sees the same truth.

The only module that talks to Redis for chat. Without ``REDIS_URL`` (embedded defaults) the
same API is served from process memory, which is correct for a single process.

Presence counts *users*, not sockets (design from shared/realtime-notes.md §3, after
Centrifugo's presence ZSET + per-user counts):

    <prefix>:chat:p:<room>:conns   ZSET  conn_id -> expires_at (unix seconds)
    <prefix>:chat:p:<room>:cu      HASH  conn_id -> user_id
    <prefix>:chat:p:<room>:uc      HASH  user_id -> number of live conns

A connection is touched on connect and on every client heartbeat; a crashed client stops
touching and is pruned ``PRESENCE_TTL`` seconds later by whichever connection in the room
touches next. Two tabs are two conns of one user; a refresh removes one conn and adds another.
After a Redis restart the next heartbeat of each live connection re-adds it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from typing import Literal

from django.conf import settings

from config.redis_client import redis_async
from config.redis_client import redis_fallback
from config.redis_client import redis_sync

# A client heartbeats every 15 s; three missed beats drop it. Worst case a crashed client
# disappears 45 s (TTL) + 15 s (next prune by another member) = 60 s after its last beat.
PRESENCE_TTL = 45
HEARTBEAT_INTERVAL = 15

# Token bucket per user (all tabs, all processes): 5 messages at once, then one a second.
RATE_CAPACITY = 5
RATE_REFILL_PER_S = 1.0

_PRUNE = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local changed = 0
for _, conn in ipairs(expired) do
  redis.call('ZREM', KEYS[1], conn)
  local user = redis.call('HGET', KEYS[2], conn)
  redis.call('HDEL', KEYS[2], conn)
  if user then
    if redis.call('HINCRBY', KEYS[3], user, -1) <= 0 then
      redis.call('HDEL', KEYS[3], user)
      changed = 1
    end
  end
end
"""

_TOUCH = (
    _PRUNE
    + """
local added = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
if added == 1 then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  if redis.call('HINCRBY', KEYS[3], ARGV[4], 1) == 1 then changed = 1 end
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return {changed, redis.call('HLEN', KEYS[3])}
"""
)

_LEAVE = (
    _PRUNE
    + """
if redis.call('ZREM', KEYS[1], ARGV[2]) == 1 then
  local user = redis.call('HGET', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
  if user and redis.call('HINCRBY', KEYS[3], user, -1) <= 0 then
    redis.call('HDEL', KEYS[3], user)
    changed = 1
  end
end
return {changed, redis.call('HLEN', KEYS[3])}
"""
)

_COUNT = (
    _PRUNE
    + """
return {changed, redis.call('HLEN', KEYS[3])}
"""
)

# Users plus Redis' clock, so clients can drop a presence snapshot older than one they have.
_USERS = (
    _PRUNE
    + """
local t = redis.call('TIME')
local result = {t[1] .. '.' .. string.format('%06d', t[2])}
for _, user in ipairs(redis.call('HKEYS', KEYS[3])) do table.insert(result, user) end
return result
"""
)

_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return {allowed, tostring(wait)}
"""


@dataclass(frozen=True)
class PresenceChange:
    changed: bool  # the set of online users changed (someone arrived or left)
    count: int  # distinct online users


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: float


# Frame budget per socket: bursts of 30, then 10/s. Past that frames are dropped with one
# error frame; a client that keeps flooding (200 dropped) is closed.
FRAME_BURST = 30
FRAME_RATE = 10.0
FLOOD_CLOSE_AFTER = 200


class FrameBudget:
    """One socket's inbound frame budget: a token bucket kept in the consumer, not in Redis
    (a socket lives in one process). ``take`` says what to do with the next frame:
    ``ok`` (handle it), ``warn`` (drop it and send one error), ``drop`` (drop it quietly)
    or ``close`` (the client kept flooding)."""

    def __init__(
        self,
        *,
        burst: int = FRAME_BURST,
        rate: float = FRAME_RATE,
        close_after: int = FLOOD_CLOSE_AFTER,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.close_after = close_after
        self.tokens = float(burst)
        self.tokens_at = time.monotonic()
        self.dropped = 0
        self.warned = False

    def take(self) -> Literal["ok", "warn", "drop", "close"]:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.tokens_at) * self.rate)
        self.tokens_at = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.warned = False
            return "ok"
        self.dropped += 1
        if self.dropped >= self.close_after:
            return "close"
        if self.warned:
            return "drop"
        self.warned = True
        return "warn"


def _keys(room_id: int) -> list[str]:
    base = f"{settings.REDIS_KEY_PREFIX}:chat:p:{room_id}"
    return [f"{base}:conns", f"{base}:cu", f"{base}:uc"]


def _bucket_key(user_id: int) -> str:
    return f"{settings.REDIS_KEY_PREFIX}:chat:rate:{user_id}"


# -----------------------------------------------------------------------------
# Redis clients come from config/redis_client.py (one timeout policy for the project).
# -----------------------------------------------------------------------------
def _async_redis() -> Any:
    return redis_async(decode_responses=True)


def _redis() -> Any:
    return redis_sync(decode_responses=True)


class _MemoryStore:
    """Single-process stand-in used when no Redis is configured."""

    def __init__(self) -> None:
        self.conns: dict[int, dict[str, tuple[float, str]]] = {}
        self.buckets: dict[int, tuple[float, float]] = {}

    def _users(self, room_id: int) -> set[str]:
        return {user for _, user in self.conns.get(room_id, {}).values()}

    def _prune(self, room_id: int, now: float) -> None:
        room = self.conns.setdefault(room_id, {})
        for conn in [c for c, (exp, _) in room.items() if exp <= now]:
            del room[conn]

    def touch(self, room_id: int, conn_id: str, user_id: int, now: float) -> PresenceChange:
        before = self._users(room_id)
        self._prune(room_id, now)
        self.conns[room_id][conn_id] = (now + PRESENCE_TTL, str(user_id))
        after = self._users(room_id)
        return PresenceChange(before != after, len(after))

    def leave(self, room_id: int, conn_id: str, now: float) -> PresenceChange:
        before = self._users(room_id)
        self._prune(room_id, now)
        self.conns[room_id].pop(conn_id, None)
        after = self._users(room_id)
        return PresenceChange(before != after, len(after))

    def users(self, room_id: int, now: float) -> list[int]:
        self._prune(room_id, now)
        return sorted(int(u) for u in self._users(room_id))

    def take(self, user_id: int, now: float) -> RateDecision:
        tokens, ts = self.buckets.get(user_id, (float(RATE_CAPACITY), now))
        tokens = min(RATE_CAPACITY, tokens + max(0.0, now - ts) * RATE_REFILL_PER_S)
        if tokens >= 1:
            self.buckets[user_id] = (tokens - 1, now)
            return RateDecision(True, 0.0)
        self.buckets[user_id] = (tokens, now)
        return RateDecision(False, (1 - tokens) / RATE_REFILL_PER_S)


_memory = _MemoryStore()


def _use_redis() -> bool:
    return bool(settings.REDIS_URL)


# -----------------------------------------------------------------------------
# Async API (consumers)
# -----------------------------------------------------------------------------
async def presence_touch(*, room_id: int, conn_id: str, user_id: int) -> PresenceChange:
    now = time.time()
    if not _use_redis():
        return _memory.touch(room_id, conn_id, user_id, now)
    changed, count = await _async_redis().eval(
        _TOUCH, 3, *_keys(room_id), now, now + PRESENCE_TTL, conn_id, user_id, PRESENCE_TTL * 2
    )
    return PresenceChange(bool(changed), int(count))


async def presence_leave(*, room_id: int, conn_id: str) -> PresenceChange:
    now = time.time()
    if not _use_redis():
        return _memory.leave(room_id, conn_id, now)
    changed, count = await _async_redis().eval(_LEAVE, 3, *_keys(room_id), now, conn_id)
    return PresenceChange(bool(changed), int(count))


async def presence_users(*, room_id: int) -> tuple[list[int], float]:
    """Distinct online user ids of a room (expired connections pruned first) and the
    snapshot time: broadcasts from several processes can arrive out of order."""
    now = time.time()
    if not _use_redis():
        return _memory.users(room_id, now), now
    result = await _async_redis().eval(_USERS, 3, *_keys(room_id), now)
    return sorted(int(u) for u in result[1:]), float(result[0])


async def rate_limit_take(*, user_id: int) -> RateDecision:
    now = time.time()
    if not _use_redis():
        return _memory.take(user_id, now)
    allowed, wait = await _async_redis().eval(
        _BUCKET, 1, _bucket_key(user_id), RATE_CAPACITY, RATE_REFILL_PER_S, now
    )
    return RateDecision(bool(allowed), float(wait))


# -----------------------------------------------------------------------------
# Sync API (views, selectors)
# -----------------------------------------------------------------------------
def presence_counts(*, room_ids: list[int]) -> dict[int, int]:
    """Online user counts for many rooms in one round trip."""
    now = time.time()
    if not room_ids:
        return {}
    if not _use_redis():
        return {room_id: len(_memory.users(room_id, now)) for room_id in room_ids}
    counts = dict.fromkeys(room_ids, 0)
    # A room list without online counts beats no room list: unknown reads as 0 (logged, counted).
    with redis_fallback("chat.presence_counts"):
        pipe = _redis().pipeline(transaction=False)
        for room_id in room_ids:
            pipe.eval(_COUNT, 3, *_keys(room_id), now)
        counts = {room_id: int(result[1]) for room_id, result in zip(room_ids, pipe.execute(), strict=True)}
    return counts
