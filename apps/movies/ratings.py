"""Honest averages: the rating a title is ranked by in "평점순".

A plain mean puts a title with one 5-star rating above one with a thousand 4.5s. The
weighted (Bayesian) average adds ``C`` pseudo-ratings at the site-wide mean ``m``:

    weighted = (C·m + n·avg) / (C + n)

so a title needs many ratings to move far from the mean, and titles with fewer than
``RATING_MIN_COUNT`` ratings are not ranked at all: their stored score is 0, after every
ranked title (the lowest possible weighted average is 0.5).
The same damping, with the same ``C``, drives popularity in ``services/popularity.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case
from django.db.models import F
from django.db.models import FloatField
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When

from apps.movies.models import Title

# Ten pseudo-ratings: a title with 10 real ratings sits halfway between its mean and the site's.
RATING_PRIOR_VOTES = 10
# Below this many ratings a title is "not enough ratings yet" and is not ranked.
RATING_MIN_COUNT = 3
# When nobody has rated anything yet, the middle of the half-star scale.
DEFAULT_PRIOR_MEAN = 3.0
_PRIOR_MEAN_KEY = "movies:rating-prior-mean"
_PRIOR_MEAN_TTL = 3600


def _prior_votes() -> int:
    return getattr(settings, "RATING_PRIOR_VOTES", RATING_PRIOR_VOTES)


def _min_count() -> int:
    return getattr(settings, "RATING_MIN_COUNT", RATING_MIN_COUNT)


def weighted_rating(
    *, avg: float, count: int, prior_mean: float, prior_votes: int | None = None, min_count: int | None = None
) -> float | None:
    """The Bayesian average in stars, or None for a title with too few ratings to rank."""
    prior_votes = _prior_votes() if prior_votes is None else prior_votes
    min_count = _min_count() if min_count is None else min_count
    if count <= 0 or count < min_count:
        return None
    return round((prior_votes * prior_mean + count * avg) / (prior_votes + count), 4)


def rating_prior_mean(*, refresh: bool = False) -> float:
    """The mean of every rating on the site, in stars (cached for an hour)."""
    if not refresh:
        cached = cache.get(_PRIOR_MEAN_KEY)
        if cached is not None:
            return cached
    # From the titles' stored aggregates (the catalog never reads people's rows): the same
    # mean as over every rating, since each title contributes avg × count.
    totals = Title.objects.filter(rating_count__gt=0).aggregate(
        weighted=Sum(F("rating_avg") * F("rating_count")), n=Sum("rating_count")
    )
    mean = round(float(totals["weighted"]) / totals["n"], 4) if totals["n"] else DEFAULT_PRIOR_MEAN
    cache.set(_PRIOR_MEAN_KEY, mean, _PRIOR_MEAN_TTL)
    return mean


def title_rating_weighted_refresh(*, title_id: int, avg: float, count: int) -> float | None:
    """Store one title's weighted rating after its average changed (the site mean is cached)."""
    weighted = weighted_rating(avg=avg, count=count, prior_mean=rating_prior_mean())
    Title.objects.filter(pk=title_id).update(rating_weighted=weighted or 0.0)
    return weighted


def titles_rating_weighted_refresh_all() -> int:
    """Recompute every title's weighted rating in one UPDATE against a freshly computed site mean.

    Call after bulk loads; single ratings refresh their own title and the mean drifts slowly.
    """
    prior_mean = rating_prior_mean(refresh=True)
    prior_votes, min_count = _prior_votes(), max(_min_count(), 1)
    return Title.objects.update(
        rating_weighted=Case(
            When(
                rating_count__gte=min_count,
                then=(Value(prior_votes * prior_mean) + F("rating_avg") * F("rating_count"))
                / (Value(float(prior_votes)) + F("rating_count")),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
