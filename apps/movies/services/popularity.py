"""Catalog numbers that stay true: title rating aggregates and popularity, one service.

``title_stats_refresh`` is the only writer of ``Title.rating_avg``, ``rating_count`` and
``popularity``: the demo loader, each rating (the social app calls it with the title id) and
a nightly task (``title_stats_refresh_task``) all go through it, with one rounding
(``RATING_DECIMALS``) and one formula (``title_popularity_score``).

Layering: ratings, watchlists and views belong to apps that sit above the catalog, so the
catalog never imports them. Each registers a signals function with apps.movies.hooks
(``popularity_signals_register``) returning, per title id, any of ``half_star_sum`` and
``ratings`` (with ``last_rated`` as a date), ``watchlist`` and ``views``. Box office
admissions are the catalog's own (``Title.box_office_audience``, from KOBIS).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models import Sum
from django.utils import timezone

from apps.movies.hooks import popularity_signals
from apps.movies.models import Title
from apps.movies.ratings import weighted_rating

# One rounding for the site-wide average, in stars, everywhere it is written.
RATING_DECIMALS = 3
# Pseudo-votes at the catalog mean that damp small counts, and the half-life of interest.
POPULARITY_PRIOR_VOTES = 10
POPULARITY_HALF_LIFE_YEARS = 10.0
# Weights turning other signals into rating-equivalents: a watchlist add is worth a
# rating, ten views one rating, ten thousand cinema admissions one rating (a ten-million
# hit ≈ 1,000 ratings, the scale of the most rated MovieLens films).
WATCHLIST_WEIGHT = 1.0
VIEW_WEIGHT = 0.1
AUDIENCE_WEIGHT = 1 / 10_000
BATCH = 5000


def rating_average(*, half_star_sum: int, count: int) -> float:
    """Average in stars from half-star ratings, rounded the one way Moochu rounds it."""
    return round(half_star_sum / count / 2, RATING_DECIMALS) if count else 0.0


def title_popularity_score(
    *,
    rating_avg: float,
    rating_count: int,
    prior_mean: float,
    last_activity: datetime.date | None,
    reference: datetime.date,
    watchlist_adds: int = 0,
    views: int = 0,
    box_office_audience: int | None = None,
) -> float:
    """How much a title is watched now: a Bayesian-damped engagement volume that fades with age.

    ``popularity = ln(1 + n + e + C) × (bayes / 5) × 0.5 ^ (age / H)`` where ``n`` is the
    number of ratings, ``e`` the other engagement in rating-equivalents (watchlist adds,
    views, box office admissions; weights above), ``bayes = (C·m + n·avg) / (C + n)`` the
    average damped towards the catalog mean ``m`` by ``C`` = 10 pseudo-votes, ``age`` the
    years from the title's last activity (its newest rating, or its release) to
    ``reference``, and ``H`` = 10 years. A fixed ``reference`` keeps re-runs stable.
    """
    prior = POPULARITY_PRIOR_VOTES
    engagement = (
        watchlist_adds * WATCHLIST_WEIGHT + views * VIEW_WEIGHT + (box_office_audience or 0) * AUDIENCE_WEIGHT
    )
    bayes = (prior * prior_mean + rating_count * rating_avg) / (prior + rating_count)
    age_years = max(0.0, (reference - last_activity).days / 365.25) if last_activity else 100.0
    decay = 0.5 ** (age_years / POPULARITY_HALF_LIFE_YEARS)
    return round(math.log1p(rating_count + engagement + prior) * (bayes / 5) * decay, 6)


def _signals(title_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    merged: dict[int, dict[str, Any]] = {}
    for provider in popularity_signals():
        for title_id, values in provider(list(title_ids)).items():
            merged.setdefault(title_id, {}).update(values)
    return merged


def _prior_mean() -> float:
    # The catalog mean from the stored aggregates: cheap for one rating's refresh, and what
    # the nightly refresh converges on.
    totals = Title.objects.filter(rating_count__gt=0).aggregate(
        weighted=Sum(F("rating_avg") * F("rating_count")), n=Sum("rating_count")
    )
    return float(totals["weighted"]) / totals["n"] if totals["n"] else 3.0


def title_stats_refresh(
    *,
    title_ids: Iterable[int] | None = None,
    reference: datetime.date | None = None,
    prior_mean: float | None = None,
) -> int:
    """Recompute ``rating_avg``, ``rating_count`` and ``popularity`` of the given titles (all
    when None), writing only rows that changed. Returns how many changed."""
    from apps.movies.services.bulk import bulk_update

    reference = reference or timezone.localdate()
    if title_ids is None:
        ids = list(Title.objects.order_by("id").values_list("id", flat=True))
    else:
        ids = sorted(set(title_ids))
    if not ids:
        return 0
    mean = _prior_mean() if prior_mean is None else prior_mean
    fields = [
        "rating_avg",
        "rating_count",
        "rating_weighted",
        "popularity",
        "search_index_dirty",
        "updated_at",
    ]
    changed = 0
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        signals = _signals(batch)
        updates: list[Title] = []
        titles = Title.objects.filter(id__in=batch).only(
            "id",
            "year",
            "release_date",
            "box_office_audience",
            "rating_avg",
            "rating_count",
            "rating_weighted",
            "popularity",
        )
        for title in titles:
            values = signals.get(title.id, {})
            count = int(values.get("ratings", 0))
            avg = rating_average(half_star_sum=int(values.get("half_star_sum", 0)), count=count)
            released = title.release_date or (datetime.date(title.year, 7, 1) if title.year else None)
            popularity = title_popularity_score(
                rating_avg=avg,
                rating_count=count,
                prior_mean=mean,
                last_activity=values.get("last_rated") or released,
                reference=reference,
                watchlist_adds=int(values.get("watchlist", 0)),
                views=int(values.get("views", 0)),
                box_office_audience=title.box_office_audience,
            )
            # "평점순" ranks by the Bayesian average (apps/movies/ratings.py), against the same mean.
            weighted = weighted_rating(avg=avg, count=count, prior_mean=mean) or 0.0
            if (title.rating_avg, title.rating_count) != (avg, count) or not (
                math.isclose(title.popularity, popularity, rel_tol=1e-9, abs_tol=1e-9)
                and math.isclose(title.rating_weighted, weighted, rel_tol=1e-9, abs_tol=1e-9)
            ):
                title.rating_avg, title.rating_count, title.popularity = avg, count, popularity
                title.rating_weighted = weighted
                title.search_index_dirty = True
                title.updated_at = now
                updates.append(title)
        with transaction.atomic():
            # The catalog's one fast bulk writer (COPY + UPDATE … FROM on PostgreSQL): Django's
            # Django's bulk_update built a CASE per row and field, ~15 s for an import's 4,000 titles.
            bulk_update(Title, updates, fields)
        changed += len(updates)
    return changed
