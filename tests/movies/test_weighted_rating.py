"""Honest averages: "평점순" ranks by a Bayesian average with a minimum number of ratings."""

from __future__ import annotations

import pytest

from apps.movies.models import Title
from apps.movies.ratings import RATING_MIN_COUNT
from apps.movies.ratings import RATING_PRIOR_VOTES
from apps.movies.ratings import rating_prior_mean
from apps.movies.ratings import titles_rating_weighted_refresh_all
from apps.movies.ratings import weighted_rating
from apps.movies.selectors import CatalogFilters
from apps.movies.selectors import title_list
from apps.social.services import rating_delete
from apps.social.services import rating_set
from tests.factories import TitleFactory
from tests.factories import UserFactory


# -- the formula ------------------------------------------------------------------------------
def test_weighted_rating_is_none_below_the_minimum_count():
    assert weighted_rating(avg=5.0, count=0, prior_mean=3.5, prior_votes=10, min_count=3) is None
    assert weighted_rating(avg=5.0, count=2, prior_mean=3.5, prior_votes=10, min_count=3) is None


def test_weighted_rating_damps_towards_the_site_mean():
    # (10 * 3.5 + 3 * 5.0) / 13 = 50 / 13
    assert weighted_rating(avg=5.0, count=3, prior_mean=3.5, prior_votes=10, min_count=3) == pytest.approx(
        50 / 13, abs=1e-4
    )
    # equal to the mean whatever the count when the title's average is the mean
    assert weighted_rating(avg=3.5, count=500, prior_mean=3.5, prior_votes=10, min_count=3) == 3.5


def test_many_good_ratings_beat_a_few_perfect_ones():
    few_perfect = weighted_rating(avg=5.0, count=3, prior_mean=3.4, prior_votes=10, min_count=3)
    many_good = weighted_rating(avg=4.5, count=1000, prior_mean=3.4, prior_votes=10, min_count=3)
    assert many_good > few_perfect


def test_weighted_rating_approaches_the_plain_average_with_many_ratings():
    value = weighted_rating(avg=4.2, count=100_000, prior_mean=3.0, prior_votes=10, min_count=3)
    assert value == pytest.approx(4.2, abs=1e-3)


def test_weighted_rating_defaults_come_from_the_module_constants():
    assert weighted_rating(avg=4.0, count=RATING_MIN_COUNT - 1, prior_mean=3.0) is None
    expected = (RATING_PRIOR_VOTES * 3.0 + RATING_MIN_COUNT * 4.0) / (RATING_PRIOR_VOTES + RATING_MIN_COUNT)
    value = weighted_rating(avg=4.0, count=RATING_MIN_COUNT, prior_mean=3.0)
    assert value == pytest.approx(expected, abs=1e-4)


# -- stored and sorted --------------------------------------------------------------------------
@pytest.fixture
def raters(db):
    return [UserFactory() for _ in range(12)]


def _ids(sort: str) -> list[int]:
    return [row["id"] for row in title_list(filters=CatalogFilters(sort=sort)).rows]


@pytest.mark.django_db
def test_rating_sort_puts_many_good_ratings_above_one_perfect_rating(raters, clean_cache):
    # given: one title with a single 5-star rating, one with ten 4.5s, one nobody rated
    single = TitleFactory(title_ko="한 번 5점")
    loved = TitleFactory(title_ko="많이 4.5점")
    unrated = TitleFactory(title_ko="평가 없음")
    rating_set(user=raters[0], title=single, stars="5")
    for user in raters[:10]:
        rating_set(user=user, title=loved, stars="4.5")
    # when
    order = _ids("rating")
    # then: ranked titles first; the single rating is not ranked (0 = below the minimum)
    assert order.index(loved.pk) < order.index(single.pk)
    assert Title.objects.get(pk=single.pk).rating_weighted == 0.0
    assert Title.objects.get(pk=loved.pk).rating_weighted > 0
    assert order.index(single.pk) < order.index(unrated.pk)  # ties: more ratings first


@pytest.mark.django_db
def test_weighted_rating_follows_rating_changes_and_deletes(raters, clean_cache):
    title = TitleFactory()
    for user in raters[:RATING_MIN_COUNT]:
        rating_set(user=user, title=title, stars="4")
    ranked = Title.objects.get(pk=title.pk).rating_weighted
    assert ranked > 0
    rating_delete(user=raters[0], title=title)
    assert Title.objects.get(pk=title.pk).rating_weighted == 0.0  # below the minimum again


@pytest.mark.django_db
def test_refresh_all_recomputes_every_title_against_a_fresh_mean(raters, clean_cache):
    a, b = TitleFactory(), TitleFactory()
    Title.objects.filter(pk=a.pk).update(rating_avg=4.0, rating_count=20, rating_weighted=0)
    Title.objects.filter(pk=b.pk).update(rating_avg=5.0, rating_count=1, rating_weighted=3)
    titles_rating_weighted_refresh_all()
    mean = rating_prior_mean()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.rating_weighted == pytest.approx((10 * mean + 20 * 4.0) / 30, abs=1e-4)
    assert b.rating_weighted == 0.0
