"""Chat pages and API."""

from __future__ import annotations

import pytest
from django.template import Context
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.chat.models import Membership
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
