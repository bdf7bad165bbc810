"""Recommending a title to friends: who would like it (with a match %), and how often my
recommendations land (hit rate)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Avg
from django.db.models import Count
from django.db.models import OuterRef
from django.db.models import Subquery
from django.db.models import Sum

from apps.social.models import Rating
from apps.social.models import Recommendation
from apps.social.models import RecommendationStatus
from apps.social.selectors import friends_list_for_user

if TYPE_CHECKING:
    from apps.movies.models import Title
    from apps.social.models import User

logger = logging.getLogger(__name__)

# How many of the title's most similar titles describe "this kind of film" for a friend.
SIMILAR_FOR_MATCH = 40
# Pull a friend's average on similar titles toward their overall average until they have
# rated this many of them: one 5★ on a similar film is not yet a 100 % match.
MATCH_PRIOR_WEIGHT = 3
# A recommendation lands when the friend rates it this well (half stars: 7 = 3.5★).
HIT_HALF_STARS = 7
MAX_FRIENDS_LISTED = 50


@dataclass(frozen=True)
class FriendCandidate:
    friend: User
    match: int | None  # 0–100: how much this friend should like the title; None: no ratings yet
    would_like: bool  # the title is among the friend's own top picks (recs model)
    seen_half_stars: int | None  # the friend already rated it


def recommend_candidates(*, user: User, title: Title) -> list[FriendCandidate]:
    """The user's friends for the recommend dialog, those who would like the title first.

    Match % is the friend's average rating of titles like this one (apps/movies/similarity.py),
    shrunk toward their overall average; friends who rated it already come last.
    """
    from apps.movies.similarity import title_similar_ids
    from apps.recs.selectors import recs_friends_who_would_like

    friends = list(friends_list_for_user(user=user)[:MAX_FRIENDS_LISTED])
    if not friends:
        return []
    friend_ids = [f.pk for f in friends]
    similar_ids = title_similar_ids(title=title, limit=SIMILAR_FOR_MATCH)
    overall = {
        row["user_id"]: row["avg"]
        for row in Rating.objects.filter(user_id__in=friend_ids)
        .values("user_id")
        .annotate(avg=Avg("half_stars"))
        .values("user_id", "avg")
    }
    similar = {
        row["user_id"]: (row["total"], row["n"])
        for row in Rating.objects.filter(user_id__in=friend_ids, title_id__in=similar_ids)
        .values("user_id")
        .annotate(total=Sum("half_stars"), n=Count("id"))
        .values("user_id", "total", "n")
    }
    seen = dict(
        Rating.objects.filter(user_id__in=friend_ids, title=title).values_list("user_id", "half_stars")
    )
    try:
        would_like = {f.pk for f in recs_friends_who_would_like(user=user, title_id=title.pk, limit=20)}
    except Exception:  # the model or its cache being down must not close the dialog
        logger.exception("recommend dialog: friends who would like it failed")
        would_like = set()

    def match(friend_id: int) -> int | None:
        if friend_id not in overall:
            return None
        total, n = similar.get(friend_id, (0.0, 0))
        estimate = (total + MATCH_PRIOR_WEIGHT * overall[friend_id]) / (n + MATCH_PRIOR_WEIGHT)
        return round(estimate * 10)  # half stars 1–10 → 10–100 %

    candidates = [
        FriendCandidate(
            friend=f, match=match(f.pk), would_like=f.pk in would_like, seen_half_stars=seen.get(f.pk)
        )
        for f in friends
    ]
    candidates.sort(
        key=lambda c: (
            c.seen_half_stars is not None,
            not c.would_like,
            -(c.match if c.match is not None else -1),
            c.friend.display_name,
        )
    )
    return candidates


@dataclass(frozen=True)
class HitRate:
    hits: int  # the friend rated it HIT_HALF_STARS or more
    misses: int  # the friend rated it lower, or dismissed it
    pending: int  # not rated (maybe on their watchlist) and not dismissed
    percent: int | None  # hits / (hits + misses); None until one is decided


def recommendation_hit_rate(*, user: User) -> HitRate:
    """How often the user's recommendations land, in one query."""
    friend_rating = Rating.objects.filter(user=OuterRef("receiver"), title=OuterRef("title")).values(
        "half_stars"
    )[:1]
    hits = misses = pending = 0
    for status, half_stars in (
        Recommendation.objects.filter(sender=user)
        .annotate(friend_half_stars=Subquery(friend_rating))
        .values_list("status", "friend_half_stars")
    ):
        if half_stars is not None:
            if half_stars >= HIT_HALF_STARS:
                hits += 1
            else:
                misses += 1
        elif status == RecommendationStatus.DISMISSED:
            misses += 1
        else:
            pending += 1
    decided = hits + misses
    return HitRate(
        hits=hits, misses=misses, pending=pending, percent=round(100 * hits / decided) if decided else None
    )
