"""The recommend dialog lists friends who would like the title first, with a match %;
the inbox shows my hit rate."""

from __future__ import annotations

import pytest

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


def test_title_page_dialog_lists_friends_with_match(alice, bob, horror_world):
    target, _likes, _dave = horror_world

    page = client_for(alice).get(f"/titles/{target.pk}/").content.decode()

    assert 'data-role="recommend-dialog"' in page
    assert page.index(f'data-friend="{bob.pk}"') == page.index('data-friend="')  # Bob is listed first
    assert "100% 일치" in page


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
