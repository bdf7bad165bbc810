from __future__ import annotations

import pytest

from apps.movies.search import SearchQueryError
from apps.movies.search import search_titles
from apps.movies.search import suggest_titles
from apps.movies.search.service import get_search_backend

pytestmark = pytest.mark.django_db


def test_search_titles_ranks_with_the_database_backend(catalog):
    results = search_titles(query="ㄱㅅㅊ")
    assert results.backend == "postgres"
    assert results.titles[0] == catalog["Parasite"]
    assert not results.is_fallback


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01", "?!…"])
def test_search_titles_rejects_empty_queries(catalog, query):
    with pytest.raises(SearchQueryError, match="Type a title"):
        search_titles(query=query)


def test_search_titles_rejects_a_10kb_query_without_folding_it(catalog):
    with pytest.raises(SearchQueryError, match="too long") as error:
        search_titles(query="기" * 10_000)
    assert error.value.extra == {"max_length": 200}


def test_search_titles_strips_control_characters(catalog):
    results = search_titles(query="기생\x00충\u200b")
    assert results.query == "기생충"
    assert results.titles[0] == catalog["Parasite"]


def test_search_titles_without_matches_offers_popular_titles_in_hinted_genres(catalog):
    # given a query that matches no title but says "zombie"
    results = search_titles(query="좀비 영화")
    # then the answer is horror titles, most popular first
    assert results.is_fallback
    assert results.genre_hints == ("horror",)
    assert results.titles == [catalog["Train to Busan"], catalog["The Host"], catalog["Kingdom"]]


def test_search_titles_without_matches_or_hints_offers_popular_titles(catalog):
    results = search_titles(query="zzqxv", limit=2)
    assert results.is_fallback
    assert results.genre_hints == ()
    assert results.titles == [catalog["Parasite"], catalog["Avengers: Endgame"]]


def test_search_titles_beyond_the_last_page_is_empty_not_a_fallback(catalog):
    results = search_titles(query="기생충", offset=40)
    assert results.hits == []
    assert not results.is_fallback


def test_search_titles_clamps_limit(catalog):
    assert len(search_titles(query="zzqxv", limit=0).hits) == 1


def test_suggest_titles_matches_half_typed_syllables(catalog):
    results = suggest_titles(query="부사")
    assert results.titles[0] == catalog["Train to Busan"]


def test_get_search_backend_follows_settings(settings):
    settings.SEARCH_BACKEND = "sqlite"
    assert get_search_backend().name == "sqlite"
    settings.SEARCH_BACKEND = "database"
    assert get_search_backend().name == "postgres"


def test_search_titles_costs_one_query_once_the_connection_is_set_up(catalog, django_assert_num_queries):
    search_titles(query="기생충")  # first search on a connection also sets pg_trgm's threshold
    with django_assert_num_queries(1):  # the ranking, with the titles' cards (was a second query)
        results = search_titles(query="the matrx")
    # the cards carry what every caller shows, with no query per title
    with django_assert_num_queries(0):
        shown = [
            (t.id, t.display_title, t.secondary_title, t.year, t.media_type, t.poster) for t in results.titles
        ]
    assert shown[0][1] == "Matrix, The"


def test_search_titles_from_a_backend_without_cards_reads_them_in_one_query(
    catalog, settings, django_assert_num_queries
):
    settings.SEARCH_BACKEND = "sqlite"
    with django_assert_num_queries(2):  # the backend's ranking, then the cards of its ids
        results = search_titles(query="the matrx")
    with django_assert_num_queries(0):
        assert results.titles[0].display_title == "Matrix, The"
