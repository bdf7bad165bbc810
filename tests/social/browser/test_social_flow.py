"""Two users in two browser contexts, and a third visitor, against the real ASGI app.

A signs up (with e-mail verification), onboards and sends B a friend request; B
accepts; A recommends a title and B sees the notification arrive without reloading;
B writes a secret guestbook entry on A's page; a third visitor cannot see it; A's
TODAY counter counts B once however often B reloads.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from apps.social.services import user_nickname_set
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # UserFactory's


def _login(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_two_users_befriend_recommend_and_sign_guestbook(asgi_server, chromium):
    base = asgi_server
    genre = GenreFactory(slug="drama", name_ko="드라마")
    ProviderFactory(slug="watcha", name="Watcha")
    titles = [TitleFactory(title_ko=f"명작 {i}") for i in range(8)]
    for t in titles:
        t.genres.add(genre)
    bob = UserFactory(username="bob", email="bob@example.com", nickname=None)
    user_nickname_set(user=bob, nickname="밥돌")
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)

    a_ctx, b_ctx, c_ctx = chromium.new_context(), chromium.new_context(), chromium.new_context()
    a, b, c = a_ctx.new_page(), b_ctx.new_page(), c_ctx.new_page()

    # A signs up and confirms the e-mail address
    a.goto(f"{base}/accounts/signup/")
    a.fill("input[name=email]", "alice@example.com")
    a.fill("input[name=nickname]", "앨리스")
    a.fill("input[name=password1]", "kimchi-jjigae-77!")
    a.fill("input[name=password2]", "kimchi-jjigae-77!")
    a.click("form[action='/accounts/signup/'] button[type=submit]")
    a.wait_for_load_state()
    link = re.search(r"http://127\.0\.0\.1:\d+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    a.goto(link)
    a.click("main form button[type=submit]")
    a.wait_for_load_state()

    # A onboards: five ratings on the poster grid, then a genre and a service; it ends on the picks
    a.goto(f"{base}/me/onboarding/")
    for t in titles[:5]:
        a.locator(f"form[data-stars-form][data-title-id='{t.pk}'] label[for$='-8']").click()
    expect(a.locator("[data-ob-count]")).to_have_text("5")
    a.click("[data-ob-skip]")
    a.check(f"input[name=genres][value='{genre.pk}']")
    a.check("input[name=services]")
    a.click("[data-ob-finish]")
    a.wait_for_url(re.compile(r"/picks/$"))
    a.goto(f"{base}/@앨리스/")
    assert "앨리스" in a.inner_text("h1")

    # B signs in; A sends B a friend request; B accepts
    _login(b, base, "bob@example.com", PASSWORD)
    a.goto(f"{base}/@밥돌/")
    a.click("[data-friend-request]")
    a.wait_for_load_state()
    b.goto(f"{base}/me/friends/")
    b.click("[data-accept]")
    b.wait_for_load_state()
    assert "앨리스" in b.inner_text("main")

    # B waits on the inbox; A recommends a title; B sees it without reloading
    b.goto(f"{base}/inbox/")
    expect(b.locator("html")).to_have_attribute("data-notify-ready", "1")
    a.goto(f"{base}/titles/{titles[6].pk}/social/")
    a.click("details.recommend-form summary")
    a.check("input[name=friends]")
    a.fill("details.recommend-form input[name=note]", "주말에 꼭 봐!")
    a.click("details.recommend-form button[type=submit]")
    toast = b.wait_for_selector("[data-notify-toast]", timeout=10000)
    # B's browser asks for English: the toast is rendered in B's language, with the English title
    assert toast.inner_text().startswith("앨리스 recommended")
    assert titles[6].title_en in toast.inner_text()
    assert b.inner_text("[data-notify-badge]") == "1"

    # B writes a secret entry on A's page, reloading it a few times
    b.goto(f"{base}/@앨리스/")
    b.fill("form.guestbook-form textarea[name=body]", "비밀 방명록 <script>alert(1)</script>")
    b.check("form.guestbook-form input[name=is_secret]")
    b.click("form.guestbook-form button[type=submit]")
    b.wait_for_load_state()
    for _ in range(3):
        b.reload()
    assert "비밀 방명록 <script>alert(1)</script>" in b.inner_text("#guestbook")

    # A sees it and TODAY = 1 (B once; A's own visits never count)
    a.goto(f"{base}/@앨리스/")
    a.reload()
    assert "비밀 방명록" in a.inner_text("#guestbook")
    assert a.inner_text("[data-today]") == "1"

    # a third, anonymous visitor cannot see it, and is counted once the page is shown (its beacon)
    c.goto(f"{base}/@앨리스/")
    assert "비밀 방명록" not in c.content()
    expect(c.locator("[data-today]")).to_have_text("2")

    for ctx in (a_ctx, b_ctx, c_ctx):
        ctx.close()
