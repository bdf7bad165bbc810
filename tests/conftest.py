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


@pytest.fixture
def recording(tmp_path):
    """Write an ad-hoc recording of source responses (see tests/movies/crawlers/recordings.py)."""
    from tests.movies.crawlers.recordings import recording_builder

    return recording_builder(tmp_path)
