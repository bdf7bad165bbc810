from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from apps.movies.models import Title
from apps.social.models import Activity
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import WatchlistItem
from apps.social.services import diary_entry_create
from apps.social.services import rating_delete
from apps.social.services import rating_set
from apps.social.services import review_comment_create
from apps.social.services import review_comment_delete
from apps.social.services import review_like_set
from apps.social.services import review_upsert
from apps.social.services import watchlist_add
from config.exceptions import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _title(title: Title) -> Title:
    return Title.objects.get(pk=title.pk)


def test_rating_set_keeps_title_average_and_count_exact(alice, bob, title):
    rating_set(user=alice, title=title, stars=4.5)
    rating_set(user=bob, title=title, stars="2")
    assert (_title(title).rating_avg, _title(title).rating_count) == (3.25, 2)

    # when alice changes her mind, the count stays and the average moves
    rating_set(user=alice, title=title, stars=0.5)
    assert (_title(title).rating_avg, _title(title).rating_count) == (1.25, 2)
    assert Rating.objects.get(user=alice).half_stars == 1

    rating_delete(user=bob, title=title)
    assert (_title(title).rating_avg, _title(title).rating_count) == (0.5, 1)
    rating_delete(user=alice, title=title)
    assert (_title(title).rating_avg, _title(title).rating_count) == (0.0, 0)


@pytest.mark.parametrize("stars", [0, 5.5, 3.3, -1, "abc", "0.25"])
def test_rating_set_rejects_values_off_the_half_star_scale(alice, title, stars):
    with pytest.raises(ApplicationError):
        rating_set(user=alice, title=title, stars=stars)
    assert not Rating.objects.exists()
    assert _title(title).rating_count == 0


def test_rating_set_invalidates_taste_cache_on_commit(alice, title, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from apps.social.services.ratings import taste_cache_key

    cache.set(taste_cache_key(alice.pk), {"genres": [], "decades": []})
    with django_capture_on_commit_callbacks(execute=True):
        rating_set(user=alice, title=title, stars=3)
        assert cache.get(taste_cache_key(alice.pk)) is not None  # not before the commit
    assert cache.get(taste_cache_key(alice.pk)) is None
    rating_set(user=alice, title=title, stars=4.5)
    # re-rating replaces the feed line instead of adding one
    assert list(Activity.objects.filter(actor=alice, verb="rated").values_list("stars", flat=True)) == [4.5]


@translation.override("en")
def test_rating_delete_without_rating_is_a_clear_error(alice, title):
    with pytest.raises(ApplicationError, match="not rated"):
        rating_delete(user=alice, title=title)


def test_diary_marks_second_viewing_as_rewatch_and_clears_watchlist(alice, title):
    watchlist_add(user=alice, title=title)
    first = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 1, 2))
    second = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 4), note="again")
    assert (first.rewatch, second.rewatch) == (False, True)
    assert not WatchlistItem.objects.filter(user=alice).exists()


@translation.override("en")
def test_diary_rejects_future_dates(alice, title):
    with pytest.raises(ApplicationError, match="future"):
        diary_entry_create(user=alice, title=title, watched_on=dt.date.today() + dt.timedelta(days=10))
    assert not DiaryEntry.objects.exists()


def test_review_upsert_edits_in_place_and_rejects_empty_or_oversized(alice, title):
    review = review_upsert(user=alice, title=title, body="좋아요", has_spoilers=True)
    again = review_upsert(user=alice, title=title, body="다시 보니 더 좋아요")
    assert review.pk == again.pk
    assert Review.objects.get().body == "다시 보니 더 좋아요"
    with pytest.raises(ApplicationError, match="리뷰를 입력해 주세요"):
        review_upsert(user=alice, title=title, body="   ")
    with pytest.raises(ApplicationError, match="너무 길어요"):
        review_upsert(user=alice, title=title, body="x" * 5001)
    assert Review.objects.get().body == "다시 보니 더 좋아요"


def test_review_likes_are_idempotent_and_comments_counted(alice, bob, title):
    review = review_upsert(user=alice, title=title, body="good")
    assert review_like_set(user=bob, review=review, liked=True) == 1
    assert review_like_set(user=bob, review=review, liked=True) == 1
    assert review_like_set(user=bob, review=review, liked=False) == 0
    comment = review_comment_create(user=bob, review_id=review.pk, body="agreed")
    assert Review.objects.get().comment_count == 1
    with pytest.raises(ApplicationError):
        review_comment_delete(user=UserFactory(), comment_id=comment.pk)
    # the review's author may remove comments on their review
    review_comment_delete(user=alice, comment_id=comment.pk)
    assert Review.objects.get().comment_count == 0
