"""The mini-homepage's party box (parties_upcoming_for_user), read with a statement compiled once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.parties import services
from apps.parties.selectors import parties_upcoming_for_user
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.parties.conftest import shift_start

pytestmark = pytest.mark.django_db


def _party(host, title, **start):
    made = services.party_create(host=host, title_id=title.pk, starts_at=timezone.now() + timedelta(hours=1))
    return shift_start(made, **start)


def test_the_box_lists_my_coming_and_live_parties_soonest_first_with_title_and_host(
    host, friend, stranger, film, series, django_assert_num_queries
):
    # given: the host's live party, their later one, one they are invited to, one ended by
    # the host, one over by the clock (started longer ago than the film runs), a stranger's
    live = _party(host, film, minutes=-10)
    later = _party(host, series, days=2)
    invited = _party(friend, series, days=1)
    services.party_invite(user=friend, party_id=invited.pk, invitee=host)
    ended = _party(host, film, hours=3)
    services.party_end(user=host, party_id=ended.pk)
    _party(host, film, hours=-6)  # 138 minutes + the grace after: over
    _party(stranger, film, hours=1)

    # when
    with django_assert_num_queries(1):
        box = parties_upcoming_for_user(user=host)
        # then: what the box shows of each came along (no query per party)
        shown = [(p.pk, p.title.display_title, p.host.display_name, p.ends_by() > p.starts_at) for p in box]

    assert shown == [
        (live.pk, "헤어질 결심", "호스트", True),
        (invited.pk, "나의 아저씨", "일촌", True),
        (later.pk, "나의 아저씨", "호스트", True),
    ]
    # The film's runtime decides when a party is over by itself.
    assert box[0].ends_by() >= live.starts_at + timedelta(minutes=138)


def test_the_box_is_each_users_own_and_keeps_to_its_limit(host, friend, film):
    for hours in range(1, 5):
        _party(host, film, hours=hours)
    assert len(parties_upcoming_for_user(user=host, limit=3)) == 3
    assert len(parties_upcoming_for_user(user=host)) == 4
    assert parties_upcoming_for_user(user=friend) == []
    assert parties_upcoming_for_user(user=UserFactory()) == []


def test_a_title_without_a_runtime_still_shows_its_party(host):
    party = _party(host, TitleFactory(title_ko="길이 모름", runtime_minutes=None), minutes=-30)
    assert [p.pk for p in parties_upcoming_for_user(user=host)] == [party.pk]
