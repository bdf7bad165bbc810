"""Shared fixtures: users, logged-in clients, and the live-server helpers."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_catalog_vocabulary():
    """The catalog caches genres/providers per process; each test starts without it."""
    from apps.movies.selectors import catalog_vocabulary_clear

    catalog_vocabulary_clear()
    yield
    catalog_vocabulary_clear()
