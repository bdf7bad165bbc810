"""Two 일촌 in a watch party at different positions, in two browsers: the host plans it from the
title page and invites; the room opens at the start; the one behind is never sent the host's
later message (read off the WebSocket frames the browser received) until they move past it;
a reaction lands on both timeline bars."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.parties.models import Party
from apps.social.models import Friendship
from tests.browser.contexts import browser_context
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _frames(page) -> list[str]:
    """Every text frame the server sends this page's sockets, as sent."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    return received


def _set_position(page, minutes: int) -> None:
    form = page.locator("[data-position-form]")
    form.get_by_label("Minutes").fill(str(minutes))
    form.get_by_label("Seconds").fill("0")
    form.get_by_role("button", name="I'm here").click()
    expect(page.locator("[data-position-now]")).to_contain_text(f"You are at {minutes}:00")


def test_watch_party_journey(asgi_server, browser):
    base = asgi_server
    host = UserFactory(username="alice", nickname="alice")
    guest = UserFactory(username="bob", nickname="bob")
    Friendship.objects.create(user=host, friend=guest)
    Friendship.objects.create(user=guest, friend=host)
    film = TitleFactory(
        title_ko="올드보이", title_en="Oldboy", media_type="movie", runtime_minutes=120, year=2003
    )

    host_ctx = browser_context(browser, base, host)
    guest_ctx = browser_context(browser, base, guest, width=390)
    try:
        # the host plans a party from the title page, in an hour
        a = host_ctx.new_page()
        a.goto(f"{base}/titles/{film.pk}/")
        a.get_by_role("link", name="Watch together").click()
        starts = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        a.get_by_label("Name").fill("Friday night")
        a.get_by_label("Starts at").fill(starts)
        a.get_by_role("button", name="Create the party").click()
        expect(a.get_by_role("heading", name="Friday night")).to_be_visible()
        # before the start: a countdown, no room
        expect(a.locator("[data-countdown-text]")).to_contain_text("Starts in 00:5")
        assert a.locator("[data-moochu-chat]").count() == 0
        # invite the 일촌; they answer maybe
        a.get_by_label("Invite a friend").select_option(label="bob")
        a.get_by_role("button", name="Invite", exact=True).click()
        expect(a.locator(".messages")).to_contain_text("bob is invited.")
        party = Party.objects.get()
        b = guest_ctx.new_page()
        b.goto(f"{base}/parties/{party.pk}/")
        b.get_by_role("button", name="Maybe").click()
        expect(b.get_by_role("button", name="Maybe")).to_have_attribute("aria-pressed", "true")

        # the start: the room opens for both
        Party.objects.filter(pk=party.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
        frames_b = _frames(b)
        a.reload()
        b.reload()
        expect(a.locator("[data-moochu-chat]")).to_have_attribute("data-state", "connected")
        expect(b.locator("[data-moochu-chat]")).to_have_attribute("data-state", "connected")
        _set_position(a, 50)
        _set_position(b, 10)
        # a bad position is refused in words, and nothing moves
        b.locator("[data-position-form]").get_by_label("Minutes").fill("500")
        b.locator("[data-position-form]").get_by_role("button", name="I'm here").click()
        expect(b.locator("[data-position-now]")).to_contain_text("past the end")

        # the host writes from 50:00; the guest at 10:00 is sent nothing of it
        a.locator("[data-role=input]").fill("The octopus scene!")
        a.locator("[data-role=input]").press("Enter")
        expect(a.locator(".mc-msg").filter(has_text="The octopus scene!")).to_be_visible()
        b.locator("[data-role=input]").fill("Just started")
        b.locator("[data-role=input]").press("Enter")
        expect(a.locator(".mc-msg").filter(has_text="Just started")).to_be_visible()
        assert not [f for f in frames_b if "octopus" in f]
        expect(b.locator(".mc-msg").filter(has_text="The octopus scene!")).to_have_count(0)

        # the guest moves to 50:00: the message comes, once, placed by seq
        _set_position(b, 50)
        expect(b.locator(".mc-msg").filter(has_text="The octopus scene!")).to_have_count(1)
        created = [json.loads(f) for f in frames_b if '"message.created"' in f and "octopus" in f]
        assert len(created) == 1
        assert created[0]["message"]["position"] == [0, 3000]

        # a reaction from the guest lands on both bars
        b.get_by_role("button", name="React 😱").click()
        expect(b.locator("[data-timeline-bar] .party-bar__emoji")).to_have_text(["😱"])
        expect(a.locator("[data-timeline-bar] .party-bar__emoji")).to_have_text(["😱"])

        # the host ends the party: the timeline page shows the message at its minute
        a.get_by_role("button", name="End the party").click()
        a.get_by_role("link", name="See the party's timeline").click()
        expect(a.locator(".party-minute").filter(has_text="50 min")).to_contain_text("The octopus scene!")
        expect(a.locator(".party-bar--static .party-bar__emoji")).to_have_text(["😱"])
    finally:
        host_ctx.close()
        guest_ctx.close()
