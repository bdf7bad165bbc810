"""The recommend dialog lists friends who would like the title first, with a match %;
the inbox shows my hit rate."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.movies.services.catalog import title_masks_refresh
from apps.social.selectors_recommend import recommend_candidates
from apps.social.selectors_recommend import recommendation_hit_rate
from apps.social.services.friends import _friendship_make
from apps.social.services.ratings import rating_set
from apps.social.services.recommendations import recommendation_accept
from apps.social.services.recommendations import recommendation_dismiss
from apps.social.services.recommendations import recommendation_send
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def horror_world(alice, bob, carol):
    """Bob loves Korean horror, Carol hates it, Dave has rated nothing; all are Alice's friends."""
    horror = GenreFactory(slug="horror", name_ko="공포", name_en="Horror", bit=1)
    target = TitleFactory(title_ko="곡성", title_en="The Wailing", year=2016, popularity=500)
    likes = [
        TitleFactory(title_ko=name, year=year, popularity=300)
        for name, year in (("부산행", 2016), ("장화, 홍련", 2003), ("기담", 2007))
    ]
    for t in [target, *likes]:
        t.genres.set([horror])
    title_masks_refresh(title_ids=[t.id for t in [target, *likes]])
    dave = UserFactory(nickname="데이브")
    for friend in (bob, carol, dave):
        _friendship_make(alice, friend)
    for t in likes:
        rating_set(user=bob, title=t, stars="5")
        rating_set(user=carol, title=t, stars="1")
    return target, likes, dave


def test_friends_who_would_like_it_come_first_with_match_percent(alice, bob, carol, horror_world):
    target, _likes, dave = horror_world

    candidates = recommend_candidates(user=alice, title=target)

    assert [c.friend for c in candidates] == [bob, carol, dave]
    assert [c.match for c in candidates] == [100, 20, None]
    assert all(c.seen_half_stars is None for c in candidates)


def test_friends_who_already_rated_it_come_last_and_say_so(alice, bob, carol, horror_world):
    target, _likes, _dave = horror_world
    rating_set(user=bob, title=target, stars="4.5")

    candidates = recommend_candidates(user=alice, title=target)

    assert candidates[-1].friend == bob
    assert candidates[-1].seen_half_stars == 9


def test_a_user_without_friends_gets_no_dialog(db):
    loner = UserFactory()

    assert recommend_candidates(user=loner, title=TitleFactory()) == []


def _friends_url(page: str) -> str:
    """The dialog's fragment address, as static/social/recommend.js reads it."""
    match = re.search(r'data-recommend-src="([^"]+)"', page)
    assert match, "the title page has no recommend dialog"
    return html.unescape(match.group(1))


def test_title_page_dialog_loads_friends_with_match_when_opened(alice, bob, horror_world):
    target, _likes, _dave = horror_world
    client = client_for(alice)

    page = client.get(f"/titles/{target.pk}/").content.decode()
    # the page itself lists no friend: they come when the dialog opens
    assert 'data-role="recommend-dialog"' in page
    assert 'data-friend="' not in page
    fragment = client.get(_friends_url(page)).content.decode()

    assert fragment.index(f'data-friend="{bob.pk}"') == fragment.index('data-friend="')  # Bob first
    assert "100% 일치" in fragment
    assert "<html" not in fragment  # a fragment to put in the dialog, not a page
    # the form sends people back to the title page the dialog was opened on
    assert f'name="next" value="/titles/{target.pk}/"' in fragment


def test_title_page_ranks_no_friends_until_the_dialog_opens(alice, horror_world):
    target, _likes, _dave = horror_world
    client = client_for(alice)
    client.get(f"/titles/{target.pk}/")

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/titles/{target.pk}/")

    assert not [q for q in captured.captured_queries if "AVG(" in q["sql"] or "social_friendship" in q["sql"]]


def test_without_javascript_the_dialog_opens_a_page_that_recommends(alice, bob, horror_world):
    # given: the link inside the closed dialog, followed without JavaScript
    target, _likes, _dave = horror_world
    client = client_for(alice)
    page = client.get(f"/titles/{target.pk}/social/").content.decode()
    dialog = page.split('data-role="recommend-dialog"')[1]
    link = re.search(r'<a class="btn btn--ghost btn--small" href="([^"]+)">', dialog)
    friends_page = client.get(html.unescape(link.group(1))).content.decode()
    assert "<html" in friends_page
    assert f'data-friend="{bob.pk}"' in friends_page

    # when: the page's form is sent
    response = client.post(
        f"/me/titles/{target.pk}/recommend/",
        {"friends": [bob.pk], "note": "무서워", "next": f"/titles/{target.pk}/social/"},
    )

    # then: Bob has it, and Alice is back where she opened the dialog
    assert bob.recommendations_received.get().title == target
    assert response.status_code == 302
    assert response.url == f"/titles/{target.pk}/social/"


def test_the_friends_page_never_sends_people_off_site(alice, horror_world):
    target, _likes, _dave = horror_world

    page = client_for(alice).get(
        f"/me/titles/{target.pk}/recommend/friends/", {"next": "https://evil.example/", "fragment": "1"}
    )

    assert f'name="next" value="/titles/{target.pk}/"' in page.content.decode()


def test_a_user_without_friends_is_told_how_to_find_some(db):
    loner = UserFactory()
    title = TitleFactory()

    fragment = client_for(loner).get(f"/me/titles/{title.pk}/recommend/friends/?fragment=1").content.decode()

    assert 'data-role="recommend-empty"' in fragment
    assert 'href="/me/friends/"' in fragment
    assert "<form" not in fragment


def test_the_friends_page_needs_a_sign_in(client, horror_world):
    target, _likes, _dave = horror_world

    response = client.get(f"/me/titles/{target.pk}/recommend/friends/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_hit_rate_counts_high_ratings_as_hits_and_low_or_dismissed_as_misses(alice, bob, carol, horror_world):
    target, _likes, dave = horror_world
    other = TitleFactory(title_ko="곤지암")
    recommendation_send(sender=alice, receiver_ids=[bob.pk, carol.pk, dave.pk], title=target, note="무서워")
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=other, note="이것도")
    rating_set(user=bob, title=target, stars="4")  # hit
    rating_set(user=carol, title=target, stars="2")  # miss
    rec = dave.recommendations_received.get()
    recommendation_dismiss(user=dave, recommendation_id=rec.pk)  # miss
    recommendation_accept(
        user=bob, recommendation_id=bob.recommendations_received.get(title=other).pk
    )  # pending

    rate = recommendation_hit_rate(user=alice)

    assert (rate.hits, rate.misses, rate.pending, rate.percent) == (1, 2, 1, 33)
    page = client_for(alice).get("/inbox/").content.decode()
    assert 'data-role="hit-percent">33%<' in page


def test_hit_rate_is_blank_before_anything_is_decided(alice):
    rate = recommendation_hit_rate(user=alice)

    assert rate.percent is None
    assert 'data-role="hit-percent">—<' in client_for(alice).get("/inbox/").content.decode()
