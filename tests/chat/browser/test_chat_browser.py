"""Two people chat in headless Chromium, each on a different server process."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def logged_in_context(browser, user, server):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.http}]
    )
    return context


def open_room(context, server, room):
    page = context.new_page()
    page.goto(f"{server.http}/chat/rooms/{room.pk}/")
    expect(page.locator('[data-role="state"]')).to_have_attribute("data-state", "connected", timeout=15000)
    return page


def send(page, text: str) -> None:
    page.locator('[data-role="input"]').fill(text)
    page.locator('[data-role="send"]').click()


def test_two_people_chat_both_ways_and_two_tabs_count_once(browser, chat_servers, room, alice, bob):
    p1, p2 = chat_servers
    ctx_a = logged_in_context(browser, alice, p1)
    ctx_b = logged_in_context(browser, bob, p2)
    try:
        page_a = open_room(ctx_a, p1, room)
        page_b = open_room(ctx_b, p2, room)
        expect(page_b.locator('[data-role="presence-count"]')).to_have_text("2", timeout=10000)

        # A → B, with markup that must stay text
        send(page_a, "안녕 <b>bold</b> <script>window.pwned=1</script>")
        last_b = page_b.locator(".mc-msg").last
        expect(last_b.locator(".mc-msg__body")).to_have_text(
            "안녕 <b>bold</b> <script>window.pwned=1</script>"
        )
        expect(last_b.locator(".mc-msg__author")).to_have_text("앨리스")
        assert page_b.locator(".mc-chat__messages b").count() == 0
        assert page_b.evaluate("window.pwned") is None

        # B → A, with an inline spoiler
        send(page_b, "결말은 ||반전|| 이야")
        last_a = page_a.locator(".mc-msg").last
        expect(last_a.locator(".mc-msg__author")).to_have_text("bob")
        spoiler = last_a.locator(".mc-spoiler-inline")
        expect(spoiler).to_have_text("반전")
        expect(spoiler).not_to_have_class("mc-spoiler-inline is-revealed")
        spoiler.click()
        expect(spoiler).to_have_class("mc-spoiler-inline is-revealed")

        # A opens a second tab (on the other process): still two people online
        page_a2 = open_room(ctx_a, p2, room)
        expect(page_a2.locator(".mc-msg").last.locator(".mc-msg__author")).to_have_text("bob")
        page_b.wait_for_timeout(1500)
        expect(page_b.locator('[data-role="presence-count"]')).to_have_text("2")
        expect(page_a2.locator('[data-role="presence-count"]')).to_have_text("2")

        # typing shows on the other side (the client sends at most one indicator per 3 s)
        page_b.wait_for_timeout(3100)
        page_b.locator('[data-role="input"]').press_sequentially("h")
        expect(page_a.locator('[data-role="typing"]')).to_contain_text("bob", timeout=5000)

        # A closes both tabs: B sees one person online
        page_a.close()
        page_a2.close()
        expect(page_b.locator('[data-role="presence-count"]')).to_have_text("1", timeout=10000)
    finally:
        ctx_a.close()
        ctx_b.close()
