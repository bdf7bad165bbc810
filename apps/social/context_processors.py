"""Template context: the unread-notification badge, shown on every page load."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.social.selectors import notifications_unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"social_unread_count": 0}
    # Lazy: pages that never show the badge never run the query.
    return {"social_unread_count": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
