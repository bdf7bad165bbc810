"""Search-as-you-type in a real browser against a live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.movies.search.conftest import make_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggestions_appear_while_typing_and_keyboard_picks_one(live_server, page):
    make_catalog()
    page.goto(f"{live_server.url}/search/")
    box = page.locator("#search-page-q")
    # Initial consonants alone are enough.
    box.fill("ㄱㅅㅊ")
    first = page.locator(".search-suggest__item").first
    expect(first).to_contain_text("기생충")
    expect(box).to_have_attribute("aria-expanded", "true")
    # A new prefix replaces the list.
    box.fill("부산")
    expect(page.locator(".search-suggest__item").first).to_contain_text("부산행")
    # ↓ then Enter opens the highlighted title's page.
    box.press("ArrowDown")
    expect(page.locator(".search-suggest__item").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url("**/titles/*/")
    expect(page.locator("h1")).to_contain_text("부산행")


def test_escape_closes_suggestions_and_unknown_query_shows_none(live_server, page):
    make_catalog()
    page.goto(f"{live_server.url}/search/")
    box = page.locator("#search-page-q")
    box.fill("어벤")
    expect(page.locator(".search-suggest__item").first).to_be_visible()
    box.press("Escape")
    # The header box has its own (closed) list; the page box's list closes.
    expect(page.locator(".search-suggest:visible")).to_have_count(0)
    box.fill("zzqxv")
    page.wait_for_timeout(400)
    expect(page.locator(".search-suggest__item")).to_have_count(0)
