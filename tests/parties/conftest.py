"""Fixtures of the watch party tests: a host, a 일촌, a stranger, a film, a series, a party."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.parties import services
from apps.parties.models import Party
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
def host(db) -> User:
    return UserFactory(username="host", nickname="호스트")


@pytest.fixture
def friend(host) -> User:
    user = UserFactory(username="friend", nickname="일촌")
    befriend(host, user)
    return user


@pytest.fixture
def stranger(db) -> User:
    return UserFactory(username="stranger", nickname="남남")


@pytest.fixture
def film(db):
    return TitleFactory(
        title_ko="헤어질 결심", title_en="Decision to Leave", media_type="movie", runtime_minutes=138
    )


@pytest.fixture
def series(db):
    return TitleFactory(
        title_ko="나의 아저씨", title_en="My Mister", media_type="tv", runtime_minutes=70, episode_count=16
    )


def shift_start(party: Party, **delta: int) -> Party:
    """Move a party's start (tests only: the service refuses a start in the past)."""
    Party.objects.filter(pk=party.pk).update(starts_at=timezone.now() + timedelta(**delta))
    party.refresh_from_db()
    return party


@pytest.fixture
def party(host, friend, film) -> Party:
    """A party on the film that started a minute ago, the 일촌 invited."""
    created = services.party_create(
        host=host, title_id=film.pk, starts_at=timezone.now() + timedelta(hours=1)
    )
    services.party_invite(user=host, party_id=created.pk, invitee=friend)
    return shift_start(created, minutes=-1)
