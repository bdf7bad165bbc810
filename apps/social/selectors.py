"""Social reads. Every page-level selector runs a fixed number of queries, whatever the sizes."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Avg
from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Sum
from django.db.models.functions import Abs
from django.utils import timezone

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
    from apps.social.models import Profile

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
    user = User.objects.filter(profile__nickname_key=key, is_active=True).select_related("profile").first()
    if user is None:  # accounts created outside the nickname service
        user = User.objects.filter(nickname=nickname, is_active=True).select_related("profile").first()
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


def _counts_with_pending(
    owner_id: int, today: dt.date, *, visits_today: int | None, visits_total: int | None
) -> dict[str, int]:
    pending = visitor_store().pending(owner_id=owner_id, day=today)
    return {"today": (visits_today or 0) + pending, "total": (visits_total or 0) + pending}


def visitor_counts(*, owner: User) -> dict[str, int]:
    """TODAY and TOTAL: persisted daily rows plus what Redis has not flushed yet."""
    today = seoul_today()
    row = (
        User.objects.filter(pk=owner.pk)
        .annotate(visits_total=_visits_sum(OuterRef("pk")), visits_today=_visits_sum(OuterRef("pk"), today))
        .values("visits_total", "visits_today")
        .get()
    )
    return _counts_with_pending(
        owner.pk, today, visits_today=row["visits_today"], visits_total=row["visits_total"]
    )


@dataclass
class Homepage:
    owner: User
    profile: Profile
    rel: Relationship
    sections: dict[str, bool]
    shelf: list[ShelfItem] = field(default_factory=list)
    recent_ratings: list[Rating] = field(default_factory=list)
    recent_reviews: list[Review] = field(default_factory=list)
    genre_bars: list[dict[str, object]] = field(default_factory=list)
    decade_bars: list[dict[str, object]] = field(default_factory=list)
    guestbook: list[GuestbookEntry] = field(default_factory=list)
    guestbook_count: int = 0
    friend_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    hit_rate: dict[str, float | int | None] = field(default_factory=dict)
    taste_match: int | None = None
    watchlist: list[WatchlistItem] = field(default_factory=list)
    diary: list[DiaryEntry] = field(default_factory=list)


GUESTBOOK_PAGE = 10
HOMEPAGE_LIST = 6  # watchlist and diary previews on the mini-homepage


def _count_of(qs: QuerySet, group_field: str) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery (to fold several counts into one query)."""
    return Subquery(qs.values(group_field).annotate(n=Count("*")).values("n")[:1])


def homepage_get(*, owner: User, viewer: User | None, guestbook_offset: int = 0) -> Homepage:
    """Everything the mini-homepage shows; hidden sections are not even queried."""
    viewer = _viewer(viewer)
    profile = profile_get_or_create(user=owner)
    rel = relationship_between(viewer=viewer, owner=owner)
    sections = visible_sections(owner=owner, profile=profile, rel=rel)
    page = Homepage(owner=owner, profile=profile, rel=rel, sections=sections)
    if sections["shelf"]:
        page.shelf = list(ShelfItem.objects.filter(user=owner).select_related("title"))
    if sections["ratings"]:
        page.recent_ratings = list(
            Rating.objects.filter(user=owner).select_related("title").order_by("-created_at", "-id")[:10]
        )
        page.recent_reviews = list(
            Review.objects.filter(user=owner).select_related("title").order_by("-created_at", "-id")[:5]
        )
    if sections["watchlist"]:
        page.watchlist = list(
            WatchlistItem.objects.filter(user=owner).select_related("title")[:HOMEPAGE_LIST]
        )
    if sections["diary"]:
        page.diary = list(DiaryEntry.objects.filter(user=owner).select_related("title")[:HOMEPAGE_LIST])
    if sections["taste"]:
        data = taste_breakdown(user=owner)
        from apps.movies.cards import is_korean

        genres = data["genres"] if is_korean() else data.get("genres_en", data["genres"])
        page.genre_bars = taste_chart_bars(genres)
        page.decade_bars = taste_chart_bars(data["decades"])
    entries = guestbook_entries_visible(owner=owner, viewer=viewer)
    if sections["guestbook"]:
        page.guestbook = list(entries[guestbook_offset : guestbook_offset + GUESTBOOK_PAGE])
    # All the counters of the page in one query.
    today = seoul_today()
    row = (
        User.objects.filter(pk=owner.pk)
        .annotate(
            visits_total=_visits_sum(OuterRef("pk")),
            visits_today=_visits_sum(OuterRef("pk"), today),
            friend_n=_count_of(Friendship.objects.filter(user_id=owner.pk), "user_id"),
            guestbook_n=_count_of(entries.select_related(None).order_by(), "owner_id"),
        )
        .values("visits_total", "visits_today", "friend_n", "guestbook_n")
        .get()
    )
    page.friend_count = row["friend_n"] or 0 if sections["friends"] else 0
    page.guestbook_count = row["guestbook_n"] or 0 if sections["guestbook"] else 0
    page.counts = _counts_with_pending(
        owner.pk, today, visits_today=row["visits_today"], visits_total=row["visits_total"]
    )
    page.hit_rate = recommendation_hit_rate(user=owner)
    # Derived from the owner's ratings: shown only to those who may see the ratings.
    if viewer is not None and not rel.is_self and sections["ratings"]:
        page.taste_match = taste_match_percent(a=owner, b=viewer)
    return page


# -----------------------------------------------------------------------------
# Title page
# -----------------------------------------------------------------------------
@dataclass
class TitleSocial:
    my_rating: Rating | None = None
    in_watchlist: bool = False
    diary: list[DiaryEntry] = field(default_factory=list)
    my_review: Review | None = None
    reviews: list[Review] = field(default_factory=list)
    board_posts: list[BoardPost] = field(default_factory=list)


def reviews_visible(*, viewer: User | None) -> QuerySet[Review]:
    """Reviews ``viewer`` may see: everyone's whose ratings are not private, and always their
    own (visibility settings hide a section from others, never from its owner)."""
    viewer = _viewer(viewer)
    shown = ~Q(user__profile__visibility_ratings=Visibility.PRIVATE)
    if viewer is not None:
        shown |= Q(user=viewer)
    return Review.objects.filter(shown)


def title_social_get(*, title: Title, viewer: User | None) -> TitleSocial:
    viewer = _viewer(viewer)
    out = TitleSocial()
    reviews = (
        reviews_visible(viewer=viewer)
        .filter(title=title)
        .select_related("user")
        .order_by("-like_count", "-created_at")
    )
    if viewer is not None:
        reviews = reviews.annotate(
            liked=Exists(ReviewLike.objects.filter(review=OuterRef("pk"), user=viewer))
        ).exclude(user__in=Block.objects.filter(blocker=viewer).values("blocked_id"))
        out.my_rating = Rating.objects.filter(user=viewer, title=title).first()
        out.in_watchlist = WatchlistItem.objects.filter(user=viewer, title=title).exists()
        out.diary = list(DiaryEntry.objects.filter(user=viewer, title=title)[:10])
        out.my_review = Review.objects.filter(user=viewer, title=title).first()
    out.reviews = list(reviews[:20])
    out.board_posts = list(
        BoardPost.objects.filter(titles=title, is_hidden=False)
        .select_related("author")
        .order_by("-created_at")[:5]
    )
    return out


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


def board_post_list(
    *, sort: str = "new", title_id: int | None = None, viewer: User | None = None
) -> list[BoardPost] | QuerySet[BoardPost]:
    """Newest first, or "hot": engagement over (age in hours + 2)^1.5 among recent posts.

    Hot is ranked in Python over a bounded candidate set, so it reads the same on SQLite
    and PostgreSQL.
    """
    qs = board_posts_visible(viewer=viewer)
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
