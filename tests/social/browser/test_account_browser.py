"""A person downloads their data, then deletes their account, in Chromium."""

from __future__ import annotations

import json
import zipfile

import pytest
from allauth.account.models import EmailAddress

from apps.chat.models import Message
from apps.chat.services import message_create
from apps.chat.services import room_create
from apps.social.models import User
from apps.social.services.ratings import rating_set
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_then_delete_my_account(asgi_server, chromium, tmp_path):
    base = asgi_server
    user = UserFactory(username="dana", email="dana@example.com", nickname="다나")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    rating_set(user=user, title=TitleFactory(title_ko="헤어질 결심", title_en="Decision to Leave"), stars="5")
    room = room_create(owner=UserFactory(nickname="방장"), name="박찬욱 이야기")
    message_create(room_id=room.pk, author=user, body="산에 가요")
    context = chromium.new_context(accept_downloads=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = context.new_page()
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", "dana@example.com")
        page.fill("input[name=password]", "pass-word-123")
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_load_state()

        # the account page, from the social navigation
        page.goto(f"{base}/me/account/")
        assert "Your chat messages are erased" in page.inner_text("[data-role=delete-effects]")

        # export: JSON and the ZIP of CSVs
        with page.expect_download() as json_download:
            page.click("[data-role=export-json]")
        data = json.loads(json_download.value.path().read_text(encoding="utf-8"))
        assert data["ratings"][0]["title"] == "헤어질 결심"
        with page.expect_download() as zip_download:
            page.click("[data-role=export-zip]")
        target = tmp_path / "export.zip"
        zip_download.value.save_as(target)
        assert "ratings.csv" in zipfile.ZipFile(target).namelist()

        # delete: a wrong password first, then the right one
        page.click("a[href='/me/account/delete/']")
        page.fill("input[name=password]", "not-my-password")
        page.click("[data-role=delete-submit]")
        assert "The password is not right." in page.inner_text("[data-role=delete-error]")
        page.fill("input[name=password]", "pass-word-123")
        page.click("[data-role=delete-submit]")
        page.wait_for_url(f"{base}/me/account/deleted/")
        assert "Your account was deleted" in page.inner_text("h1")

        assert not User.objects.filter(username="dana").exists()
        assert Message.objects.get(room=room).body == ""

        # signing in again is refused: the account is gone
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", "dana@example.com")
        page.fill("input[name=password]", "pass-word-123")
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
    finally:
        context.close()
