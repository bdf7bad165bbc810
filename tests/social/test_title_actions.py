"""The title-page include and its POST endpoints, and the ratings/reviews API."""

from __future__ import annotations

import pytest
from django.template import Context
from django.template import Template
from django.test import Client
from django.test import RequestFactory
from django.urls import reverse

from apps.movies.models import Title
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.services import review_upsert
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


def _render_include(title, user):
    request = RequestFactory().get(f"/titles/{title.pk}/")
    request.user = user
    return Template('{% include "social/_title_actions.html" with title=title %}').render(
        Context({"title": title, "request": request})
    )


def test_include_shows_average_and_hides_spoilers_until_clicked(alice, bob, title):
    review_upsert(user=bob, title=title, body="the butler did it", has_spoilers=True)
    html = _render_include(title, alice)
    assert '<details class="spoiler"><summary>' in html
    assert html.index("<summary>") < html.index("the butler did it")
    assert f'action="{reverse("social:rate", args=[title.pk])}"' in html


def test_rating_form_post_updates_title_average(alice, title):
    response = client_for(alice).post(reverse("social:rate", args=[title.pk]), {"stars": "3.5"})
    assert response.status_code == 302
    assert Title.objects.get(pk=title.pk).rating_avg == 3.5
    page = client_for(alice).get(reverse("social:title", args=[title.pk]))
    assert b"3.5" in page.content


def test_rating_form_bad_value_shows_error_and_saves_nothing(alice, title):
    response = client_for(alice).post(reverse("social:rate", args=[title.pk]), {"stars": "7"}, follow=True)
    assert "반 개 단위" in response.content.decode()  # "…in half-star steps", in the Korean default
    assert not Rating.objects.exists()


def test_forms_require_csrf_token(alice, title):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("social:rate", args=[title.pk]), {"stars": "3"})
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_review_body_is_escaped(alice, bob, title):
    review_upsert(user=bob, title=title, body="<script>alert(1)</script>")
    html = _render_include(title, alice)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rating_api_set_and_delete(alice, title):
    client = client_for(alice)
    url = reverse("social-api:rating-set", args=[title.pk])
    response = client.put(url, {"stars": "4.5"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["title_rating_avg"] == 4.5
    bad = client.put(url, {"stars": "4.2"}, content_type="application/json")
    assert bad.status_code == 400
    assert "반 개 단위" in bad.json()["message"]
    assert client.delete(reverse("social-api:rating-delete", args=[title.pk])).status_code == 204
    assert Title.objects.get(pk=title.pk).rating_count == 0


def test_rating_api_requires_login(title):
    response = Client().put(
        reverse("social-api:rating-set", args=[title.pk]), {"stars": "3"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_review_api_flow_with_comments_and_likes(alice, bob, title):
    a, b = client_for(alice), client_for(bob)
    review = a.put(
        reverse("social-api:review-upsert", args=[title.pk]),
        {"body": "강추", "has_spoilers": False},
        content_type="application/json",
    ).json()
    like = b.put(reverse("social-api:review-like", args=[review["id"]]), {"liked": True}, "application/json")
    assert like.json() == {"like_count": 1}
    comment = b.post(
        reverse("social-api:review-comment-create", args=[review["id"]]), {"body": "동감"}, "application/json"
    )
    assert comment.status_code == 201
    listing = Client().get(reverse("social-api:review-list", args=[title.pk])).json()
    assert listing["results"][0]["comment_count"] == 1
    # bob cannot delete alice's review
    assert b.delete(reverse("social-api:review-delete", args=[review["id"]])).status_code == 404
    assert Review.objects.count() == 1


def test_watchlist_and_diary_api(alice, title):
    client = client_for(alice)
    assert client.post(reverse("social-api:watchlist-add", args=[title.pk])).status_code == 201
    assert client.get(reverse("social-api:watchlist")).json()["count"] == 1
    entry = client.post(
        reverse("social-api:diary-create"),
        {"title_id": title.pk, "watched_on": "2026-05-01"},
        "application/json",
    )
    assert entry.status_code == 201
    assert entry.json()["rewatch"] is False
    assert client.get(reverse("social-api:watchlist")).json()["count"] == 0
    bad = client.post(
        reverse("social-api:diary-create"), {"title_id": title.pk, "watched_on": "soon"}, "application/json"
    )
    assert bad.status_code == 400
