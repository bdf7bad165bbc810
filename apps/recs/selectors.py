"""Reads for recommendation surfaces: a person's picks with reasons, home rows, similar
titles, trending, new on my services, and taste match between two people.

Serving order for a person: precomputed top N in Redis → the stored artifact (previous
version if the newest fails to load) → popularity from the catalog. Never raises for an
empty database or a missing model.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any

import cachetools
import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.db.models import Field
from django.db.models import Max
from django.db.models import Model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.common.korean import with_object_particle
from apps.movies.models import AgeRating
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import Title
from apps.movies.selectors import LIST_COLUMNS
from apps.movies.selectors import catalog_vocabulary
from apps.movies.selectors import title_cards
from apps.movies.selectors import title_from_card
from apps.recs import buffer
from apps.recs.ml.runtime import REASON_LIKED
from apps.recs.ml.runtime import REASON_SIMILAR
from apps.recs.models import Event
from apps.recs.models import EventKind
from apps.recs.services.serving import model_active_load
from apps.recs.services.serving import user_history
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.selectors import friend_ids_for_user
from apps.social.selectors import friend_ids_query

if TYPE_CHECKING:
    from apps.social.models import User

logger = logging.getLogger(__name__)
_AGE_ORDER = [AgeRating.ALL, AgeRating.AGE_12, AgeRating.AGE_15, AgeRating.AGE_18]


def _title_column(name: str, model: type[Model] = Title) -> str:
    """The database column of one of Title's (or ``model``'s) own fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise LookupError(f"{model.__name__}.{name} is not a column")
    return field.column


@dataclass(frozen=True)
class Recommendation:
    title: Title
    score: float
    reason: str  # "liked", "similar", "friends", "new_on_provider", "genre", "popular"
    explanation: str
    because_title: Title | None = None


@dataclass(frozen=True)
class RecRow:
    key: str
    heading: str
    items: list[Recommendation]


def _allowed_age_ratings(user: User | None, max_age_rating: str | None) -> list[str] | None:
    """None = no restriction. Anonymous visitors default to settings.RECS_ANONYMOUS_MAX_AGE_RATING.

    Unrated titles stay in: most of the catalog has no Korean rating yet, and hiding it
    would empty every row. Only titles rated above the limit are held back.
    """
    limit = max_age_rating or (None if user is not None else settings.RECS_ANONYMOUS_MAX_AGE_RATING)
    if limit is None:
        return None
    return [str(a) for a in _AGE_ORDER[: _AGE_ORDER.index(AgeRating(limit)) + 1]] + [AgeRating.UNKNOWN]


def _user_mask(user: User) -> int:
    mask = 0
    for bit in user.my_services.values_list("bit", flat=True):
        mask |= 1 << bit
    return mask


def _filtered_titles(
    ids: list[int], *, user: User | None, only_my_services: bool, max_age_rating: str | None
) -> dict[int, Title]:
    allowed = _allowed_ids(ids, user=user, only_my_services=only_my_services, max_age_rating=max_age_rating)
    return title_cards(title_ids=allowed)


def _allowed_ids(
    ids: list[int], *, user: User | None, only_my_services: bool, max_age_rating: str | None
) -> list[int]:
    """The ids (in the given order) that pass the age and my-services filters; plain tuples, no models."""
    qs = Title.objects.filter(id__in=ids)
    ages = _allowed_age_ratings(user, max_age_rating)
    if ages is not None:
        qs = qs.filter(age_rating__in=ages)
    masks = dict(qs.values_list("id", "provider_mask"))
    if only_my_services and user is not None:
        mask = _user_mask(user)
        masks = {i: m for i, m in masks.items() if m & mask}
    return [i for i in ids if i in masks]


# -- one query for the cards ---------------------------------------------------------------
# The Redis path used to take three queries (titles seen since the list was computed, the
# person's services, the cards). One statement returns every candidate's card columns (the
# catalog's LIST_COLUMNS, read by name) with two flags, and the filters run in Python on them.
# It stays hand-written SQL, compiled once per shape: the same read through the ORM
# (movies.selectors.title_card_values with Exists flags) cost 2.4-3.3 ms of CPU per request
# against 0.2-0.25 ms, measured side by side — more than half the 5 ms serving budget.
CardRow = dict[str, Any]  # the catalog's card columns, then "seen" and "mine"
_CARD_NAMES = (*LIST_COLUMNS, "seen", "mine")
# Elsewhere than PostgreSQL, id lists are padded to a multiple of this, so a handful of
# statement texts serve every request.
_IDS_BUCKET = 32


def _ids_match(column: str, ids: Collection[int]) -> tuple[str, list[Any]]:
    """(SQL condition, parameters) for ``column`` being one of ``ids``.

    PostgreSQL gets one array parameter: the statement text is the same for any number of
    ids, and psycopg binds one value instead of ~100 (the home rows' 83 candidate cards took
    1.84 ms from the client with an IN list, 1.07 ms with ``= ANY``). Elsewhere (SQLite, the
    embedded default) an IN list padded to ``_IDS_BUCKET``.
    """
    ordered = sorted(ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ordered]
    ordered += [ordered[-1]] * (-len(ordered) % _IDS_BUCKET)
    return f"{column} IN ({', '.join(['%s'] * len(ordered))})", list(ordered)


@functools.lru_cache(maxsize=64)
def _card_rows_sql(ids_condition: str, only_my_services: bool) -> str:
    """SELECT of the card columns and flags for the titles ``ids_condition`` matches (on ``t.id``).

    Parameters: person id (ratings), person id and the dismiss kind (events), person id (diary),
    person id (services, only when asked), then the ids condition's. Table names come from the
    models' metadata.
    """
    q = connection.ops.quote_name
    title, rating, event = Title._meta, Rating._meta.db_table, Event._meta.db_table
    diary = DiaryEntry._meta.db_table
    services = get_user_model().my_services.through._meta.db_table
    columns = ", ".join(f"t.{q(_title_column(name))}" for name in LIST_COLUMNS)
    seen = (
        f"EXISTS (SELECT 1 FROM {q(rating)} r WHERE r.user_id = %s AND r.title_id = t.id)"  # noqa: S608 - names from _meta
        f" OR EXISTS (SELECT 1 FROM {q(event)} e WHERE e.user_id = %s AND e.kind = %s AND e.title_id = t.id)"
        f" OR EXISTS (SELECT 1 FROM {q(diary)} d WHERE d.user_id = %s AND d.title_id = t.id)"
    )
    mine = "NULL"
    if only_my_services:
        mine = (
            f"EXISTS (SELECT 1 FROM {q(services)} s JOIN {q(Provider._meta.db_table)} p"  # noqa: S608
            " ON p.id = s.provider_id WHERE s.user_id = %s"
            " AND (t.provider_mask & (CAST(1 AS BIGINT) << p.bit)) <> 0)"
        )
    return f"SELECT {columns}, ({seen}), {mine} FROM {q(title.db_table)} t WHERE {ids_condition}"  # noqa: S608


def _card_rows(title_ids: set[int], *, user_id: int | None, only_my_services: bool) -> dict[int, CardRow]:
    """Card columns and flags of these titles by id and name, in one query; deleted titles are
    absent. ``seen``: rated, logged in the diary or dismissed by the person; ``mine``: on one
    of their services (only when asked)."""
    if not title_ids:
        return {}
    ids_condition, ids = _ids_match("t.id", title_ids)
    who = user_id or 0  # anonymous: nobody has id 0, so nothing counts as seen
    params: list[Any] = [who, who, EventKind.REC_DISMISS.value, who]
    if only_my_services:
        params.append(who)
    with connection.cursor() as cursor:
        cursor.execute(_card_rows_sql(ids_condition, only_my_services), [*params, *ids])
        return {row[0]: dict(zip(_CARD_NAMES, row, strict=True)) for row in cursor.fetchall()}


def _wanted(picks: list[tuple[int, float, str, int]]) -> set[int]:
    """The picks' titles and the titles their reasons name."""
    return {p[0] for p in picks} | {p[3] for p in picks if p[3]}


def _allowed_cards(
    picks: list[tuple[int, float, str, int]],
    rows: dict[int, CardRow],
    *,
    user: User | None,
    only_my_services: bool,
    max_age_rating: str | None,
    limit: int,
) -> tuple[list[tuple[int, float, str, int]], dict[int, Title]]:
    """(the first ``limit`` picks not seen and passing the age and my-services filters; their cards).

    Model instances are built only for what is shown and the titles its reasons name.
    """
    ages = _allowed_age_ratings(user, max_age_rating)
    allowed_ages = None if ages is None else set(ages)
    mine_only = only_my_services and user is not None
    shown: list[tuple[int, float, str, int]] = []
    for pick in picks:
        row = rows.get(pick[0])
        if row is None:  # deleted since the list was computed
            continue
        if row["seen"]:
            continue
        if allowed_ages is not None and row["age_rating"] not in allowed_ages:
            continue
        if mine_only and not row["mine"]:
            continue
        shown.append(pick)
        if len(shown) == limit:
            break
    titles = {tid: title_from_card(rows[tid]) for tid in _wanted(shown) if tid in rows}
    return shown, titles


def _cached_picks(user: User) -> list[tuple[int, float, str, int]] | None:
    client = buffer.redis_client()
    if client is None:
        return None
    try:
        return buffer.top_read(client, user.id)  # type: ignore[return-value]
    except Exception:
        logger.exception("recs: Redis read failed, falling back to the artifact")
        return None


def _model_picks(history: dict[int, float], dismissed: set[int]) -> list[tuple[int, float, str, int]]:
    try:
        model = model_active_load()
        if model is not None:
            return model.score(history, dismissed, settings.RECS_TOP_N)
    except Exception:
        logger.exception("recs: artifact scoring failed, falling back to popularity")
    return []


def _popular(limit: int, exclude: set[int]) -> list[tuple[int, float, str, int]]:
    ids = Title.objects.exclude(id__in=exclude).order_by("-popularity", "id").values_list("id", flat=True)
    return [(tid, 0.0, "popular", 0) for tid in ids[: limit * 3]]


@dataclass(frozen=True)
class Aspect:
    """What a recommended title shares with the one it is recommended for."""

    kind: str  # "director", "cast", "genre", "language"
    name: str = ""


# The leading people of a title: its directors and first billed cast.
_LEADING_CAST = 8


@functools.lru_cache(maxsize=8)
def _leading_credits_sql(ids_condition: str) -> str:
    """(title, person, person's name, role) of the directors and leading cast of the titles
    ``ids_condition`` matches (on ``c.title_id``). Parameters: the director and cast roles,
    then the condition's. Hand-written like ``_card_rows_sql``: the ORM built this statement
    in more time than PostgreSQL ran it (~1 ms against 0.6 on the home rows' 34 titles)."""
    q = connection.ops.quote_name
    order = _title_column("order", Credit)
    return (
        f"SELECT c.title_id, c.person_id, p.name, c.role FROM {q(Credit._meta.db_table)} c"  # noqa: S608 - names from _meta
        f" JOIN {q(Person._meta.db_table)} p ON p.id = c.person_id"
        f" WHERE c.role IN (%s, %s) AND c.{q(order)} < {_LEADING_CAST} AND {ids_condition}"
    )


@dataclass(frozen=True)
class _LeadingPeople:
    """A title's directors and leading cast (person id → name)."""

    directors: frozenset[int]
    cast: dict[int, str]


# Credits change only when the catalog is ingested (a crawl, the nightly import), yet every
# signed-in front page asked PostgreSQL for the leading people of its ~34 picks (0.5-0.7 ms,
# a quarter of the "for you" row). Each process keeps them per title for a while: an
# explanation ("same director") may lag a re-ingested title's credits by that long, never
# a rating, a dismissal or anything else a person did.
LEADING_PEOPLE_TTL_SECONDS = 600.0
# ~200 bytes a title: the whole demo catalog, or the popular part of a large one.
LEADING_PEOPLE_CACHE_SIZE = 20_000
_leading_people_cache: cachetools.TTLCache[int, _LeadingPeople] = cachetools.TTLCache(
    maxsize=LEADING_PEOPLE_CACHE_SIZE, ttl=LEADING_PEOPLE_TTL_SECONDS
)
_leading_people_lock = threading.Lock()


def _leading_people(title_ids: set[int]) -> dict[int, _LeadingPeople]:
    """The leading people of these titles, from the process's cache, the missing ones read in
    one query (a title without credits is kept as having none)."""
    with _leading_people_lock:
        found = {tid: people for tid in title_ids if (people := _leading_people_cache.get(tid)) is not None}
    missing = title_ids - found.keys()
    if not missing:
        return found
    ids_condition, ids = _ids_match("c.title_id", missing)
    directors: dict[int, set[int]] = {}
    cast: dict[int, dict[int, str]] = {}
    with connection.cursor() as cursor:
        roles = [CreditRole.DIRECTOR.value, CreditRole.CAST.value]
        cursor.execute(_leading_credits_sql(ids_condition), [*roles, *ids])
        credits = cursor.fetchall()
    for title_id, person_id, name, role in credits:
        if role == CreditRole.DIRECTOR:
            directors.setdefault(title_id, set()).add(person_id)
        else:
            cast.setdefault(title_id, {})[person_id] = name
    read = {tid: _LeadingPeople(frozenset(directors.get(tid, ())), cast.get(tid, {})) for tid in missing}
    with _leading_people_lock:
        _leading_people_cache.update(read)
    return found | read


def recs_leading_people_clear() -> None:
    """Forget the kept leading people (between tests)."""
    with _leading_people_lock:
        _leading_people_cache.clear()


def _shared_aspects(pairs: list[tuple[Title, Title]]) -> dict[tuple[int, int], Aspect]:
    """For each (pick, because) pair, the strongest thing they share; people from
    ``_leading_people`` (at most one query).

    A shared director beats a shared actor, then a shared genre, then being a Korean title
    like it (the content model's strongest signals, in that order).
    """
    if not pairs:
        return {}
    people = _leading_people({t.pk for pair in pairs for t in pair})
    korean = (get_language() or "").startswith("ko")
    genres = catalog_vocabulary().genres
    out: dict[tuple[int, int], Aspect] = {}
    for pick, because in pairs:
        key = (pick.pk, because.pk)
        mine, theirs = people[pick.pk], people[because.pk]
        shared_cast = mine.cast.keys() & theirs.cast.keys()
        shared_genres = [g for g in genres if (pick.genre_mask & because.genre_mask) >> g.bit & 1]
        if mine.directors & theirs.directors:
            out[key] = Aspect("director")
        elif shared_cast:
            out[key] = Aspect("cast", mine.cast[min(shared_cast)])
        elif shared_genres:
            # The rarest shared genre says the most; the vocabulary has no counts, so the
            # highest bit (the latest added, e.g. 사극) stands in for it.
            genre = max(shared_genres, key=lambda g: g.bit)
            out[key] = Aspect("genre", genre.name_ko if korean else genre.name_en)
    return out


def _explain(reason: str, because: Title | None, provider: str = "", aspect: Aspect | None = None) -> str:
    if reason == REASON_LIKED and because is not None:
        return _("Because you liked %(title)s") % {"title": because.display_title}
    if reason == REASON_SIMILAR and because is not None:
        title = with_object_particle(because.display_title)
        if aspect is not None and aspect.kind == "director":
            return _("If you liked %(title)s — same director") % {"title": title}
        if aspect is not None and aspect.kind == "cast":
            return _("If you liked %(title)s — also with %(person)s") % {
                "title": title,
                "person": aspect.name,
            }
        if aspect is not None and aspect.kind == "genre":
            return _("If you liked %(title)s — more %(genre)s") % {"title": title, "genre": aspect.name}
        return _("Similar to %(title)s") % {"title": because.display_title}
    if reason == "friends":
        return _("Popular with your friends")
    if reason == "new_on_provider":
        return _("New on %(provider)s in your genres") % {"provider": provider}
    if reason == "genre":
        return _("In your favourite genres")
    return _("Popular on Moochu")


def recs_for_user(
    *,
    user: User | None,
    limit: int = 20,
    only_my_services: bool = False,
    max_age_rating: str | None = None,
) -> list[Recommendation]:
    """A person's picks, each with its reason; anonymous visitors get popularity."""
    exclude: set[int] = set()
    source = "popularity"
    picks: list[tuple[int, float, str, int]] = []
    rows: dict[int, CardRow] | None = None  # the cards of exactly ``picks``, once read
    window = max(limit * 3, 30)
    if user is not None and user.is_authenticated:
        cached = _cached_picks(user)
        if cached:
            # Fast path: one query reads the shown window's cards and flags what the person
            # rated or dismissed since their list was computed.
            source = "redis"
            picks = cached if only_my_services else cached[:window]
            rows = _card_rows(_wanted(picks), user_id=user.id, only_my_services=only_my_services)
            exclude = {p[0] for p in picks if p[0] in rows and rows[p[0]]["seen"]}
            if len(picks) - len(exclude) < limit:
                history, dismissed = user_history(user_id=user.id)
                exclude = set(history) | dismissed
        else:
            history, dismissed = user_history(user_id=user.id)
            exclude = set(history) | dismissed
            # Only onboarding choices so far: their favourite genres lead, the model fills in.
            picks = _cold_start(user, limit) if not history else []
            if len(picks) < limit:
                source = "artifact"
                have = {p[0] for p in picks}
                picks += [p for p in _model_picks(history, dismissed) if p[0] not in have]
            if history and sum(p[0] not in exclude for p in picks) < limit:
                # No model yet, or one that cannot place the person (onboarding's ten ratings
                # before the nightly retrain): the genres they chose come before mere popularity.
                have = {p[0] for p in picks}
                picks += [p for p in _cold_start(user, limit + len(exclude)) if p[0] not in have]
    else:
        user = None
    picks = [p for p in picks if p[0] not in exclude]
    if len(picks) < limit:
        have = {p[0] for p in picks}
        picks += [p for p in _popular(limit, exclude | have) if p[0] not in have]
        rows = None
    # Filters drop few titles, so a window of 3x the limit is enough (the rest is never shown).
    if not only_my_services:
        picks = picks[:window]
    if rows is None:
        rows = _card_rows(
            _wanted(picks), user_id=user.id if user else None, only_my_services=only_my_services
        )
    shown, titles = _allowed_cards(
        picks, rows, user=user, only_my_services=only_my_services, max_age_rating=max_age_rating, limit=limit
    )
    # Only a pick explained as merely popular can become "popular with your friends".
    popular_ids = [p[0] for p in shown if p[2] == "popular"]
    friends = _friend_favourites(user, popular_ids) if user is not None and popular_ids else set()
    similar = [
        (titles[p[0]], titles[p[3]])
        for p in shown
        if p[2] == REASON_SIMILAR and p[0] in titles and p[3] in titles
    ]
    aspects = _shared_aspects(similar)
    out: list[Recommendation] = []
    for title_id, score, reason, because_id in shown:
        title = titles.get(title_id)
        if title is None:  # deleted since the list was computed
            continue
        if reason == "popular" and title_id in friends:
            reason = "friends"
        because = titles.get(because_id)
        aspect = aspects.get((title_id, because_id))
        out.append(
            Recommendation(title, float(score), reason, _explain(reason, because, aspect=aspect), because)
        )
    logger.debug("recs for %s from %s", getattr(user, "id", None), source)
    return out


def recs_dismissed_titles(*, user: User, limit: int = 60) -> list[Title]:
    """The titles the person said "관심 없음" to, the latest first (two queries)."""
    latest = (
        Event.objects.filter(user=user, kind=EventKind.REC_DISMISS, title__isnull=False)
        .values("title_id")
        .annotate(last=Max("occurred_at"))
        .order_by("-last", "-title_id")
        .values_list("title_id", flat=True)[:limit]
    )
    ids = list(latest)
    titles = Title.objects.in_bulk(ids)
    return [titles[title_id] for title_id in ids if title_id in titles]


def _cold_start(user: User, limit: int) -> list[tuple[int, float, str, int]]:
    """No history yet: popular titles in the favourite genres chosen at onboarding."""
    genre_bits = list(user.favourite_genres.values_list("bit", flat=True))
    if not genre_bits:
        return []
    mask = 0
    for bit in genre_bits:
        mask |= 1 << bit
    ids = (
        Title.objects.extra(where=["(genre_mask & %s) <> 0"], params=[mask])
        .order_by("-popularity", "id")
        .values_list("id", flat=True)[: limit * 3]
    )
    return [(tid, 0.0, "genre", 0) for tid in ids]


def _friend_favourites(user: User, title_ids: list[int]) -> set[int]:
    """Those of ``title_ids`` that friends rated 4+ stars, in one query (friends as a subquery)."""
    friends = friend_ids_query(user=user)
    return set(
        Rating.objects.filter(user__in=friends, title_id__in=title_ids, half_stars__gte=8).values_list(
            "title_id", flat=True
        )
    )


def recs_friends_who_would_like(*, user: User, title_id: int, limit: int = 5) -> list[User]:
    """Friends who have not seen the title and have it among their top picks, best rank first."""
    friend_ids = set(friend_ids_for_user(user=user))
    if not friend_ids:
        return []
    seen = set(
        Rating.objects.filter(user_id__in=friend_ids, title_id=title_id).values_list("user_id", flat=True)
    )
    client = buffer.redis_client()
    model = None
    ranked: list[tuple[int, int]] = []
    for friend_id in sorted(friend_ids - seen)[:100]:
        picks = buffer.top_read(client, friend_id) if client is not None else None
        if picks is None:
            model = model or model_active_load()
            if model is None:
                break
            history, dismissed = user_history(user_id=friend_id)
            picks = model.score(history, dismissed, settings.RECS_TOP_N)
        rank = next((i for i, p in enumerate(picks) if p[0] == title_id), None)
        if rank is not None:
            ranked.append((rank, friend_id))
    ranked.sort()
    users = get_user_model().objects.in_bulk([f for _, f in ranked[:limit]])
    return [users[f] for _, f in ranked[:limit] if f in users]


def recs_similar_titles(*, title_id: int, limit: int = 12, user: User | None = None) -> list[Title]:
    """Titles like this one: the model's neighbours, else shared genres by popularity."""
    ids: list[int] = []
    try:
        model = model_active_load()
        if model is not None:
            ids = [tid for tid, _ in model.similar(title_id, limit * 2)]
    except Exception:
        logger.exception("recs: similar titles from the artifact failed")
    if len(ids) < limit:
        title = Title.objects.filter(id=title_id).only("genre_mask").first()
        if title is not None and title.genre_mask:
            extra = (
                Title.objects.extra(where=["(genre_mask & %s) <> 0"], params=[title.genre_mask])
                .exclude(id__in=[title_id, *ids])
                .order_by("-popularity", "id")
                .values_list("id", flat=True)[: limit * 2]
            )
            ids += list(extra)
    titles = _filtered_titles(ids, user=user, only_my_services=False, max_age_rating=None)
    return [titles[i] for i in ids if i in titles][:limit]


# "Trending this week" moves slowly and is the same for everyone, yet aggregating the week's
# ratings and events cost more than the rest of the front page: each process keeps the ranking
# for a minute.
TRENDING_TTL_SECONDS = 60.0


def recs_trending(*, days: int = 7, limit: int = 20) -> list[Title]:
    """Most rated or interacted titles of the last ``days`` days, catalog popularity to fill.

    Card titles (``LIST_COLUMNS`` only), read fresh (a rating's new average shows at once) by
    the picks' hand-written card statement: through the ORM it cost twice as long."""
    ids = _trending_ids(days=days, limit=limit)
    rows = _card_rows(set(ids), user_id=None, only_my_services=False)
    return [title_from_card(rows[i]) for i in ids if i in rows]


def recs_trending_clear() -> None:
    """Forget the cached rankings (between tests)."""
    _trending_ids.cache_clear()


@cachetools.cached(cachetools.TTLCache(maxsize=16, ttl=TRENDING_TTL_SECONDS), lock=threading.Lock())
def _trending_ids(*, days: int, limit: int) -> list[int]:
    since = timezone.now() - dt.timedelta(days=days)
    counts: dict[int, int] = {}
    for title_id, n in (
        Rating.objects.filter(created_at__gte=since)
        .values("title_id")
        .annotate(n=Count("id"))
        .values_list("title_id", "n")
    ):
        counts[title_id] = counts.get(title_id, 0) + n
    for title_id, n in (
        Event.objects.filter(occurred_at__gte=since, title__isnull=False)
        .values("title_id")
        .annotate(n=Count("id"))
        .values_list("title_id", "n")
    ):
        counts[title_id] = counts.get(title_id, 0) + n
    ids = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
    if len(ids) < limit:
        ids += list(
            Title.objects.exclude(id__in=ids)
            .order_by("-popularity", "id")
            .values_list("id", flat=True)[: limit - len(ids)]
        )
    return ids


def recs_new_on_my_services(
    *, user: User, days: int = 30, limit: int = 20, service_slugs: Sequence[str] | None = None
) -> list[Recommendation]:
    """Titles that arrived on the person's services lately, in their genres first.

    ``service_slugs``: the person's services when the page has read them already
    (``movies.selectors.my_services_slugs``); no query at all for a person without any."""
    since = timezone.localdate() - dt.timedelta(days=days)
    if service_slugs is None:
        service_ids = list(user.my_services.values_list("id", flat=True))
    else:
        known = catalog_vocabulary().provider_by_slug
        service_ids = [known[slug].id for slug in service_slugs if slug in known]
    if not service_ids:
        return []
    history, dismissed = user_history(user_id=user.id)
    offers = (
        Availability.objects.filter(provider_id__in=service_ids, ends_on__isnull=True)
        .filter(
            Q(starts_on__gte=since)
            | Q(starts_on__isnull=True, created_at__gte=timezone.now() - dt.timedelta(days=days))
        )
        .exclude(title_id__in=set(history) | dismissed)
        .select_related("title", "provider")
        .order_by("-starts_on", "-created_at")[: limit * 5]
    )
    genre_mask = 0
    for bit in user.favourite_genres.values_list("bit", flat=True):
        genre_mask |= 1 << bit
    seen: set[int] = set()
    out: list[Recommendation] = []
    for offer in sorted(offers, key=lambda o: (not (o.title.genre_mask & genre_mask), -o.title.popularity)):
        if offer.title_id in seen:
            continue
        seen.add(offer.title_id)
        reason = "new_on_provider" if offer.title.genre_mask & genre_mask else "popular"
        text = (
            _explain("new_on_provider", None, offer.provider.name)
            if reason == "new_on_provider"
            else (_("New on %(provider)s") % {"provider": offer.provider.name})
        )
        out.append(Recommendation(offer.title, offer.title.popularity, reason, text))
        if len(out) >= limit:
            break
    return out


def recs_home_rows(
    *, user: User | None, limit: int = 12, service_slugs: Sequence[str] | None = None
) -> list[RecRow]:
    """Home page rows: for you, because you liked X, trending this week, new on my services.

    ``service_slugs``: the person's services, when the page has read them already."""
    rows: list[RecRow] = []
    if user is not None and user.is_authenticated:
        picks = recs_for_user(user=user, limit=limit * 2)
        rows.append(RecRow("for_you", _("For you"), picks[:limit]))
        anchor = next(
            (p.because_title for p in picks if p.reason == REASON_LIKED and p.because_title is not None), None
        )
        if anchor is not None:
            same = [p for p in picks if p.because_title == anchor][:limit]
            rows.append(
                RecRow(
                    "because_you_liked",
                    _("Because you liked %(title)s") % {"title": anchor.display_title},
                    same,
                )
            )
        new = recs_new_on_my_services(user=user, limit=limit, service_slugs=service_slugs)
        if new:
            rows.append(RecRow("new_on_my_services", _("New on my services"), new))
    trending = [
        Recommendation(t, 0.0, "popular", _("Trending this week")) for t in recs_trending(limit=limit)
    ]
    rows.append(RecRow("trending", _("Trending this week"), trending))
    return rows


def recs_taste_match(*, user_a: User, user_b: User) -> float | None:
    """Taste match 0–100 between two people from their ratings (centred cosine over shared titles).

    None when they share fewer than 3 rated titles: too little to say.
    """
    a = dict(Rating.objects.filter(user=user_a).values_list("title_id", "half_stars"))
    b = dict(Rating.objects.filter(user=user_b).values_list("title_id", "half_stars"))
    shared = sorted(set(a) & set(b))
    if len(shared) < 3:
        return None
    va = np.array([a[t] for t in shared], dtype=np.float64)
    vb = np.array([b[t] for t in shared], dtype=np.float64)
    # Centre on each person's own mean so a harsh and a generous rater can still agree; map [-1, 1] to 0–100.
    va -= np.mean(list(a.values()))
    vb -= np.mean(list(b.values()))
    if not va.any() or not vb.any():
        return 100.0 if np.allclose(va, vb) else 50.0
    cos = float(va @ vb) / float(np.linalg.norm(va) * np.linalg.norm(vb))
    return round((cos + 1) * 50, 1)
