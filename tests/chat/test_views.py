"""Chat pages and API."""

from __future__ import annotations

import pytest
from django.template import Context
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.chat.models import Membership
from apps.chat.selectors import room_list_for_user
from apps.chat.services import message_create
from apps.chat.services import read_state_mark
from apps.chat.services import room_create
from apps.movies.models import Title

pytestmark = pytest.mark.django_db


def test_room_page_escapes_room_text(alice):
    room = room_create(owner=alice, name="<script>alert(1)</script>", topic="<img src=x onerror=alert(1)>")
    client = Client()
    client.force_login(alice)
    html = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'data-ws-path="/ws/chat/rooms/{room.pk}/"' in html


def test_invite_only_room_page_is_hidden_from_strangers(alice, bob):
    room = room_create(owner=alice, name="비밀", visibility="invite")
    client = Client()
    client.force_login(bob)
    assert client.get(reverse("chat:room", args=[room.pk])).status_code == 404


def test_room_list_shows_public_rooms_and_only_my_invite_only_ones_once_each(alice, bob, carol):
    public = room_create(owner=alice, name="모두의 방")
    mine = room_create(owner=alice, name="우리끼리", visibility="invite")
    room_create(owner=bob, name="남의 비밀방", visibility="invite")
    # Rooms with several members are still listed once each.
    for room in (public, mine):
        for member in (bob, carol):
            Membership.objects.get_or_create(room=room, user=member)
    client = Client()
    client.force_login(alice)

    html = client.get(reverse("chat:room_list")).content.decode()

    assert html.count(f'data-room-id="{public.pk}"') == 1
    assert html.count(f'data-room-id="{mine.pk}"') == 1
    assert "남의 비밀방" not in html


def test_title_panel_include_points_at_the_title_room(title):
    html = Template('{% include "chat/_panel.html" with title=title %}').render(Context({"title": title}))
    assert f'data-ws-path="/ws/chat/titles/{title.pk}/"' in html
    assert "chat/chat.js" in html


def test_title_panel_is_drawn_once_per_language_and_title(title):
    # given: the panel drawn in Korean for this title (each process keeps it)
    other = Title.objects.create(title_ko="다른 작품", media_type=title.media_type)
    panel = Template("{% load chat_tags %}{% chat_panel title %}")
    with translation.override("ko"):
        korean = panel.render(Context({"title": title}))

    # when: drawn again in English, and for another title
    with translation.override("en"):
        english = panel.render(Context({"title": title}))
        elsewhere = panel.render(Context({"title": other}))

    # then: each is its own, never another language's or another room's
    assert "실시간 채팅" in korean
    assert "Live chat" in english
    assert "실시간 채팅" not in english
    assert f'data-ws-path="/ws/chat/titles/{other.pk}/"' in elsewhere
    assert f"/ws/chat/titles/{title.pk}/" not in elsewhere


def test_room_list_api_reports_unread_and_online(room, alice, bob):
    message_create(room_id=room.pk, author=bob, body="1")
    read_state_mark(room_id=room.pk, user=alice, seq=1)
    message_create(room_id=room.pk, author=bob, body="2")
    message_create(room_id=room.pk, author=bob, body="3")
    client = Client()
    client.force_login(alice)
    rows = client.get("/api/chat/rooms/").json()
    row = next(r for r in rows if r["id"] == room.pk)
    assert (row["unread"], row["online"], row["last_seq"]) == (2, 0, 3)


def test_history_api_pages_back_and_hides_invite_only_rooms(room, alice, bob):
    for i in range(3):
        message_create(room_id=room.pk, author=alice, body=f"m{i}")
    data = Client().get(f"/api/chat/rooms/{room.pk}/messages/?before_seq=3").json()
    assert [m["seq"] for m in data["messages"]] == [1, 2]
    secret = room_create(owner=alice, name="비밀", visibility="invite")
    assert Client().get(f"/api/chat/rooms/{secret.pk}/messages/").status_code == 404
    bad = Client().get(f"/api/chat/rooms/{room.pk}/messages/?before_seq=abc")
    assert bad.status_code == 400


def test_room_create_api_requires_login_and_validates(alice):
    assert Client().post("/api/chat/rooms/create/", {"name": "x"}).status_code == 403
    client = Client()
    client.force_login(alice)
    assert client.post("/api/chat/rooms/create/", {"name": "", "visibility": "public"}).status_code == 400
    created = client.post("/api/chat/rooms/create/", {"name": "watch night", "visibility": "invite"})
    assert created.status_code == 201
    assert created.json()["group"].startswith("chat.room.")


def test_room_create_form_redirects_to_the_room(alice):
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("chat:room_create"), {"name": "토요일 밤", "visibility": "public"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("chat:room_list")).status_code == 200


def test_room_list_page_counts_unread_only_in_rooms_i_opened_in_one_query(
    room, alice, bob, django_assert_num_queries
):
    # given: a room alice read up to 1 of 3, and one she never opened
    message_create(room_id=room.pk, author=bob, body="1")
    read_state_mark(room_id=room.pk, user=alice, seq=1)
    message_create(room_id=room.pk, author=bob, body="2")
    message_create(room_id=room.pk, author=bob, body="3")
    unopened = room_create(owner=bob, name="새 방")
    message_create(room_id=unopened.pk, author=bob, body="안녕")

    # when
    with django_assert_num_queries(1):
        rows = {row["room"].pk: row["unread"] for row in room_list_for_user(user=alice)}

    # then: the read position comes with the rooms; an unopened room is not "unread"
    assert rows[room.pk] == 2
    assert rows[unopened.pk] == 0


def test_room_list_create_form_is_blank_for_everyone_after_an_invalid_post(alice, bob):
    # given: alice's room form refused (no name), shown again with her errors and input
    client = Client()
    client.force_login(alice)
    refused = client.post(reverse("chat:room_create"), {"name": "", "topic": "앨리스의 주제"})
    assert refused.status_code == 400
    assert "data-open-on-load" in refused.text
    assert 'class="form-errors"' in refused.text
    assert "앨리스의 주제" in refused.text

    # when: the list is drawn next, for her and for bob (the blank form is drawn once per process)
    other = Client()
    other.force_login(bob)
    pages = [client.get(reverse("chat:room_list")).text, other.get(reverse("chat:room_list")).text]

    # then: a blank form, with each person's own CSRF token in the page
    for html in pages:
        assert 'name="name"' in html
        assert 'name="scheduled_at"' in html
        assert "data-open-on-load" not in html
        assert 'class="form-errors"' not in html
        assert "앨리스의 주제" not in html
        assert 'name="csrfmiddlewaretoken"' in html


def test_room_list_create_form_follows_the_language(alice):
    client = Client()
    client.force_login(alice)
    korean = client.get(reverse("chat:room_list"), HTTP_ACCEPT_LANGUAGE="ko").text
    english = client.get(reverse("chat:room_list"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "채팅방 이름" in korean
    assert "Room name" in english
    assert "Room name" not in korean


def test_room_list_anonymous_has_no_create_form():
    html = Client().get(reverse("chat:room_list")).text
    assert 'name="scheduled_at"' not in html
