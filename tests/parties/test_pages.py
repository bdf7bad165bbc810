"""Watch party pages: who sees what, the waiting state, the live room, the timeline, and the
HTML side of each refusal (a message on the party page, nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.chat.models import ViewerPosition
from apps.chat.services import message_create
from apps.chat.services import viewer_position_set
from apps.parties import services
from apps.parties.models import Party
from tests.parties.conftest import shift_start

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_title_page_links_to_planning_a_party_and_planning_creates_one(host, film):
    client = _client(host)
    page = client.get(f"/titles/{film.pk}/").content.decode()
    assert f"/parties/new/?title={film.pk}" in page
    form = client.get(f"/parties/new/?title={film.pk}")
    assert form.status_code == 200
    starts = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/parties/new/?title={film.pk}", {"name": "금요일 밤", "starts_at": starts})
    party = Party.objects.get()
    assert response["Location"] == f"/parties/{party.pk}/"
    assert party.name == "금요일 밤"


def test_planning_in_the_past_shows_the_error_and_creates_nothing(host, film):
    starts = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _client(host).post(f"/parties/new/?title={film.pk}", {"starts_at": starts})
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    assert not Party.objects.exists()


def test_before_the_start_the_page_waits_with_a_countdown_and_no_room(host, film):
    party = services.party_create(host=host, title_id=film.pk, starts_at=timezone.now() + timedelta(hours=3))
    page = _client(host).get(f"/parties/{party.pk}/").content.decode()
    assert "data-countdown" in page
    assert "data-moochu-chat" not in page
    assert "data-position-form" not in page


def test_at_the_start_the_room_opens_for_guests_and_strangers_get_404(party, friend, stranger):
    page = _client(friend).get(f"/parties/{party.pk}/").content.decode()
    assert f'data-ws-path="/ws/chat/rooms/{party.room_id}/"' in page
    assert "data-position-form" in page
    assert _client(stranger).get(f"/parties/{party.pk}/").status_code == 404
    assert Client().get(f"/parties/{party.pk}/").status_code == 302


def test_position_form_saves_and_bad_positions_come_back_as_a_message(party, friend):
    client = _client(friend)
    ok = client.post(f"/parties/{party.pk}/position/", {"minutes": "12", "seconds": "30"}, follow=True)
    assert ViewerPosition.objects.get(user=friend).position == (0, 750)
    assert ok.status_code == 200
    for fields in (
        {"minutes": "999"},
        {"minutes": "-3"},
        {"minutes": "abc"},
        {"minutes": "10", "seconds": "75"},
    ):
        response = client.post(
            f"/parties/{party.pk}/position/", fields, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1, fields
        assert errors[0]
    assert ViewerPosition.objects.get(user=friend).position == (0, 750)


def test_rsvp_and_invite_forms(party, host, friend, stranger):
    _client(friend).post(f"/parties/{party.pk}/rsvp/", {"answer": "maybe"})
    page = _client(host).get(f"/parties/{party.pk}/").content.decode()
    assert "일촌" in page
    response = _client(host).post(f"/parties/{party.pk}/invite/", {"user_id": stranger.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    assert not party.invitations.filter(user=stranger).exists()


def test_timeline_waits_for_the_end_then_lists_messages_and_reactions_by_minute(party, host, friend):
    viewer_position_set(room_id=party.room_id, user=friend, episode=None, position_s=65 * 60 + 10)
    message_create(room_id=party.room_id, author=friend, body="여기서 소름")
    message_create(room_id=party.room_id, author=friend, body="😱", kind="reaction")
    closed = _client(friend).get(f"/parties/{party.pk}/timeline/").content.decode()
    assert "여기서 소름" not in closed
    services.party_end(user=host, party_id=party.pk)
    page = _client(friend).get(f"/parties/{party.pk}/timeline/").content.decode()
    assert "여기서 소름" in page
    assert "😱" in page
    assert "65" in page


def test_my_parties_and_the_homepage_box_list_the_party(party, friend):
    client = _client(friend)
    assert party.name in client.get("/parties/").content.decode()
    shift_start(party, hours=2)
    from django.urls import reverse

    page = client.get(reverse("social:homepage", kwargs={"nickname": friend.nickname})).content.decode()
    assert f"/parties/{party.pk}/" in page
