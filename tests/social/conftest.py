"""Fixtures of the social tests: users, titles, friends, a clean Redis/cache per test."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from apps.social.services.friends import _friendship_make
from apps.social.visitors import visitor_store
from tests.factories import TitleFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_shared_state():
    # Rate-limit windows, taste caches and visitor sets live in Redis under this checkout's prefix.
    cache.clear()
    visitor_store().clear()
    yield
    cache.clear()
    visitor_store().clear()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", nickname="앨리스")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", nickname="bob")


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", nickname="carol")


@pytest.fixture
def title(db):
    return TitleFactory()


@pytest.fixture
def friends(alice, bob):
    _friendship_make(alice, bob)
    return alice, bob


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
