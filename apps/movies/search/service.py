"""The search service: one interface over the configured backend, with a database fallback."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q

from apps.movies.models import Genre
from apps.movies.models import Title
from apps.movies.search.base import SearchBackendUnavailable
from apps.movies.search.query import search_query_prepare
from apps.movies.selectors import title_cards

if TYPE_CHECKING:
    from apps.movies.search.base import RankedId
    from apps.movies.search.base import SearchBackend
    from apps.movies.search.query import PreparedQuery

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
SUGGEST_LIMIT = 8


@dataclass(frozen=True)
class SearchHit:
    title: Title
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    backend: str
    # True when nothing matched and `hits` are popular titles (in the hinted genres, if any).
    is_fallback: bool = False
    genre_hints: tuple[str, ...] = field(default_factory=tuple)

    @property
    def titles(self) -> list[Title]:
        return [hit.title for hit in self.hits]


def get_database_search_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from apps.movies.search.postgres import PostgresSearchBackend

        return PostgresSearchBackend()
    from apps.movies.search.sqlite import SqliteSearchBackend

    return SqliteSearchBackend()


def get_search_backend() -> SearchBackend:
    """The backend settings.SEARCH_BACKEND names: "elasticsearch", "postgres", "sqlite" or "database"."""
    name = settings.SEARCH_BACKEND
    if name == "elasticsearch":
        from apps.movies.search.elastic import ElasticsearchSearchBackend

        return ElasticsearchSearchBackend.from_settings()
    if name == "postgres":
        from apps.movies.search.postgres import PostgresSearchBackend

        return PostgresSearchBackend()
    if name == "sqlite":
        from apps.movies.search.sqlite import SqliteSearchBackend

        return SqliteSearchBackend()
    return get_database_search_backend()


def _ranked_with_fallback(
    prepared: PreparedQuery, *, limit: int, offset: int, suggest: bool
) -> tuple[list[RankedId], str]:
    backend = get_search_backend()
    try:
        if suggest:
            return backend.suggest(prepared, limit=limit), backend.name
        return backend.search(prepared, limit=limit, offset=offset), backend.name
    except SearchBackendUnavailable as error:
        # Search must answer even when the search cluster is down.
        logger.warning("Search backend %s unavailable (%s); answering from the database", backend.name, error)
        database = get_database_search_backend()
        if suggest:
            return database.suggest(prepared, limit=limit), database.name
        return database.search(prepared, limit=limit, offset=offset), database.name


def _hits(ranked: list[RankedId]) -> list[SearchHit]:
    """The ranked titles as cards (``LIST_COLUMNS``): read with the ranking by the database
    backend, in one query here for the others."""
    missing = [item.title_id for item in ranked if item.card is None]
    titles = title_cards(title_ids=missing) if missing else {}
    hits = []
    for item in ranked:
        title = item.card or titles.get(item.title_id)
        if title is not None:  # an index can briefly name a title deleted since; skip it
            hits.append(SearchHit(title=title, score=item.score))
    return hits


def _popular_in_genres(*, genre_hints: tuple[str, ...], limit: int) -> list[SearchHit]:
    titles = Title.objects.all()
    if genre_hints:
        genre_filter = reduce(or_, (Q(slug__iexact=hint) | Q(name_en__iexact=hint) for hint in genre_hints))
        genres = Genre.objects.filter(genre_filter)
        titles = titles.filter(
            Exists(Title.genres.through.objects.filter(title_id=OuterRef("pk"), genre__in=genres))
        )
    return [SearchHit(title=title, score=0.0) for title in titles.order_by("-popularity", "id")[:limit]]


def search_titles(*, query: str, limit: int = DEFAULT_LIMIT, offset: int = 0) -> SearchResults:
    """Ranked titles for a user's query. Raises SearchQueryError for empty or overlong queries.

    When nothing matches on the first page, answers with popular titles in the genres
    the query hints at ("좀비 영화" → Horror) and sets ``is_fallback``.
    """
    prepared = search_query_prepare(raw=query)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    ranked, backend_name = _ranked_with_fallback(prepared, limit=limit, offset=offset, suggest=False)
    hits = _hits(ranked)
    if hits or offset:
        return SearchResults(
            query=prepared.cleaned, hits=hits, backend=backend_name, genre_hints=prepared.genre_hints
        )
    return SearchResults(
        query=prepared.cleaned,
        hits=_popular_in_genres(genre_hints=prepared.genre_hints, limit=limit),
        backend=backend_name,
        is_fallback=True,
        genre_hints=prepared.genre_hints,
    )


def suggest_titles(*, query: str, limit: int = SUGGEST_LIMIT) -> SearchResults:
    """A few titles for search-as-you-type; half-typed Hangul syllables match too."""
    prepared = search_query_prepare(raw=query)
    limit = max(1, min(limit, MAX_LIMIT))
    ranked, backend_name = _ranked_with_fallback(prepared, limit=limit, offset=0, suggest=True)
    return SearchResults(query=prepared.cleaned, hits=_hits(ranked), backend=backend_name)
