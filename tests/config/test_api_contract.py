"""The API answers what its OpenAPI document says: schema-valid requests are not 400s (a missing
object is 404, a refused state 409, a forbidden act 403), and values outside the document are a
400 in the one error shape. Each case here is one schemathesis found (tests/config/test_schemathesis.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.social.models import ShelfItem
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    return json.loads(path.read_text())


def _error_shape(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"message", "extra"}
    return body


def _json(client: Client, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


# -- the catalog's filters ------------------------------------------------------------------


@pytest.mark.parametrize("junk", ["null", "maybe", "TRUE", "2"])
def test_catalog_rejects_a_junk_mine_value_with_400_naming_the_valid_ones(client: Client, junk: str) -> None:
    response = client.get("/api/titles/", {"mine": junk})

    assert response.status_code == 400
    body = _error_shape(response)
    assert "1" in body["extra"]["fields"]["mine"]["valid"]


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "0", "false", "no", "off"])
def test_catalog_accepts_every_documented_mine_value(client: Client, value: str) -> None:
    assert client.get("/api/titles/", {"mine": value}).status_code == 200


def test_catalog_documents_mine_as_its_accepted_values(openapi: dict[str, Any]) -> None:
    parameters = openapi["paths"]["/api/titles/"]["get"]["parameters"]
    mine = next(p for p in parameters if p["name"] == "mine")
    enum = next(branch["enum"] for branch in mine["schema"]["anyOf"] if "enum" in branch)
    assert sorted(enum) == sorted(["0", "1", "false", "no", "off", "on", "true", "yes"])


def test_catalog_unknown_genre_slug_is_404_but_an_unknown_sort_is_400(client: Client) -> None:
    GenreFactory(slug="drama")

    missing = client.get("/api/titles/", {"genre": "no-such-genre"})
    junk = client.get("/api/titles/", {"genre": "no-such-genre", "sort": "sideways"})

    assert missing.status_code == 404
    assert _error_shape(missing)["extra"]["fields"]["genre"]["unknown"] == ["no-such-genre"]
    assert junk.status_code == 400


def test_provider_list_reads_a_blank_kind_as_no_filter(client: Client) -> None:
    assert client.get("/api/providers/", {"kind": ""}).status_code == 200
    assert client.get("/api/providers/", {"kind": "drive-in"}).status_code == 400


def test_search_documents_and_enforces_the_same_query_length(client: Client, openapi: dict[str, Any]) -> None:
    q = next(p for p in openapi["paths"]["/api/search/"]["get"]["parameters"] if p["name"] == "q")

    assert q["schema"]["maxLength"] == 200
    assert client.get("/api/search/suggest/", {"q": "가" * 201}).status_code == 400


# -- the document says what is accepted ------------------------------------------------------


def test_paged_lists_document_whole_numbers_from_zero(client: Client, openapi: dict[str, Any]) -> None:
    parameters = openapi["paths"]["/api/social/feed/"]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("minimum") for p in parameters} == {"limit": 0, "offset": 0}


def test_request_bodies_are_json_closed_objects_with_non_blank_text(openapi: dict[str, Any]) -> None:
    body = openapi["paths"]["/api/social/board/create/"]["post"]["requestBody"]["content"]
    schema = openapi["components"]["schemas"]["BoardPostInput"]

    assert list(body) == ["application/json"]  # a form cannot say [] or null
    assert schema["additionalProperties"] is False
    assert schema["properties"]["heading"]["minLength"] == 1
    assert "\\x00" in schema["properties"]["heading"]["pattern"]


def test_notifications_read_is_documented_as_json_only(openapi: dict[str, Any]) -> None:
    # "ids=0" as a form field reads as the list [0]: a form cannot say what the schema does.
    content = openapi["paths"]["/api/social/notifications/read/"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]


def test_notifications_read_refuses_a_number_where_a_list_belongs(logged_in_client: Client) -> None:
    response = _json(logged_in_client, "post", "/api/social/notifications/read/", {"ids": 0})

    assert response.status_code == 400
    _error_shape(response)


def test_ratings_document_half_star_steps_and_refuse_others(
    logged_in_client: Client, openapi: dict[str, Any]
) -> None:
    url = f"/api/social/titles/{TitleFactory().pk}/rating/"
    number, text = openapi["components"]["schemas"]["RatingSetInput"]["properties"]["stars"]["oneOf"]

    assert number["enum"] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
    assert {"4.5", "4", "4.0"} <= set(text["enum"])  # DRF writes decimals as text; clients send it back
    assert _json(logged_in_client, "put", url, {"stars": 4.5}).status_code == 200
    assert _json(logged_in_client, "put", url, {"stars": "4.5"}).status_code == 200
    assert _json(logged_in_client, "put", url, {"stars": 0.7}).status_code == 400


# -- missing, forbidden, conflicting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/social/friend-requests/0/accept/"),
        ("post", "/api/social/recommendations/0/accept/"),
        ("delete", "/api/social/board/0/delete/"),
        ("delete", "/api/social/board-comments/0/delete/"),
        ("delete", "/api/social/reviews/0/delete/"),
        ("delete", "/api/social/review-comments/0/delete/"),
        ("delete", "/api/social/guestbook/0/delete/"),
        ("delete", "/api/social/me/diary/0/delete/"),
    ],
)
def test_an_id_that_names_nothing_is_404_in_the_one_error_shape(
    logged_in_client: Client, method: str, url: str
) -> None:
    response = getattr(logged_in_client, method)(url)

    assert response.status_code == 404
    assert _error_shape(response)["message"]


def test_someone_elses_board_post_cannot_be_deleted_and_stays(logged_in_client: Client) -> None:
    from apps.social.models import BoardPost
    from apps.social.services import board_post_create

    post = board_post_create(author=UserFactory(), heading="h", body="b", title_ids=[TitleFactory().pk])

    response = logged_in_client.delete(f"/api/social/board/{post.pk}/delete/")

    assert response.status_code == 404
    assert BoardPost.objects.filter(pk=post.pk).exists()


def test_moderation_by_a_member_is_403(logged_in_client: Client) -> None:
    response = _json(logged_in_client, "post", "/api/social/board/1/moderate/", {"hidden": True})

    assert response.status_code == 403
    _error_shape(response)


def test_a_taken_nickname_is_409(logged_in_client: Client) -> None:
    UserFactory(nickname="taken_name")

    response = _json(logged_in_client, "patch", "/api/social/me/profile/", {"nickname": "taken_name"})

    assert response.status_code == 409
    assert _error_shape(response)["extra"] == {"field": "nickname"}


def test_a_future_watch_date_is_409_and_writes_nothing(logged_in_client: Client, user) -> None:
    title = TitleFactory()
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    response = _json(
        logged_in_client, "post", "/api/social/me/diary/create/", {"title_id": title.pk, "watched_on": future}
    )

    assert response.status_code == 409
    assert not user.diary.exists()


def test_shelf_states_and_keeps_its_limits(logged_in_client: Client, user, openapi: dict[str, Any]) -> None:
    titles = [TitleFactory().pk for _ in range(ShelfItem.MAX_ITEMS + 1)]
    schema = openapi["components"]["schemas"]["ShelfSetInput"]["properties"]["title_ids"]

    too_many = _json(logged_in_client, "put", "/api/social/me/shelf/", {"title_ids": titles})
    twice = _json(logged_in_client, "put", "/api/social/me/shelf/", {"title_ids": [titles[0], titles[0]]})
    unknown = _json(logged_in_client, "put", "/api/social/me/shelf/", {"title_ids": [999_999]})

    assert (schema["maxItems"], schema["uniqueItems"]) == (ShelfItem.MAX_ITEMS, True)
    assert (too_many.status_code, twice.status_code, unknown.status_code) == (400, 400, 404)
    assert not ShelfItem.objects.filter(user=user).exists()


def test_board_post_with_a_blank_heading_is_400_before_the_service(logged_in_client: Client) -> None:
    response = _json(
        logged_in_client,
        "post",
        "/api/social/board/create/",
        {"heading": "  ", "body": "b", "title_ids": [1]},
    )

    assert response.status_code == 400
    assert "heading" in _error_shape(response)["extra"]["fields"]


# -- behaviour events --------------------------------------------------------------------------


def _event(title_id: int, **fields: Any) -> dict[str, Any]:
    return {"kind": "view", "title_id": title_id, "occurred_at": timezone.now().isoformat(), **fields}


def test_events_refused_only_by_state_answer_409_each_with_its_reason(client: Client, clean_cache) -> None:
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()

    response = _json(
        client, "post", "/api/events/", {"events": [_event(999_999), _event(1, occurred_at=future)]}
    )

    assert response.status_code == 409
    assert [r["status"] for r in _error_shape(response)["extra"]["rejected"]] == [409, 409]


def test_a_malformed_event_makes_the_batch_400(client: Client, clean_cache) -> None:
    title = TitleFactory()

    response = _json(
        client, "post", "/api/events/", {"events": [_event(999_999), _event(title.pk, list_name=5)]}
    )

    assert response.status_code == 400
    statuses = {r["index"]: r["status"] for r in response.json()["extra"]["rejected"]}
    assert statuses == {0: 409, 1: 400}


def test_events_are_documented_as_json_only(openapi: dict[str, Any]) -> None:
    # A form cannot carry a list of objects: multipart used to be offered and always failed.
    assert list(openapi["paths"]["/api/events/"]["post"]["requestBody"]["content"]) == ["application/json"]


def test_events_document_the_rate_value_rule(openapi: dict[str, Any]) -> None:
    event = openapi["components"]["schemas"]["Event"]

    assert event["additionalProperties"] is False
    assert {"required": ["value"], "properties": {"value": {"type": "integer"}}} in event["anyOf"]


# -- what the document shows is what a JSON body must be ---------------------------------------


def test_an_unknown_key_in_a_json_body_is_400_and_creates_nothing(logged_in_client: Client) -> None:
    from apps.chat.models import Room

    response = _json(logged_in_client, "post", "/api/chat/rooms/create/", {"name": "night", "colour": "red"})

    assert response.status_code == 400
    assert list(_error_shape(response)["extra"]["fields"]) == ["colour"]
    assert not Room.objects.filter(name="night").exists()


def test_a_number_where_text_belongs_is_400(logged_in_client: Client) -> None:
    response = _json(logged_in_client, "post", "/api/chat/rooms/create/", {"name": "night", "topic": 0})

    assert response.status_code == 400
    assert list(_error_shape(response)["extra"]["fields"]) == ["topic"]


def test_a_form_body_keeps_reading_text_values(logged_in_client: Client) -> None:
    # Forms (undocumented, still read for older callers) carry only text: no type check there.
    response = logged_in_client.post("/api/chat/rooms/create/", {"name": "night", "topic": "0"})

    assert response.status_code == 201


def test_a_huge_id_in_the_path_is_404_not_500(logged_in_client: Client) -> None:
    body = {"body": "hello"}

    response = _json(
        logged_in_client, "post", "/api/social/reviews/220899205828378296320/comments/create/", body
    )

    assert response.status_code == 404
    assert _error_shape(response)["extra"] == {"review_id": 220899205828378296320}


def test_nicknames_are_documented_as_the_service_checks_them(openapi: dict[str, Any]) -> None:
    import re

    from apps.social.services.accounts import NICKNAME_RE

    nickname = openapi["components"]["schemas"]["PatchedProfileUpdateInput"]["properties"]["nickname"]
    pattern = re.compile(nickname["pattern"])

    for name in ["rel_alice", "무추팬", "film.buff", "Ωmega", "映画好き"]:
        assert pattern.match(name), name
        assert NICKNAME_RE.match(name), name
    for name in ["0", "two words", "semi;colon", "x" * 21, "a-b"]:
        assert not pattern.match(name), name
        assert not NICKNAME_RE.match(name), name


def test_an_event_at_an_impossible_time_is_its_own_400_not_a_500(client: Client, clean_cache) -> None:
    title = TitleFactory()
    events = [_event(title.pk, occurred_at="2024-01-01T12:99:00Z"), _event(title.pk)]

    response = _json(client, "post", "/api/events/", {"events": events})

    assert response.status_code == 400
    body = _error_shape(response)
    assert body["extra"]["accepted"] == 1
    assert body["extra"]["rejected"][0]["errors"] == {"occurred_at": "an ISO 8601 timestamp is required"}
