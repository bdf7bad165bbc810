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


def _box(locator):
    box = locator.bounding_box()
    assert box is not None, "not on screen"
    return box


def _overlaps(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_page_suggestions_hang_below_the_box_without_covering_label_or_input(
    live_server, page, width
):
    # given: the search page at a phone's and a desktop's width
    make_catalog()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/search/")
    box = page.locator("#search-page-q")

    # when: suggestions open
    box.fill("ㄱㅅㅊ")
    suggestions = page.locator("#search-page-q + .search-suggest")
    expect(suggestions.locator(".search-suggest__item").first).to_be_visible()

    # then: the list starts under the input, covers neither it nor its label, and fits the screen
    listed, field = _box(suggestions), _box(box)
    label = _box(page.locator("label[for='search-page-q']"))
    assert listed["y"] >= field["y"] + field["height"]
    assert not _overlaps(listed, field)
    assert not _overlaps(listed, label)
    assert listed["x"] >= 0
    assert listed["x"] + listed["width"] <= width
    # the input stays the topmost thing where a person taps it
    centre = (field["x"] + field["width"] / 2, field["y"] + field["height"] / 2)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", list(centre)) == "search-page-q"


def test_the_header_suggestions_on_a_phone_span_the_header_below_it(live_server, page):
    # given: any page on a phone, where the header's search box is narrow
    make_catalog()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/coming-soon/")

    # when
    page.locator("#site-search-q").fill("부산")
    suggestions = page.locator("#site-search-q + .search-suggest")
    expect(suggestions.locator(".search-suggest__item").first).to_contain_text("부산행")

    # then: under the header, nearly its whole width, inside the screen
    listed = _box(suggestions)
    header = _box(page.locator(".site-header"))
    assert listed["y"] >= header["y"] + header["height"] - 1
    assert listed["width"] >= 390 - 40
    assert listed["x"] >= 0
    assert listed["x"] + listed["width"] <= 390
