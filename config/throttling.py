"""API rate limits that cost O(1) per request.

DRF's ``SimpleRateThrottle`` keeps every request's timestamp of the last window in one cache
entry and reads, unpickles, re-pickles and writes that whole list on each request: at the
public limit of 1,200/min that is a 1,200-float list per call, and with two throttles (DRF's
``UserRateThrottle`` also keys anonymous clients by IP) it cost more than the catalog query.

These throttles count instead: one counter per client per fixed window, and the previous
window's count weighted by how much of it still overlaps the sliding window (the estimate
Cloudflare and nginx-style limiters use). A request costs one ``get_many`` and one ``incr``
(two round trips on Redis), whatever the limit.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class SlidingWindowRateThrottle(SimpleRateThrottle):
    """``SimpleRateThrottle`` with counters in place of a timestamp history."""

    # Set by SimpleRateThrottle.__init__ from the rate ("60/min"); the stubs do not declare them.
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current_key, previous_key = f"{self.key}:{window}", f"{self.key}:{window - 1}"
        counts = self.cache.get_many([current_key, previous_key])
        # Share of the previous window still inside the sliding window ending now.
        overlap = 1 - (self.now - window * self.duration) / self.duration
        estimate = counts.get(previous_key, 0) * overlap + counts.get(current_key, 0)
        if estimate >= self.num_requests:
            self.retry_at = self._retry_at(counts.get(previous_key, 0), counts.get(current_key, 0), window)
            return False
        self._count(current_key)
        return True

    def _count(self, key: str) -> None:
        # Two windows of lifetime: the next window still reads this one as "previous".
        if not self.cache.add(key, 1, timeout=2 * self.duration):
            try:
                self.cache.incr(key)
            except ValueError:  # expired between add and incr
                self.cache.add(key, 1, timeout=2 * self.duration)

    def _retry_at(self, previous: int, current: int, window: int) -> float:
        """When the estimate drops below the limit, if nothing else arrives."""
        start, limit = window * self.duration, self.num_requests
        if current >= limit:
            # Next window: current * (1 - (t - end) / duration) < limit, solved for t.
            return start + self.duration * (2 - limit / current)
        # previous * (1 - (t - start) / duration) + current < limit, solved for t.
        return start + self.duration * (1 - (limit - current) / previous)

    def wait(self) -> float:
        return max(1.0, self.retry_at - self.now)


class AnonymousRateThrottle(SlidingWindowRateThrottle):
    """Anonymous clients, per client IP."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(SlidingWindowRateThrottle):
    """Signed-in users, per user (anonymous clients are the other throttle's)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
