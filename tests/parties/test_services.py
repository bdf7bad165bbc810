"""Watch party services: every refusal is its contract's error, in words, with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils import translation

from apps.chat.models import Membership
from apps.chat.models import ViewerPosition
from apps.parties import services
from apps.parties.models import Invitation
from apps.parties.models import Party
from apps.parties.models import Rsvp
from apps.social.models import Notification
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError
from tests.parties.conftest import shift_start

pytestmark = pytest.mark.django_db


def test_party_create_opens_an_invite_only_progress_synced_room_and_the_host_is_going(host, film):
    starts = timezone.now() + timedelta(days=1)
    with translation.override("ko"):
        party = services.party_create(host=host, title_id=film.pk, starts_at=starts)
    assert party.name == "헤어질 결심 같이 보기"
    assert party.room.progress_sync is True
    assert party.room.visibility == "invite"
    assert party.room.title_id == film.pk
    assert Rsvp.objects.get(party=party, user=host).answer == "going"
    assert Membership.objects.filter(room=party.room, user=host, role="owner").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"starts_at_delta": timedelta(hours=-2)}, "starts_at"),
        ({"starts_at_delta": timedelta(days=400)}, "starts_at"),
        ({"episode": 2}, "episode"),
    ],
)
def test_party_create_refuses_bad_input_and_writes_nothing(host, film, kwargs, field):
    delta = kwargs.pop("starts_at_delta", timedelta(hours=1))
    with pytest.raises(ApplicationError) as refused:
        services.party_create(host=host, title_id=film.pk, starts_at=timezone.now() + delta, **kwargs)
    assert refused.value.extra["field"] == field
    assert not Party.objects.exists()


def test_a_series_party_takes_only_an_episode_the_catalog_has(host, series):
    with pytest.raises(ApplicationError) as refused:
        services.party_create(
            host=host, title_id=series.pk, starts_at=timezone.now() + timedelta(hours=1), episode=17
        )
    assert "16" in refused.value.message
    party = services.party_create(
        host=host, title_id=series.pk, starts_at=timezone.now() + timedelta(hours=1), episode=3
    )
    assert party.episode == 3


def test_invite_a_friend_notifies_them_in_their_language_and_lets_them_in(host, friend, film):
    party = services.party_create(host=host, title_id=film.pk, starts_at=timezone.now() + timedelta(hours=1))
    services.party_invite(user=host, party_id=party.pk, invitee=friend)
    assert Membership.objects.filter(room=party.room, user=friend).exists()
    note = Notification.objects.get(user=friend, kind="party_invite")
    assert note.url == f"/parties/{party.pk}/"
    from apps.social.notification_text import notification_text

    with translation.override("en"):
        assert notification_text(kind=note.kind, params=note.params) == (
            "호스트 invited you to watch Decision to Leave together"
        )
    with translation.override("ko"):
        assert "헤어질 결심" in notification_text(kind=note.kind, params=note.params)
    # inviting again changes nothing
    services.party_invite(user=host, party_id=party.pk, invitee=friend)
    assert Notification.objects.filter(user=friend, kind="party_invite").count() == 1


def test_inviting_a_non_friend_is_a_conflict_and_writes_nothing(host, stranger, party):
    with pytest.raises(ConflictError) as refused:
        services.party_invite(user=host, party_id=party.pk, invitee=stranger)
    assert refused.value.extra["reason"] == "not_friend"
    assert not Invitation.objects.filter(user=stranger).exists()
    assert not Membership.objects.filter(room=party.room, user=stranger).exists()
    assert not Notification.objects.filter(user=stranger).exists()


def test_a_guest_cannot_invite_and_a_stranger_cannot_see_the_party(friend, stranger, party):
    with pytest.raises(ForbiddenError):
        services.party_invite(user=friend, party_id=party.pk, invitee=stranger)
    with pytest.raises(NotFoundError):
        services.party_rsvp(user=stranger, party_id=party.pk, answer="going")
    with pytest.raises(NotFoundError):
        services.party_rsvp(user=friend, party_id=999999, answer="going")


def test_rsvp_changes_the_answer_and_refuses_after_the_party_ended(host, friend, party):
    services.party_rsvp(user=friend, party_id=party.pk, answer="maybe")
    services.party_rsvp(user=friend, party_id=party.pk, answer="going")
    assert Rsvp.objects.get(party=party, user=friend).answer == "going"
    with pytest.raises(ApplicationError):
        services.party_rsvp(user=friend, party_id=party.pk, answer="perhaps")
    services.party_end(user=host, party_id=party.pk)
    with pytest.raises(ConflictError) as refused:
        services.party_rsvp(user=friend, party_id=party.pk, answer="no")
    assert refused.value.extra["reason"] == "ended"
    assert Rsvp.objects.get(party=party, user=friend).answer == "going"


def test_a_party_is_over_by_itself_two_hours_after_its_film_ends(friend, party):
    shift_start(party, minutes=-(138 + 121))
    with pytest.raises(ConflictError):
        services.party_rsvp(user=friend, party_id=party.pk, answer="going")


@pytest.mark.parametrize(
    ("position_s", "episode", "reason", "words"),
    [
        (138 * 60 + 1, None, "position_beyond_runtime", "138"),
        (-1, None, "position_negative", "start"),
        ("ten", None, "position_invalid", "whole"),
        (60, 2, "episode_not_found", "episodes"),
    ],
)
def test_positions_out_of_range_are_refused_in_words_and_nothing_is_written(
    friend, party, position_s, episode, reason, words
):
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.party_position_set(user=friend, party_id=party.pk, position_s=position_s, episode=episode)
    assert refused.value.extra["reason"] == reason
    assert words in refused.value.message
    assert refused.value.status_code == 400
    assert not ViewerPosition.objects.exists()


def test_a_position_past_the_runtime_reads_in_korean_too(friend, party):
    with translation.override("ko"), pytest.raises(ApplicationError) as refused:
        services.party_position_set(user=friend, party_id=party.pk, position_s=99999)
    assert "138" in refused.value.message
    assert "헤어질 결심" in refused.value.message


def test_a_position_moves_the_horizon_forward_only(friend, party):
    services.party_position_set(user=friend, party_id=party.pk, position_s=3000)
    stored = services.party_position_set(user=friend, party_id=party.pk, position_s=1200)
    assert stored.position == (0, 1200)
    assert stored.horizon == (0, 3000)


def test_series_party_positions_need_an_episode_in_the_catalog(host, friend, series):
    party = services.party_create(
        host=host, title_id=series.pk, starts_at=timezone.now() + timedelta(hours=1)
    )
    services.party_invite(user=host, party_id=party.pk, invitee=friend)
    for episode, reason in ((None, "episode_required"), (17, "episode_not_found")):
        with pytest.raises(ApplicationError) as refused:
            services.party_position_set(user=friend, party_id=party.pk, position_s=60, episode=episode)
        assert refused.value.extra["reason"] == reason
    assert services.party_position_set(
        user=friend, party_id=party.pk, position_s=60, episode=16
    ).position == (16, 60)


def test_the_host_runs_the_clock_guests_cannot(host, friend, party):
    with pytest.raises(ForbiddenError):
        services.party_clock_set(user=friend, party_id=party.pk, action="start")
    party = services.party_clock_set(user=host, party_id=party.pk, action="seek", at_s=600)
    assert party.clock_at(timezone.now()) == 600
    party = services.party_clock_set(user=host, party_id=party.pk, action="start")
    later = timezone.now() + timedelta(seconds=90)
    assert party.clock_at(later) >= 690
    party = services.party_clock_set(user=host, party_id=party.pk, action="pause")
    assert party.clock_running_since is None
    with pytest.raises(ApplicationError):
        services.party_clock_set(user=host, party_id=party.pk, action="seek", at_s=138 * 60 + 60)
    assert Party.objects.get(pk=party.pk).clock_offset_s == party.clock_offset_s


def test_the_clock_waits_for_the_start(host, film):
    party = services.party_create(host=host, title_id=film.pk, starts_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ConflictError) as refused:
        services.party_clock_set(user=host, party_id=party.pk, action="start")
    assert refused.value.extra["reason"] == "not_started"
