"""연말결산 in Chromium: a person with a year of diary entries opens their year from the diary,
reads it in Korean, and the share card under it loads as a real 1200×630 image."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.movies.services.catalog import title_masks_refresh
from apps.social.services.ratings import diary_entry_create
from tests.browser.contexts import browser_context
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_year_of_diary_entries_becomes_a_year_page_with_its_share_card(asgi_server, chromium):
    base = asgi_server
    year = timezone.localdate().year - 1
    person = UserFactory(username="diarist", nickname="일기쓰는사람")
    drama = GenreFactory(slug="drama", name_en="Drama", name_ko="드라마")
    titles = {}
    for month in range(1, 13):
        titles[month] = TitleFactory(title_ko=f"영화 {month}월", runtime_minutes=100 + month)
        titles[month].genres.add(drama)
        day = dt.date(year, month, 10)
        diary_entry_create(user=person, title=titles[month], watched_on=day, stars=3 + month % 5 / 2)
    title_masks_refresh(title_ids=[t.pk for t in titles.values()])
    # June stands out: a second viewing.
    diary_entry_create(user=person, title=titles[6], watched_on=dt.date(year, 6, 20), stars=5)
    context = browser_context(chromium, base, user=person, lang="ko", width=390)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{base}/me/diary/")
    page.get_by_role("link", name="연말결산").click()
    # The newest year is this one (the ratings were given today); last year is one tap away.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year + 1} 연말결산")
    page.get_by_role("navigation", name="연도").get_by_role("link", name=str(year)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year} 연말결산")
    numbers = page.locator(".year__stats")
    expect(numbers).to_contain_text("본 작품12")
    expect(numbers).to_contain_text("감상 횟수13")
    expect(page.locator(".year__months figcaption")).to_contain_text("가장 많이 본 달: 6월 (2번)")
    expect(page.locator("#year-genres ~ .taste__list")).to_contain_text("드라마: 12편")
    card = page.locator("img.year__card")
    card.scroll_into_view_if_needed()
    expect(card).to_have_js_property("complete", True)
    assert card.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1200, 630]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
