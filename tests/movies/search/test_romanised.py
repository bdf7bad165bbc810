"""Korean names typed in Latin letters: "Bong Joon-ho" finds 봉준호's films, "Gisaengchung" 기생충.

The source gives no English names here (like most of the Korean catalog): the romanisation
comes from korean-romanizer and the spelling-insensitive key, not from stored translations.
"""

from __future__ import annotations

import pytest

from apps.movies.models import CreditRole
from apps.movies.models import Person
from apps.movies.search import text
from apps.movies.search.indexing import title_search_fields_refresh
from apps.movies.search.postgres import PostgresSearchBackend
from apps.movies.search.query import search_query_prepare
from apps.movies.search.sqlite import SqliteSearchBackend
from tests.factories import CreditFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BACKENDS = [PostgresSearchBackend, SqliteSearchBackend]


@pytest.mark.parametrize(
    ("typed", "korean"),
    [
        ("Bong Joon-ho", "봉준호"),
        ("Joon-ho Bong", "봉준호"),
        ("Song Kang-ho", "송강호"),
        ("Park Chan-wook", "박찬욱"),
        ("Kim Hye-soo", "김혜수"),
        ("Jeon Do-yeon", "전도연"),
        ("bongjunho", "봉준호"),
    ],
)
def test_romanised_person_names_share_a_key_with_the_hangul_name(typed, korean):
    assert text.roman_key(typed) in text.roman_keys_for_name(korean, person=True)


@pytest.mark.parametrize(
    ("typed", "korean"),
    [("Gisaengchung", "기생충"), ("Salinui Chueok", "살인의 추억"), ("Busanhaeng", "부산행")],
)
def test_romanised_titles_share_a_key_with_the_hangul_title(typed, korean):
    assert text.roman_key(typed) in text.roman_keys_for_name(korean)


def test_roman_keys_come_from_the_library_with_sound_changes():
    # 살인 is pronounced 사린: the library writes "sarin", the syllable table "salin"
    assert text.romanize_pronounced("살인의 추억") == "sarinui chueok"
    assert text.roman_keys_for_name("The Matrix") == []
    assert text.roman_keys_for_name("") == []


def test_query_has_a_roman_key_only_for_latin_text():
    assert search_query_prepare(raw="Bong Joon-ho").roman == "bongjunho"
    assert search_query_prepare(raw="봉준호").roman == ""
    assert search_query_prepare(raw="ㄱㅅㅊ").roman == ""
    assert search_query_prepare(raw="ab").roman == ""


@pytest.fixture
def korean_names_only(catalog):
    """People with Hangul names only, as the Korean sources deliver them."""
    Person.objects.filter(name="봉준호").update(name_en="")
    song = PersonFactory(name="송강호")
    park = PersonFactory(name="박찬욱")
    for name in ("Parasite", "Memories of Murder", "The Host"):
        CreditFactory(title=catalog[name], person=song, role=CreditRole.CAST, order=1)
    CreditFactory(title=catalog["Oldboy"], person=park, role=CreditRole.DIRECTOR)
    CreditFactory(title=catalog["Decision to Leave"], person=park, role=CreditRole.DIRECTOR)
    title_search_fields_refresh(title_ids=[t.id for t in catalog.values()])
    return catalog


def _top(backend_class, catalog, query: str, limit: int = 10) -> list[str]:
    ranked = backend_class().search(search_query_prepare(raw=query), limit=limit, offset=0)
    by_id = {title.id: name for name, title in catalog.items()}
    return [by_id[item.title_id] for item in ranked]


@pytest.mark.parametrize("backend_class", BACKENDS)
@pytest.mark.parametrize("query", ["Bong Joon-ho", "bong joonho", "Joon-ho Bong"])
def test_backend_finds_a_directors_films_by_romanised_name(backend_class, korean_names_only, query):
    found = _top(backend_class, korean_names_only, query)

    assert set(found[:3]) == {"Parasite", "Memories of Murder", "The Host"}


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_backend_finds_by_other_romanised_people(backend_class, korean_names_only):
    assert set(_top(backend_class, korean_names_only, "Park Chan-wook")[:2]) == {
        "Oldboy",
        "Decision to Leave",
    }
    assert set(_top(backend_class, korean_names_only, "Song Kang-ho")[:3]) == {
        "Parasite",
        "Memories of Murder",
        "The Host",
    }


@pytest.mark.parametrize("backend_class", BACKENDS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gisaengchung", "Parasite"),
        ("Salinui Chueok", "Memories of Murder"),
        ("Busanhaeng", "Train to Busan"),
    ],
)
def test_backend_finds_titles_by_romanised_korean_title(backend_class, korean_names_only, query, expected):
    assert _top(backend_class, korean_names_only, query)[0] == expected


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_english_titles_still_rank_by_their_own_words(backend_class, korean_names_only):
    assert _top(backend_class, korean_names_only, "parasite")[0] == "Parasite"
    assert _top(backend_class, korean_names_only, "zzqxv") == []
