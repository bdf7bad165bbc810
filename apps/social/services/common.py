"""Helpers shared by the social services: rate limits, text checks, Seoul dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config.exceptions import ApplicationError

SEOUL = ZoneInfo("Asia/Seoul")

# (max actions, window seconds) per user; overridable in settings.SOCIAL_RATE_LIMITS.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "guestbook": (10, 60),
    "recommendation": (30, 60 * 60),
    "friend_request": (20, 60 * 60),
    "board_post": (10, 60 * 60),
    "comment": (30, 60),
}


def seoul_today() -> dt.date:
    """Day boundaries (visitor counters, board views) are at midnight Asia/Seoul."""
    return timezone.now().astimezone(SEOUL).date()


def rate_limit_hit(*, action: str, user_id: int) -> None:
    """Count one action; raise once the user is over the window's budget.

    Fixed windows in the cache (Redis in production, keys under its KEY_PREFIX): cheap
    and good enough to stop floods; a burst at a window edge may get 2x through.
    """
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "SOCIAL_RATE_LIMITS", {})}
    limit, window = limits[action]
    window_no = int(timezone.now().timestamp()) // window
    key = f"social:rl:{action}:{user_id}:{window_no}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    if count > limit:
        raise ApplicationError(
            "Too many requests: please wait a moment.", {"action": action, "retry_after_seconds": window}
        )


def clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    """Strip and bound user text; the message names the field so forms and API agree."""
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"{field} must not be empty.", {"field": field})
    if len(text) > max_length:
        raise ApplicationError(
            f"{field} is too long ({len(text)} characters, at most {max_length}).",
            {"field": field, "max_length": max_length},
        )
    return text
