"""In Chromium: an import with matched, ambiguous and unmatched rows, reviewed and applied, then
the same file imported and applied again with nothing changed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.social.models import DiaryEntry
from apps.social.models import Rating
from tests.browser.tour import session_cookie
from tests.imports.conftest import letterboxd_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, base: str, data: bytes) -> None:
    page.goto(f"{base}/import/")
    page.set_input_files(
        "#import-file", {"name": "letterboxd.zip", "mimeType": "application/zip", "buffer": data}
    )
    page.get_by_role("button", name="Upload and match").click()
    expect(page).to_have_url(re.compile(r"/import/\d+/"))


def test_review_choose_apply_then_reimport_changes_nothing(live_server, browser, user, catalog):
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{**session_cookie(user), "url": base}, {"name": "django_language", "value": "en", "url": base}]
    )
    page = context.new_page()
    data = letterboxd_zip()
    try:
        _upload(page, base, data)
        # The ambiguous film opens first: both "Alone" (2020) are offered.
        expect(page.locator(".tabs__tab[aria-current=page]")).to_contain_text("Choose a title")
        choice = page.locator(".import-row").filter(has_text="Alone")
        expect(choice.locator("input[type=radio]")).to_have_count(3)  # two films and "none of these"
        choice.locator(f"input[value='{catalog['alone_b'].pk}']").check()
        choice.get_by_role("button", name="Choose").click()
        expect(page.locator(".messages")).to_contain_text("Title chosen.")

        page.locator(".tabs__tab").filter(has_text="Not found").click()
        expect(page.locator(".import-row")).to_contain_text("A Film Nobody Catalogued")
        page.locator(".tabs__tab").filter(has_text="Has problems").click()
        expect(page.locator(".import-rows")).to_contain_text("2024-13-45")
        expect(page.locator(".import-rows")).to_contain_text("is not 0.5–5 stars")
        assert not Rating.objects.filter(user=user).exists()  # nothing yet: only reviewed

        page.get_by_role("button", name="Apply import").click()
        expect(page.locator("div.notice--success")).to_contain_text(
            "6 added, 0 changed, 0 already there, 3 skipped."
        )
        assert Rating.objects.filter(user=user, title=catalog["alone_b"]).get().half_stars == 7
        assert DiaryEntry.objects.filter(user=user).count() == 2

        # The same file again: the chosen film is remembered, and applying changes nothing.
        _upload(page, base, data)
        expect(page.locator(".tabs__tab").filter(has_text="Choose a title")).to_contain_text("0")
        page.get_by_role("button", name="Apply import").click()
        expect(page.locator("div.notice--success")).to_contain_text(
            "0 added, 0 changed, 6 already there, 3 skipped."
        )
        assert Rating.objects.filter(user=user).count() == 2
        assert DiaryEntry.objects.filter(user=user).count() == 2
    finally:
        context.close()
