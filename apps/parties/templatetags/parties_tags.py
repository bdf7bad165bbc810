"""Watch parties on other apps' pages (the mini-homepage, the title page) and the party
pages' small formatting helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from apps.parties import selectors

register = template.Library()

HOMEPAGE_PARTIES = 5


@register.filter
def clock(seconds: Any) -> str:
    """Seconds into a title as a clock: 754 -> "12:34", 3754 -> "1:02:34"."""
    try:
        total = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.inclusion_tag("parties/_homepage_parties.html", takes_context=True)
def homepage_parties(context: dict[str, Any], owner: Any) -> dict[str, Any]:
    """The owner's coming parties, on their own mini-homepage only: a party is for its guests."""
    viewer = context["request"].user
    is_self = viewer.is_authenticated and viewer.pk == owner.pk
    parties = selectors.parties_upcoming_for_user(user=owner, limit=HOMEPAGE_PARTIES) if is_self else []
    return {"parties": parties, "is_self": is_self, "now": timezone.now()}
