"""Ratings, watchlist, watched diary, reviews with comments and likes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.movies.models import Title
from apps.movies.services.popularity import title_stats_refresh
from apps.social.models import Activity
from apps.social.models import ActivityVerb
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import ReviewComment
from apps.social.models import ReviewLike
from apps.social.models import WatchlistItem
from apps.social.services.common import clean_text
from apps.social.services.common import like_set
from apps.social.services.common import rate_limit_hit
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.social.models import User

REVIEW_MAX = 5000
COMMENT_MAX = 1000


def taste_cache_key(user_id: int) -> str:
    return f"social:taste:{user_id}"


def _half_stars(stars: float | Decimal | str) -> int:
    try:
        value = Decimal(str(stars))
    except Exception as exc:
        raise ApplicationError("Rating must be a number of stars.", {"field": "stars"}) from exc
    doubled = value * 2
    if doubled != doubled.to_integral_value() or not (1 <= doubled <= 10):
        raise ApplicationError(
            "Rating must be between 0.5 and 5 stars in half-star steps.", {"field": "stars"}
        )
    return int(doubled)


def _title_rating_refresh(*, title_id: int) -> None:
    """Recompute the title's average and popularity through the catalog's one service
    (one rounding, one formula); call inside the transaction holding the title lock."""
    title_stats_refresh(title_ids=[title_id])


def _after_rating_change(user_id: int) -> None:
    cache.delete(taste_cache_key(user_id))


@transaction.atomic
def rating_set(*, user: User, title: Title, stars: float | Decimal | str) -> Rating:
    """Create or change the user's rating and keep Title.rating_avg / rating_count exact."""
    half_stars = _half_stars(stars)
    # The row lock serialises concurrent raters of one title, so the aggregate is exact.
    Title.objects.select_for_update().only("id").get(pk=title.pk)
    rating = Rating.objects.filter(user=user, title=title).first()
    if rating is None:
        rating = Rating(user=user, title=title, half_stars=half_stars, created_at=timezone.now())
    else:
        rating.half_stars = half_stars
    rating.full_clean()
    rating.save()
    _title_rating_refresh(title_id=title.pk)
    # One feed line per rated title: a changed rating moves it to the top with the new stars.
    Activity.objects.filter(actor=user, title=title, verb=ActivityVerb.RATED).delete()
    Activity.objects.create(
        actor=user, verb=ActivityVerb.RATED, title=title, section="ratings", stars=rating.stars
    )
    transaction.on_commit(lambda: _after_rating_change(user.pk))
    return rating


@transaction.atomic
def rating_delete(*, user: User, title: Title) -> None:
    Title.objects.select_for_update().only("id").get(pk=title.pk)
    deleted, _ = Rating.objects.filter(user=user, title=title).delete()
    if not deleted:
        raise ApplicationError("You have not rated this title.")
    _title_rating_refresh(title_id=title.pk)
    Activity.objects.filter(actor=user, title=title, verb=ActivityVerb.RATED).delete()
    transaction.on_commit(lambda: _after_rating_change(user.pk))


def watchlist_add(*, user: User, title: Title) -> WatchlistItem:
    item, _ = WatchlistItem.objects.get_or_create(user=user, title=title)
    return item


def watchlist_remove(*, user: User, title: Title) -> None:
    WatchlistItem.objects.filter(user=user, title=title).delete()


def diary_entry_create(
    *,
    user: User,
    title: Title,
    watched_on: dt.date | None = None,
    rewatch: bool | None = None,
    note: str = "",
) -> DiaryEntry:
    """Log a viewing. A second viewing of the same title is a rewatch unless told otherwise."""
    watched_on = watched_on or timezone.localdate()
    if watched_on > timezone.localdate() + dt.timedelta(days=1):
        raise ApplicationError("The watch date cannot be in the future.", {"field": "watched_on"})
    if rewatch is None:
        rewatch = DiaryEntry.objects.filter(user=user, title=title).exists()
    entry = DiaryEntry(
        user=user,
        title=title,
        watched_on=watched_on,
        rewatch=rewatch,
        note=clean_text(note, field="note", max_length=500, required=False),
    )
    entry.full_clean()
    entry.save()
    # Watching it crosses it off the watchlist.
    WatchlistItem.objects.filter(user=user, title=title).delete()
    return entry


def diary_entry_delete(*, user: User, entry_id: int) -> None:
    deleted, _ = DiaryEntry.objects.filter(user=user, pk=entry_id).delete()
    if not deleted:
        raise ApplicationError("No such diary entry.", {"entry_id": entry_id})


@transaction.atomic
def review_upsert(*, user: User, title: Title, body: str, has_spoilers: bool = False) -> Review:
    body = clean_text(body, field="review", max_length=REVIEW_MAX)
    review = Review.objects.filter(user=user, title=title).first()
    created = review is None
    if created:
        review = Review(user=user, title=title)
    review.body = body
    review.has_spoilers = has_spoilers
    review.full_clean()
    review.save()
    if created:
        Activity.objects.create(
            actor=user, verb=ActivityVerb.REVIEWED, title=title, section="ratings", target_id=review.pk
        )
    return review


@transaction.atomic
def review_delete(*, user: User, review_id: int) -> None:
    review = Review.objects.filter(pk=review_id).first()
    if review is None or (review.user_id != user.pk and not user.is_staff):
        raise ApplicationError("You can only delete your own review.", {"review_id": review_id})
    Activity.objects.filter(verb=ActivityVerb.REVIEWED, target_id=review.pk).delete()
    review.delete()


@transaction.atomic
def review_comment_create(*, user: User, review: Review, body: str) -> ReviewComment:
    rate_limit_hit(action="comment", user_id=user.pk)
    comment = ReviewComment(
        review=review, user=user, body=clean_text(body, field="comment", max_length=COMMENT_MAX)
    )
    comment.full_clean()
    comment.save()
    Review.objects.filter(pk=review.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def review_comment_delete(*, user: User, comment_id: int) -> None:
    comment = ReviewComment.objects.select_related("review").filter(pk=comment_id).first()
    allowed = comment is not None and (user.pk in (comment.user_id, comment.review.user_id) or user.is_staff)
    if not allowed:
        raise ApplicationError("You cannot delete this comment.", {"comment_id": comment_id})
    Review.objects.filter(pk=comment.review_id).update(comment_count=F("comment_count") - 1)
    comment.delete()


@transaction.atomic
def review_like_set(*, user: User, review: Review, liked: bool) -> int:
    """Like or unlike (idempotent); returns the new like count."""
    return like_set(like_model=ReviewLike, target=review, target_field="review", user=user, liked=liked)
