"""The watch party API: 404 for a party the caller was not invited to, 403 for a guest doing
the host's job, 409 when the party's state refuses, 400 for bad values — each with a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.chat.models import ViewerPosition
from apps.parties.models import Invitation
from apps.parties.models import Party
from apps.parties.models import Rsvp

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_create_invite_rsvp_position_and_read_back(host, friend, film):
    api = _api(host)
    starts = (timezone.now() + timedelta(hours=2)).isoformat()
    created = api.post("/api/parties/create/", {"title_id": film.pk, "starts_at": starts}, format="json")
    assert created.status_code == 201, created.json()
    party_id = created.json()["id"]
    assert created.json()["started"] is False
    assert created.json()["rsvp_counts"] == {"going": 1, "maybe": 0, "no": 0}
    invited = api.post(f"/api/parties/{party_id}/invitations/", {"user_id": friend.pk}, format="json")
    assert invited.status_code == 201
    assert invited.json()["user"]["id"] == friend.pk
    guest = _api(friend)
    answered = guest.post(f"/api/parties/{party_id}/rsvp/", {"answer": "maybe"}, format="json")
    assert answered.json()["my_rsvp"] == "maybe"
    moved = guest.post(f"/api/parties/{party_id}/position/", {"position_s": 600}, format="json")
    assert moved.status_code == 200
    assert moved.json() == {"episode": 0, "position_s": 600, "horizon_episode": 0, "horizon_s": 600}
    mine = guest.get("/api/parties/mine/").json()
    assert [p["id"] for p in mine["results"]] == [party_id]


def test_a_party_is_404_for_strangers_and_401_or_403_for_anonymous(party, stranger):
    assert _api(stranger).get(f"/api/parties/{party.pk}/").status_code == 404
    assert (
        _api(stranger).post(f"/api/parties/{party.pk}/rsvp/", {"answer": "going"}, format="json").status_code
        == 404
    )
    assert _api().get(f"/api/parties/{party.pk}/").status_code in (401, 403)
    assert _api(stranger).get("/api/parties/424242/").status_code == 404


def test_guests_may_not_do_the_hosts_job(party, friend, stranger):
    api = _api(friend)
    assert api.post(f"/api/parties/{party.pk}/clock/", {"action": "start"}, format="json").status_code == 403
    assert api.post(f"/api/parties/{party.pk}/end/").status_code == 403
    response = api.post(f"/api/parties/{party.pk}/invitations/", {"user_id": stranger.pk}, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}


def test_inviting_a_non_friend_is_409_with_nothing_written(party, host, stranger):
    response = _api(host).post(
        f"/api/parties/{party.pk}/invitations/", {"user_id": stranger.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["extra"]["reason"] == "not_friend"
    assert not Invitation.objects.filter(user=stranger).exists()


def test_rsvp_after_the_party_ended_is_409(party, host, friend):
    assert _api(host).post(f"/api/parties/{party.pk}/end/").json()["over"] is True
    response = _api(friend).post(f"/api/parties/{party.pk}/rsvp/", {"answer": "going"}, format="json")
    assert response.status_code == 409
    assert response.json()["message"]
    assert not Rsvp.objects.filter(user=friend).exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"position_s": 138 * 60 + 1}, "position_beyond_runtime"),
        ({"position_s": -30}, "position_negative"),
        ({"position_s": 60, "episode": 4}, "episode_not_found"),
    ],
)
def test_bad_positions_are_400_with_a_reason_and_nothing_written(party, friend, body, reason):
    response = _api(friend).post(
        f"/api/parties/{party.pk}/position/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["extra"]["reason"] == reason
    assert response.json()["message"]
    assert not ViewerPosition.objects.exists()


@pytest.mark.parametrize(
    "body", [{"position_s": "ten"}, {"position_s": 1.5}, {}, {"position_s": 60, "extra": 1}]
)
def test_malformed_position_bodies_are_400(party, friend, body):
    response = _api(friend).post(f"/api/parties/{party.pk}/position/", body, format="json")
    assert response.status_code == 400
    assert not ViewerPosition.objects.exists()


def test_create_refuses_a_missing_title_and_a_past_start(host):
    api = _api(host)
    starts = (timezone.now() + timedelta(hours=1)).isoformat()
    assert (
        api.post("/api/parties/create/", {"title_id": 999999, "starts_at": starts}, format="json").status_code
        == 404
    )
    past = (timezone.now() - timedelta(days=1)).isoformat()
    from tests.factories import TitleFactory

    title = TitleFactory()
    response = api.post("/api/parties/create/", {"title_id": title.pk, "starts_at": past}, format="json")
    assert response.status_code == 400
    assert not Party.objects.exists()
