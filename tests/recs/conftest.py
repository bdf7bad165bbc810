from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.recs import buffer
from apps.recs.services import serving
from tests.factories import CreditFactory
from tests.factories import GenreFactory
from tests.factories import PersonFactory
from tests.factories import RatingFactory
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
    # Shared caches (prior means, vocabularies, sessions) outlive other apps' tests in Redis.
    cache.clear()
    _clear_redis()
    serving._loaded.update(key=None, model=None, rating=None)
    serving._refused.clear()
    yield
    _clear_redis()
    serving._loaded.update(key=None, model=None, rating=None)
    serving._refused.clear()


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
                    RatingFactory(
                        user=user, title=title, half_stars=8, created_at=start + dt.timedelta(seconds=30 * k)
                    )
    return {"horror": horror_titles, "romance": romance_titles, "users": users, "genres": (horror, romance)}


@pytest.fixture
def mixed_world(db):
    """A catalog like the demo's: well-rated 'Hollywood' titles in two taste clusters that the
    collaborative model knows, and Korean titles nobody has rated (people and genres only)."""
    from apps.movies.models import CreditRole
    from apps.movies.services.catalog import title_masks_refresh

    action = GenreFactory(slug="action", name_en="Action", name_ko="액션")
    drama = GenreFactory(slug="drama", name_en="Drama", name_ko="드라마")
    crime = GenreFactory(slug="crime", name_en="Crime", name_ko="범죄")
    hollywood = [
        TitleFactory(
            title_ko="", title_original="", title_en=f"Blockbuster {i}", year=1995, popularity=900 - i
        )
        for i in range(30)
    ]
    for k, title in enumerate(hollywood):
        title.genres.add(action if k < 15 else drama)
    bong = PersonFactory(name="봉준호", name_en="Bong Joon-ho")
    song = PersonFactory(name="송강호", name_en="Song Kang-ho")
    park = PersonFactory(name="박찬욱", name_en="Park Chan-wook")
    korean = {}
    specs = [
        ("살인의 추억", bong, song, crime),
        ("마더", bong, None, crime),
        ("괴물", bong, song, drama),
        ("기생충", bong, song, drama),
        ("올드보이", park, None, crime),
        ("아가씨", park, None, drama),
        ("공동경비구역 JSA", park, song, drama),
        ("박쥐", park, song, crime),
    ]
    for name, director, actor, genre in specs:
        title = TitleFactory(title_ko=name, title_en="", title_original="", year=2005, popularity=1.0)
        title.genres.add(genre)
        CreditFactory(title=title, person=director, role=CreditRole.DIRECTOR)
        if actor is not None:
            CreditFactory(title=title, person=actor, role=CreditRole.CAST, order=0)
        korean[name] = title
    title_masks_refresh(title_ids=[t.id for t in hollywood + list(korean.values())])
    start = timezone.now() - dt.timedelta(days=3)
    raters = []
    for u in range(30):
        user = UserFactory()
        raters.append(user)
        fan_of_action = u % 2 == 0
        for k, title in enumerate(hollywood):
            if (u + k) % 3 == 0:
                continue
            liked = (k < 15) == fan_of_action
            half_stars = 8 + (u + k) % 3 if liked else 3 + (u * k) % 3
            RatingFactory(
                user=user, title=title, half_stars=half_stars, created_at=start + dt.timedelta(seconds=40 * k)
            )
    return {"hollywood": hollywood, "korean": korean, "raters": raters, "genres": (action, drama, crime)}
