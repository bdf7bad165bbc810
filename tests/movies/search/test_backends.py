"""Both database backends find what Korean users type; each check names the title it must rank first."""

from __future__ import annotations

import pytest

from apps.movies.search.postgres import PostgresSearchBackend
from apps.movies.search.query import search_query_prepare
from apps.movies.search.sqlite import SqliteSearchBackend

pytestmark = pytest.mark.django_db

BACKENDS = [PostgresSearchBackend, SqliteSearchBackend]


def _top(backend_class, catalog, query: str, limit: int = 5) -> list[str]:
    ranked = backend_class().search(search_query_prepare(raw=query), limit=limit, offset=0)
    by_id = {title.id: name for name, title in catalog.items()}
    return [by_id[item.title_id] for item in ranked]


@pytest.mark.parametrize("backend_class", BACKENDS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("기생충", "Parasite"),  # exact Korean
        ("parasite", "Parasite"),  # exact English
        ("ㄱㅅㅊ", "Parasite"),  # initial consonants
        ("ㅂㅅㅎ", "Train to Busan"),
        ("어벤져스엔드게임", "Avengers: Endgame"),  # spacing-insensitive
        ("어벤저스 엔드게임", "Avengers: Endgame"),  # Korean typo (져 → 저)
        ("the matrx", "Matrix, The"),  # English typo with the catalog's trailing article
        ("matrix", "Matrix, The"),
        ("기생", "Parasite"),  # prefix
        ("기생ㅊ", "Parasite"),  # half-typed syllable while composing
        ("parasi", "Parasite"),
        ("gisaengchung", "Parasite"),  # romanised
        ("rltodcnd", "Parasite"),  # Korean typed with the keyboard in English
        ("헤어질결심", "Decision to Leave"),
        ("amelie", "Amélie"),  # accents folded
        ("ＯＬＤＢＯＹ", "Oldboy"),  # full-width
        ("memories of murder", "Memories of Murder"),
    ],
)
def test_backend_ranks_intended_title_first(backend_class, catalog, query, expected):
    assert _top(backend_class, catalog, query)[0] == expected


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_backend_finds_titles_by_person(backend_class, catalog):
    found = set(_top(backend_class, catalog, "봉준호", limit=10))
    assert found == {"Parasite", "Memories of Murder", "The Host"}


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_backend_ranks_exact_title_above_longer_title_with_same_words(backend_class, catalog):
    assert _top(backend_class, catalog, "어벤져스")[:2] == ["The Avengers", "Avengers: Endgame"]


@pytest.mark.parametrize("backend_class", BACKENDS)
@pytest.mark.parametrize("query", ["zzqxv", "ㅏ", "'; DROP TABLE movies_title; --", "zz%_q"])
def test_backend_answers_nonsense_with_nothing(backend_class, catalog, query):
    assert _top(backend_class, catalog, query) == []


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_backend_pages_with_offset(backend_class, catalog):
    prepared = search_query_prepare(raw="어벤져스")
    first = backend_class().search(prepared, limit=1, offset=0)
    second = backend_class().search(prepared, limit=1, offset=1)
    assert len(first) == len(second) == 1
    assert first[0].title_id != second[0].title_id


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_backend_suggests_while_typing(backend_class, catalog):
    ranked = backend_class().suggest(search_query_prepare(raw="부산"), limit=3)
    assert ranked[0].title_id == catalog["Train to Busan"].id
