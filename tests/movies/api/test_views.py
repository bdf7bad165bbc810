from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.movies.catalog_data import SmallCatalog
from tests.movies.catalog_data import small_catalog_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> SmallCatalog:
    return small_catalog_create()


def _get(client: Client, url: str, **params):
    return client.get(url, params)


def test_title_list_api_filters_and_serializes_rows(client, catalog):
    response = client.get("/api/titles/?genre=drama,horror&provider=netflix&sort=popularity&type=tv")

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [catalog.kingdom.id]
    row = body["results"][0]
    assert row["title"] == "킹덤"
    assert row["media_type"] == "tv"
    assert row["genres"] == ["horror"]
    assert row["providers"] == ["netflix"]
    assert row["poster_url"] == f"/posters/{catalog.kingdom.id}.svg"
    assert row["url"] == f"/api/titles/{catalog.kingdom.id}/"
    assert (body["page"], body["next"], body["previous"]) == (1, None, None)


def test_list_and_detail_api_show_a_stored_poster_where_there_is_one(client, catalog, settings):
    from apps.movies.models import Title

    Title.objects.filter(pk=catalog.kingdom.pk).update(poster="posters/kingdom.jpg")

    row = client.get("/api/titles/?type=tv&provider=netflix").json()["results"][0]
    detail = client.get(f"/api/titles/{catalog.kingdom.id}/").json()

    assert row["id"] == catalog.kingdom.id
    assert row["poster_url"] == detail["poster_url"] == f"{settings.MEDIA_URL}posters/kingdom.jpg"


def test_title_list_api_repeated_params_equal_comma_separated(client, catalog):
    repeated = client.get("/api/titles/?genre=drama&genre=comedy&match=all").json()
    commas = client.get("/api/titles/?genre=drama,comedy&match=all").json()
    assert (
        [r["id"] for r in repeated["results"]]
        == [r["id"] for r in commas["results"]]
        == [catalog.parasite.id]
    )


def test_title_list_api_next_and_previous_links(client, catalog, settings):
    settings.CATALOG_PAGE_SIZE = 2
    first = client.get("/api/titles/?age=15&age=18").json()
    assert first["next"] == "/api/titles/?age=15&age=18&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == "/api/titles/?age=15&age=18&page=1"
    assert second["next"] is None
    assert len(first["results"]) + len(second["results"]) == 4


@pytest.mark.parametrize(
    ("query", "field", "valid"),
    [
        ("genre=drama,noir", "genre", ["comedy", "drama", "horror"]),
        ("provider=hulu", "provider", ["netflix", "watcha", "cgv"]),
        ("type=anime", "type", ["movie", "tv"]),
        ("sort=random", "sort", ["popularity", "newest", "rating", "title", "predicted"]),
        ("offer=gift", "offer", ["stream", "rent", "buy", "now_showing", "coming_soon", "free", "ads"]),
        ("age=21", "age", ["ALL", "12", "15", "18", "UNKNOWN"]),
        ("match=some", "match", ["any", "all"]),
        ("year_min=1066", "year_min", ["1870–2100"]),
        ("page=abc", "page", ["1, 2, 3, …"]),
    ],
)
def test_title_list_api_unknown_values_answer_400_naming_valid_values(client, catalog, query, field, valid):
    response = client.get(f"/api/titles/?{query}")

    # A slug naming no genre or provider is "not found"; a value outside a fixed set is bad input.
    assert response.status_code == (404 if field in {"genre", "provider"} else 400)
    body = response.json()
    assert body["message"] == "Unknown filter values."
    problem = body["extra"]["fields"][field]
    assert sorted(problem["valid"]) == sorted(valid)
    assert problem["unknown"]


def test_title_list_api_page_past_the_end_is_an_empty_page(client, catalog):
    for page in ("2", "999", "9" * 50):
        response = client.get(f"/api/titles/?page={page}")
        assert response.status_code == 200
        assert response.json()["results"] == []
        assert response.json()["next"] is None


def test_title_list_api_mine_uses_the_users_services(client, catalog):
    user = UserFactory()
    user.my_services.set([catalog.watcha])
    client.force_login(user)

    response = client.get("/api/titles/?mine=1")

    assert [row["id"] for row in response.json()["results"]] == [catalog.parasite.id, catalog.oldboy.id]


def test_title_list_api_mine_for_anonymous_without_services_filters_nothing(client, catalog):
    response = client.get("/api/titles/?mine=1")
    assert len(response.json()["results"]) == 5


def test_title_detail_api(client, catalog):
    response = client.get(f"/api/titles/{catalog.parasite.id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "기생충"
    assert sorted(body["genres"]) == ["comedy", "drama"]
    assert [(o["provider"], o["offer_type"], o["observed_on"]) for o in body["where_to_watch"]] == [
        ("netflix", "stream", "2026-11-01"),
        ("watcha", "rent", "2026-11-01"),
    ]
    assert body["similar"] == [catalog.extreme_job.id, catalog.oldboy.id]


def test_title_detail_api_unknown_id_is_404(client, catalog):
    response = client.get("/api/titles/999999/")
    assert response.status_code == 404
    assert response.json()["extra"] == {}
    assert response.json()["message"]


def test_genre_and_provider_lists(client, catalog):
    genres = client.get("/api/genres/").json()
    assert [g["slug"] for g in genres] == ["comedy", "drama", "horror"]
    assert genres[0] == {"slug": "comedy", "name_ko": "코미디", "name_en": "Comedy"}
    providers = client.get("/api/providers/").json()
    assert {p["slug"] for p in providers} == {"netflix", "watcha", "cgv"}
    cinemas = client.get("/api/providers/?kind=cinema").json()
    assert [p["slug"] for p in cinemas] == ["cgv"]
    assert cinemas[0]["color"] == "#E71A0F"
    assert cinemas[0]["logo_url"] is None
    bad = client.get("/api/providers/?kind=drive-in")
    assert bad.status_code == 400
    assert bad.json()["extra"]["fields"]["kind"]["valid"] == ["cinema", "ott"]


def test_catalog_endpoints_appear_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in ("/api/titles/", "/api/titles/{title_id}/", "/api/genres/", "/api/providers/"):
        assert path in (schema["paths"] if schema else text)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
