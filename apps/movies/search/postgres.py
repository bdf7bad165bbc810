"""PostgreSQL search: pg_trgm word similarity over folded keys plus 'simple' full text.

One statement ranks titles. Candidates come from GIN indexes (``q <% column`` for
word similarity, LIKE for initial consonants, ``@@`` for people and overview); the
score adds the best similarity of the words, spacing-free and keystroke (jamo) forms,
bonuses for an exact or prefix match of a whole title, full-text rank, and a little
popularity so equally good matches come out in the order people look for them.
The database must use a UTF-8 LC_CTYPE (C.UTF-8 here) or Hangul has no trigrams.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from apps.movies.models import Title
from apps.movies.search.base import RankedId
from apps.movies.search.indexing import title_search_fields_refresh
from apps.movies.selectors import LIST_COLUMNS
from apps.movies.selectors import title_from_card

if TYPE_CHECKING:
    from collections.abc import Sequence

    from apps.movies.search.query import PreparedQuery

# pg_trgm's default 0.6 misses two-typo English words ("parasyte"); 0.5 keeps them
# while a common word still leaves a few thousand candidates at most.
WORD_SIMILARITY_THRESHOLD = 0.5
# Search-as-you-type matches on fewer letters; prefix bonuses carry the ranking.
SUGGEST_THRESHOLD = 0.5


# The card columns after the id (``LIST_COLUMNS`` starts with it), by database column name.
_COLUMNS = {field.attname: str(field.column) for field in Title._meta.concrete_fields}
_CARD_COLUMNS = tuple(_COLUMNS[name] for name in LIST_COLUMNS[1:])


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PostgresSearchBackend:
    name = "postgres"

    def search(self, query: PreparedQuery, *, limit: int, offset: int) -> list[RankedId]:
        return self._ranked(query, limit=limit, offset=offset, threshold=WORD_SIMILARITY_THRESHOLD)

    def suggest(self, query: PreparedQuery, *, limit: int) -> list[RankedId]:
        return self._ranked(query, limit=limit, offset=0, threshold=SUGGEST_THRESHOLD)

    def index_titles(self, *, title_ids: Sequence[int]) -> int:
        # The search columns are the index.
        return title_search_fields_refresh(title_ids=title_ids)

    def _ranked(self, query: PreparedQuery, *, limit: int, offset: int, threshold: float) -> list[RankedId]:
        params: dict[str, str | int] = {
            "words": query.trigram_words,
            "phrase": query.words,
            "compact": query.compact,
            "exact": f"% {_like_escape(query.compact)} %",
            "prefix": f"% {_like_escape(query.compact)}%",
            "limit": limit,
            "offset": offset,
        }
        # One index-backed branch per key; each computes only its own similarity, and a
        # title's best branch wins. (A single WHERE a OR b OR c would recheck every
        # condition, full text included, on every candidate row.)
        branches = [
            "SELECT id, word_similarity(%(words)s, search_titles) AS sim FROM {table}"
            " WHERE %(words)s <%% search_titles",
            "SELECT id, word_similarity(%(compact)s, search_compact) FROM {table}"
            " WHERE %(compact)s <%% search_compact",
            # People, genres and overview: a match counts like a fair title match.
            "SELECT id, 0.55 FROM {table}"
            " WHERE to_tsvector('simple', search_document) @@ plainto_tsquery('simple', %(phrase)s)",
        ]
        bonuses = [
            # A whole title typed exactly (spacing and punctuation aside) or its beginning.
            "CASE WHEN (' ' || t.search_compact || ' ') LIKE %(exact)s THEN 0.6"
            " WHEN (' ' || t.search_compact) LIKE %(prefix)s THEN 0.3 ELSE 0 END",
            # Prefers the title whose words are all matched over a longer one that contains them.
            "0.3 * similarity(%(words)s, t.search_titles)",
            # Bounded: ln(1 + 100k votes) * 0.02 ≈ 0.23, less than one exact-match bonus.
            "0.02 * ln(1 + greatest(t.popularity, 0))",
        ]
        if query.roman:
            # A romanised Korean name: its key against the romanised keys, a little below a
            # direct match so "Parasite" typed in English still ranks by its own words first.
            params["roman"] = query.roman
            branches.append(
                "SELECT id, 0.95 * word_similarity(%(roman)s, search_compact) FROM {table}"
                " WHERE %(roman)s <%% search_compact"
            )
        if query.jamo:
            params["jamo"] = query.jamo
            branches.append(
                "SELECT id, word_similarity(%(jamo)s, search_jamo) FROM {table}"
                " WHERE %(jamo)s <%% search_jamo"
            )
        if query.keyboard_jamo:
            # Korean typed with the keyboard left in English: slightly below a direct match.
            params["keyboard"] = query.keyboard_jamo
            branches.append(
                "SELECT id, 0.9 * word_similarity(%(keyboard)s, search_jamo) FROM {table}"
                " WHERE %(keyboard)s <%% search_jamo"
            )
        if query.choseong:
            params["cho_any"] = f"%{_like_escape(query.choseong)}%"
            params["cho_exact"] = f"% {_like_escape(query.choseong)} %"
            params["cho_prefix"] = f"% {_like_escape(query.choseong)}%"
            # Lone consonants appear in no title, word or keystroke key: only this branch can match.
            branches = ["SELECT id, 0.0 AS sim FROM {table} WHERE search_choseong LIKE %(cho_any)s"]
            bonuses.append(
                "CASE WHEN (' ' || t.search_choseong || ' ') LIKE %(cho_exact)s THEN 1.0"
                " WHEN (' ' || t.search_choseong) LIKE %(cho_prefix)s THEN 0.7"
                " WHEN t.search_choseong LIKE %(cho_any)s THEN 0.4 ELSE 0 END"
            )
        table = Title._meta.db_table
        candidates = " UNION ALL ".join(branch.format(table=table) for branch in branches)
        # The hits' cards come with their ranks: no second query for the titles.
        cards = ", ".join(f"t.{connection.ops.quote_name(column)}" for column in _CARD_COLUMNS)
        sql = (
            f"SELECT t.id, c.sim + {' + '.join(bonuses)} AS score, {cards}"  # noqa: S608
            f" FROM (SELECT id, max(sim) AS sim FROM ({candidates}) AS branches GROUP BY id) AS c"
            f" JOIN {table} t ON t.id = c.id"
            " ORDER BY score DESC, t.popularity DESC, t.id"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            _set_threshold(cursor, threshold)
            cursor.execute(sql, params)
            return [
                RankedId(
                    title_id=row[0],
                    score=float(row[1]),
                    card=title_from_card(dict(zip(LIST_COLUMNS, (row[0], *row[2:]), strict=True))),
                )
                for row in cursor.fetchall()
            ]


def _set_threshold(cursor, threshold: float) -> None:
    """Set pg_trgm's word-similarity threshold once per database session.

    A session setting saves a round trip (and a transaction) on every search; only
    the trigram operators read it, and only search uses them.
    """
    raw = connection.connection
    if getattr(raw, "_moochu_trgm_threshold", None) == threshold:
        return
    cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(threshold)])
    raw._moochu_trgm_threshold = threshold
