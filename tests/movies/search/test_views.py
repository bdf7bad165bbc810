from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_search_api_returns_ranked_titles(client, catalog):
    response = client.get("/api/search/", {"q": "the matrx"})
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["id"] == catalog["Matrix, The"].id
    assert body["results"][0]["title"] == "Matrix, The"
    assert body["is_fallback"] is False
    assert body["backend"] == "postgres"


def test_search_api_reports_genre_fallback(client, catalog):
    body = client.get("/api/search/", {"q": "좀비 영화"}).json()
    assert body["is_fallback"] is True
    assert body["genre_hints"] == ["horror"]
    assert body["results"][0]["id"] == catalog["Train to Busan"].id


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Validation error"),
        ({"q": ""}, "Validation error"),
        ({"q": "가" * 10_000}, "too_long"),  # refused by the bad-input gate (config/bad_input.py)
        ({"q": "가" * 201}, "Validation error"),  # the documented maxLength: 200
        ({"q": "a\x00b"}, "nul_byte"),
        ({"q": "기생충", "limit": "0"}, "Validation error"),
        ({"q": "기생충", "limit": "abc"}, "Validation error"),
    ],
)
def test_search_api_rejects_bad_input_with_a_clear_400(client, catalog, params, message):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    body = response.json()
    assert message in body["message"] or message == body["extra"].get("reason")


@pytest.mark.parametrize("query", ["'; DROP TABLE movies_title; --", "ㅏ", "\x07벨", "%"])
def test_search_api_answers_odd_queries_without_error(client, catalog, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert "message" in response.json() or "results" in response.json()


def test_suggest_api_returns_few_light_results(client, catalog):
    response = client.get("/api/search/suggest/", {"q": "어벤"})
    assert response.status_code == 200
    titles = [result["title"] for result in response.json()["results"]]
    assert titles[:2] == ["어벤져스", "어벤져스: 엔드게임"]


def test_suggest_api_rejects_empty_query(client, catalog):
    response = client.get("/api/search/suggest/", {"q": ""})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/search/", "/api/search/suggest/"])
def test_a_query_with_nothing_to_search_for_finds_nothing(client, catalog, path):
    # Schema-valid text (a space, a symbol) is a query; it simply matches no title.
    for query in ["   ", "!!", "\u0081"]:
        response = client.get(path, {"q": query})
        assert response.status_code == 200, query
        assert response.json()["results"] == []


def test_search_page_lists_results(client, catalog):
    response = client.get("/search/", {"q": "ㄱㅅㅊ"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "기생충" in content
    assert "Parasite" in content
    assert 'data-suggest-url="/api/search/suggest/"' in content


def test_search_page_without_query_shows_the_form(client, catalog):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_page_shows_fallback_notice(client, catalog):
    content = client.get("/search/", {"q": "좀비 영화"}).content.decode()
    assert "부산행" in content
    assert 'class="search-page__empty"' in content


def test_search_page_rejects_overlong_query_with_message(client, catalog):
    response = client.get("/search/", {"q": "가" * 5000})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_search_page_paginates(client, catalog, monkeypatch):
    from apps.movies.search import views as search_views

    monkeypatch.setattr(search_views, "PAGE_SIZE", 1)
    first = client.get("/search/", {"q": "어벤져스"}).content.decode()
    second = client.get("/search/", {"q": "어벤져스", "page": "2"}).content.decode()
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
    assert "엔드게임" in second
    assert "엔드게임" not in first


def test_api_schema_documents_search_parameters(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/search/"]["get"]["parameters"]}
    assert {"q", "limit", "offset"} <= parameters
    assert "/api/search/suggest/" in schema["paths"]


def test_search_page_names_the_hinted_genres(client, catalog):
    content = client.get("/search/", {"q": "좀비 영화"}, headers={"Accept-Language": "en"}).content.decode()
    assert "Popular titles in Horror:" in content


def test_search_page_past_the_last_page_says_so(client, catalog):
    response = client.get("/search/", {"q": "기생충", "page": "7"})
    assert response.status_code == 200
    assert "결과가 더 없습니다." in response.content.decode()  # the Korean default
