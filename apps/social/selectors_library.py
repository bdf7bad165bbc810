"""Social reads for my library: what I watched, my watchlist (with predicted stars), my diary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from django.db.models import F
from django.db.models import QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone

from apps.movies.models import Title
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import User
from apps.social.models import WatchlistItem

if TYPE_CHECKING:
    pass


# -----------------------------------------------------------------------------
# Library: watched, watchlist, diary
# -----------------------------------------------------------------------------
def rating_of(*, user: User, title: Title) -> Rating | None:
    return Rating.objects.filter(user=user, title=title).first()


def title_watched_by_user(*, user: User, title_id: int) -> bool:
    """Has the person seen the title? A rating or a diary entry says so (the one definition)."""
    return (
        Rating.objects.filter(user=user, title_id=title_id).exists()
        or DiaryEntry.objects.filter(user=user, title_id=title_id).exists()
    )


def title_ids_watched(*, user: User, title_ids: list[int] | None = None) -> set[int]:
    """Ids of the titles the person rated or logged in the diary (optionally only among ``title_ids``)."""
    ratings = Rating.objects.filter(user=user).order_by()
    diary = DiaryEntry.objects.filter(user=user).order_by()
    if title_ids is not None:
        ratings = ratings.filter(title_id__in=title_ids)
        diary = diary.filter(title_id__in=title_ids)
    return set(ratings.values_list("title_id", flat=True).union(diary.values_list("title_id", flat=True)))


WATCHLIST_SORTS: dict[str, tuple[OrderBy, ...]] = {
    "added": (F("created_at").desc(), F("id").desc()),
    "release": (
        F("title__release_date").desc(nulls_last=True),
        F("title__year").desc(nulls_last=True),
        F("id").desc(),
    ),
    "title": (F("title__title_ko").asc(), F("title__title_en").asc(), F("id").asc()),
    # "predicted" (예상 별점) is sorted in Python by watchlist_with_predictions; the query keeps "added".
    "predicted": (F("created_at").desc(), F("id").desc()),
}


@dataclass(frozen=True)
class WatchlistFilters:
    mine: bool = False  # on one of my services
    cinema: bool = False  # in cinemas now
    rent_buy: bool = False  # to rent or buy
    sort: str = "added"


def watchlist_for_user(*, user: User, filters: WatchlistFilters | None = None) -> QuerySet[WatchlistItem]:
    """My watchlist with its titles, filtered on the catalog's bitmasks (no joins to offers)."""
    from apps.movies.models import OFFER_TYPE_BITS
    from apps.movies.models import OfferType
    from apps.movies.services.catalog import mask_of

    filters = filters or WatchlistFilters()
    qs = WatchlistItem.objects.filter(user=user).select_related("title")
    if filters.mine:
        my_bits = list(user.my_services.values_list("bit", flat=True))
        if not my_bits:
            return qs.none()
        qs = qs.alias(mine_hit=F("title__provider_mask").bitand(mask_of(my_bits))).exclude(mine_hit=0)
    if filters.cinema:
        bit = mask_of([OFFER_TYPE_BITS[OfferType.NOW_SHOWING]])
        qs = qs.alias(cinema_hit=F("title__offer_mask").bitand(bit)).exclude(cinema_hit=0)
    if filters.rent_buy:
        bits = mask_of([OFFER_TYPE_BITS[OfferType.RENT], OFFER_TYPE_BITS[OfferType.BUY]])
        qs = qs.alias(paid_hit=F("title__offer_mask").bitand(bits)).exclude(paid_hit=0)
    return qs.order_by(*WATCHLIST_SORTS.get(filters.sort, WATCHLIST_SORTS["added"]))


def diary_for_user(*, user: User, year: int | None = None, month: int | None = None) -> QuerySet[DiaryEntry]:
    qs = DiaryEntry.objects.filter(user=user).select_related("title")
    if year is not None:
        qs = qs.filter(watched_on__year=year)
    if month is not None:
        qs = qs.filter(watched_on__month=month)
    return qs.order_by("-watched_on", "-id")


@dataclass
class DiaryDay:
    day: dt.date | None  # None pads the first and last week
    entries: list[DiaryEntry] = field(default_factory=list)


@dataclass
class DiaryMonth:
    first: dt.date
    weeks: list[list[DiaryDay]]
    count: int
    previous: dt.date
    next: dt.date | None  # None when the next month is still in the future


def diary_month(*, user: User, year: int, month: int) -> DiaryMonth:
    """A month of my diary as calendar weeks (Sunday first, as Korean calendars are)."""
    import calendar

    first = dt.date(year, month, 1)
    entries = list(diary_for_user(user=user, year=year, month=month).order_by("watched_on", "id"))
    by_day: dict[dt.date, list[DiaryEntry]] = {}
    for entry in entries:
        by_day.setdefault(entry.watched_on, []).append(entry)
    weeks = [
        [
            DiaryDay(
                day=d if d.month == month else None, entries=by_day.get(d, []) if d.month == month else []
            )
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return DiaryMonth(
        first=first,
        weeks=weeks,
        count=len(entries),
        previous=previous,
        next=following if following <= timezone.localdate() else None,
    )


# A watchlist longer than this is sorted by prediction on its most recent items only.
WATCHLIST_PREDICTION_CAP = 500


def watchlist_predictor() -> Callable[..., dict[int, float]] | None:
    """The recs app's predicted-rating selector (예상 별점), if this deployment has one."""
    try:
        from apps.recs.predictions import predicted_ratings_for_user
    except ImportError:
        return None
    return predicted_ratings_for_user


def watchlist_with_predictions(*, user: User, filters: WatchlistFilters) -> list[WatchlistItem]:
    """My (filtered) watchlist, each item with ``predicted`` stars or None; best first for sort="predicted".

    One query for the items and one model call for all of them (see recs' selector).
    """
    items = list(watchlist_for_user(user=user, filters=filters)[:WATCHLIST_PREDICTION_CAP])
    predictor = watchlist_predictor()
    predictions = predictor(user_id=user.pk, title_ids=[i.title_id for i in items]) if predictor else {}
    for item in items:
        setattr(item, "predicted", predictions.get(item.title_id))  # noqa: B010 (for the template)
    if filters.sort == "predicted":
        items.sort(key=lambda i: (predictions.get(i.title_id) is None, -(predictions.get(i.title_id) or 0)))
    return items
