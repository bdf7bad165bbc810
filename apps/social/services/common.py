"""Helpers shared by the social services: rate limits, text checks, Seoul dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from apps.common.korean import with_particle
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.social.models import User

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
            _("Too many requests: please wait a moment."), {"action": action, "retry_after_seconds": window}
        )


# What each checked text is called in messages, in the reader's language.
TEXT_FIELD_LABELS: dict[str, Promise] = {
    "mood": pgettext_lazy("text field", "Mood"),
    "intro": pgettext_lazy("text field", "Introduction"),
    "entry": pgettext_lazy("text field", "Guestbook entry"),
    "reply": pgettext_lazy("text field", "Reply"),
    "heading": pgettext_lazy("text field", "Heading"),
    "body": pgettext_lazy("text field", "Body"),
    "comment": pgettext_lazy("text field", "Comment"),
    "note": pgettext_lazy("text field", "Note"),
    "review": pgettext_lazy("text field", "Review"),
    "reason": pgettext_lazy("text field", "Reason"),
    "message": pgettext_lazy("text field", "Message"),
}


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = True, label: str | None = None
) -> str:
    """Strip and bound user text; the message names the field so forms and API agree.

    ``label`` names the field in the message when TEXT_FIELD_LABELS does not (another app's field).
    """
    text = (value or "").strip()
    label = label if label is not None else str(TEXT_FIELD_LABELS.get(field, field))
    if required and not text:
        raise ApplicationError(
            _("%(field)s must not be empty.") % {"field": with_particle(label, "을/를")}, {"field": field}
        )
    if len(text) > max_length:
        raise ApplicationError(
            _("%(field)s is too long (%(n)d characters, at most %(max)d).")
            % {"field": with_particle(label, "이/가"), "n": len(text), "max": max_length},
            {"field": field, "max_length": max_length},
        )
    return text


def like_set(*, like_model: type[Model], target: Model, target_field: str, user: User, liked: bool) -> int:
    """Like or unlike ``target`` (idempotent) and keep its ``like_count``; returns the new count.

    Call inside ``transaction.atomic``.
    """
    if liked:
        lookup: dict[str, Any] = {target_field: target, "user": user}
        _, created = like_model._default_manager.get_or_create(**lookup)
        delta = 1 if created else 0
    else:
        delta = -like_model._default_manager.filter(**{target_field: target}, user=user).delete()[0]
    # _default_manager: what ``objects`` is on these models, and what every Model declares.
    target_model = type(target)
    if delta:
        target_model._default_manager.filter(pk=target.pk).update(like_count=F("like_count") + delta)
    return target_model._default_manager.values_list("like_count", flat=True).get(pk=target.pk)
