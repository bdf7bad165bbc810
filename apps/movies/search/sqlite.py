"""SQLite search for the embedded default: LIKE pre-filter in SQL, trigram ranking in Python.

SQLite has no trigram index, so the database narrows the catalog to titles that
share at least one three-letter piece with the query (or its initial consonants,
or its keystrokes), and Python scores those with the same folded keys and the same
weights as the PostgreSQL backend. Fine for a laptop-sized catalog.
"""

from __future__ import annotations

import math
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q

from apps.movies.models import Title
from apps.movies.search import text
from apps.movies.search.base import RankedId
from apps.movies.search.indexing import title_search_fields_refresh

if TYPE_CHECKING:
    from collections.abc import Sequence

    from apps.movies.search.query import PreparedQuery

THRESHOLD = 0.5
# Bounds the Python scoring work on a very common query ("the").
MAX_CANDIDATES = 5000


def _pieces(key: str) -> set[str]:
    """Substrings the pre-filter looks for: the key's trigrams, or the key itself if shorter."""
    if len(key) < 3:
        return {key} if key else set()
    return {key[i : i + 3] for i in range(len(key) - 2)}


def _score(query: PreparedQuery, row: tuple[int, str, str, str, str, str, float]) -> float | None:
    _id, titles, compact_col, jamo_col, choseong_col, document, popularity = row
    similarity = max(
        text.word_similarity(query.trigram_words, titles),
        text.word_similarity(query.compact, compact_col),
        text.word_similarity(query.jamo, jamo_col) if query.jamo else 0.0,
        0.9 * text.word_similarity(query.keyboard_jamo, jamo_col) if query.keyboard_jamo else 0.0,
        0.95 * text.word_similarity(query.roman, compact_col) if query.roman else 0.0,
    )
    padded = f" {compact_col} "
    choseong_bonus = 0.0
    if query.choseong and query.choseong in choseong_col:
        padded_cho = f" {choseong_col} "
        if f" {query.choseong} " in padded_cho:
            choseong_bonus = 1.0
        elif f" {query.choseong}" in padded_cho:
            choseong_bonus = 0.7
        else:
            choseong_bonus = 0.4
    document_words = set(document.split())
    in_document = all(word in document_words for word in query.words.split())
    if similarity < THRESHOLD and not choseong_bonus and not in_document:
        return None
    bonus = 0.6 if f" {query.compact} " in padded else 0.3 if f" {query.compact}" in padded else 0.0
    title_grams, query_grams = text.trigrams(titles), text.trigrams(query.trigram_words)
    union = title_grams | query_grams
    full_similarity = len(title_grams & query_grams) / len(union) if union else 0.0
    return (
        similarity
        + bonus
        + choseong_bonus
        + 0.3 * full_similarity
        + (0.1 if in_document else 0.0)
        + 0.02 * math.log1p(max(popularity, 0.0))
    )


class SqliteSearchBackend:
    name = "sqlite"

    def search(self, query: PreparedQuery, *, limit: int, offset: int) -> list[RankedId]:
        return self._ranked(query)[offset : offset + limit]

    def suggest(self, query: PreparedQuery, *, limit: int) -> list[RankedId]:
        return self._ranked(query)[:limit]

    def index_titles(self, *, title_ids: Sequence[int]) -> int:
        return title_search_fields_refresh(title_ids=title_ids)

    def _ranked(self, query: PreparedQuery) -> list[RankedId]:
        filters = [Q(search_compact__contains=piece) for piece in _pieces(query.compact)]
        filters += [Q(search_document__contains=word) for word in query.words.split()]
        if query.roman:
            filters += [Q(search_compact__contains=piece) for piece in _pieces(query.roman)]
        if query.jamo:
            filters += [Q(search_jamo__contains=piece) for piece in _pieces(query.jamo)]
        if query.keyboard_jamo:
            filters += [Q(search_jamo__contains=piece) for piece in _pieces(query.keyboard_jamo)]
        if query.choseong:
            filters.append(Q(search_choseong__contains=query.choseong))
        rows = (
            Title.objects.filter(reduce(or_, filters))
            .values_list(
                "id",
                "search_titles",
                "search_compact",
                "search_jamo",
                "search_choseong",
                "search_document",
                "popularity",
            )
            .order_by("-popularity", "id")[:MAX_CANDIDATES]
        )
        scored = []
        for row in rows:
            score = _score(query, row)
            if score is not None:
                scored.append((score, row[6], row[0]))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        return [RankedId(title_id=title_id, score=score) for score, _popularity, title_id in scored]
