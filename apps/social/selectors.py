"""Social reads. Every page-level selector runs a fixed number of queries, whatever the sizes."""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db import connection
from django.db.models import Avg
from django.db.models import Case
from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Abs
from django.utils import timezone

from apps.common.compiled import Compiled
from apps.common.compiled import model_columns
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.movies.models import Genre
from apps.movies.models import Title
from apps.movies.selectors import LIST_COLUMNS
from apps.social.models import Activity
from apps.social.models import Block
from apps.social.models import BoardPost
from apps.social.models import DiaryEntry
from apps.social.models import Follow
from apps.social.models import FriendRequest
from apps.social.models import FriendRequestStatus
from apps.social.models import Friendship
from apps.social.models import GuestbookEntry
from apps.social.models import Notification
from apps.social.models import Profile
from apps.social.models import Rating
from apps.social.models import Recommendation
from apps.social.models import RecommendationStatus
from apps.social.models import Review
from apps.social.models import ReviewComment
from apps.social.models import ReviewLike
from apps.social.models import ShelfItem
from apps.social.models import User
from apps.social.models import Visibility
from apps.social.models import VisitDaily
from apps.social.models import WatchlistItem
from apps.social.services.common import seoul_today
from apps.social.services.homepage import SECTIONS
from apps.social.services.homepage import profile_get_or_create
from apps.social.services.ratings import taste_cache_key
from apps.social.unread_cache import unread_cached
from apps.social.unread_cache import unread_store
from apps.social.visitors import visitor_store

if TYPE_CHECKING:
    from collections.abc import Mapping


# A recommendation "hits" when the friend rates it at least this many half stars (3.5 stars).
HIT_HALF_STARS = 7
TASTE_MIN_COMMON = 3


def _viewer(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


# -----------------------------------------------------------------------------
# Users and relationships
# -----------------------------------------------------------------------------
def user_get_by_nickname(*, nickname: str) -> User | None:
    from apps.social.services.accounts import nickname_normalise

    _, key = nickname_normalise(nickname)
    rows = query_run(_user_by_nickname_key_sql(), {_NICKNAME_KEY: key})
    if rows:
        return _user_with_profile_of(rows[0])
    # Accounts created outside the nickname service.
    return User.objects.filter(nickname=nickname, is_active=True).select_related("profile").first()


# Every page of /@nickname reads its owner first: compiled once (apps/common/compiled.py),
# a stand-in key in place of the nickname's. The whole user and profile rows, as
# select_related("profile") read them.
_NICKNAME_KEY = "\x00nickname-key-stand-in"
_USER_COLUMNS = [f.attname for f in User._meta.concrete_fields]
_PROFILE_COLUMNS = [f.attname for f in Profile._meta.concrete_fields]


@functools.cache
def _user_by_nickname_key_sql() -> Compiled:
    users = User.objects.filter(profile__nickname_key=_NICKNAME_KEY, is_active=True).order_by("pk")
    profile = [f"profile__{name}" for name in _PROFILE_COLUMNS]
    return query_compile(users.values_list(*_USER_COLUMNS, *profile)[:1], _NICKNAME_KEY)


def _user_with_profile_of(row: tuple[Any, ...]) -> User:
    split = len(_USER_COLUMNS)
    user = User.from_db(DEFAULT_DB_ALIAS, _USER_COLUMNS, row[:split])
    profile = Profile.from_db(DEFAULT_DB_ALIAS, _PROFILE_COLUMNS, row[split:])
    # Both ends of the one-to-one, as select_related("profile") sets them.
    link = Profile._meta.get_field("user")
    link.remote_field.set_cached_value(user, profile)
    link.set_cached_value(profile, user)
    return user


def user_search(*, query: str, viewer: User | None, limit: int = 20) -> list[User]:
    """Find people by nickname prefix (case/width-insensitive). Only public identity is exposed
    by callers (nickname, avatar); users who blocked the viewer are left out."""
    from apps.social.services.accounts import nickname_normalise

    _, key = nickname_normalise(query)
    if not key:
        return []
    qs = User.objects.filter(is_active=True, profile__nickname_key__startswith=key).order_by(
        "profile__nickname_key"
    )
    viewer = _viewer(viewer)
    if viewer is not None:
        qs = qs.exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker_id"))
    return list(qs[:limit])


def friend_ids_for_user(*, user: User) -> list[int]:
    return list(friend_ids_query(user=user))


def friend_ids_query(*, user: User) -> QuerySet[Friendship, int]:
    """The person's friends' ids as a lazy query, to use as a subquery (one row per direction)."""
    return Friendship.objects.filter(user=user).values_list("friend_id", flat=True)


def friends_list_for_user(*, user: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=Friendship.objects.filter(user=user).values("friend_id")).order_by(
        "nickname"
    )


def friend_requests_incoming(*, user: User) -> QuerySet[FriendRequest]:
    return FriendRequest.objects.filter(to_user=user, status=FriendRequestStatus.PENDING).select_related(
        "from_user"
    )


def friend_requests_outgoing(*, user: User) -> QuerySet[FriendRequest]:
    return FriendRequest.objects.filter(from_user=user, status=FriendRequestStatus.PENDING).select_related(
        "to_user"
    )


def blocked_users_for(*, user: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=Block.objects.filter(blocker=user).values("blocked_id"))


def random_friend_of(*, user: User, exclude_id: int | None = None) -> User | None:
    """파도타기: a random friend; two queries (count, then one row by offset)."""
    qs = Friendship.objects.filter(user=user)
    if exclude_id is not None:
        qs = qs.exclude(friend_id=exclude_id)
    total = qs.count()
    if not total:
        return None
    row = qs.order_by("id").select_related("friend")[random.randrange(total)]  # noqa: S311
    return row.friend


@dataclass
class Relationship:
    is_self: bool = False
    is_friend: bool = False
    is_following: bool = False
    request_sent_id: int | None = None
    request_received_id: int | None = None
    blocked_by_me: bool = False
    blocks_me: bool = False


def relationship_between(*, viewer: User | None, owner: User) -> Relationship:
    """Friendship, follow, open requests and blocks between two users, in one query."""
    viewer = _viewer(viewer)
    if viewer is None:
        return Relationship()
    if viewer.pk == owner.pk:
        return Relationship(is_self=True)
    pending = FriendRequest.objects.filter(status=FriendRequestStatus.PENDING)
    row = (
        User.objects.filter(pk=owner.pk)
        .annotate(
            is_friend=Exists(Friendship.objects.filter(user_id=owner.pk, friend_id=viewer.pk)),
            is_following=Exists(Follow.objects.filter(follower_id=viewer.pk, followee_id=owner.pk)),
            request_sent_id=Subquery(
                pending.filter(from_user_id=viewer.pk, to_user_id=owner.pk).values("pk")[:1]
            ),
            request_received_id=Subquery(
                pending.filter(from_user_id=owner.pk, to_user_id=viewer.pk).values("pk")[:1]
            ),
            blocked_by_me=Exists(Block.objects.filter(blocker_id=viewer.pk, blocked_id=owner.pk)),
            blocks_me=Exists(Block.objects.filter(blocker_id=owner.pk, blocked_id=viewer.pk)),
        )
        .values(
            "is_friend",
            "is_following",
            "request_sent_id",
            "request_received_id",
            "blocked_by_me",
            "blocks_me",
        )
        .first()
    )
    return Relationship(**row) if row else Relationship()


def visible_sections(*, owner: User, profile: Profile, rel: Relationship) -> dict[str, bool]:
    out = {}
    for section in SECTIONS:
        visibility = getattr(profile, f"visibility_{section}")
        out[section] = rel.is_self or (
            not rel.blocks_me
            and (visibility == Visibility.PUBLIC or (visibility == Visibility.FRIENDS and rel.is_friend))
        )
    return out


# -----------------------------------------------------------------------------
# Taste
# -----------------------------------------------------------------------------
def taste_match_percent(*, a: User, b: User) -> int | None:
    """100 - mean absolute star difference over common titles, scaled to 0–100 (None if < 3 common)."""
    row = Rating.objects.filter(user=a, title__ratings__user=b).aggregate(
        n=Count("id"),
        diff=Avg(Abs(F("half_stars") - F("title__ratings__half_stars"))),
    )
    if row["n"] < TASTE_MIN_COMMON:
        return None
    # Half stars differ by at most 9.
    return round(100 * (1 - float(row["diff"]) / 9))


def taste_breakdown(*, user: User) -> dict[str, list[tuple[str, int]]]:
    """Genre and decade counts of a user's ratings (cached; ratings invalidate it)."""
    key = taste_cache_key(user.pk)
    cached = cache.get(key)
    if cached is not None:
        return cached
    genres = (
        Genre.objects.filter(titles__ratings__user=user)
        .annotate(n=Count("titles__ratings"))
        .order_by("-n", "name_en")[:8]
    )
    decades = (
        Rating.objects.filter(user=user, title__year__isnull=False)
        .annotate(decade=F("title__year") / 10 * 10)
        .values("decade")
        .annotate(n=Count("id"))
        .order_by("decade")
    )
    data = {
        "genres": [(g.name_ko or g.name_en, g.n) for g in genres],
        # The same counts named in English, for English pages.
        "genres_en": [(g.name_en or g.name_ko, g.n) for g in genres],
        "decades": [(f"{row['decade']}s", row["n"]) for row in decades],
    }
    cache.set(key, data, 3600)
    return data


def taste_chart_bars(data: list[tuple[str, int]], *, width: int = 220) -> list[dict[str, object]]:
    """Bars for the server-drawn SVG: label, count, pixel width and y offset."""
    top = max((n for _, n in data), default=0)
    return [
        {"label": label, "n": n, "w": round(width * n / top) if top else 0, "y": i * 22}
        for i, (label, n) in enumerate(data)
    ]


# -----------------------------------------------------------------------------
# Recommendations
# -----------------------------------------------------------------------------
def recommendation_hit_rate(*, user: User) -> dict[str, float | int | None]:
    """Of the titles this user recommended that the friend then rated, how many landed (≥ 3.5★)."""
    friend_rating = Rating.objects.filter(user=OuterRef("receiver"), title=OuterRef("title")).values(
        "half_stars"
    )[:1]
    row = (
        Recommendation.objects.filter(sender=user)
        .annotate(r=Subquery(friend_rating))
        .aggregate(
            rated=Count("id", filter=Q(r__isnull=False)), hits=Count("id", filter=Q(r__gte=HIT_HALF_STARS))
        )
    )
    rate = round(100 * row["hits"] / row["rated"]) if row["rated"] else None
    return {"rated": row["rated"], "hits": row["hits"], "percent": rate}


def recommendation_inbox(*, user: User) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(receiver=user, status=RecommendationStatus.PENDING)
        .exclude(sender__in=Block.objects.filter(blocker=user).values("blocked_id"))
        .select_related("sender", "title")
    )


def recommendations_sent(*, user: User) -> QuerySet[Recommendation]:
    """Sent recommendations with the friend's rating of the title (None until they rate it)."""
    friend_rating = Rating.objects.filter(user=OuterRef("receiver"), title=OuterRef("title")).values(
        "half_stars"
    )[:1]
    return (
        Recommendation.objects.filter(sender=user)
        .annotate(friend_half_stars=Subquery(friend_rating))
        .select_related("receiver", "title")
    )


# -----------------------------------------------------------------------------
# Homepage
# -----------------------------------------------------------------------------
def guestbook_entries_visible(*, owner: User, viewer: User | None) -> QuerySet[GuestbookEntry]:
    """Secret entries only for the owner and their author."""
    viewer = _viewer(viewer)
    qs = GuestbookEntry.objects.filter(owner=owner).select_related("author")
    if viewer is None:
        return qs.filter(is_secret=False)
    if viewer.pk == owner.pk:
        return qs
    return qs.filter(Q(is_secret=False) | Q(author=viewer))


def _visits_sum(owner_ref: OuterRef | int, day: dt.date | None = None) -> Subquery:
    qs = VisitDaily.objects.filter(owner_id=owner_ref)
    if day is not None:
        qs = qs.filter(day=day)
    return Subquery(qs.order_by().values("owner_id").annotate(n=Sum("count")).values("n")[:1])


def visitor_counts(*, owner: User, visits_pending: int | None = None) -> dict[str, int]:
    """TODAY and TOTAL: persisted daily rows plus what Redis has not flushed yet.
    ``visits_pending`` is today's not-yet-flushed count when the caller already has it
    (``visit_record_pending``), else it is read here."""
    today = seoul_today()
    row = (
        User.objects.filter(pk=owner.pk)
        .annotate(visits_total=_visits_sum(OuterRef("pk")), visits_today=_visits_sum(OuterRef("pk"), today))
        .values("visits_total", "visits_today")
        .get()
    )
    if visits_pending is None:
        visits_pending = visitor_store().pending(owner_id=owner.pk, day=today)
    return {
        "today": (row["visits_today"] or 0) + visits_pending,
        "total": (row["visits_total"] or 0) + visits_pending,
    }


@dataclass
class Homepage:
    """What the mini-homepage shows live on every request. The sections in
    ``homepage_cache.CACHED_SECTIONS`` are read by ``homepage_section_get`` only when their
    cached HTML is missing."""

    owner: User
    profile: Profile
    rel: Relationship
    sections: dict[str, bool]
    guestbook: list[GuestbookEntry] = field(default_factory=list)
    guestbook_count: int = 0
    friend_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    hit_rate: dict[str, float | int | None] = field(default_factory=dict)
    taste_match: int | None = None


GUESTBOOK_PAGE = 10
HOMEPAGE_LIST = 6  # watchlist and diary previews on the mini-homepage


def _homepage_counters(*, owner_id: int, viewer_id: int | None, today: dt.date) -> dict[str, int]:
    """Every counter of the mini-homepage in one row: persisted visits (all days, today),
    friends, the guestbook entries the viewer may read, and the owner's recommendations that
    the friend rated (all, and hits at 3.5★ or more).

    Written as one fixed statement: the same row through the ORM (six nested subqueries) cost
    ~3 ms of query building per request, more than the database took to answer it.
    """
    visits = VisitDaily._meta.db_table
    friendship = Friendship._meta.db_table
    guestbook = GuestbookEntry._meta.db_table
    recommendation = Recommendation._meta.db_table
    rating = Rating._meta.db_table
    # The guestbook entries visible to the viewer, as guestbook_entries_visible filters them.
    readable_params: list[int] = []
    if viewer_id == owner_id:
        readable = ""
    elif viewer_id is None:
        readable = " AND NOT g.is_secret"
    else:
        readable, readable_params = " AND (NOT g.is_secret OR g.author_id = %s)", [viewer_id]
    rated = f"""SELECT COUNT(*) FROM {recommendation} r WHERE r.sender_id = %s AND EXISTS (
        SELECT 1 FROM {rating} x WHERE x.user_id = r.receiver_id AND x.title_id = r.title_id
        AND x.half_stars >= %s)"""  # noqa: S608 (table names from model metadata)
    sql = f"""SELECT
        (SELECT COALESCE(SUM(v.count), 0) FROM {visits} v WHERE v.owner_id = %s),
        (SELECT COALESCE(SUM(v.count), 0) FROM {visits} v WHERE v.owner_id = %s AND v.day = %s),
        (SELECT COUNT(*) FROM {friendship} f WHERE f.user_id = %s),
        (SELECT COUNT(*) FROM {guestbook} g WHERE g.owner_id = %s{readable}),
        ({rated}),
        ({rated})
    """  # noqa: S608 (table names from model metadata; values are parameters)
    params = [
        owner_id,
        owner_id,
        connection.ops.adapt_datefield_value(today),
        owner_id,
        owner_id,
        *readable_params,
        owner_id,
        1,
        owner_id,
        HIT_HALF_STARS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    names = ("visits_total", "visits_today", "friends", "guestbook", "recs_rated", "recs_hits")
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def homepage_get(
    *, owner: User, viewer: User | None, guestbook_offset: int = 0, visits_pending: int | None = None
) -> Homepage:
    """The live part of the mini-homepage; hidden sections are not even queried.

    Four queries at most, whatever the sizes: the relationship (signed-in visitors only), the
    guestbook page, every counter of the page in one row, and the taste match (signed-in
    visitors who may see the ratings). ``visits_pending`` is today's not-yet-flushed visit
    count when the caller already has it (``visit_record_pending``), else it is read here.
    """
    viewer = _viewer(viewer)
    profile = profile_get_or_create(user=owner)
    rel = relationship_between(viewer=viewer, owner=owner)
    sections = visible_sections(owner=owner, profile=profile, rel=rel)
    page = Homepage(owner=owner, profile=profile, rel=rel, sections=sections)
    if sections["guestbook"]:
        page.guestbook = _guestbook_page(owner=owner, viewer=viewer, offset=guestbook_offset)
    today = seoul_today()
    row = _homepage_counters(owner_id=owner.pk, viewer_id=viewer.pk if viewer else None, today=today)
    page.friend_count = row["friends"] if sections["friends"] else 0
    page.guestbook_count = row["guestbook"] if sections["guestbook"] else 0
    if visits_pending is None:
        visits_pending = visitor_store().pending(owner_id=owner.pk, day=today)
    page.counts = {
        "today": row["visits_today"] + visits_pending,
        "total": row["visits_total"] + visits_pending,
    }
    # As recommendation_hit_rate, from the counters' row.
    rated, hits = row["recs_rated"], row["recs_hits"]
    page.hit_rate = {"rated": rated, "hits": hits, "percent": round(100 * hits / rated) if rated else None}
    # Derived from the owner's ratings: shown only to those who may see the ratings.
    if viewer is not None and not rel.is_self and sections["ratings"]:
        page.taste_match = taste_match_percent(a=owner, b=viewer)
    return page


def _guestbook_page(*, owner: User, viewer: User | None, offset: int) -> list[GuestbookEntry]:
    """A page of the guestbook as ``viewer`` may read it, each entry with its author's name.

    The first page (nearly every view) runs a statement compiled once per kind of reader;
    later pages build theirs (the offset is part of the SQL)."""
    if offset:
        entries = guestbook_entries_visible(owner=owner, viewer=viewer)
        return list(entries[offset : offset + GUESTBOOK_PAGE])
    reader = "anonymous" if viewer is None else "owner" if viewer.pk == owner.pk else "visitor"
    ids = {_OWNER: owner.pk, _VIEWER: viewer.pk if viewer is not None else None}
    return [_guestbook_entry_of(row) for row in query_run(_guestbook_first_page_sql(reader=reader), ids)]


_OWNER = -920_000_003
_GUESTBOOK_COLUMNS = [f.attname for f in GuestbookEntry._meta.concrete_fields]


@functools.cache
def _guestbook_first_page_sql(*, reader: str) -> Compiled:
    owner = User(pk=_OWNER)
    viewer = {"anonymous": None, "owner": owner, "visitor": User(pk=_VIEWER)}[reader]
    # guestbook_entries_visible itself, so the compiled statement cannot drift from its rules.
    entries = guestbook_entries_visible(owner=owner, viewer=viewer)
    authors = [f"author__{name}" for name in _PERSON_COLUMNS]
    rows = entries.values_list(*_GUESTBOOK_COLUMNS, *authors)[:GUESTBOOK_PAGE]
    return query_compile(rows, _OWNER, *([_VIEWER] if reader == "visitor" else []))


def _guestbook_entry_of(row: tuple[Any, ...]) -> GuestbookEntry:
    split = len(_GUESTBOOK_COLUMNS)
    entry = GuestbookEntry.from_db(DEFAULT_DB_ALIAS, _GUESTBOOK_COLUMNS, row[:split])
    author = User.from_db(DEFAULT_DB_ALIAS, _PERSON_COLUMNS, row[split:])
    GuestbookEntry._meta.get_field("author").set_cached_value(entry, author)  # as select_related does
    return entry


def homepage_section_get(*, owner: User, section: str) -> dict[str, Any]:
    """The rows one cacheable section of the mini-homepage shows (its template's context).

    The same for every viewer allowed to see the section: call it only for a visible one.
    """
    if section == "shelf":
        return {"shelf": list(ShelfItem.objects.filter(user=owner).select_related("title"))}
    if section == "ratings":
        return {
            "recent_ratings": list(
                Rating.objects.filter(user=owner).select_related("title").order_by("-created_at", "-id")[:10]
            ),
            "recent_reviews": list(
                Review.objects.filter(user=owner).select_related("title").order_by("-created_at", "-id")[:5]
            ),
        }
    if section == "watchlist":
        items = WatchlistItem.objects.filter(user=owner).select_related("title")
        return {"watchlist": list(items[:HOMEPAGE_LIST])}
    if section == "diary":
        return {"diary": list(DiaryEntry.objects.filter(user=owner).select_related("title")[:HOMEPAGE_LIST])}
    if section == "taste":
        from apps.movies.cards import is_korean

        data = taste_breakdown(user=owner)
        genres = data["genres"] if is_korean() else data.get("genres_en", data["genres"])
        return {"genre_bars": taste_chart_bars(genres), "decade_bars": taste_chart_bars(data["decades"])}
    raise ValueError(f"Not a cached homepage section: {section!r}")


# -----------------------------------------------------------------------------
# Title page
# -----------------------------------------------------------------------------
@dataclass
class TitleSocial:
    my_stars: float | None = None
    in_watchlist: bool = False
    diary: list[DiaryEntry] = field(default_factory=list)
    my_review: Review | None = None
    reviews: list[Review] = field(default_factory=list)
    board_posts: list[BoardPost] = field(default_factory=list)


# Reviews listed on a title page, most liked first.
TITLE_REVIEWS_SHOWN = 20


def reviews_visible(*, viewer: User | None) -> QuerySet[Review]:
    """Reviews ``viewer`` may see: everyone's whose ratings are not private, and always their
    own (visibility settings hide a section from others, never from its owner)."""
    viewer = _viewer(viewer)
    shown = ~Q(user__profile__visibility_ratings=Visibility.PRIVATE)
    if viewer is not None:
        shown |= Q(user=viewer)
    return Review.objects.filter(shown)


def title_social_get(
    *, title: Title, viewer: User | None, rated: Mapping[int, float] | None = None
) -> TitleSocial:
    """What a title's ratings-and-reviews block shows ``viewer``: 2 queries for a visitor, 4 for
    a signed-in person (3 when ``rated``, their ratings by title id, was read already)."""
    viewer = _viewer(viewer)
    out = TitleSocial()
    ids = {_TITLE: title.pk, _VIEWER: viewer.pk if viewer is not None else None}
    if viewer is None:
        out.reviews = [_review_of(row) for row in query_run(_title_reviews_sql(signed_in=False), ids)]
    else:
        # My own review (the review form's text) rides first in the list's query, and goes back
        # to its place in the list if it ranks there.
        rows = [_review_of(row) for row in query_run(_title_reviews_sql(signed_in=True), ids)]
        if rows and rows[0].user_id == viewer.pk:
            out.my_review, rows = rows[0], rows[1:]
            rows.append(out.my_review)
            rows.sort(key=lambda r: (-r.like_count, -r.created_at.timestamp()))  # stable: ties keep SQL order
        out.reviews = rows[:TITLE_REVIEWS_SHOWN]
        if rated is not None:
            out.my_stars = rated.get(title.pk)
        else:
            mine = Rating.objects.filter(user=viewer, title=title).values_list("half_stars", flat=True)
            half = mine.first()
            out.my_stars = half / 2 if half is not None else None
        out.in_watchlist = bool(query_run(_title_watchlist_sql(), ids))
        out.diary = [
            DiaryEntry.from_db(DEFAULT_DB_ALIAS, _DIARY_COLUMNS, row)
            for row in query_run(_title_diary_sql(), ids)
        ]
    out.board_posts = [_board_post_of(row) for row in query_run(_title_board_posts_sql(), ids)]
    return out


# The title page's reads, compiled once per process (apps/common/compiled.py): only the title
# and the viewer change between requests.
_TITLE = -920_000_001
_VIEWER = -920_000_002


_REVIEW_COLUMNS = model_columns(
    Review,
    {"id", "created_at", "user_id", "title_id", "body", "has_spoilers", "like_count", "comment_count"},
)
_BOARD_POST_COLUMNS = model_columns(BoardPost, {"id", "created_at", "author_id", "heading"})
_PERSON_COLUMNS = model_columns(User, {"id", "username", "nickname"})
_DIARY_COLUMNS = [f.attname for f in DiaryEntry._meta.concrete_fields]


@functools.cache
def _title_reviews_sql(*, signed_in: bool) -> Compiled:
    people = [f"user__{name}" for name in _PERSON_COLUMNS]
    order = ("-like_count", "-created_at")
    if not signed_in:
        reviews = reviews_visible(viewer=None).filter(title_id=_TITLE).order_by(*order)
        return query_compile(reviews.values_list(*_REVIEW_COLUMNS, *people)[:TITLE_REVIEWS_SHOWN], _TITLE)
    viewer = User(pk=_VIEWER)
    reviews = (
        reviews_visible(viewer=viewer)
        .filter(title_id=_TITLE)
        .annotate(liked=Exists(ReviewLike.objects.filter(review=OuterRef("pk"), user_id=_VIEWER)))
        .exclude(user__in=Block.objects.filter(blocker_id=_VIEWER).values("blocked_id"))
        .order_by(Case(When(user_id=_VIEWER, then=Value(0)), default=Value(1)), *order)
    )
    rows = reviews.values_list(*_REVIEW_COLUMNS, *people, "liked")[: TITLE_REVIEWS_SHOWN + 1]
    return query_compile(rows, _TITLE, _VIEWER)


def _review_of(row: tuple[Any, ...]) -> Review:
    split = len(_REVIEW_COLUMNS)
    review = Review.from_db(DEFAULT_DB_ALIAS, _REVIEW_COLUMNS, row[:split])
    user = User.from_db(DEFAULT_DB_ALIAS, _PERSON_COLUMNS, row[split : split + len(_PERSON_COLUMNS)])
    Review._meta.get_field("user").set_cached_value(review, user)  # as select_related does
    if len(row) > split + len(_PERSON_COLUMNS):
        review.__dict__["liked"] = row[-1]  # the annotation (did I like it), signed in only
    return review


@functools.cache
def _title_board_posts_sql() -> Compiled:
    posts = BoardPost.objects.filter(titles=_TITLE, is_hidden=False).order_by("-created_at")
    authors = [f"author__{name}" for name in _PERSON_COLUMNS]
    return query_compile(posts.values_list(*_BOARD_POST_COLUMNS, *authors)[:5], _TITLE)


def _board_post_of(row: tuple[Any, ...]) -> BoardPost:
    split = len(_BOARD_POST_COLUMNS)
    post = BoardPost.from_db(DEFAULT_DB_ALIAS, _BOARD_POST_COLUMNS, row[:split])
    author = User.from_db(DEFAULT_DB_ALIAS, _PERSON_COLUMNS, row[split:])
    BoardPost._meta.get_field("author").set_cached_value(post, author)
    return post


@functools.cache
def _title_watchlist_sql() -> Compiled:
    entry = WatchlistItem.objects.filter(user_id=_VIEWER, title_id=_TITLE).values_list("id")[:1]
    return query_compile(entry, _TITLE, _VIEWER)


@functools.cache
def _title_diary_sql() -> Compiled:
    entries = DiaryEntry.objects.filter(user_id=_VIEWER, title_id=_TITLE).values_list(*_DIARY_COLUMNS)
    return query_compile(entries[:10], _TITLE, _VIEWER)


# -----------------------------------------------------------------------------
# Feed, notifications, onboarding
# -----------------------------------------------------------------------------
def feed_for_user(*, user: User) -> QuerySet[Activity]:
    """Friends' activity, minus anything from a section its owner made private."""
    friends = Friendship.objects.filter(user=user).values("friend_id")
    private = Visibility.PRIVATE
    return (
        Activity.objects.filter(actor__in=friends)
        .filter(
            Q(section="board")
            | (Q(section="ratings") & ~Q(actor__profile__visibility_ratings=private))
            | (Q(section="shelf") & ~Q(actor__profile__visibility_shelf=private))
        )
        .select_related("actor", "title")
        .only(*_FEED_FIELDS)
        .order_by("-created_at", "-id")
    )


# What the feed page and API show of an activity, its actor and its title (a card): the whole
# rows (the actor's password hash and e-mail, the title's search keys and overview) were read
# and compiled into both of the page's statements.
_FEED_FIELDS = (
    "actor_id",
    "verb",
    "title_id",
    "section",
    "stars",
    "target_id",
    "created_at",
    "actor__username",
    "actor__nickname",
    "actor__avatar",
    *(f"title__{name}" for name in LIST_COLUMNS),
)


def notifications_unread_count(*, user: User) -> int:
    """The header badge: from the cache when no write happened since it was counted
    (apps/social/unread_cache.py), else one COUNT, remembered."""
    cached, version = unread_cached(user_id=user.pk)
    if cached is not None:
        return cached
    count = Notification.objects.filter(user=user, is_read=False).count()
    unread_store(user_id=user.pk, version=version, count=count)
    return count


def notifications_recent(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def onboarding_grid(*, size: int = 24) -> list[Title]:
    """Popular titles spread over genres: round-robin over each genre's most popular titles."""
    genres = list(Genre.objects.all())
    per_genre = max(2, size // max(len(genres), 1) + 1)
    picked: dict[int, Title] = {}
    buckets = []
    for genre in genres:
        buckets.append(list(Title.objects.filter(genres=genre).order_by("-popularity", "id")[:per_genre]))
    for rank in range(per_genre):
        for bucket in buckets:
            if rank < len(bucket) and len(picked) < size:
                picked.setdefault(bucket[rank].pk, bucket[rank])
    if len(picked) < size:
        for title in Title.objects.exclude(pk__in=list(picked)).order_by("-popularity", "id")[
            : size - len(picked)
        ]:
            picked[title.pk] = title
    return sorted(picked.values(), key=lambda t: -t.popularity)


# -----------------------------------------------------------------------------
# Board
# -----------------------------------------------------------------------------
HOT_WINDOW_DAYS = 14
HOT_CANDIDATES = 300


def board_posts_visible(*, viewer: User | None) -> QuerySet[BoardPost]:
    """The posts the viewer may read, newest first: hidden (moderated) ones stay visible to
    their author and staff only."""
    viewer = _viewer(viewer)
    qs = BoardPost.objects.select_related("author").prefetch_related("titles")
    if not (viewer is not None and viewer.is_staff):
        qs = qs.filter(Q(is_hidden=False) | Q(author_id=viewer.pk if viewer else None))
    return qs.order_by("-created_at", "-id")


# What a row of the board page shows (social/board_list.html) and "hot" ranks by: not the
# post's body or the author's whole row, and only the titles' names.
_BOARD_ROW_FIELDS = (
    "heading", "is_hidden", "like_count", "comment_count", "view_count", "created_at",
    "author__username", "author__nickname",
)  # fmt: skip
_BOARD_ROW_TITLES = Prefetch("titles", queryset=Title.objects.only("title_ko", "title_en", "title_original"))


def board_post_list(
    *, sort: str = "new", title_id: int | None = None, viewer: User | None = None, rows_only: bool = False
) -> list[BoardPost] | QuerySet[BoardPost]:
    """Newest first, or "hot": engagement over (age in hours + 2)^1.5 among recent posts.

    Hot is ranked in Python over a bounded candidate set, so it reads the same on SQLite
    and PostgreSQL. ``rows_only``: just what the board page's rows show (not the API's posts).
    """
    qs = board_posts_visible(viewer=viewer)
    if rows_only:
        qs = qs.only(*_BOARD_ROW_FIELDS).prefetch_related(None).prefetch_related(_BOARD_ROW_TITLES)
    if title_id is not None:
        qs = qs.filter(titles__id=title_id)
    if sort != "hot":
        return qs
    now = timezone.now()
    candidates = list(qs.filter(created_at__gte=now - dt.timedelta(days=HOT_WINDOW_DAYS))[:HOT_CANDIDATES])

    def score(post: BoardPost) -> float:
        age_hours = (now - post.created_at).total_seconds() / 3600
        engagement = post.like_count * 3 + post.comment_count * 2 + post.view_count * 0.1 + 1
        return engagement / (age_hours + 2) ** 1.5

    return sorted(candidates, key=lambda p: (-score(p), -p.pk))


# -----------------------------------------------------------------------------
# Reviews as conversations, notification centre
# -----------------------------------------------------------------------------
def review_get_visible(*, review_id: int, viewer: User | None) -> Review | None:
    """A review if the viewer may read it (author's ratings visibility, blocks); None otherwise."""
    viewer = _viewer(viewer)
    review = Review.objects.select_related("user", "title", "user__profile").filter(pk=review_id).first()
    if review is None:
        return None
    if viewer is not None and viewer.pk == review.user_id:
        setattr(review, "liked", ReviewLike.objects.filter(review=review, user=viewer).exists())  # noqa: B010
        return review
    profile = profile_get_or_create(user=review.user)
    rel = relationship_between(viewer=viewer, owner=review.user)
    if not visible_sections(owner=review.user, profile=profile, rel=rel)["ratings"]:
        return None
    liked = viewer is not None and ReviewLike.objects.filter(review=review, user=viewer).exists()
    setattr(review, "liked", liked)  # noqa: B010 (for the page: did I like it)
    return review


def review_comments_thread(*, review: Review, viewer: User | None) -> list[ReviewComment]:
    """Top-level comments oldest first, each with ``thread_replies``; blocked people left out."""
    viewer = _viewer(viewer)
    qs = ReviewComment.objects.filter(review=review).select_related("user").order_by("created_at", "id")
    if viewer is not None:
        qs = qs.exclude(user__in=Block.objects.filter(blocker=viewer).values("blocked_id"))
    comments = list(qs)
    top = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[ReviewComment]] = {}
    for c in comments:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    for c in top:
        setattr(c, "thread_replies", replies.get(c.pk, []))  # noqa: B010 (for the template)
    return top


def notifications_page(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).select_related("actor")
    if unread_only:
        qs = qs.filter(is_read=False)
    return qs.order_by("-created_at", "-id")


# The library's reads live in selectors_library.py; these names stay importable from here.
from apps.social.selectors_library import WATCHLIST_PREDICTION_CAP as WATCHLIST_PREDICTION_CAP  # noqa: E402
from apps.social.selectors_library import WATCHLIST_SORTS as WATCHLIST_SORTS  # noqa: E402
from apps.social.selectors_library import DiaryDay as DiaryDay  # noqa: E402
from apps.social.selectors_library import DiaryMonth as DiaryMonth  # noqa: E402
from apps.social.selectors_library import WatchlistFilters as WatchlistFilters  # noqa: E402
from apps.social.selectors_library import diary_for_user as diary_for_user  # noqa: E402
from apps.social.selectors_library import diary_month as diary_month  # noqa: E402
from apps.social.selectors_library import rating_of as rating_of  # noqa: E402
from apps.social.selectors_library import title_ids_watched as title_ids_watched  # noqa: E402
from apps.social.selectors_library import title_watched_by_user as title_watched_by_user  # noqa: E402
from apps.social.selectors_library import watchlist_for_user as watchlist_for_user  # noqa: E402
from apps.social.selectors_library import watchlist_predictor as watchlist_predictor  # noqa: E402
from apps.social.selectors_library import watchlist_with_predictions as watchlist_with_predictions  # noqa: E402
