"""예상 별점순 in a real browser: choosing it from the catalog's sort control."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from playwright.sync_api import Page
from playwright.sync_api import expect

from apps.recs.services.training import recs_model_train
from apps.social.services.ratings import rating_set
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str, user=None) -> None:
    cookies = [{"name": "django_language", "value": "en", "url": base}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base})
    page.context.add_cookies(cookies)


def test_a_person_with_enough_ratings_sorts_the_catalog_by_predicted_rating(
    live_server, page: Page, mixed_world, settings
):
    # given: a trained model and a person with six ratings
    settings.CATALOG_PAGE_SIZE = 8
    recs_model_train(as_of=dt.date(2026, 11, 24))
    person = UserFactory()
    for title, stars in zip(mixed_world["hollywood"][15:21], [5, 4.5, 4, 5, 3.5, 4.5], strict=True):
        rating_set(user=person, title=title, stars=stars)
    api = Client()
    api.force_login(person)
    expected = [row["title"] for row in api.get("/api/titles/?sort=predicted").json()["results"]]
    _sign_in(page, live_server.url, person)

    # when: they choose 예상 별점순 in the sort control (it submits by itself)
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_label("Sort").select_option("predicted")

    # then: the shareable URL says so and the cards come in the API's predicted order
    expect(page).to_have_url(re.compile(r"/\?sort=predicted$"))
    expect(page.locator(".results > ol.grid .card__title")).to_have_text(expected)
    expect(page.get_by_test_id("predicted-sort-hint")).to_have_count(0)


def test_a_visitor_sees_the_predicted_order_disabled_with_the_reason(live_server, page: Page, mixed_world):
    _sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/")

    expect(page.locator("#sort-select option[value=predicted]")).to_be_disabled()
    expect(page.get_by_test_id("predicted-sort-hint")).to_have_text(
        "Sign in and rate at least 5 titles to sort by predicted rating."
    )
