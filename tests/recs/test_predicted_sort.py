"""예상 별점순: the catalog sorted by a person's predicted stars, on the page and in the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.recs import predictions
from apps.recs.predictions import PREDICTION_MIN_RATINGS
from apps.recs.services.training import recs_model_train
from apps.social.models import Rating
from apps.social.services.ratings import rating_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/titles/"


@pytest.fixture(autouse=True)
def site_language_restored():
    """These tests ask in English; a request leaves its language active in the thread, and
    later modules read the site's default (Korean)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def trained(mixed_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    return mixed_world


@pytest.fixture
def rater(trained, user):
    """Six ratings: one more than predictions need."""
    for title, stars in zip(trained["hollywood"][15:21], [5, 4.5, 4, 5, 3.5, 4.5], strict=True):
        rating_set(user=user, title=title, stars=stars)
    return user


@pytest.fixture
def model_calls(monkeypatch):
    """How many titles each model call predicted (the catalog's predictions go through it)."""
    calls: list[int] = []
    real = predictions._predict_raw

    def counting(rated, title_ids):
        calls.append(len(title_ids))
        return real(rated, title_ids)

    monkeypatch.setattr(predictions, "_predict_raw", counting)
    return calls


def _all_pages(client, params: str = "") -> list[dict]:
    rows, url = [], f"{API}?sort=predicted{params}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_the_api_sorts_the_whole_catalog_by_predicted_stars_over_stable_pages(
    rater, logged_in_client, settings
):
    # given: pages of 10 over 38 titles
    settings.CATALOG_PAGE_SIZE = 10

    # when
    rows = _all_pages(logged_in_client)

    # then: every title once, across pages; the model's raw predictions never go up down the
    # list; the titles the person rated (no prediction) come last, in popularity order
    ids = [row["id"] for row in rows]
    rated = {r.title_id: r.stars for r in Rating.objects.filter(user=rater)}
    assert len(ids) == len(set(ids)) == 38
    unrated = [i for i in ids if i not in rated]
    raw = predictions._predict_raw(rated, unrated)
    values = [raw[i] for i in unrated]
    assert values == sorted(values, reverse=True)
    assert ids[len(unrated) :] == [i for i in ids if i in rated]
    assert set(ids[len(unrated) :]) == set(rated)
    popularity = [row["popularity"] for row in rows[len(unrated) :]]
    assert popularity == sorted(popularity, reverse=True)
    # and the same question asked again pages identically
    assert [row["id"] for row in _all_pages(logged_in_client)] == ids


def test_the_predicted_order_keeps_the_catalog_filters(rater, trained, logged_in_client):
    # given: Korean crime titles nobody else rated; the person loved one of 봉준호's, not 박찬욱's
    crime, korean = trained["genres"][2], trained["korean"]
    rating_set(user=rater, title=korean["살인의 추억"], stars=5)
    rating_set(user=rater, title=korean["올드보이"], stars=1)

    # when
    ids = [row["id"] for row in _all_pages(logged_in_client, f"&genre={crime.slug}")]

    # then: only crime titles; those not rated by their content-corrected predictions (ties:
    # popularity, then id), then the rated ones
    crime_ids = {t.id for t in korean.values() if crime in t.genres.all()}
    assert set(ids) == crime_ids
    rated = {r.title_id: r.stars for r in Rating.objects.filter(user=rater)}
    raw = predictions._predict_raw(rated, sorted(crime_ids - set(rated)))
    assert raw[korean["마더"].id] > raw[korean["박쥐"].id]
    expected = sorted(raw, key=lambda i: (-raw[i], i))
    assert ids == expected + sorted(crime_ids & set(rated))


def test_predictions_for_the_catalog_are_one_model_call_then_cached_until_a_new_rating(
    rater, trained, logged_in_client, model_calls
):
    # when: two pages and the same page again
    logged_in_client.get(f"{API}?sort=predicted")
    logged_in_client.get(f"{API}?sort=predicted&page=2")
    logged_in_client.get(f"{API}?sort=predicted")

    # then: one vectorised call over every candidate the person has not rated
    assert model_calls == [38 - 6]

    # when: a new rating (what fold-in reads) changes the person's predictions
    rating_set(user=rater, title=trained["hollywood"][0], stars=1)
    first = logged_in_client.get(f"{API}?sort=predicted").json()["results"]

    # then: predicted afresh, and the newly rated title has dropped to the end
    assert model_calls == [38 - 6, 38 - 7]
    assert trained["hollywood"][0].id not in [row["id"] for row in first]


def test_an_anonymous_caller_asking_for_the_predicted_order_gets_a_clear_409(client, trained):
    client.cookies["django_language"] = "en"
    response = client.get(f"{API}?sort=predicted")

    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert "Sign in" in body["message"]
    assert str(PREDICTION_MIN_RATINGS) in body["message"]
    assert body["extra"]["fields"]["sort"]["unavailable"] == ["predicted"]
    assert "popularity" in body["extra"]["fields"]["sort"]["valid"]


def test_a_person_with_too_few_ratings_gets_a_409_saying_how_many_they_have(trained, client):
    person = UserFactory()
    for title in trained["hollywood"][:4]:
        rating_set(user=person, title=title, stars=4)
    client.force_login(person)
    client.cookies["django_language"] = "ko"

    response = client.get(f"{API}?sort=predicted")

    assert response.status_code == 409
    body = response.json()
    assert body["message"] == "예상 별점순은 평가가 5개 이상 있어야 볼 수 있어요. 지금 4개 평가했어요."
    assert body["extra"]["fields"]["sort"]["unavailable"] == ["predicted"]


def test_the_openapi_schema_documents_the_predicted_order(client):
    schema = client.get("/api/schema/?format=json").json()

    parameters = schema["paths"]["/api/titles/"]["get"]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    # (an empty value is documented as accepted beside the enum: config/schema.py, hence anyOf)
    assert any("predicted" in option.get("enum", []) for option in sort["schema"]["anyOf"])
    assert "409" in sort["description"]
    assert "409" in schema["paths"]["/api/titles/"]["get"]["responses"]


def _options(page: str) -> dict[str, str]:
    select = re.search(r'<select id="sort-select".*?</select>', page, flags=re.S).group(0)
    return dict(re.findall(r'<option value="(\w+)"([^>]*)>', select))


def test_the_catalog_page_sorts_by_predicted_stars_for_a_person_with_enough_ratings(
    rater, logged_in_client, settings
):
    settings.CATALOG_PAGE_SIZE = 10
    api_ids = [row["id"] for row in logged_in_client.get(f"{API}?sort=predicted").json()["results"]]

    logged_in_client.cookies["django_language"] = "en"
    page = logged_in_client.get(reverse("movies:catalog"), {"sort": "predicted"}).content.decode()

    options = _options(page)
    assert "disabled" not in options["predicted"]
    assert "selected" in options["predicted"]
    grid = page[page.index('<ol class="grid">') :]
    shown = [int(i) for i in re.findall(r'href="/titles/(\d+)/"', grid)]
    assert list(dict.fromkeys(shown))[:10] == api_ids
    assert 'data-testid="predicted-sort-hint"' not in page
    # the person asked for their own order: it leads the page, under its own heading
    assert "By your predicted rating" in page
    assert 'class="home-rows"' not in page


def test_the_catalog_page_disables_the_predicted_order_and_says_why(trained, client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("movies:catalog")).content.decode()

    assert "disabled" in _options(page)["predicted"]
    assert 'data-testid="predicted-sort-hint"' in page
    assert "Sign in and rate at least 5 titles" in page


def test_a_link_to_the_predicted_order_without_enough_ratings_falls_back_to_popularity_and_says_so(
    trained, client
):
    client.cookies["django_language"] = "en"
    popular = client.get(reverse("movies:catalog")).content.decode()

    page = client.get(reverse("movies:catalog"), {"sort": "predicted"}).content.decode()

    assert 'data-testid="predicted-sort-refused"' in page
    assert 'class="home-rows"' not in page  # the reason is the first thing under the heading
    assert "sorted by popularity instead" in page
    assert "selected" in _options(page)["popularity"]
    grid = lambda html: re.findall(r'href="/titles/(\d+)/"', html[html.index('<ol class="grid">') :])  # noqa: E731
    assert grid(page) == grid(popular)
