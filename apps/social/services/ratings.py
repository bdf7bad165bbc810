"""Ratings, watchlist, watched diary, reviews with comments and likes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.movies.models import Title
from apps.movies.services.popularity import title_stats_refresh
from apps.social.homepage_cache import homepage_forget
from apps.social.homepage_cache import homepage_forget_on_commit
from apps.social.models import Activity
from apps.social.models import ActivityVerb
from apps.social.models import DiaryEntry
from apps.social.models import NotificationKind
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import ReviewComment
from apps.social.models import ReviewLike
from apps.social.models import ReviewReport
from apps.social.models import WatchlistItem
from apps.social.notification_text import actor_params
from apps.social.notification_text import title_names
from apps.social.services.common import clean_text
from apps.social.services.common import like_set
from apps.social.services.common import rate_limit_hit
from apps.social.services.notifications import notification_create
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import NotFoundError

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
        raise ApplicationError(_("Rating must be a number of stars."), {"field": "stars"}) from exc
    if not value.is_finite():
        raise ApplicationError(_("Rating must be a number of stars."), {"field": "stars"})
    doubled = value * 2
    if doubled != doubled.to_integral_value() or not (1 <= doubled <= 10):
        raise ApplicationError(
            _("Rating must be between 0.5 and 5 stars in half-star steps."), {"field": "stars"}
        )
    return int(doubled)


def _title_rating_refresh(*, title_id: int) -> None:
    """Recompute the title's average and popularity through the catalog's one service
    (one rounding, one formula); call inside the transaction holding the title lock."""
    title_stats_refresh(title_ids=[title_id])


def _after_rating_change(user_id: int) -> None:
    """After a commit that changed the user's ratings: the taste chart and the mini-homepage's
    cached sections (recent ratings, taste) are drawn anew."""
    cache.delete(taste_cache_key(user_id))
    homepage_forget(user_ids=[user_id])


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
    deleted, _count = Rating.objects.filter(user=user, title=title).delete()
    if not deleted:
        raise NotFoundError(_("You have not rated this title."))
    _title_rating_refresh(title_id=title.pk)
    Activity.objects.filter(actor=user, title=title, verb=ActivityVerb.RATED).delete()
    transaction.on_commit(lambda: _after_rating_change(user.pk))


def watchlist_add(*, user: User, title: Title) -> WatchlistItem:
    item, created = WatchlistItem.objects.get_or_create(user=user, title=title)
    if created:
        homepage_forget_on_commit(user_ids=[user.pk])
    return item


def watchlist_remove(*, user: User, title: Title) -> None:
    if WatchlistItem.objects.filter(user=user, title=title).delete()[0]:
        homepage_forget_on_commit(user_ids=[user.pk])


def _watch_date(watched_on: dt.date | None) -> dt.date:
    watched_on = watched_on or timezone.localdate()
    if watched_on > timezone.localdate() + dt.timedelta(days=1):
        # 409, not 400: a well-formed date that only the calendar refuses (no schema can say "today").
        raise ConflictError(_("The watch date cannot be in the future."), {"field": "watched_on"})
    if watched_on.year < 1870:
        raise ApplicationError(_("Enter a real watch date."), {"field": "watched_on"})
    return watched_on


@transaction.atomic
def diary_entry_create(
    *,
    user: User,
    title: Title,
    watched_on: dt.date | None = None,
    rewatch: bool | None = None,
    note: str = "",
    stars: float | Decimal | str | None = None,
) -> DiaryEntry:
    """Log a viewing. A second viewing of the same title is a rewatch unless told otherwise.

    A rating given with the entry is this viewing's rating and also becomes the title rating
    (the newest viewing's opinion wins), so the entry counts as "watched" everywhere.
    """
    watched_on = _watch_date(watched_on)
    half_stars = _half_stars(stars) if stars not in (None, "") else None
    if rewatch is None:
        rewatch = DiaryEntry.objects.filter(user=user, title=title).exists()
    entry = DiaryEntry(
        user=user,
        title=title,
        watched_on=watched_on,
        rewatch=rewatch,
        half_stars=half_stars,
        note=clean_text(note, field="note", max_length=500, required=False),
    )
    entry.full_clean()
    entry.save()
    if half_stars is not None:
        rating_set(user=user, title=title, stars=Decimal(half_stars) / 2)
    # Watching it crosses it off the watchlist.
    WatchlistItem.objects.filter(user=user, title=title).delete()
    homepage_forget_on_commit(user_ids=[user.pk])  # the diary and watchlist previews
    return entry


@transaction.atomic
def diary_entry_update(
    *,
    user: User,
    entry_id: int,
    watched_on: dt.date | None,
    rewatch: bool,
    note: str = "",
    stars: float | Decimal | str | None = None,
) -> DiaryEntry:
    """Change one of my diary entries (date, rating, rewatch mark, note)."""
    entry = DiaryEntry.objects.select_for_update().filter(user=user, pk=entry_id).first()
    if entry is None:
        raise NotFoundError(_("No such diary entry."), {"entry_id": entry_id})
    entry.watched_on = _watch_date(watched_on)
    entry.rewatch = rewatch
    entry.half_stars = _half_stars(stars) if stars not in (None, "") else None
    entry.note = clean_text(note, field="note", max_length=500, required=False)
    entry.full_clean()
    entry.save()
    if entry.half_stars is not None:
        newest = (
            DiaryEntry.objects.filter(user=user, title_id=entry.title_id)
            .order_by("-watched_on", "-id")
            .first()
        )
        if newest is not None and newest.pk == entry.pk:
            rating_set(user=user, title=entry.title, stars=Decimal(entry.half_stars) / 2)
    homepage_forget_on_commit(user_ids=[user.pk])
    return entry


def diary_entry_delete(*, user: User, entry_id: int) -> None:
    deleted, _count = DiaryEntry.objects.filter(user=user, pk=entry_id).delete()
    if not deleted:
        raise NotFoundError(_("No such diary entry."), {"entry_id": entry_id})
    homepage_forget_on_commit(user_ids=[user.pk])


@transaction.atomic
def review_upsert(*, user: User, title: Title, body: str, has_spoilers: bool = False) -> Review:
    body = clean_text(body, field="review", max_length=REVIEW_MAX)
    review = Review.objects.filter(user=user, title=title).first()
    created = review is None
    if review is None:
        review = Review(user=user, title=title)
    review.body = body
    review.has_spoilers = has_spoilers
    review.full_clean()
    review.save()
    if created:
        Activity.objects.create(
            actor=user, verb=ActivityVerb.REVIEWED, title=title, section="ratings", target_id=review.pk
        )
    homepage_forget_on_commit(user_ids=[user.pk])
    return review


@transaction.atomic
def review_delete(*, user: User, review_id: int) -> None:
    review = Review.objects.filter(pk=review_id).first()
    if review is None or (review.user_id != user.pk and not user.is_staff):
        raise NotFoundError(_("You can only delete your own review."), {"review_id": review_id})
    Activity.objects.filter(verb=ActivityVerb.REVIEWED, target_id=review.pk).delete()
    review.delete()
    homepage_forget_on_commit(user_ids=[review.user_id])


def _review_url(review: Review, comment_id: int | None = None) -> str:
    url = reverse("social:review-detail", kwargs={"review_id": review.pk})
    return f"{url}#comment-{comment_id}" if comment_id else url


@transaction.atomic
def review_comment_create(
    *, user: User, review_id: int, body: str, parent_id: int | None = None
) -> ReviewComment:
    """Comment on a review, or reply to one of its comments; tells the people it concerns.

    The review row is locked first: a review deleted meanwhile gets a clear error and no
    orphan comment, and comment_count stays exact under concurrent comments.
    """
    review = Review.objects.select_for_update().select_related("title").filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(_("This review has been deleted."), {"review_id": review_id})
    parent = None
    if parent_id is not None:
        parent = ReviewComment.objects.filter(pk=parent_id, review_id=review.pk).first()
        if parent is None:
            raise NotFoundError(_("The comment you replied to has been deleted."), {"parent_id": parent_id})
        parent = parent if parent.parent_id is None else parent.parent  # replies stay one level deep
    body = clean_text(body, field="comment", max_length=COMMENT_MAX)
    rate_limit_hit(action="comment", user_id=user.pk)
    comment = ReviewComment(review=review, user=user, parent=parent, body=body)
    comment.full_clean()
    comment.save()
    Review.objects.filter(pk=review.pk).update(comment_count=F("comment_count") + 1)
    names = {"actor": user.display_name, "title": review.title.display_title}
    told: set[int] = {user.pk}
    if parent is not None and parent.user_id not in told:
        notification_create(
            user=parent.user,
            actor=user,
            kind=NotificationKind.COMMENT_REPLY,
            text=_("%(actor)s replied to your comment on the review of %(title)s") % names,
            url=_review_url(review, comment.pk),
            params=actor_params(user) | title_names(review.title),
        )
        told.add(parent.user_id)
    if review.user_id not in told:
        notification_create(
            user=review.user,
            actor=user,
            kind=NotificationKind.REVIEW_COMMENT,
            text=_("%(actor)s commented on your review of %(title)s") % names,
            url=_review_url(review, comment.pk),
            params=actor_params(user) | title_names(review.title),
        )
    return comment


@transaction.atomic
def review_comment_delete(*, user: User, comment_id: int) -> None:
    comment = ReviewComment.objects.select_related("review").filter(pk=comment_id).first()
    if comment is None or not (user.pk in (comment.user_id, comment.review.user_id) or user.is_staff):
        raise NotFoundError(_("You cannot delete this comment."), {"comment_id": comment_id})
    # Replies go with their comment: count them all out of the review's total.
    removed = 1 + comment.replies.count()
    Review.objects.filter(pk=comment.review_id).update(comment_count=F("comment_count") - removed)
    comment.delete()


@transaction.atomic
def review_like_set(*, user: User, review: Review, liked: bool) -> int:
    """Like or unlike (idempotent); returns the new like count. The author hears of a new like once."""
    before = ReviewLike.objects.filter(review=review, user=user).exists()
    count = like_set(like_model=ReviewLike, target=review, target_field="review", user=user, liked=liked)
    if liked and not before and review.user_id != user.pk:
        notification_create(
            user=review.user,
            actor=user,
            kind=NotificationKind.REVIEW_LIKE,
            text=_("%(actor)s liked your review of %(title)s")
            % {"actor": user.display_name, "title": review.title.display_title},
            url=_review_url(review),
            params=actor_params(user) | title_names(review.title),
        )
    return count


def review_report_create(
    *, user: User, review_id: int, comment_id: int | None = None, reason: str = ""
) -> ReviewReport:
    """Report a review or one of its comments to the staff (once per person and thing)."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise ApplicationError(_("This review has been deleted."), {"review_id": review_id})
    comment = None
    if comment_id is not None:
        comment = ReviewComment.objects.filter(pk=comment_id, review=review).first()
        if comment is None:
            raise ApplicationError(_("This comment has been deleted."), {"comment_id": comment_id})
    author_id = comment.user_id if comment is not None else review.user_id
    if author_id == user.pk:
        raise ApplicationError(_("You cannot report what you wrote."))
    if ReviewReport.objects.filter(reporter=user, review=review, comment=comment).exists():
        raise ApplicationError(_("You have already reported this."))
    report = ReviewReport(
        review=review,
        comment=comment,
        reporter=user,
        reason=clean_text(reason, field="reason", max_length=300, required=False),
    )
    report.full_clean()
    report.save()
    return report
