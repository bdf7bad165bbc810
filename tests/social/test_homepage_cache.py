"""The mini-homepage's cached sections (apps/social/homepage_cache.py): drawn once per change of
what they show, never another variant's or another viewer's, and the page's queries pinned."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.social.models import Rating
from apps.social.services import diary_entry_create
from apps.social.services import friend_request_accept
from apps.social.services import friend_request_send
from apps.social.services import guestbook_entry_create
from apps.social.services import profile_update
from apps.social.services import rating_delete
from apps.social.services import rating_set
from apps.social.services import review_delete
from apps.social.services import review_upsert
from apps.social.services import shelf_set
from apps.social.services import user_nickname_set
from apps.social.services import watchlist_add
from apps.social.services import watchlist_remove
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db

SECTION_TABLES = (
    "social_shelfitem",
    "social_rating",
    "social_review",
    "social_watchlistitem",
    "social_diaryentry",
)


@pytest.fixture
def fragment_cache(settings):
    """Fragment caching on (the test settings turn it off), in this process's memory."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hompy"},
    }
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["fragments"].clear()


def _page(client: Client, user) -> str:
    response = client.get(f"/@{user.nickname}/")
    assert response.status_code == 200
    return response.text


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def _queries(client: Client, user) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _page(client, user)
    return [q["sql"] for q in captured.captured_queries]


def _section_queries(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if any(f'FROM "{table}"' in sql for table in SECTION_TABLES)]


def test_a_second_view_draws_no_section_from_the_database(alice, fragment_cache):
    # given: a page with something in every cached section, drawn once
    title = TitleFactory(title_ko="괴물")
    rating_set(user=alice, title=title, stars=4)
    review_upsert(user=alice, title=title, body="한강의 괴물")
    shelf_set(user=alice, title_ids=[title.pk])
    watchlist_add(user=alice, title=TitleFactory())
    diary_entry_create(user=alice, title=title, watched_on=dt.date(2024, 1, 2))
    client = Client()
    first = _page(client, alice)

    # when
    sqls = _queries(client, alice)

    # then: the same page, with none of the sections' rows read again
    assert _without_csrf(_page(client, alice)) == _without_csrf(first)
    assert _section_queries(sqls) == []
    assert "한강의 괴물" in first


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        (lambda owner, t: rating_set(user=owner, title=t, stars=2.5), "The Host</span>"),
        (lambda owner, t: review_upsert(user=owner, title=t, body="다시 보니 별로"), "다시 보니 별로"),
        (lambda owner, t: shelf_set(user=owner, title_ids=[t.pk]), "The Host"),
        (lambda owner, t: watchlist_add(user=owner, title=t), "The Host"),
        (
            lambda owner, t: diary_entry_create(user=owner, title=t, watched_on=dt.date(2023, 5, 6)),
            "2023-05-06",
        ),
    ],
    ids=["rating", "review", "shelf", "watchlist", "diary"],
)
def test_what_the_owner_saves_shows_on_the_next_view(
    alice, change, shows, fragment_cache, django_capture_on_commit_callbacks
):
    # given: the page drawn and cached
    title = TitleFactory(title_en="The Host", title_ko="")
    client = Client(headers={"cookie": "django_language=en"})
    assert shows not in _page(client, alice)

    # when: the owner saves something (the services renew the page after commit)
    with django_capture_on_commit_callbacks(execute=True):
        change(alice, title)

    # then: a visitor and the owner both see it at once
    assert shows in _page(client, alice)
    owner = client_for(alice)
    owner.cookies.load({"django_language": "en"})
    assert shows in _page(owner, alice)


def test_what_the_owner_removes_goes_from_the_next_view(
    alice, fragment_cache, django_capture_on_commit_callbacks
):
    # given: a rating, a review and a watchlist title on the cached page
    rated = TitleFactory(title_ko="살인의 추억")
    wanted = TitleFactory(title_ko="마더")
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(user=alice, title=rated, stars=5)
        review = review_upsert(user=alice, title=rated, body="형사들의 얼굴")
        watchlist_add(user=alice, title=wanted)
    client = Client()
    page = _page(client, alice)
    assert "살인의 추억" in page
    assert "형사들의 얼굴" in page
    assert "마더" in page

    # when
    with django_capture_on_commit_callbacks(execute=True):
        rating_delete(user=alice, title=rated)
        review_delete(user=alice, review_id=review.pk)
        watchlist_remove(user=alice, title=wanted)

    # then
    page = _page(client, alice)
    assert "살인의 추억" not in page
    assert "형사들의 얼굴" not in page
    assert "마더" not in page


def test_a_renamed_owner_gets_taste_links_under_the_new_name(
    fragment_cache, django_capture_on_commit_callbacks
):
    # given: the taste section (linking to /@nickname/taste/) cached under the old name
    owner = UserFactory(nickname="old_name")
    client = Client()
    assert 'href="/@old_name/taste/"' in _page(client, owner)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        user_nickname_set(user=owner, nickname="new_name")

    # then
    page = _page(client, owner)
    assert 'href="/@new_name/taste/"' in page
    assert "old_name" not in page


def test_the_owners_edit_links_never_reach_a_visitor_and_back(alice, bob, fragment_cache):
    # given: an empty shelf, drawn first for the owner (with "Pick your top 5") and cached
    assert 'href="/me/shelf/"' in _page(client_for(alice), alice)

    # when: a visitor and an anonymous reader open the page next
    visitor_page = _page(client_for(bob), alice)
    anon_page = _page(Client(), alice)

    # then: neither gets the owner's variant; the owner still gets theirs after them
    for page in (visitor_page, anon_page):
        assert 'href="/me/shelf/"' not in page
        assert 'href="/me/watchlist/"' not in page
    assert 'href="/me/shelf/"' in _page(client_for(alice), alice)


def test_the_visitor_counters_are_drawn_live_before_and_after_a_counted_visit(alice, fragment_cache):
    # given: a page whose sections are cached, with one visit already counted today
    shelf_set(user=alice, title_ids=[TitleFactory().pk])
    client_for(UserFactory()).get(f"/@{alice.nickname}/")
    browser = Client()

    # when: an anonymous browser shows the page (cached sections), then its beacon counts it
    before = _page(browser, alice)
    counted = browser.post(f"/@{alice.nickname}/visit/", headers={"Sec-Fetch-Site": "same-origin"})
    after = _page(browser, alice)

    # then: the page showed the count before this visit, the beacon and the next page after it
    assert "TODAY <strong data-today>1</strong>" in before
    assert counted.json() == {"today": 2, "total": 2}
    assert "TODAY <strong data-today>2</strong>" in after
    assert "TOTAL <strong data-total>2</strong>" in after


def test_a_section_the_owner_hides_is_not_served_from_the_cache(
    alice, bob, fragment_cache, django_capture_on_commit_callbacks
):
    # given: the owner's ratings cached while public
    title = TitleFactory(title_ko="비밀의 영화")
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(user=alice, title=title, stars=3)
    assert "비밀의 영화" in _page(client_for(bob), alice)

    # when: the owner makes their ratings private
    profile_update(user=alice, data={"visibility_ratings": "private"})

    # then: visitors no longer see them; the owner does
    assert "비밀의 영화" not in _page(client_for(bob), alice)
    assert "비밀의 영화" not in _page(Client(), alice)
    assert "비밀의 영화" in _page(client_for(alice), alice)


def test_each_language_gets_its_own_sections(alice, fragment_cache, django_capture_on_commit_callbacks):
    # given: a life movie whose card is named in the page's language
    title = TitleFactory(title_ko="괴물", title_en="The Host")
    with django_capture_on_commit_callbacks(execute=True):
        shelf_set(user=alice, title_ids=[title.pk])
    english = _page(Client(headers={"cookie": "django_language=en"}), alice)
    korean = _page(Client(headers={"cookie": "django_language=ko"}), alice)

    assert "The Host" in english
    assert "Life movies" in english
    assert "괴물" in korean
    assert "The Host" not in korean


def test_a_lost_generation_never_serves_what_was_cached_under_it(alice, fragment_cache):
    # given: the ratings section cached, then the rating changed behind the services' back
    # (no renewal) and the owner's generation evicted from the cache
    title = TitleFactory(title_ko="괴물")
    rating_set(user=alice, title=title, stars=1)
    client = Client()
    assert "0.5" not in _page(client, alice)
    Rating.objects.filter(user=alice).update(half_stars=1)
    fragment_cache.delete(f"social:hompy:{alice.pk}:gen")

    # then: the page is drawn anew from the database
    assert '<span class="rating"><span class="stars" aria-hidden="true">' in _page(client, alice)
    assert " 0.5</span>" in _page(client, alice)


def _world(owner, *, entries: int, friends: int, ratings: int) -> None:
    for _ in range(friends):
        friend = UserFactory()
        request = friend_request_send(from_user=friend, to_user=owner, message="")
        friend_request_accept(user=owner, request_id=request.pk)
        if entries:
            guestbook_entry_create(owner=owner, author=friend, body="놀러 왔어요")
            entries -= 1
    for _ in range(ratings):
        rating_set(user=owner, title=TitleFactory(), stars=4)


@pytest.mark.parametrize("cached", [True, False], ids=["sections-cached", "no-fragment-cache"])
def test_homepage_queries_are_pinned_for_a_visitor_and_the_owner(
    cached, request, django_capture_on_commit_callbacks
):
    # given: a small page (its owner named through the nickname service, so the page's owner
    # lookup takes its one query), each persona's count taken warm
    if cached:
        request.getfixturevalue("fragment_cache")
    alice = UserFactory()
    user_nickname_set(user=alice, nickname="hompy_owner")
    _world(alice, entries=1, friends=1, ratings=1)
    anon, owner = Client(), client_for(alice)
    _page(anon, alice)
    _page(owner, alice)
    few_anon, few_owner = len(_queries(anon, alice)), len(_queries(owner, alice))

    # when: the page grows (guestbook, friends, ratings), renewing the cached sections
    with django_capture_on_commit_callbacks(execute=True):
        _world(alice, entries=12, friends=12, ratings=12)
    _page(anon, alice)
    _page(owner, alice)

    # then: the counts do not move, and stay pinned: the owner lookup, the guestbook page,
    # the counters' row and the lists; the owner adds their session's user and their parties.
    # Without the fragment cache each visible section adds its rows (shelf, ratings + reviews,
    # watchlist, diary; the taste chart reads the cache).
    assert len(_queries(anon, alice)) == few_anon
    assert len(_queries(owner, alice)) == few_owner
    sections = 0 if cached else 5
    assert few_anon <= 4 + sections
    assert few_owner <= 6 + sections
