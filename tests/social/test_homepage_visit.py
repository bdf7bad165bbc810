"""Counting mini-homepage visits (apps/social/views/homepage.py): an anonymous visit counts when
a browser shows the page and its beacon posts to /@nick/visit/, so the anonymous page itself sets
no cookie and saves no session (the edge may share it); a signed-in visit is counted by the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from apps.social.models import VisitDaily
from apps.social.selectors import visitor_counts
from apps.social.services.common import seoul_today
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def _beacon(client: Client, owner, headers: dict[str, str] | None = None):
    return client.post(f"/@{owner.nickname}/visit/", headers=SAME_ORIGIN if headers is None else headers)


def _shown(html: str) -> dict[str, int]:
    today = re.search(r"<strong data-today>(\d+)</strong>", html)
    total = re.search(r"<strong data-total>(\d+)</strong>", html)
    assert today, "the counters row is missing"
    assert total
    return {"today": int(today.group(1)), "total": int(total.group(1))}


def test_an_anonymous_page_sets_no_cookie_saves_no_session_and_counts_nothing(alice):
    response = Client().get(f"/@{alice.nickname}/")

    assert response.status_code == 200
    assert not response.cookies  # a page that sets a cookie is never kept by the edge
    assert not Session.objects.exists()
    assert visitor_counts(owner=alice) == {"today": 0, "total": 0}


def test_only_the_anonymous_page_carries_the_beacon_script(alice, bob):
    anonymous = Client().get(f"/@{alice.nickname}/").text
    signed_in = client_for(bob).get(f"/@{alice.nickname}/").text

    beacon = re.search(
        r'<script src="[^"]*social/visit\.js" defer data-visit-url="([^"]+)"></script>', anonymous
    )
    assert beacon
    assert beacon.group(1) == "/@%EC%95%A8%EB%A6%AC%EC%8A%A4/visit/"  # /@앨리스/visit/
    assert "visit.js" not in signed_in
    assert "<script>" not in anonymous  # nothing inline: the production CSP forbids it


def test_the_beacon_counts_an_anonymous_browser_once_a_day_and_answers_the_counts(alice):
    # given: a visit persisted earlier today and one from yesterday
    VisitDaily.objects.create(owner=alice, day=seoul_today(), count=3)
    VisitDaily.objects.create(owner=alice, day=seoul_today() - dt.timedelta(days=1), count=10)
    browser = Client()

    # when: the page is shown, then its beacon posts, twice (a reload)
    before = _shown(browser.get(f"/@{alice.nickname}/").text)
    first, again = _beacon(browser, alice), _beacon(browser, alice)

    # then: the page showed the counts before this visit, the beacon those after it, once
    assert before == {"today": 3, "total": 13}
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"today": 4, "total": 14}
    assert "sessionid" in first.cookies  # the session is made by the beacon, not the page
    assert Session.objects.count() == 1
    # and the page drawn next shows the visit; another browser is another visitor
    assert _shown(browser.get(f"/@{alice.nickname}/").text) == {"today": 4, "total": 14}
    assert _beacon(Client(), alice).json() == {"today": 5, "total": 15}


def test_the_beacon_answer_is_never_stored_by_a_cache(alice):
    response = _beacon(Client(), alice)

    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "application/json"


def test_a_get_on_the_beacon_is_refused_and_counts_nothing(alice):
    response = Client().get(f"/@{alice.nickname}/visit/", headers=SAME_ORIGIN)

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert visitor_counts(owner=alice)["today"] == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another subdomain is another origin
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # the fetch metadata wins
        {"Origin": "http://evil.example"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "null"},
        {},  # a browser always sends Origin with a fetch POST
    ],
    ids=[
        "cross-site",
        "same-site",
        "cross-site-with-our-origin",
        "foreign-origin",
        "lookalike",
        "null",
        "none",
    ],
)
def test_a_cross_site_beacon_is_refused_and_counts_nothing(alice, headers):
    response = _beacon(Client(), alice, headers=headers)

    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
    assert visitor_counts(owner=alice)["today"] == 0


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}, {"Origin": "http://testserver"}],
    ids=["same-origin", "none", "our-origin"],
)
def test_a_beacon_from_our_own_pages_counts_without_a_csrf_token(alice, headers):
    response = _beacon(Client(enforce_csrf_checks=True), alice, headers=headers)

    assert response.status_code == 200
    assert response.json() == {"today": 1, "total": 1}


def test_a_beacon_for_an_unknown_page_is_a_json_404(db):
    response = _beacon(Client(), UserFactory.build(nickname="아무도없음"))

    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
    assert not Session.objects.exists()


def test_the_owners_own_beacon_counts_nothing(alice, bob):
    _beacon(client_for(bob), alice)
    mine = client_for(alice)

    assert _beacon(mine, alice).json() == {"today": 1, "total": 1}  # bob's visit, not hers
    assert _shown(mine.get(f"/@{alice.nickname}/").text) == {"today": 1, "total": 1}


def test_a_signed_in_visit_is_counted_by_the_page_and_once_with_a_beacon(alice, bob):
    browser = client_for(bob)

    shown = _shown(browser.get(f"/@{alice.nickname}/").text)
    answer = _beacon(browser, alice)

    assert shown == {"today": 1, "total": 1}  # counted while drawn: no script needed
    assert answer.json() == {"today": 1, "total": 1}  # the same visitor, not twice


def test_a_signed_in_beacon_needs_the_csrf_token(alice, bob):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)

    forged = _beacon(browser, alice)
    browser.get("/me/friends/")  # a signed-in page with a form: it sets the token's cookie
    token = browser.cookies["csrftoken"].value
    sent = _beacon(browser, alice, headers={**SAME_ORIGIN, "X-CSRFToken": token})

    assert forged.status_code == 403
    assert sent.status_code == 200
    assert sent.json() == {"today": 1, "total": 1}
