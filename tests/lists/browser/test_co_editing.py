"""Two 일촌 co-edit a list in two browsers: one adds and annotates, the other reorders; both
see the same order and who did what in the list's activity."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from apps.lists.models import ListEntry
from apps.lists.models import UserList
from apps.social.models import Friendship
from apps.social.models import Notification
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, base: str, user, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {"name": "django_language", "value": "en", "url": base},
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base},
        ]
    )
    return context


def _add(page, query: str, title: str, note: str = "") -> None:
    """Add a title with the title picker (search as you type, Enter picks the first)."""
    picker = page.get_by_role("combobox", name="Add a title")
    picker.fill(query)
    expect(page.get_by_role("option").first).to_contain_text(title)
    picker.press("Enter")
    if note:
        page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Add to list").click()
    expect(page.locator(".messages")).to_contain_text(f"Added {title}")


def _order(page) -> list[str]:
    return page.locator("[data-list-grid] .card__title .title-name").all_inner_texts()


def test_two_friends_co_edit_a_list(asgi_server, chromium):
    from apps.movies.search.sync import search_index_sync_all

    base = asgi_server
    alice = UserFactory(username="alice", nickname="alice")
    bob = UserFactory(username="bob", nickname="bob")
    Friendship.objects.create(user=alice, friend=bob)
    Friendship.objects.create(user=bob, friend=alice)
    TitleFactory(title_ko="살인의 추억", title_en="Memories of Murder", year=2003)
    TitleFactory(title_ko="괴물", title_en="The Host", year=2006)
    TitleFactory(title_ko="마더", title_en="Mother", year=2009)
    search_index_sync_all()

    # alice makes a friends-only list and invites bob
    alice_ctx = _context(chromium, base, alice)
    a = alice_ctx.new_page()
    a.goto(f"{base}/lists/new/")
    a.get_by_label("Name").fill("Bong Joon-ho night")
    a.get_by_label("Who can see it").select_option("friends")
    a.get_by_role("button", name="Create list").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Bong Joon-ho night")
    list_url = a.url
    a.get_by_role("link", name="Collaborators").click()
    a.get_by_label("Friend", exact=True).select_option(label="bob")
    a.get_by_role("button", name="Invite").click()
    expect(a.get_by_role("heading", name="Editing now").locator("..")).to_contain_text("bob")
    assert Notification.objects.filter(user=bob, kind="list_invite").exists()

    # bob adds two titles, one with a note
    bob_ctx = _context(chromium, base, bob, width=390)
    b = bob_ctx.new_page()
    b.goto(list_url)
    _add(b, "Memories", "Memories of Murder", note="The tunnel scene!")
    _add(b, "Host", "The Host")

    # alice adds the third and annotates bob's second
    a.goto(list_url)
    _add(a, "Mother", "Mother")
    host = a.locator("[data-entry-id]", has_text="The Host")
    host.get_by_text("Note / move").click()
    host.get_by_label("Note", exact=True).fill("Han river monster")
    host.get_by_role("button", name="Save note").click()
    expect(a.locator("[data-entry-id]", has_text="The Host")).to_contain_text("Han river monster")

    # bob reorders with the keyboard: "Move Mother up" twice puts it first
    b.goto(list_url)
    assert _order(b) == ["Memories of Murder", "The Host", "Mother"]
    b.get_by_role("button", name="Move Mother up").focus()
    b.keyboard.press("Enter")
    expect(b.get_by_role("button", name="Move Mother up")).to_be_visible()
    b.get_by_role("button", name="Move Mother up").focus()
    b.keyboard.press("Enter")
    expect(b.locator("[data-list-grid] .card__title .title-name").first).to_have_text("Mother")

    # both see the same order, the notes and who did what
    for page in (a, b):
        page.goto(list_url)
        assert _order(page) == ["Mother", "Memories of Murder", "The Host"]
        expect(page.locator("[data-entry-id]", has_text="Memories of Murder")).to_contain_text(
            "The tunnel scene!"
        )
        log = page.locator(".list-activity")
        expect(log).to_contain_text("bob moved Mother from #2 to #1")
        expect(log).to_contain_text("bob moved Mother from #3 to #2")
        expect(log).to_contain_text("alice wrote a note on The Host")
        expect(log).to_contain_text("bob added Memories of Murder at #1")
    user_list = UserList.objects.get()
    assert list(
        ListEntry.objects.filter(list=user_list)
        .order_by("position")
        .values_list("title__title_en", "added_by__username")
    ) == [("Mother", "alice"), ("Memories of Murder", "bob"), ("The Host", "bob")]
    alice_ctx.close()
    bob_ctx.close()
