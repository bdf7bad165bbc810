"""The ratings-and-reviews block of a title page: each person sees their own stars, review,
likes, diary and watchlist, never another person's or another title's (its queries are
compiled once per process and run with each request's ids)."""

from __future__ import annotations

import datetime

import pytest

from apps.social.models import Review
from apps.social.selectors import TITLE_REVIEWS_SHOWN
from apps.social.selectors import title_social_get
from apps.social.services import block_set
from apps.social.services import board_post_create
from apps.social.services import diary_entry_create
from apps.social.services import rating_set
from apps.social.services import review_like_set
from apps.social.services import review_upsert
from apps.social.services import watchlist_add
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


def test_each_person_sees_their_own_likes_stars_diary_and_watchlist(alice, bob, title):
    # given: Bob's review, liked by Alice; Alice rated, logged and listed the title
    review = review_upsert(user=bob, title=title, body="최고")
    review_like_set(user=alice, review=review, liked=True)
    rating_set(user=alice, title=title, stars="4.5")
    diary_entry_create(user=alice, title=title, watched_on=datetime.date(2026, 1, 2), note="극장에서")
    watchlist_add(user=alice, title=title)
    other = TitleFactory()
    diary_entry_create(user=bob, title=other, watched_on=datetime.date(2026, 1, 3))

    # when
    hers = title_social_get(title=title, viewer=alice)
    his = title_social_get(title=title, viewer=bob)
    elsewhere = title_social_get(title=other, viewer=alice)

    # then
    assert [(r.pk, r.liked, r.user.display_name) for r in hers.reviews] == [(review.pk, True, "bob")]
    assert (hers.my_stars, hers.in_watchlist, [d.note for d in hers.diary]) == (4.5, True, ["극장에서"])
    assert his.reviews[0].liked is False
    assert (his.my_stars, his.in_watchlist, his.diary) == (None, False, [])
    assert his.my_review == review
    assert hers.my_review is None
    assert (elsewhere.reviews, elsewhere.diary, elsewhere.in_watchlist) == ([], [], False)


def test_my_review_fills_the_form_even_when_it_ranks_below_the_list(alice, title):
    # given: more liked reviews than the list shows, and mine with no likes
    for _ in range(TITLE_REVIEWS_SHOWN):
        Review.objects.create(user=UserFactory(), title=title, body="좋아요", like_count=3)
    mine = review_upsert(user=alice, title=title, body="내 리뷰")

    # when
    social = title_social_get(title=title, viewer=alice)

    # then: the form has it, and the list is the 20 most liked
    assert social.my_review == mine
    assert len(social.reviews) == TITLE_REVIEWS_SHOWN
    assert mine not in social.reviews
    assert mine.body in client_for(alice).get(f"/titles/{title.pk}/").content.decode()


def test_my_review_keeps_its_place_in_the_list_when_it_ranks(alice, bob, carol, title):
    low = review_upsert(user=bob, title=title, body="그럭저럭")
    mine = review_upsert(user=alice, title=title, body="내 리뷰")
    top = review_upsert(user=carol, title=title, body="최고")
    Review.objects.filter(pk=top.pk).update(like_count=5)
    Review.objects.filter(pk=mine.pk).update(like_count=2)

    social = title_social_get(title=title, viewer=alice)

    assert [r.pk for r in social.reviews] == [top.pk, mine.pk, low.pk]
    assert social.my_review == mine


def test_a_blocked_persons_review_is_hidden_from_the_blocker_only(alice, bob, carol, title):
    review_upsert(user=bob, title=title, body="스포 가득")
    block_set(blocker=alice, blocked=bob)

    assert title_social_get(title=title, viewer=alice).reviews == []
    assert len(title_social_get(title=title, viewer=carol).reviews) == 1
    assert len(title_social_get(title=title, viewer=None).reviews) == 1


def test_board_posts_are_the_titles_own_and_not_hidden(alice, title):
    post = board_post_create(author=alice, heading="이거 꼭 보세요", body="정말", title_ids=[title.pk])
    hidden = board_post_create(author=alice, heading="숨김", body="x", title_ids=[title.pk])
    hidden.is_hidden = True
    hidden.save()
    board_post_create(author=alice, heading="다른 작품", body="y", title_ids=[TitleFactory().pk])

    posts = title_social_get(title=title, viewer=None).board_posts

    assert [(p.pk, p.author.display_name) for p in posts] == [(post.pk, "앨리스")]
