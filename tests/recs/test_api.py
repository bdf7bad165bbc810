from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context
from django.template import Template
from django.test import RequestFactory

from apps.recs.services.training import recs_model_train
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_for_me_api_returns_picks_with_reasons(client, taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    client.force_login(taste_world["users"]["horror"][0])
    response = client.get("/api/recs/for-me/?limit=3")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert results[0]["reason"] == "liked"
    assert results[0]["because_title_id"] in {t.id for t in taste_world["horror"]}


def test_for_me_api_rejects_a_bad_filter(client):
    response = client.get("/api/recs/for-me/?limit=0&max_age_rating=99")
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"limit", "max_age_rating"}


def test_home_similar_trending_and_taste_match_endpoints(client, taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan, other = taste_world["users"]["horror"][:2]
    client.force_login(fan)
    rows = client.get("/api/recs/home/").json()["rows"]
    assert rows[0]["key"] == "for_you"
    anchor = taste_world["horror"][0]
    similar = client.get(f"/api/recs/titles/{anchor.id}/similar/").json()["results"]
    assert similar
    assert client.get("/api/recs/titles/999999/similar/").status_code == 404
    assert len(client.get("/api/recs/trending/").json()["results"]) == 16
    match = client.get(f"/api/recs/taste-match/{other.id}/").json()
    assert match["user_id"] == other.id
    assert match["taste_match"] is not None


def test_taste_match_needs_a_login(client):
    other = UserFactory()
    assert client.get(f"/api/recs/taste-match/{other.id}/").status_code == 403


def test_template_tags_render_rows_similar_titles_and_the_event_script(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    request = RequestFactory().get("/")
    request.user = fan
    html = Template(
        "{% load recs %}{% recs_home_rows %}{% recs_similar_titles title %}{% recs_tracking title %}"
    ).render(
        Context({"request": request, "user": fan, "title": taste_world["horror"][0], "csrf_token": "tok"})
    )
    assert 'data-recs-list="for_you"' in html
    assert 'data-recs-list="similar"' in html
    assert 'data-position="0"' in html
    assert "좋아하셨다면" in html  # "Because you liked …" in the Korean default
    assert 'src="/static/recs/events.js"' in html
    assert f'data-title-id="{taste_world["horror"][0].id}"' in html
    assert 'data-endpoint="/api/events/"' in html
