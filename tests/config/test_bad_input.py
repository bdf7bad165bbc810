"""Bad text (NUL bytes, lone surrogates, over-long values) and unbounded numbers answer a clear
400 before they reach the database, on pages, forms and the API alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.social.models import DiaryEntry
from apps.social.models import Review
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/@%00/", "/api/social/users/%00/", "/@a%00b/guestbook/", "/titles/1/?q=%00"]
)
def test_nul_byte_in_path_or_query_answers_400(client: Client, url: str) -> None:
    assert client.get(url).status_code == 400


def test_nul_byte_in_api_path_answers_the_one_error_shape(client: Client) -> None:
    response = client.get("/api/social/users/%00/")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


def test_huge_guestbook_offset_is_clamped_not_500(client: Client) -> None:
    owner = UserFactory()
    response = client.get(f"/@{owner.nickname}/?gb=99999999999999999999")
    assert response.status_code == 200


def test_review_form_with_nul_byte_answers_400_and_writes_nothing(logged_in_client: Client) -> None:
    title = TitleFactory()
    response = logged_in_client.post(f"/me/titles/{title.pk}/review/", {"body": "good\x00film"})
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_diary_form_with_nul_byte_answers_400_and_writes_nothing(logged_in_client: Client) -> None:
    title = TitleFactory()
    response = logged_in_client.post(f"/me/titles/{title.pk}/diary/", {"note": "\x00", "watched_on": ""})
    assert response.status_code == 400
    assert not DiaryEntry.objects.exists()


def test_json_body_with_lone_surrogate_answers_400(logged_in_client: Client) -> None:
    title = TitleFactory()
    response = logged_in_client.put(
        f"/api/social/titles/{title.pk}/review/",
        data='{"body": "x\\ud800y"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["reason"] == "lone_surrogate"
    assert not Review.objects.exists()


def test_json_body_nested_too_deep_answers_400(logged_in_client: Client) -> None:
    title = TitleFactory()
    response = logged_in_client.put(
        f"/api/social/titles/{title.pk}/review/",
        data="[" * 5000 + "]" * 5000,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_over_long_query_value_answers_400(client: Client) -> None:
    # the catalog ignores an unknown sort; the gate refuses its length before any view runs
    assert client.get("/", {"sort": "x" * 9_000}).status_code == 400
    assert client.get("/", {"sort": "x" * 100}).status_code == 200


def test_valid_emoji_surrogate_pair_in_json_is_accepted(logged_in_client: Client) -> None:
    title = TitleFactory()
    body = json.dumps({"body": "😀 최고"})  # ASCII-escaped: the emoji is a surrogate pair, valid
    assert "\\ud83d" in body
    response = logged_in_client.put(
        f"/api/social/titles/{title.pk}/review/", data=body, content_type="application/json"
    )
    assert response.status_code == 200
    assert Review.objects.get().body == "😀 최고"


def test_paged_api_lists_bound_their_offset_and_refuse_a_non_number(client: Client) -> None:
    title = TitleFactory()
    url = f"/api/social/titles/{title.pk}/reviews/"
    huge = client.get(url, {"offset": "99999999999999999999"})
    assert huge.status_code == 200
    assert huge.json()["results"] == []
    junk = client.get(url, {"offset": "abc"})
    assert junk.status_code == 400
    assert "offset" in junk.json()["extra"]["fields"]
    assert client.get(url, {"limit": "-1"}).status_code == 400
