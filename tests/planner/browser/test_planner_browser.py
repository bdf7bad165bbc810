"""구독 돌려보기 in Chromium: a person opens the planner from their watchlist; when a title's offer
moves to another service, the plan they see changes with it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.planner.models import PlanPrice
from apps.social.services.ratings import watchlist_add
from tests.browser.contexts import browser_context
from tests.factories import AvailabilityFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_follows_a_title_whose_offer_moves_to_another_service(asgi_server, chromium):
    base = asgi_server
    person = UserFactory(username="planner", nickname="계획러")
    tving = ProviderFactory(slug="tving", name="TVING", name_ko="티빙", display_priority=2)
    watcha = ProviderFactory(slug="watcha", name="Watcha", name_ko="왓챠", display_priority=3)
    for provider, krw in ((tving, 9500), (watcha, 7900)):
        PlanPrice.objects.create(
            provider=provider, name="베이직", name_en="Basic", monthly_price_krw=krw,
            source_url="https://example.com/plans", as_of=dt.date(2025, 1, 1),
        )  # fmt: skip
    offers = {}
    for name, provider in (("이동하는 영화", tving), ("티빙 영화", tving), ("왓챠 영화", watcha)):
        title = TitleFactory(title_ko=name, title_en="")
        offers[name] = AvailabilityFactory(title=title, provider=provider)
        watchlist_add(user=person, title=title)
    context = browser_context(chromium, base, user=person, lang="en", width=390)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{base}/me/watchlist/")
    page.get_by_role("link", name="Subscription planner").click()
    months = page.locator(".planner-month")
    expect(months.locator(".planner-month__service")).to_have_text(["Subscribe to TVING", "Switch to Watcha"])
    expect(months.first.locator(".card__title")).to_have_text(["이동하는 영화", "티빙 영화"])

    offers["이동하는 영화"].provider = watcha
    offers["이동하는 영화"].save()
    page.reload()

    expect(months.locator(".planner-month__service")).to_have_text(["Subscribe to Watcha", "Switch to TVING"])
    expect(months.first.locator(".card__title")).to_have_text(["이동하는 영화", "왓챠 영화"])
    expect(page.locator(".planner-summary")).to_contain_text("₩17,400")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
