"""The unread-notification count in the cache: the header badge on every signed-in page.

Without it each signed-in page paid one COUNT query for the badge. Readers and writers meet
here, so the key layout lives in one module.

Correctness without locks: the cached value carries the version it was counted under, and
every write bumps the user's version after commit. A reader that counted before a write
committed stores its count under the old version, which the next read rejects, so a stale
count can be cached but never shown.
"""

from __future__ import annotations

from django.core.cache import cache

# The counted value expires anyway: a bound on what an evicted version key could cost.
COUNT_TTL_S = 10 * 60


def _count_key(user_id: int) -> str:
    return f"social:unread:{user_id}:count"


def _version_key(user_id: int) -> str:
    return f"social:unread:{user_id}:version"


def unread_cached(*, user_id: int) -> tuple[int | None, int]:
    """(the cached count or None, the version a fresh count must be stored under); one round trip."""
    found = cache.get_many([_count_key(user_id), _version_key(user_id)])
    version = found.get(_version_key(user_id), 0)
    entry = found.get(_count_key(user_id))
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return int(entry[1]), version
    return None, version


def unread_store(*, user_id: int, version: int, count: int) -> None:
    cache.set(_count_key(user_id), (version, count), COUNT_TTL_S)


def unread_forget(*, user_ids: list[int]) -> None:
    """Bump each user's version: call after the write commits (``transaction.on_commit``)."""
    for user_id in dict.fromkeys(user_ids):
        key = _version_key(user_id)
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr: a fresh version differs anyway
            cache.set(key, 1, timeout=None)
