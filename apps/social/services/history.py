"""Bringing a person's history from elsewhere (apps.imports): ratings, diary, watchlist, reviews.

The one-at-a-time services (``rating_set``, ``diary_entry_create``, ``watchlist_add``) take ~8
queries a row, so 10,000 imported rows would take minutes; these write in bulk, compare with
what is stored first (a re-import changes nothing), and refresh each touched title's
aggregates once. They add no feed lines: a 2,000-title history would bury every 일촌's feed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.movies.models import Title

# The catalog's COPY-based writer (its one bulk toolkit; see apps.movies.services.ingestion).
from apps.movies.services.bulk import bulk_insert
from apps.social.homepage_cache import homepage_forget_on_commit
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import WatchlistItem
from apps.social.services.common import clean_text
from apps.social.services.ratings import REVIEW_MAX
from apps.social.services.ratings import _after_rating_change
from apps.social.services.ratings import _title_rating_refresh
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.social.models import User

# Rows per INSERT/UPDATE statement; 500 keeps PostgreSQL's parameter count far below its limit.
BATCH = 500


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class RatingItem:
    title_id: int
    half_stars: int
    rated_on: dt.date | None = None


@dataclass(frozen=True)
class DiaryItem:
    title_id: int
    watched_on: dt.date
    rewatch: bool = False
    half_stars: int | None = None


@dataclass(frozen=True)
class ReviewItem:
    title_id: int
    body: str


@dataclass(frozen=True)
class ItemResult:
    outcome: Outcome
    error: str = ""


def _at_noon(day: dt.date | None) -> dt.datetime:
    if day is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@transaction.atomic
def ratings_import(*, user: User, items: Sequence[RatingItem]) -> list[ItemResult]:
    """Set each title's rating; the last item for a title wins. One result per item."""
    for item in items:
        if not 1 <= item.half_stars <= 10:
            raise ApplicationError("half_stars must be 1–10", {"title_id": item.title_id})
    last: dict[int, RatingItem] = {item.title_id: item for item in items}
    stored = dict(
        Rating.objects.filter(user=user, title_id__in=list(last)).values_list("title_id", "half_stars")
    )
    # Only titles whose rating changes are locked (a re-import locks none): the same row locks
    # rating_set takes, in id order, so aggregates stay exact and two imports cannot deadlock.
    title_ids = sorted(t for t, item in last.items() if stored.get(t) != item.half_stars)
    for start in range(0, len(title_ids), BATCH):
        list(Title.objects.select_for_update().filter(id__in=title_ids[start : start + BATCH]).values("id"))
    # Read again under the locks: the person may have rated one of them meanwhile.
    existing = {r.title_id: r for r in Rating.objects.filter(user=user, title_id__in=title_ids)}
    to_write = set(title_ids)
    outcome: dict[int, Outcome] = {}
    now = timezone.now()
    new: list[Rating] = []
    changed: list[Rating] = []
    for title_id, item in last.items():
        rating = existing.get(title_id)
        if title_id not in to_write:
            outcome[title_id] = Outcome.UNCHANGED
        elif rating is None:
            new.append(
                Rating(
                    user=user,
                    title_id=title_id,
                    half_stars=item.half_stars,
                    created_at=_at_noon(item.rated_on),
                )
            )
            outcome[title_id] = Outcome.CREATED
        elif rating.half_stars != item.half_stars:
            rating.half_stars = item.half_stars
            rating.updated_at = now
            changed.append(rating)
            outcome[title_id] = Outcome.UPDATED
        else:
            outcome[title_id] = Outcome.UNCHANGED
    bulk_insert(Rating, new)
    _update_grouped(Rating, changed, lambda r: {"half_stars": r.half_stars, "updated_at": r.updated_at})
    touched = [r.title_id for r in (*new, *changed)]
    if touched:
        _title_rating_refresh_many(title_ids=touched)
        # Receivers (the recs app's picks refresh) hear of the import once, not per row.
        sample = new[-1] if new else changed[-1]
        post_save.send(sender=Rating, instance=sample, created=bool(new))
        transaction.on_commit(lambda: _after_rating_change(user.pk))
    return [_result_for(item, last, outcome) for item in items]


def _update_grouped(
    model: type[Model], objs: Sequence[Model], values: Callable[[Any], dict[str, Any]]
) -> None:
    """One UPDATE per distinct set of values (ten star values at most), where bulk_update
    writes a CASE per row: ~1 s per 500 rows on a loaded machine."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for obj in objs:
        groups[tuple(sorted(values(obj).items()))].append(obj.pk)
    for key, ids in groups.items():
        for start in range(0, len(ids), BATCH * 10):
            model._default_manager.filter(pk__in=ids[start : start + BATCH * 10]).update(**dict(key))


def _result_for(item: RatingItem, last: dict[int, RatingItem], outcome: dict[int, Outcome]) -> ItemResult:
    # An earlier line for a title that a later line overrides changed nothing by itself.
    if last[item.title_id] is not item:
        return ItemResult(Outcome.UNCHANGED)
    return ItemResult(outcome[item.title_id])


def _title_rating_refresh_many(*, title_ids: Sequence[int]) -> None:
    ids = sorted(set(title_ids))
    if len(ids) == 1:
        _title_rating_refresh(title_id=ids[0])
        return
    from apps.movies.services.popularity import title_stats_refresh

    title_stats_refresh(title_ids=ids)


@transaction.atomic
def diary_entries_import(*, user: User, items: Sequence[DiaryItem]) -> list[ItemResult]:
    """Log each viewing unless the diary already has that title on that day.

    The title rating is left alone: an export's ratings file holds the current ratings, and a
    diary's old viewings would otherwise overwrite them.
    """
    today = timezone.localdate()
    title_ids = sorted({item.title_id for item in items})
    stored: dict[tuple[int, dt.date], list[DiaryEntry]] = defaultdict(list)
    for start in range(0, len(title_ids), BATCH):
        for entry in DiaryEntry.objects.filter(
            user=user, title_id__in=title_ids[start : start + BATCH]
        ).order_by("id"):
            stored[(entry.title_id, entry.watched_on)].append(entry)
    results: list[ItemResult] = []
    new: list[DiaryEntry] = []
    changed: list[DiaryEntry] = []
    for item in items:
        if item.watched_on > today + dt.timedelta(days=1) or item.watched_on.year < 1870:
            results.append(ItemResult(Outcome.FAILED, _("The watch date is not a possible day.")))
            continue
        if item.half_stars is not None and not 1 <= item.half_stars <= 10:
            results.append(ItemResult(Outcome.FAILED, _("A rating must be between ½ and 5 stars.")))
            continue
        # Viewings of one title on one day pair up in order, so a file with two viewings on a
        # day imports two entries, and a second import of it finds both.
        same_day = stored.get((item.title_id, item.watched_on))
        if same_day:
            entry = same_day.pop(0)
            if (entry.rewatch, entry.half_stars) == (item.rewatch, item.half_stars):
                results.append(ItemResult(Outcome.UNCHANGED))
            else:
                entry.rewatch, entry.half_stars = item.rewatch, item.half_stars
                changed.append(entry)
                results.append(ItemResult(Outcome.UPDATED))
            continue
        new.append(
            DiaryEntry(
                user=user,
                title_id=item.title_id,
                watched_on=item.watched_on,
                rewatch=item.rewatch,
                half_stars=item.half_stars,
            )
        )
        results.append(ItemResult(Outcome.CREATED))
    bulk_insert(DiaryEntry, new)
    _update_grouped(DiaryEntry, changed, lambda e: {"rewatch": e.rewatch, "half_stars": e.half_stars})
    watched = {entry.title_id for entry in new}
    if watched:
        # Watching it crosses it off the watchlist, as diary_entry_create does.
        WatchlistItem.objects.filter(user=user, title_id__in=watched).delete()
    if new or changed:
        homepage_forget_on_commit(user_ids=[user.pk])
    return results


@transaction.atomic
def watchlist_import(*, user: User, title_ids: Sequence[int]) -> list[ItemResult]:
    """Add each title to the watchlist; one already there is unchanged."""
    present = set(
        WatchlistItem.objects.filter(user=user, title_id__in=set(title_ids)).values_list(
            "title_id", flat=True
        )
    )
    results: list[ItemResult] = []
    new: list[WatchlistItem] = []
    for title_id in title_ids:
        if title_id in present:
            results.append(ItemResult(Outcome.UNCHANGED))
            continue
        present.add(title_id)
        new.append(WatchlistItem(user=user, title_id=title_id))
        results.append(ItemResult(Outcome.CREATED))
    bulk_insert(WatchlistItem, new, ignore_conflicts=True)
    if new:
        homepage_forget_on_commit(user_ids=[user.pk])
    return results


def reviews_import(*, user: User, items: Sequence[ReviewItem]) -> list[ItemResult]:
    """Write the reviews in bulk under ``review_upsert``'s text rules; one with the same text is
    unchanged, and an edit keeps the review's spoiler mark. A review the rules refuse fails
    alone, with the reason. (One ``review_upsert`` per row took ~20 ms: 300 reviews were 6 s of
    a 10,000-row import.)"""
    from apps.social.models import Review

    stored = {
        review.title_id: review
        for review in Review.objects.filter(user=user, title_id__in={i.title_id for i in items}).only(
            "id", "title_id", "body"
        )
    }
    results: list[ItemResult] = []
    new: dict[int, Review] = {}
    changed: dict[int, Review] = {}
    for item in items:
        try:
            body = clean_text(item.body, field="review", max_length=REVIEW_MAX)
        except ApplicationError as exc:
            results.append(ItemResult(Outcome.FAILED, exc.message))
            continue
        review = stored.get(item.title_id) or new.get(item.title_id)
        if review is None:
            new[item.title_id] = Review(user=user, title_id=item.title_id, body=body)
            results.append(ItemResult(Outcome.CREATED))
        elif review.body == body:
            results.append(ItemResult(Outcome.UNCHANGED))
        else:
            review.body = body
            if review.pk is not None:
                changed[item.title_id] = review
            results.append(ItemResult(Outcome.UPDATED))
    bulk_insert(Review, list(new.values()))
    now = timezone.now()
    for review in changed.values():
        review.updated_at = now
    Review.objects.bulk_update(list(changed.values()), ["body", "updated_at"], batch_size=BATCH)
    if new or changed:
        homepage_forget_on_commit(user_ids=[user.pk])
    return results
