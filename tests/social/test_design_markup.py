"""Markup of the design system, rendered server-side: nothing the production CSP would block (no
inline style attributes, no inline scripts), one message list, and the shared layout landmarks."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.test import Client

from apps.chat.services import room_create
from apps.social.services import guestbook_entry_create
from apps.social.services import rating_set
from apps.social.services import shelf_set
from apps.social.services.board import board_post_create
from apps.social.services.friends import _friendship_make
from tests.factories import AvailabilityFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db

INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.I | re.S)


def _inline_problems(html: str) -> list[str]:
    problems = [m.group(0)[:120] for m in INLINE_STYLE.finditer(html)]
    for attrs, body in SCRIPT_TAG.findall(html):
        if "src=" not in attrs and 'type="application/json"' not in attrs:
            problems.append(f"<script{attrs}>{body[:80]}")
    return problems


@pytest.fixture
def world():
    owner = UserFactory(username="owner", nickname="주인장")
    friend = UserFactory(username="friend", nickname="친구")
    _friendship_make(owner, friend)
    provider = ProviderFactory(slug="netflix", name="Netflix", color="#E50914")
    titles = [TitleFactory(title_ko=f"작품 {i}") for i in range(3)]
    AvailabilityFactory(title=titles[0], provider=provider)
    for t in titles:
        rating_set(user=owner, title=t, stars=4)
    shelf_set(user=owner, title_ids=[titles[0].pk])
    guestbook_entry_create(owner=owner, author=friend, body="안녕")
    post = board_post_create(author=owner, heading="추천", body="보세요", title_ids=[titles[0].pk])
    room = room_create(owner=owner, name="영화의 밤")
    return owner, friend, titles, post, room


def test_every_page_renders_without_inline_styles_or_scripts(world):
    owner, friend, titles, post, room = world
    logged_in = [
        "/",
        f"/titles/{titles[0].pk}/",
        "/coming-soon/",
        "/search/?q=작품",
        f"/@{owner.nickname}/",
        "/me/friends/",
        "/feed/",
        "/inbox/",
        "/me/profile/",
        "/me/shelf/",
        "/board/",
        f"/board/{post.pk}/",
        "/board/new/",
        "/chat/",
        f"/chat/rooms/{room.pk}/",
        "/accounts/3rdparty/",
    ]
    anonymous = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    anonymous.append(f"/@{owner.nickname}/")
    for client, paths in ((client_for(friend), logged_in), (Client(), anonymous)):
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            assert _inline_problems(html) == [], path
            for landmark in ('<main id="main"', 'class="skip-link"', "data-toasts", 'aria-live="polite"'):
                assert landmark in html, path


def test_provider_colours_travel_as_svg_attributes(world):
    _, friend, titles, _, _ = world
    html = client_for(friend).get(f"/titles/{titles[0].pk}/").content.decode()
    assert 'fill="#E50914"' in html
    assert "--brand" not in html


def test_a_flash_message_is_shown_once(world, settings):
    owner, *_ = world
    client = client_for(owner)
    response = client.post(
        "/me/profile/",
        {
            "nickname": owner.nickname,
            "mood": "좋음",
            "intro": "",
            **{
                f"visibility_{s}": "public"
                for s in ("ratings", "shelf", "taste", "guestbook", "friends", "watchlist", "diary")
            },
        },
        follow=True,
    )
    messages = list(response.context["messages"])
    assert messages
    assert messages[0].level == constants.SUCCESS
    assert response.content.decode().count(str(messages[0])) == 1


def test_a_form_error_is_summarised_and_marked_on_its_field(world):
    owner, *_ = world
    response = client_for(owner).post("/board/new/", {"heading": "", "body": "", "title_ids": "x"})
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert "field--invalid" in html
    assert 'aria-invalid="true"' in html
