"""Reads of the catalog: the filtered list, a title's page, coming soon, and the filter vocabulary.

The filtered list is ONE query in sort order: genre/provider/offer filters test the
denormalised bitmasks on Title (``genre_mask & X <> 0`` for "any", ``= X`` for "all"), so the
database walks the sort index and stops after a page. There is no COUNT: a page asks for one
row more than it shows to know whether a next page exists.
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal

import cachetools
from django.db import connection
from django.db.models import CharField
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Value
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.functions import NullIf
from django.db.models.functions import TruncDate
from django.db.models.signals import post_init
from django.db.models.signals import pre_init
from django.utils import timezone

from apps.common.compiled import Compiled
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import Title
from apps.movies.services.catalog import mask_of
from apps.movies.services.preferences import SESSION_MY_SERVICES_KEY

if TYPE_CHECKING:
    from django.db.models import QuerySet

GenreMatch = Literal["any", "all"]

# Sort key -> ORDER BY. Each ends in "id" so pages are stable under ties; the
# popularity/newest/rating orders have a matching index on Title.
SORTS: dict[str, tuple[Any, ...]] = {
    "popularity": (F("popularity").desc(), F("id").asc()),
    "newest": (F("release_date").desc(nulls_last=True), F("year").desc(nulls_last=True), F("id").asc()),
    # Weighted (Bayesian) average; titles with too few ratings come last (apps/movies/ratings.py).
    "rating": (F("rating_weighted").desc(), F("rating_count").desc(), F("id").asc()),
    "title": (
        Coalesce(NullIf("title_ko", Value("")), NullIf("title_en", Value("")), "title_original").asc(),
        F("id").asc(),
    ),
}
DEFAULT_SORT = "popularity"
# 예상 별점순: the person's predicted stars, which the database does not hold. The recommender
# ranks the filtered ids (apps/recs/predictions.catalog_page_by_predicted); not an ORDER BY.
PREDICTED_SORT = "predicted"
# Deep offsets cost a scan of every skipped row; nobody pages this far by hand.
MAX_PAGE = 500

# Columns of a list row: everything a card and the list API show, nothing more.
LIST_COLUMNS = (
    "id",
    "media_type",
    "title_ko",
    "title_en",
    "title_original",
    "year",
    "age_rating",
    "poster",
    "popularity",
    "rating_avg",
    "rating_count",
    "genre_mask",
    "provider_mask",
)

# -----------------------------------------------------------------------------
# Vocabulary: genres and providers by slug and bit, cached in the process
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GenreEntry:
    id: int
    slug: str
    name_ko: str
    name_en: str
    bit: int


@dataclass(frozen=True)
class ProviderEntry:
    id: int
    slug: str
    name: str
    name_ko: str
    kind: str
    color: str
    logo: str
    bit: int


# eq=False: hashed by identity, so compiled list SQL can be cached per loaded vocabulary.
@dataclass(frozen=True, eq=False)
class CatalogVocabulary:
    genres: tuple[GenreEntry, ...]
    providers: tuple[ProviderEntry, ...]
    genre_by_slug: dict[str, GenreEntry] = field(default_factory=dict)
    provider_by_slug: dict[str, ProviderEntry] = field(default_factory=dict)
    # Masks repeat across rows (a few hundred distinct ones): decode each once.
    _genre_slugs: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _provider_slugs: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def genre_slugs_of(self, mask: int) -> list[str]:
        slugs = self._genre_slugs.get(mask)
        if slugs is None:
            slugs = self._genre_slugs[mask] = tuple(g.slug for g in self.genres if mask >> g.bit & 1)
        return list(slugs)

    def provider_slugs_of(self, mask: int) -> list[str]:
        slugs = self._provider_slugs.get(mask)
        if slugs is None:
            slugs = self._provider_slugs[mask] = tuple(p.slug for p in self.providers if mask >> p.bit & 1)
        return list(slugs)


# Genres and providers change only on imports; a short TTL keeps every list request at
# one query without serving a stale vocabulary for long.
VOCABULARY_TTL_SECONDS = 30.0


@cachetools.cached(cachetools.TTLCache(maxsize=1, ttl=VOCABULARY_TTL_SECONDS), lock=threading.Lock())
def catalog_vocabulary() -> CatalogVocabulary:
    """All genres and providers, cached per process for ``VOCABULARY_TTL_SECONDS``."""
    genres = tuple(
        GenreEntry(**row)
        for row in Genre.objects.order_by("name_en").values("id", "slug", "name_ko", "name_en", "bit")
    )
    providers = tuple(
        ProviderEntry(**row)
        for row in Provider.objects.order_by("display_priority", "name").values(
            "id", "slug", "name", "name_ko", "kind", "color", "logo", "bit"
        )
    )
    return CatalogVocabulary(
        genres=genres,
        providers=providers,
        genre_by_slug={genre.slug: genre for genre in genres},
        provider_by_slug={provider.slug: provider for provider in providers},
    )


def catalog_vocabulary_clear() -> None:
    """Forget the cached vocabulary (after an import, and between tests)."""
    catalog_vocabulary.cache_clear()


# -----------------------------------------------------------------------------
# The filtered list
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFilters:
    """A validated catalog query. Slugs and values are known to exist."""

    media_type: str | None = None
    genres: tuple[str, ...] = ()
    genre_match: GenreMatch = "any"
    providers: tuple[str, ...] = ()
    offer_types: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    age_ratings: tuple[str, ...] = ()
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.media_type
            or self.genres
            or self.providers
            or self.offer_types
            or self.year_min is not None
            or self.year_max is not None
            or self.age_ratings
        )


@dataclass(frozen=True)
class CatalogPage:
    rows: list[dict[str, Any]]
    page: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def title_list_queryset(*, filters: CatalogFilters, vocabulary: CatalogVocabulary) -> QuerySet[Title]:
    """The filtered, sorted queryset of the catalog list (not yet sliced)."""
    qs = Title.objects.all()
    if filters.media_type:
        qs = qs.filter(media_type=filters.media_type)
    if filters.genres:
        genre_mask = mask_of(vocabulary.genre_by_slug[slug].bit for slug in filters.genres)
        qs = qs.alias(genre_hit=F("genre_mask").bitand(genre_mask))
        qs = qs.filter(genre_hit=genre_mask) if filters.genre_match == "all" else qs.exclude(genre_hit=0)
    provider_bits = [vocabulary.provider_by_slug[slug].bit for slug in filters.providers]
    if provider_bits:
        qs = qs.alias(provider_hit=F("provider_mask").bitand(mask_of(provider_bits))).exclude(provider_hit=0)
    if filters.offer_types:
        offer_mask = mask_of(OFFER_TYPE_BITS[offer] for offer in filters.offer_types)
        qs = qs.alias(offer_hit=F("offer_mask").bitand(offer_mask)).exclude(offer_hit=0)
        if provider_bits:
            # The masks are independent: "Netflix + rent" would also match a title
            # streamed on Netflix and rented elsewhere. Only then check the pair.
            qs = qs.filter(
                Exists(
                    Availability.objects.filter(
                        title_id=OuterRef("pk"),
                        provider__bit__in=provider_bits,
                        offer_type__in=filters.offer_types,
                        ends_on__isnull=True,
                    )
                )
            )
    if filters.year_min is not None:
        qs = qs.filter(year__gte=filters.year_min)
    if filters.year_max is not None:
        qs = qs.filter(year__lte=filters.year_max)
    if filters.age_ratings:
        qs = qs.filter(age_rating__in=filters.age_ratings)
    return qs.order_by(*SORTS[filters.sort])


@functools.lru_cache(maxsize=1024)
def _title_list_sql(
    filters: CatalogFilters, vocabulary: CatalogVocabulary, offset: int, limit: int
) -> tuple[str, tuple[Any, ...]]:
    # Building and compiling the queryset costs more Python time than PostgreSQL spends
    # running it; people repeat the same few filter combinations, so compile each once.
    qs = title_list_queryset(filters=filters, vocabulary=vocabulary).values_list(*LIST_COLUMNS)
    sql, params = qs[offset : offset + limit].query.sql_with_params()
    return sql, tuple(params)


def title_list(*, filters: CatalogFilters, page: int = 1, page_size: int = 24) -> CatalogPage:
    """One page of the catalog as plain rows, in one query (vocabulary cached).

    Fetches ``page_size + 1`` rows to know if a next page exists; a page past the end
    (or past ``MAX_PAGE``) is an empty page.
    """
    if page < 1 or page > MAX_PAGE:
        return CatalogPage(rows=[], page=page, page_size=page_size, has_next=False)
    vocabulary = catalog_vocabulary()
    sql, params = _title_list_sql(filters, vocabulary, (page - 1) * page_size, page_size + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    has_next = len(records) > page_size
    rows = [
        _list_row(dict(zip(LIST_COLUMNS, record, strict=True)), vocabulary) for record in records[:page_size]
    ]
    return CatalogPage(rows=rows, page=page, page_size=page_size, has_next=has_next)


def title_list_ids(*, filters: CatalogFilters) -> list[int]:
    """Every id of the filtered catalog, most popular first (ties by id), in one query.

    The candidates of an order computed outside the database (예상 별점순); ``filters.sort``
    is ignored.
    """
    filters = replace(filters, sort=DEFAULT_SORT)
    qs = title_list_queryset(filters=filters, vocabulary=catalog_vocabulary())
    return list(qs.values_list("id", flat=True))


def title_rows(*, title_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Card rows (as ``title_list`` returns them) of these titles in the given order, in one
    query; deleted titles are left out. The one card read: the catalog and recs both use it."""
    vocabulary = catalog_vocabulary()
    rows = {row["id"]: row for row in Title.objects.filter(pk__in=title_ids).values(*LIST_COLUMNS)}
    return [_list_row(rows[i], vocabulary) for i in title_ids if i in rows]


# ``Title.from_db`` maps a partial row by the model's field order.
_CARD_ATTNAMES = [f.attname for f in Title._meta.concrete_fields if f.attname in LIST_COLUMNS]


def title_from_card(row: Mapping[str, Any]) -> Title:
    """A ``Title`` holding a card row's columns (the others deferred), built without a query.

    The signed-in front page builds ~46 of these. ``Title.from_db`` runs ``Model.__init__``
    over all 33 fields (10 µs a title); with no ``pre_init``/``post_init`` receiver for Title
    that does nothing a row's columns in ``__dict__`` would not, which is what ``from_db``
    leaves behind (the same instance state, the other fields deferred): 2 µs.
    """
    values = [row[name] for name in _CARD_ATTNAMES]
    if pre_init.has_listeners(Title) or post_init.has_listeners(Title):
        return Title.from_db(connection.alias, _CARD_ATTNAMES, values)
    title = Title.__new__(Title)
    title._state = ModelState()
    title._state.adding = False
    title._state.db = connection.alias
    title.__dict__.update(zip(_CARD_ATTNAMES, values, strict=True))
    return title


def title_cards(*, title_ids: Collection[int]) -> dict[int, Title]:
    """Card ``Title``s (``LIST_COLUMNS`` loaded, nothing else) by id, in one query."""
    return Title.objects.only(*LIST_COLUMNS).in_bulk(list(title_ids))


def _list_row(row: dict[str, Any], vocabulary: CatalogVocabulary) -> dict[str, Any]:
    row["genres"] = vocabulary.genre_slugs_of(row.pop("genre_mask"))
    row["providers"] = vocabulary.provider_slugs_of(row.pop("provider_mask"))
    row["display_title"] = row["title_ko"] or row["title_en"] or row["title_original"]
    return row


# -----------------------------------------------------------------------------
# One title
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferGroup:
    """The open offers of one provider for a title, by offer type."""

    provider: Provider
    offers: list[Availability]


def title_get(*, title_id: int) -> Title:
    """A title with its genres; raises Title.DoesNotExist."""
    return Title.objects.prefetch_related("genres").get(pk=title_id)


def title_get_for_page(*, title_id: int) -> Title:
    """The title for its page, with ``catalog_stamp``: a digest of the versions of every row its
    catalog sections show (see ``apps.movies.title_sections``), or None on a database without
    row versions. One query; raises Title.DoesNotExist."""
    rows = query_run(_title_for_page_sql(connection.vendor), {_TITLE: title_id})
    if not rows:
        raise Title.DoesNotExist(f"No title {title_id}.")
    title = Title.from_db(connection.alias, _TITLE_ATTNAMES, rows[0][:-1])
    title.__dict__["catalog_stamp"] = rows[0][-1]  # the annotation
    return title


# The page's first read, compiled once per process with a stand-in id (apps/common/compiled.py):
# building the annotated queryset was most of the read's time.
_TITLE = -950_000_001
_TITLE_ATTNAMES = [f.attname for f in Title._meta.concrete_fields]


@functools.cache
def _title_for_page_sql(vendor: str) -> Compiled:
    stamp = (
        RawSQL(_catalog_stamp_sql(), (), output_field=CharField())  # noqa: S611 - no user input
        if vendor == "postgresql"
        else Value(None, output_field=CharField())
    )
    title = Title.objects.annotate(catalog_stamp=stamp).filter(pk=_TITLE)
    return query_compile(title.values_list(*_TITLE_ATTNAMES, "catalog_stamp"), _TITLE)


@functools.cache
def _catalog_stamp_sql() -> str:
    # The row version of the title's genre links and genres, credits and people, open offers and
    # providers: PostgreSQL's xmin (the transaction that wrote it) and cmin (the command inside
    # that transaction, so a change made by the transaction that wrote the row counts too). md5
    # only shortens the key. Table names come from the models; the title is the outer row.
    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def versions(rows: str, alias: str, joined: str, on: str, where: str = "") -> str:
        row, other = (f"{a}.xmin::text || ':' || {a}.cmin::text" for a in (alias, "j"))
        return (
            f"(SELECT string_agg({alias}.id || '.' || {row} || '.' || {other}, ',' ORDER BY {alias}.id)"  # noqa: S608
            f" FROM {rows} {alias} JOIN {joined} j ON j.id = {alias}.{on}"
            f" WHERE {alias}.title_id = {table(Title)}.id{where})"
        )

    parts = (
        versions(table(Title.genres.through), "l", table(Genre), "genre_id"),
        versions(table(Credit), "c", table(Person), "person_id"),
        versions(table(Availability), "a", table(Provider), "provider_id", " AND a.ends_on IS NULL"),
    )
    return f"SELECT md5(concat_ws('/', {', '.join(parts)}))"


def title_credits(*, title: Title, cast_limit: int = 12) -> dict[str, list[Credit]]:
    """Directors, writers and the first ``cast_limit`` cast members, in billing order."""
    credits = list(title.credits.select_related("person").order_by("role", "order", "id"))
    return {
        "directors": [c for c in credits if c.role == CreditRole.DIRECTOR],
        "writers": [c for c in credits if c.role == CreditRole.WRITER],
        "cast": [c for c in credits if c.role == CreditRole.CAST][:cast_limit],
    }


def title_where_to_watch(*, title: Title) -> list[OfferGroup]:
    """Open offers grouped by provider (providers in display order, offers in OfferType order)."""
    offers = (
        title.availabilities.filter(ends_on__isnull=True)
        .select_related("provider")
        .order_by("provider__display_priority", "provider__name", "provider_id")
    )
    offer_order = {value: index for index, value in enumerate(OfferType.values)}
    groups: dict[int, OfferGroup] = {}
    for offer in offers:
        group = groups.setdefault(offer.provider_id, OfferGroup(provider=offer.provider, offers=[]))
        group.offers.append(offer)
    for group in groups.values():
        group.offers.sort(key=lambda offer: offer_order[offer.offer_type])
    return list(groups.values())


def title_similar(*, title: Title, limit: int = 12) -> list[dict[str, Any]]:
    """Card rows of the titles most like ``title`` (genre, language, era, people: see
    apps/movies/similarity.py), best first."""
    from apps.movies.similarity import title_similar_ids

    return title_rows(title_ids=title_similar_ids(title=title, limit=limit))


# -----------------------------------------------------------------------------
# Coming soon (cinemas and OTT) and new on my services
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComingSoonEntry:
    """One title opening on one date, with every provider announcing it."""

    title: Title
    starts_on: datetime.date | None
    offers: list[Availability]


# Offers someone can use now (every type but "coming soon").
WATCHABLE_OFFER_TYPES = tuple(t for t in OfferType.values if t != OfferType.COMING_SOON)


def coming_soon_list(
    *,
    today: datetime.date | None = None,
    limit: int = 60,
    provider_slugs: Sequence[str] | None = None,
) -> list[ComingSoonEntry]:
    """What opens soon, in cinemas and on OTT services, soonest first (undated last).

    Cinema "coming soon" offers, and any offer whose start date is still ahead (an OTT
    release a source dated). ``provider_slugs`` keeps only those providers (my services).
    """
    today = today or timezone.localdate()
    offers = Availability.objects.filter(ends_on__isnull=True).filter(
        Q(offer_type=OfferType.COMING_SOON, starts_on__gte=today)
        | Q(offer_type=OfferType.COMING_SOON, starts_on__isnull=True)
        | Q(offer_type__in=WATCHABLE_OFFER_TYPES, starts_on__gt=today)
    )
    if provider_slugs is not None:
        offers = offers.filter(provider__slug__in=list(provider_slugs))
    offers = (
        offers.select_related("title", "provider")
        .only(*_OFFER_CARD_FIELDS)
        .order_by(
            F("starts_on").asc(nulls_last=True),
            F("title__popularity").desc(),
            "title_id",
            "provider__display_priority",
            "provider__name",
        )
    )
    return _entries(offers, limit=limit)


def new_on_services_list(
    *,
    provider_slugs: Sequence[str],
    today: datetime.date | None = None,
    days: int = 7,
    limit: int = 24,
) -> list[ComingSoonEntry]:
    """Titles that became watchable on these services in the last ``days`` days, newest first.

    An offer's date is its start date when the source gives one, else the day its source
    last reported it new (``observed_on``: curated snapshots carry their own date), else the
    day Moochu first saw it (TMDB's where-to-watch data carries no dates).
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    seen_on = Coalesce("starts_on", "observed_on", TruncDate("created_at"))
    offers = (
        Availability.objects.filter(
            ends_on__isnull=True,
            offer_type__in=WATCHABLE_OFFER_TYPES,
            provider__slug__in=list(provider_slugs),
        )
        .annotate(seen_on=seen_on)
        .filter(seen_on__gte=since, seen_on__lte=today)
        .select_related("title", "provider")
        .only(*_OFFER_CARD_FIELDS)
        .order_by("-seen_on", F("title__popularity").desc(), "title_id", "provider__display_priority")
    )
    entries: dict[int, ComingSoonEntry] = {}
    for offer in offers[: limit * 4]:
        if offer.title_id not in entries:
            if len(entries) == limit:
                break
            entries[offer.title_id] = ComingSoonEntry(title=offer.title, starts_on=offer.seen_on, offers=[])
        entries[offer.title_id].offers.append(offer)
    return list(entries.values())


# What the coming-soon page shows of an offer, its title (a card) and its provider. The whole
# rows of all three were read and compiled into the statement (61 columns for 30 shown): ~750
# function calls per request more, and the titles' long search and overview texts.
_OFFER_CARD_FIELDS = (
    "title_id",
    "provider_id",
    "offer_type",
    "starts_on",
    "observed_on",
    *(f"title__{name}" for name in LIST_COLUMNS),
    *(f"provider__{name}" for name in ("slug", "name", "name_ko", "color", "logo", "display_priority")),
)


def _entries(offers: Any, *, limit: int) -> list[ComingSoonEntry]:
    entries: dict[tuple[datetime.date | None, int], ComingSoonEntry] = {}
    for offer in offers[: limit * 4]:
        key = (offer.starts_on, offer.title_id)
        if key not in entries:
            if len(entries) == limit:
                break
            entries[key] = ComingSoonEntry(title=offer.title, starts_on=offer.starts_on, offers=[])
        entries[key].offers.append(offer)
    return list(entries.values())


# -----------------------------------------------------------------------------
# "My services"
# -----------------------------------------------------------------------------


def my_services_slugs(*, user: Any, session: Any) -> list[str]:
    """The provider slugs a visitor subscribes to: the user's list, or the session's."""
    if user is not None and user.is_authenticated:
        return [slug for (slug,) in query_run(_my_services_sql(), {_SUBSCRIBER: user.pk})]
    known = catalog_vocabulary().provider_by_slug
    return [slug for slug in session.get(SESSION_MY_SERVICES_KEY, []) if slug in known]


# Every catalog page reads the signed-in person's services: through the ORM the m2m read cost
# ~0.5 ms of Python for a ~0.1 ms statement, so it is compiled once (apps.common.compiled).
_SUBSCRIBER = -930_000_001


@functools.cache
def _my_services_sql() -> Compiled:
    services = Provider.objects.filter(subscribers=_SUBSCRIBER).order_by("display_priority", "name")
    return query_compile(services.values_list("slug"), _SUBSCRIBER)
