"""Selectors of the year in review (연말결산): one person's year at Moochu, as a viewer may see it.

A year is read off what the person logged: diary entries (what they watched, when, how long),
ratings given that year, chat messages written that year. Every part follows the owner's
mini-homepage visibility for the section it is drawn from — the diary for viewings, hours and
months; ratings for counts, averages and the best-rated titles; taste for genres and people;
friends for the 일촌 they shared most taste with — and a hidden part is never queried.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import NamedTuple

from django.db.models import Count
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS

from apps.chat.models import Message
from apps.chat.models import RoomVisibility
from apps.common.charts import RankedBar
from apps.common.charts import bars_ranked
from apps.movies.models import CreditRole
from apps.movies.models import Title
from apps.movies.taste_groups import genre_names_by_bit
from apps.movies.taste_groups import leading_credits
from apps.movies.taste_groups import origin_label
from apps.social.models import DiaryEntry
from apps.social.models import Friendship
from apps.social.models import Rating
from apps.social.models import Visibility
from apps.social.selectors import relationship_between
from apps.social.selectors import visible_sections
from apps.social.services.homepage import profile_get_or_create

if TYPE_CHECKING:
    from apps.social.models import User

# The first year anyone could have logged anything (MovieLens ratings start in 1995).
FIRST_YEAR = 1990
TOP_N = 5
BEST_N = 6
MATES_N = 3
ROOMS_N = 5
# Fewer titles in common than this say nothing about shared taste.
MATE_MIN_COMMON = 3
# Month chart geometry (SVG user units): 12 columns.
MONTH_WIDTH, MONTH_HEIGHT = 480, 150
SHARE_WIDTH = 160


class Viewing(NamedTuple):
    title_id: int
    watched_on: dt.date
    rewatch: bool
    half_stars: int | None


@dataclass(frozen=True)
class MonthBar:
    month: int  # 1–12
    n: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class BestTitle:
    title: Title
    half_stars: int

    @property
    def stars(self) -> float:
        return self.half_stars / 2


@dataclass(frozen=True)
class TasteMate:
    user: User
    common: int  # titles both rated
    match: int  # percent: 100 - mean absolute star difference scaled to 0–100


@dataclass(frozen=True)
class RoomTalk:
    room_id: int
    name: str
    title_id: int | None
    messages: int


@dataclass
class YearInReview:
    owner: User
    year: int
    years: list[int]  # every year with activity the viewer may see, newest first
    visible: bool  # some part may be seen
    diary_visible: bool
    ratings_visible: bool
    taste_visible: bool
    friends_visible: bool
    viewings: int = 0
    titles_watched: int = 0
    rewatches: int = 0
    minutes: int = 0
    runtime_known: int = 0  # viewings whose running time is known
    months: list[MonthBar] = field(default_factory=list)
    busiest_month: int | None = None
    busiest_month_viewings: int = 0
    ratings_given: int = 0
    average: float | None = None
    best: list[BestTitle] = field(default_factory=list)
    genres: list[RankedBar] = field(default_factory=list)
    origins: list[RankedBar] = field(default_factory=list)
    directors: list[RankedBar] = field(default_factory=list)
    actors: list[RankedBar] = field(default_factory=list)
    mates: list[TasteMate] = field(default_factory=list)
    rooms: list[RoomTalk] = field(default_factory=list)

    @property
    def busiest_month_name(self) -> str:
        return str(MONTHS[self.busiest_month]) if self.busiest_month else ""

    @property
    def hours(self) -> int:
        return round(self.minutes / 60)

    @property
    def is_empty(self) -> bool:
        return not (self.viewings or self.ratings_given or self.genres or self.rooms)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in the site's time zone, as aware datetimes (timestamps are stored in UTC)."""
    zone = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def active_years(*, owner: User, sections: dict[str, bool], include_private_rooms: bool) -> list[int]:
    """Years with anything the viewer may see, newest first."""
    zone = timezone.get_current_timezone()
    years: set[int] = set()
    if sections["diary"]:
        years.update(d.year for d in DiaryEntry.objects.filter(user=owner).dates("watched_on", "year"))
    if sections["ratings"] or sections["taste"]:
        rated = Rating.objects.filter(user=owner)
        years.update(d.year for d in rated.datetimes("created_at", "year", tzinfo=zone))
    rooms = Q() if include_private_rooms else Q(room__visibility=RoomVisibility.PUBLIC)
    years.update(
        d.year
        for d in Message.objects.filter(rooms, author=owner, deleted_at__isnull=True).datetimes(
            "created_at", "year", tzinfo=zone
        )
    )
    return sorted((y for y in years if y >= FIRST_YEAR), reverse=True)


def _sections_for(*, owner: User, viewer: User | None) -> tuple[bool, dict[str, bool]]:
    """(viewer is the owner, which mini-homepage sections the viewer may see)."""
    viewer = viewer if viewer is not None and viewer.is_authenticated else None
    profile = profile_get_or_create(user=owner)
    rel = relationship_between(viewer=viewer, owner=owner)
    return rel.is_self, visible_sections(owner=owner, profile=profile, rel=rel)


def year_in_review_years(*, owner: User, viewer: User | None) -> list[int]:
    """Years of ``owner``'s with activity ``viewer`` may see, newest first."""
    is_self, sections = _sections_for(owner=owner, viewer=viewer)
    return active_years(owner=owner, sections=sections, include_private_rooms=is_self)


def year_in_review_get(*, owner: User, viewer: User | None, year: int) -> YearInReview:
    """``owner``'s ``year`` as ``viewer`` may see it; hidden parts are not queried."""
    is_self, sections = _sections_for(owner=owner, viewer=viewer)
    review = YearInReview(
        owner=owner,
        year=year,
        years=[],
        visible=sections["diary"] or sections["ratings"] or sections["taste"],
        diary_visible=sections["diary"],
        ratings_visible=sections["ratings"],
        taste_visible=sections["taste"],
        friends_visible=sections["friends"],
    )
    if not review.visible:
        return review
    review.years = active_years(owner=owner, sections=sections, include_private_rooms=is_self)
    start, end = _year_bounds(year)

    # What they watched (diary) and rated that year; the stars of a title are its rating, else
    # the best star a viewing that year gave it.
    viewings = [
        Viewing(*row)
        for row in DiaryEntry.objects.filter(user=owner, watched_on__year=year).values_list(
            "title_id", "watched_on", "rewatch", "half_stars"
        )
    ]
    rated = dict(
        Rating.objects.filter(user=owner, created_at__gte=start, created_at__lt=end).values_list(
            "title_id", "half_stars"
        )
    )
    stars: dict[int, int] = {}
    for viewing in viewings:
        if viewing.half_stars:
            stars[viewing.title_id] = max(stars.get(viewing.title_id, 0), viewing.half_stars)
    stars.update(rated)
    year_titles = {v.title_id for v in viewings} if review.diary_visible else set()
    if review.ratings_visible or review.taste_visible:
        year_titles |= set(rated)
    titles = Title.objects.in_bulk(year_titles) if year_titles else {}

    if review.diary_visible and viewings:
        _fill_viewings(review, viewings, titles)
    if review.ratings_visible:
        review.ratings_given = len(rated)
        if rated:
            review.average = round(sum(rated.values()) / len(rated) / 2, 2)
        shown_stars = stars if review.diary_visible else rated
        ranked = sorted(shown_stars.items(), key=lambda kv: (-kv[1], kv[0]))[:BEST_N]
        review.best = [BestTitle(title=titles[t], half_stars=s) for t, s in ranked if t in titles]
    if review.taste_visible and titles:
        _fill_taste(review, titles)
    if review.friends_visible and stars:
        review.mates = _taste_mates(owner=owner, stars={t: s for t, s in stars.items() if t in titles})
    review.rooms = _rooms(owner=owner, start=start, end=end, include_private=is_self)
    return review


def _fill_viewings(review: YearInReview, viewings: list[Viewing], titles: dict[int, Title]) -> None:
    review.viewings = len(viewings)
    review.titles_watched = len({v.title_id for v in viewings})
    review.rewatches = sum(1 for v in viewings if v.rewatch)
    for viewing in viewings:
        title = titles.get(viewing.title_id)
        if title is not None and title.runtime_minutes:
            review.minutes += title.runtime_minutes
            review.runtime_known += 1
    per_month = Counter(v.watched_on.month for v in viewings)
    ranked = per_month.most_common(2)
    top = ranked[0][1]
    # A busiest month is one that stands out: more than one viewing and no tie.
    if top > 1 and (len(ranked) == 1 or ranked[1][1] < top):
        review.busiest_month, review.busiest_month_viewings = ranked[0]
    step = MONTH_WIDTH // 12
    for month in range(1, 13):
        n = per_month.get(month, 0)
        # Room under the columns for the month and above them for the count.
        height = round((MONTH_HEIGHT - 20 - 22) * n / top)
        review.months.append(
            MonthBar(month=month, n=n, x=(month - 1) * step + 6, y=MONTH_HEIGHT - 20 - height, height=height)
        )


def _fill_taste(review: YearInReview, titles: dict[int, Title]) -> None:
    genre_names = genre_names_by_bit()
    genres: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    for title in titles.values():
        for bit, name in genre_names.items():
            if title.genre_mask >> bit & 1:
                genres[name] += 1
        origin = origin_label(
            title_ko=title.title_ko, title_en=title.title_en, title_original=title.title_original
        )
        origins[origin] += 1
    directors: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for _title_id, name, role in leading_credits(title_ids=titles):
        (directors if role == CreditRole.DIRECTOR else actors)[name] += 1
    total = len(titles)
    review.genres = _ranked(genres, total)
    review.origins = _ranked(origins, total)
    review.directors = _ranked(directors, total)
    review.actors = _ranked(actors, total, min_n=2 if total >= 20 else 1)


def _ranked(counts: Counter[str], total: int, *, min_n: int = 1) -> list[RankedBar]:
    """The most frequent labels (ties by name), with their share of the year's titles."""
    return bars_ranked(counts, total, top=TOP_N, max_width=SHARE_WIDTH, min_n=min_n)


def _taste_mates(*, owner: User, stars: dict[int, int]) -> list[TasteMate]:
    """The 일촌 whose ratings agree most with the owner's on the year's titles. A friend who keeps
    their ratings private is left out: the figure would reveal them."""
    friends = {
        f.friend_id: f.friend
        for f in Friendship.objects.filter(user=owner)
        .exclude(friend__profile__visibility_ratings=Visibility.PRIVATE)
        .select_related("friend")
    }
    if not friends:
        return []
    diffs: dict[int, list[int]] = defaultdict(list)
    for user_id, title_id, half_stars in Rating.objects.filter(
        user_id__in=friends, title_id__in=stars
    ).values_list("user_id", "title_id", "half_stars"):
        diffs[user_id].append(abs(half_stars - stars[title_id]))
    mates = [
        # Half stars differ by at most 9.
        TasteMate(user=friends[user_id], common=len(d), match=round(100 * (1 - sum(d) / len(d) / 9)))
        for user_id, d in diffs.items()
        if len(d) >= MATE_MIN_COMMON
    ]
    mates.sort(key=lambda m: (-m.match, -m.common, m.user.pk))
    return mates[:MATES_N]


def _rooms(*, owner: User, start: dt.datetime, end: dt.datetime, include_private: bool) -> list[RoomTalk]:
    """The chat rooms they talked in most; invite-only rooms only on their own page."""
    messages = Message.objects.filter(
        author=owner, created_at__gte=start, created_at__lt=end, deleted_at__isnull=True
    )
    if not include_private:
        messages = messages.filter(room__visibility=RoomVisibility.PUBLIC)
    rows = (
        messages.values("room_id", "room__name", "room__title_id")
        .annotate(n=Count("id"))
        .order_by("-n", "room_id")[:ROOMS_N]
    )
    return [
        RoomTalk(room_id=r["room_id"], name=r["room__name"], title_id=r["room__title_id"], messages=r["n"])
        for r in rows
    ]
