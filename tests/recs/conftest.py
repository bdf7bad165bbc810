from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.recs import buffer
from apps.recs.services import serving
from apps.social.models import Rating
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory


def _clear_redis() -> None:
    client = buffer.redis_client()
    if client is not None:
        keys = list(client.scan_iter(match=buffer.key("*"), count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture(autouse=True)
def clean_recs_state():
    _clear_redis()
    serving._loaded.update(key=None, model=None)
    yield
    _clear_redis()
    serving._loaded.update(key=None, model=None)


@pytest.fixture
def taste_world(db):
    """Two taste clusters: horror fans rate horror titles, romance fans rate romance titles."""
    horror = GenreFactory(slug="horror", name_en="Horror", name_ko="공포")
    romance = GenreFactory(slug="romance", name_en="Romance", name_ko="로맨스")
    horror_titles = [
        TitleFactory(title_en=f"Scream {i}", overview="귀신 들린 집 haunted house") for i in range(8)
    ]
    romance_titles = [
        TitleFactory(title_en=f"Love {i}", overview="첫사랑 이야기 first love") for i in range(8)
    ]
    for t in horror_titles:
        t.genres.add(horror)
    for t in romance_titles:
        t.genres.add(romance)
    from apps.movies.services.catalog import title_masks_refresh

    title_masks_refresh(title_ids=[t.id for t in horror_titles + romance_titles])
    start = timezone.now() - dt.timedelta(days=3)
    users = {"horror": [], "romance": []}
    for cluster, titles in (("horror", horror_titles), ("romance", romance_titles)):
        for u in range(6):
            user = UserFactory()
            users[cluster].append(user)
            for k, title in enumerate(titles):
                if (u + k) % 4 != 0:  # each fan skipped a quarter of their cluster
                    Rating.objects.create(
                        user=user, title=title, half_stars=8, created_at=start + dt.timedelta(seconds=30 * k)
                    )
    return {"horror": horror_titles, "romance": romance_titles, "users": users, "genres": (horror, romance)}
