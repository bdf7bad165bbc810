"""Every page of the library, reviews, notifications, picks, onboarding and board renders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.social.services import diary_entry_create
from apps.social.services import review_comment_create
from apps.social.services import review_upsert
from apps.social.services import watchlist_add
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


def test_every_new_page_renders_in_both_languages(alice, bob, title):
    watchlist_add(user=alice, title=title)
    entry = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 11, 3), stars="4.5")
    review = review_upsert(user=alice, title=title, body="좋아요")
    review_comment_create(user=bob, review_id=review.pk, body="동의")
    urls = [
        reverse("social:watchlist-page"),
        reverse("social:watchlist-page") + "?mine=1&cinema=1&rent_buy=1&sort=release",
        reverse("social:diary-page"),
        reverse("social:diary-page") + "?view=calendar&month=2026-11",
        reverse("social:diary-edit", args=[entry.pk]),
        reverse("social:review-detail", args=[review.pk]),
        reverse("social:notifications"),
        reverse("social:picks"),
        reverse("social:onboarding"),
        reverse("social:onboarding") + "?step=taste",
        reverse("social:board-new"),
        reverse("social:title", args=[title.pk]),
        reverse("social:homepage", args=[alice.nickname]),
    ]
    for who in (alice, bob):
        client = client_for(who)
        for lang in ("ko", "en"):
            client.cookies["django_language"] = lang
            for url in urls:
                if who == bob and url.endswith("/edit/"):
                    continue
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
