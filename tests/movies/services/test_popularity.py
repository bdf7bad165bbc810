"""One service keeps rating aggregates and popularity true (ratings, watchlist, box office)."""

from __future__ import annotations

import datetime

import pytest

from apps.movies import tasks
from apps.movies.models import Title
from apps.movies.services.popularity import RATING_DECIMALS
from apps.movies.services.popularity import title_stats_refresh
from apps.social.services import rating_set
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.factories import WatchlistItemFactory

pytestmark = pytest.mark.django_db


def test_each_rating_updates_average_and_popularity_with_one_rounding():
    title = TitleFactory(popularity=0.0, release_date=datetime.date(2024, 1, 1))

    for stars in ("3.5", "4", "4"):
        rating_set(user=UserFactory(), title=title, stars=stars)

    title.refresh_from_db()
    assert RATING_DECIMALS == 3
    assert title.rating_avg == 3.833  # 23 half stars / 3 / 2, rounded once, to 3 places
    assert title.rating_count == 3
    assert title.popularity > 0


def test_watchlist_adds_and_box_office_raise_popularity_on_refresh():
    quiet = TitleFactory(popularity=0.0, release_date=datetime.date(2024, 1, 1))
    wanted = TitleFactory(popularity=0.0, release_date=datetime.date(2024, 1, 1))
    hit = TitleFactory(popularity=0.0, release_date=datetime.date(2024, 1, 1), box_office_audience=10_000_000)
    for _ in range(5):
        WatchlistItemFactory(user=UserFactory(), title=wanted)

    title_stats_refresh(title_ids=[quiet.id, wanted.id, hit.id], reference=datetime.date(2025, 1, 1))

    scores = dict(Title.objects.filter(id__in=[quiet.id, wanted.id, hit.id]).values_list("id", "popularity"))
    assert scores[hit.id] > scores[wanted.id] > scores[quiet.id] > 0


def test_crawled_titles_get_a_popularity_without_the_demo_loader():
    title = TitleFactory(popularity=0.0, rating_count=0, release_date=datetime.date(2025, 6, 1))

    tasks.title_stats_refresh_task()

    title.refresh_from_db()
    assert title.popularity > 0


def test_refresh_is_idempotent_and_writes_nothing_the_second_time():
    title = TitleFactory(popularity=0.0, release_date=datetime.date(2024, 1, 1))
    rating_set(user=UserFactory(), title=title, stars="5")

    title_stats_refresh(reference=datetime.date(2025, 1, 1))
    stamp = Title.objects.get(id=title.id).updated_at

    assert title_stats_refresh(reference=datetime.date(2025, 1, 1)) == 0
    assert Title.objects.get(id=title.id).updated_at == stamp


def test_nightly_refresh_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["movies-title-stats-refresh"]

    assert entry["task"] == "apps.movies.tasks.title_stats_refresh_task"
