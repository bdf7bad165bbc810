"""A moderator mutes someone from a message's menu; the muted person is told so in their own
language, and nothing they typed is lost. Slow mode keeps the text with a countdown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from apps.chat.models import Message
from apps.chat.services import room_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _context(browser, user, server, language: str):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ko-KR" if language == "ko" else "en-US")
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.http},
            {"name": "django_language", "value": language, "url": server.http},
        ]
    )
    return context


def _open(context, server, room):
    page = context.new_page()
    page.goto(f"{server.http}/chat/rooms/{room.pk}/")
    expect(page.locator('[data-role="state"]')).to_have_attribute("data-state", "connected", timeout=15000)
    return page


def _send(page, text: str) -> None:
    page.locator('[data-role="input"]').fill(text)
    page.locator('[data-role="send"]').click()


def test_moderator_mutes_a_user_who_is_told_in_english_and_keeps_their_text(
    browser, chat_servers, alice, bob
):
    p1, p2 = chat_servers
    room = room_create(owner=alice, name="금요 영화의 밤")
    ctx_mod, ctx_user = _context(browser, alice, p1, "ko"), _context(browser, bob, p2, "en")
    try:
        moderator, user = _open(ctx_mod, p1, room), _open(ctx_user, p2, room)
        expect(moderator.locator('[data-role="modtools"]')).to_be_visible()
        expect(user.locator('[data-role="modtools"]')).to_be_hidden()

        # a burst of Enter presses sends the message once; the box empties once it is confirmed
        user.locator('[data-role="input"]').fill("hello everyone")
        for _ in range(5):
            user.locator('[data-role="input"]').press("Enter")
        expect(user.locator('[data-role="input"]')).to_have_value("")
        user.wait_for_timeout(500)
        assert Message.objects.filter(room=room, body="hello everyone").count() == 1
        message = moderator.locator(".mc-msg").last
        expect(message.locator(".mc-msg__body")).to_have_text("hello everyone")
        user.locator('[data-role="input"]').fill("half-typed thought")

        # when: the moderator opens the message's menu and mutes for 10 minutes
        message.hover()
        message.locator('[data-role="mod-toggle"]').click()
        message.locator('[data-role="mod-mute-10m"]').click()

        # then: the user reads it in English, the composer closes, the typed text stays
        status = user.locator('[data-role="status"]')
        expect(status).to_be_visible(timeout=10000)
        expect(status).to_contain_text(re.compile(r"^You are muted until "))
        expect(user.locator('[data-role="input"]')).to_be_disabled()
        expect(user.locator('[data-role="input"]')).to_have_value("half-typed thought")
        assert "로그인" not in status.inner_text()
        # and the moderator is told in Korean
        expect(moderator.locator('[data-role="notice"]')).to_contain_text("bob님은")
        expect(moderator.locator('[data-role="notice"]')).to_contain_text("채팅이 금지되었어요")

        # a reload still says why (from the hello frame), still in English
        user.reload()
        expect(user.locator('[data-role="status"]')).to_contain_text("You are muted until", timeout=15000)
    finally:
        ctx_mod.close()
        ctx_user.close()


def test_slow_mode_keeps_the_refused_text_with_a_countdown_in_korean(browser, chat_servers, alice, bob):
    p1, p2 = chat_servers
    room = room_create(owner=alice, name="슬로 모드 방")
    ctx_mod, ctx_user = _context(browser, alice, p1, "ko"), _context(browser, bob, p2, "ko")
    try:
        moderator, user = _open(ctx_mod, p1, room), _open(ctx_user, p2, room)
        moderator.locator('[data-role="slow-select"]').select_option("30")
        expect(user.locator('[data-role="slow"]')).to_have_text(
            "슬로 모드: 30초에 한 번씩 보낼 수 있어요", timeout=10000
        )

        _send(user, "첫 번째")
        expect(user.locator('[data-role="input"]')).to_have_value("")
        expect(user.locator('[data-role="slow"]')).to_contain_text("초 뒤에 다시 보낼 수 있어요")
        expect(user.locator('[data-role="send"]')).to_be_disabled()

        # a second message during the countdown is not sent, and not lost
        user.locator('[data-role="input"]').fill("두 번째도 보내고 싶어")
        user.locator('[data-role="input"]').press("Enter")
        expect(user.locator('[data-role="input"]')).to_have_value("두 번째도 보내고 싶어")
        assert moderator.locator(".mc-msg__body", has_text="두 번째도").count() == 0
        left = int(user.locator('[data-role="slow"]').get_attribute("data-countdown"))
        assert 0 < left <= 30
    finally:
        ctx_mod.close()
        ctx_user.close()


def test_server_refusal_keeps_the_text_and_counts_down(browser, chat_servers, alice, bob):
    """The client's own countdown aside, a server refusal (a second tab, a stale page) keeps
    the text too: the server's slow_mode error carries retry_after."""
    p1, p2 = chat_servers
    room = room_create(owner=alice, name="새로고침 방")
    from apps.chat.services import room_slow_mode_set

    room_slow_mode_set(room_id=room.pk, by=alice, seconds=60)
    ctx_user = _context(browser, bob, p2, "en")
    try:
        first_tab = _open(ctx_user, p2, room)
        second_tab = _open(ctx_user, p1, room)
        _send(first_tab, "from the first tab")
        expect(first_tab.locator('[data-role="input"]')).to_have_value("")

        _send(second_tab, "from the second tab")

        notice = second_tab.locator('[data-role="notice"]')
        expect(notice).to_contain_text("Slow mode is on in this room.", timeout=10000)
        expect(notice).to_contain_text("Your text is kept")
        expect(second_tab.locator('[data-role="input"]')).to_have_value("from the second tab")
        expect(second_tab.locator('[data-role="send"]')).to_be_disabled()
    finally:
        ctx_user.close()


def test_a_moderators_menu_offers_no_sanctions_on_the_owners_messages(
    browser, chat_servers, alice, bob, carol
):
    from apps.chat.services import message_create
    from apps.chat.services import moderator_appoint

    p1, _p2 = chat_servers
    room = room_create(owner=alice, name="방장 보호")
    moderator_appoint(room=room, by=alice, user=bob)
    message_create(room_id=room.pk, author=alice, body="방장입니다")
    message_create(room_id=room.pk, author=carol, body="회원입니다")
    context = _context(browser, bob, p1, "ko")
    try:
        page = _open(context, p1, room)
        owners, members = (page.locator(".mc-msg", has_text=text) for text in ("방장입니다", "회원입니다"))
        for message in (owners, members):
            message.hover()
            message.locator('[data-role="mod-toggle"]').click()
            expect(message.locator('[data-role="mod-delete"]')).to_be_visible()
        # the owner's message: delete only; a member's: mute, kick and ban too
        for role in ("mod-mute-10m", "mod-mute-1h", "mod-kick", "mod-ban"):
            expect(owners.locator(f'[data-role="{role}"]')).to_have_count(0)
            expect(members.locator(f'[data-role="{role}"]')).to_have_count(1)
    finally:
        context.close()
