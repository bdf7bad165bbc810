"""Homepage visitor counters in Redis (its client: config/redis_client.py).

Per owner and Seoul day, a Redis SET holds the visitor keys ("u<id>" or "s<session>");
a new member bumps a pending counter in one hash. `visits_flush` moves pending counts
into VisitDaily rows (a beat task every minute), so a Redis restart loses at most the
last minute instead of the totals. One Lua call per counted visit (a signed-in homepage view,
or the visit beacon an anonymous page sends once a browser shows it) records the visit and
reads the owner's pending count back: one round trip, atomic (two before, record then read).
Without REDIS_URL (embedded default) an in-process store does the same.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from typing import Any
from typing import Protocol

from django.conf import settings

from config.redis_client import redis_fallback
from config.redis_client import redis_sync

# Unique-visitor sets outlive the Seoul day by a day, then expire.
SET_TTL_SECONDS = 2 * 24 * 3600

_RECORD_LUA = """
local added = 0
if ARGV[1] ~= '' then
  added = redis.call('SADD', KEYS[1], ARGV[1])
  if added == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  end
end
return {added, tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or 0)}
"""
# Take the pending hash and clear it atomically.
_DRAIN_LUA = """
local items = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return items
"""


class VisitorStore(Protocol):
    def record(self, *, owner_id: int, day: dt.date, visitor: str) -> bool: ...
    def record_pending(self, *, owner_id: int, day: dt.date, visitor: str) -> tuple[bool, int]: ...
    def pending(self, *, owner_id: int, day: dt.date) -> int: ...
    def drain(self) -> dict[tuple[int, dt.date], int]: ...
    def clear(self) -> None: ...


def _field(owner_id: int, day: dt.date) -> str:
    return f"{owner_id}:{day.isoformat()}"


def _parse_field(field: str) -> tuple[int, dt.date]:
    owner, day = field.split(":", 1)
    return int(owner), dt.date.fromisoformat(day)


class RedisVisitorStore:
    """Counts fail soft: with Redis unreachable a visit goes uncounted and pending reads 0
    (logged and metered by config/redis_client.py); the flush raises and its task retries."""

    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}:visits"
        self.pending_key = f"{self.prefix}:pending"
        self._scripts: dict[tuple[int, str], Any] = {}

    @property
    def client(self) -> Any:
        return redis_sync()

    def _script(self, source: str) -> Any:
        # One Script per client and source: it keeps the SHA, so each call is one EVALSHA.
        client = self.client
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script

    def record(self, *, owner_id: int, day: dt.date, visitor: str) -> bool:
        return self.record_pending(owner_id=owner_id, day=day, visitor=visitor)[0]

    def record_pending(self, *, owner_id: int, day: dt.date, visitor: str) -> tuple[bool, int]:
        """Count ``visitor`` once (an empty visitor counts nothing) and return the owner's
        pending count for ``day`` after it; (False, 0) when Redis is unreachable."""
        set_key = f"{self.prefix}:{day.isoformat()}:{owner_id}"
        added, pending = 0, 0
        with redis_fallback("social.visit_record"):
            added, pending = self._script(_RECORD_LUA)(
                keys=[set_key, self.pending_key], args=[visitor, _field(owner_id, day), SET_TTL_SECONDS]
            )
        return bool(added), int(pending)

    def pending(self, *, owner_id: int, day: dt.date) -> int:
        count = 0
        with redis_fallback("social.visit_pending"):
            count = int(self.client.hget(self.pending_key, _field(owner_id, day)) or 0)
        return count

    def drain(self) -> dict[tuple[int, dt.date], int]:
        flat = self._script(_DRAIN_LUA)(keys=[self.pending_key])
        pairs = zip(flat[::2], flat[1::2], strict=True)
        return {_parse_field(field.decode()): int(count) for field, count in pairs}

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match=f"{self.prefix}:*", count=1000))
        if keys:
            self.client.delete(*keys)


class MemoryVisitorStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sets: dict[tuple[int, dt.date], set[str]] = {}
        self._pending: dict[tuple[int, dt.date], int] = {}

    def record(self, *, owner_id: int, day: dt.date, visitor: str) -> bool:
        return self.record_pending(owner_id=owner_id, day=day, visitor=visitor)[0]

    def record_pending(self, *, owner_id: int, day: dt.date, visitor: str) -> tuple[bool, int]:
        with self._lock:
            added = False
            members = self._sets.setdefault((owner_id, day), set())
            if visitor and visitor not in members:
                members.add(visitor)
                self._pending[(owner_id, day)] = self._pending.get((owner_id, day), 0) + 1
                added = True
            return added, self._pending.get((owner_id, day), 0)

    def pending(self, *, owner_id: int, day: dt.date) -> int:
        return self._pending.get((owner_id, day), 0)

    def drain(self) -> dict[tuple[int, dt.date], int]:
        with self._lock:
            drained, self._pending = self._pending, {}
        return drained

    def clear(self) -> None:
        with self._lock:
            self._sets.clear()
            self._pending.clear()


@lru_cache(maxsize=1)
def visitor_store() -> VisitorStore:
    if settings.REDIS_URL:
        return RedisVisitorStore(settings.REDIS_KEY_PREFIX)
    return MemoryVisitorStore()
