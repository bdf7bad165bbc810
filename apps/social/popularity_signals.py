"""What the social side knows about a title's popularity, handed to the catalog's service.

Registered with apps.movies.hooks in SocialConfig.ready: the catalog
(apps.movies.services.popularity) calls it and never imports social.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count
from django.db.models import Max
from django.db.models import Sum
from django.utils import timezone

from apps.social.models import Rating
from apps.social.models import WatchlistItem

# Views count while they are recent: interest, not history.
VIEW_WINDOW_DAYS = 30


def title_popularity_signals(title_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Per title: ratings (count, half-star sum, newest as a date), watchlist adds, recent views."""
    signals: dict[int, dict[str, Any]] = {}
    ratings = (
        Rating.objects.filter(title_id__in=title_ids)
        .values("title_id")
        .annotate(n=Count("id"), half_stars=Sum("half_stars"), last=Max("created_at"))
        .values_list("title_id", "n", "half_stars", "last")
    )
    for title_id, count, half_stars, last in ratings:
        signals[title_id] = {
            "ratings": count,
            "half_star_sum": half_stars,
            "last_rated": timezone.localdate(last) if last else None,
        }
    watchlist = (
        WatchlistItem.objects.filter(title_id__in=title_ids)
        .values("title_id")
        .annotate(n=Count("id"))
        .values_list("title_id", "n")
    )
    for title_id, count in watchlist:
        signals.setdefault(title_id, {})["watchlist"] = count
    for title_id, count in _recent_views(title_ids):
        signals.setdefault(title_id, {})["views"] = count
    return signals


def _recent_views(title_ids: Sequence[int]) -> list[tuple[int, int]]:
    # Title views are recorded in the recommender's event log (apps.recs); imported here,
    # at call time, because apps.recs itself builds on apps.social.
    from apps.recs.models import Event
    from apps.recs.models import EventKind

    since = timezone.now() - datetime.timedelta(days=VIEW_WINDOW_DAYS)
    return list(
        Event.objects.filter(title_id__in=title_ids, kind=EventKind.VIEW, occurred_at__gte=since)
        .values("title_id")
        .annotate(n=Count("id"))
        .values_list("title_id", "n")
    )
