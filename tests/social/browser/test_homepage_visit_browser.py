"""The mini-homepage's visit beacon in Chromium: an anonymous visit counts when the browser shows
the page (static/social/visit.js), TODAY/TOTAL change in place, and a reload counts nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.social.services import visit_record
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEACON = re.compile(r"/visit/$")


def test_an_anonymous_visit_counts_once_when_the_browser_shows_the_page(asgi_server, chromium):
    # given: a page with one visit counted today (a signed-in friend)
    owner = UserFactory(nickname="방문자수")
    visit_record(owner=owner, viewer=UserFactory(), session_key=None)
    url = f"{asgi_server}/@{owner.nickname}/"
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    # when: an anonymous browser shows the page
    with page.expect_response(BEACON) as beacon:
        drawn = page.goto(url)

    # then: the page was drawn with the count before this visit; the beacon's answer shows it
    assert drawn is not None
    assert "TODAY <strong data-today>1</strong>" in drawn.text()
    assert beacon.value.request.method == "POST"
    assert beacon.value.json() == {"today": 2, "total": 2}
    expect(page.locator("[data-today]")).to_have_text("2")
    expect(page.locator("[data-total]")).to_have_text("2")

    # when: the same browser reloads the page the same day
    with page.expect_response(BEACON) as again:
        reloaded = page.reload()

    # then: it is drawn with its own visit already in, and is not counted twice
    assert reloaded is not None
    assert "TODAY <strong data-today>2</strong>" in reloaded.text()
    assert again.value.json() == {"today": 2, "total": 2}
    expect(page.locator("[data-today]")).to_have_text("2")
    # and another browser is another visitor
    other = chromium.new_context()
    with other.new_page().expect_response(BEACON) as third:
        other.pages[0].goto(url)
    assert third.value.json()["today"] == 3
    assert errors == []
    other.close()
    context.close()


def test_the_beacon_counts_even_where_the_page_has_no_counters(asgi_server, chromium):
    # given: a page whose counters row is missing (a future layout, or a stripped copy)
    owner = UserFactory(nickname="카운터없음")
    url = f"{asgi_server}/@{owner.nickname}/"
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def strip_counters(route):
        response = route.fetch()
        html = re.sub(r'<p class="hompy-counter".*?</p>', "", response.text(), flags=re.DOTALL)
        route.fulfill(response=response, body=html)

    page.route(url, strip_counters)

    # when: the page is shown
    with page.expect_response(BEACON) as beacon:
        page.goto(url)

    # then: the visit counts, and the script neither fails nor draws figures anywhere
    assert beacon.value.json() == {"today": 1, "total": 1}
    assert page.locator("[data-today]").count() == 0
    assert errors == []
    context.close()
