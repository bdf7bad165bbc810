from __future__ import annotations

import pytest
from django.test import Client

from apps.social.services import board_post_create
from apps.social.services import guestbook_entry_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_moderation_action_work(alice, bob, title):
    post = board_post_create(author=alice, heading="광고 글", body="spam", title_ids=[title.pk])
    guestbook_entry_create(owner=alice, author=bob, body="hi")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    for model in (
        "user",
        "rating",
        "review",
        "guestbookentry",
        "boardpost",
        "profile",
        "block",
        "notification",
    ):
        assert client.get(f"/admin/social/{model}/").status_code == 200, model
    client.post("/admin/social/boardpost/", {"action": "hide", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.is_hidden
