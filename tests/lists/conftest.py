"""Fixtures of the list tests: an owner, a 일촌, a stranger, titles, and a list."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.lists import services
from apps.lists.models import UserList
from apps.social.models import User
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.factories import befriend


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db) -> User:
    return UserFactory(username="owner", nickname="주인")


@pytest.fixture
def friend(owner) -> User:
    user = UserFactory(username="friend", nickname="일촌")
    befriend(owner, user)
    return user


@pytest.fixture
def stranger(db) -> User:
    return UserFactory(username="stranger", nickname="stranger")


@pytest.fixture
def titles(db):
    return [TitleFactory() for _ in range(5)]


@pytest.fixture
def movie_night(owner) -> UserList:
    return services.list_create(
        owner=owner, name="금요일 영화의 밤", description="같이 볼 영화", visibility="public"
    )
