from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from apps.recs import buffer
from apps.recs.models import Event
from apps.recs.services.events import event_batch_ingest
from apps.recs.services.events import events_flush
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def _event(title_id: int, **fields) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "kind": "view",
        "title_id": title_id,
        "occurred_at": timezone.now().isoformat(),
        "dwell_ms": 4200,
        **fields,
    }


def test_bad_events_are_rejected_one_by_one_and_good_ones_buffered(user):
    title = TitleFactory()
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    events = [
        _event(title.id),
        _event(999_999),
        _event(title.id, occurred_at=future),
        _event(title.id, dwell_ms=-5),
        _event(title.id, kind="teleport"),
        _event(title.id, kind="rate", value=None),
        "not an object",
        _event(title.id, kind="list_click", list_name="for_you", position=3, dwell_ms=None),
    ]
    result = event_batch_ingest(events=events, user_id=user.id, session_key="s1")
    assert result.accepted == 2
    by_index = {e["index"]: e["errors"] for e in result.errors}
    assert by_index[1] == {"title_id": "unknown title"}
    assert by_index[2] == {"occurred_at": "timestamp is in the future"}
    assert "dwell_ms" in by_index[3]
    assert "kind" in by_index[4]
    assert "value" in by_index[5]
    assert 6 in by_index
    assert buffer.buffer_length(buffer.redis_client()) == 2


def test_flush_writes_buffered_events_to_postgres(user):
    title = TitleFactory()
    event_batch_ingest(
        events=[_event(title.id), _event(title.id, kind="like", dwell_ms=None)],
        user_id=user.id,
        session_key="",
    )
    assert Event.objects.count() == 0
    assert events_flush() == 2
    assert Event.objects.filter(user=user, title=title).count() == 2
    assert buffer.buffer_length(buffer.redis_client()) == 0


def test_crash_between_write_and_ack_replays_without_duplicates(user, monkeypatch):
    # given: a flush that dies after the database write, before the buffer ack
    title = TitleFactory()
    event_batch_ingest(events=[_event(title.id), _event(title.id)], user_id=user.id, session_key="")
    monkeypatch.setattr(
        buffer, "buffer_ack", lambda client: (_ for _ in ()).throw(RuntimeError("worker died"))
    )
    with pytest.raises(RuntimeError):
        events_flush()
    assert Event.objects.count() == 2
    # when: the next flush runs
    monkeypatch.undo()
    assert events_flush() == 2
    # then: the stranded batch was retried and idempotent on event_id
    assert Event.objects.count() == 2
    assert buffer.buffer_length(buffer.redis_client()) == 0


def test_crash_before_write_loses_nothing(user, monkeypatch):
    title = TitleFactory()
    event_batch_ingest(events=[_event(title.id)], user_id=user.id, session_key="")
    from apps.recs.services import events as events_module

    monkeypatch.setattr(
        events_module, "events_write", lambda events: (_ for _ in ()).throw(OSError("db down"))
    )
    with pytest.raises(OSError, match="db down"):
        events_flush()
    monkeypatch.undo()
    assert events_flush() == 1
    assert Event.objects.count() == 1


def test_flood_from_one_session_is_rate_limited_not_stored(settings):
    settings.RECS_EVENTS_RATE_LIMIT = 50
    settings.RECS_EVENTS_RATE_WINDOW_S = 3600  # one window for the whole test, however slow the machine
    title = TitleFactory()
    accepted = limited = 0
    for _ in range(100):  # 10,000 events in one burst
        result = event_batch_ingest(
            events=[_event(title.id) for _ in range(100)], user_id=None, session_key="flood"
        )
        accepted += result.accepted
        limited += result.rate_limited
    assert accepted == 50
    assert limited == 9_950
    events_flush()
    assert Event.objects.filter(session_key="flood").count() == 50
    # another session is unaffected
    assert event_batch_ingest(events=[_event(title.id)], user_id=None, session_key="calm").accepted == 1


def test_api_accepts_a_batch_from_an_anonymous_session():
    title = TitleFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/events/", {"events": [_event(title.id)]}, content_type="application/json")
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "rate_limited": 0}
    events_flush()
    event = Event.objects.get()
    assert event.user is None
    assert event.session_key


def test_api_reports_each_bad_event_with_400_and_keeps_the_good_ones(logged_in_client, user):
    title = TitleFactory()
    response = logged_in_client.post(
        "/api/events/",
        {"events": [_event(title.id), _event(title.id, dwell_ms=-1)]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "1 of 2 events rejected"
    assert body["extra"]["accepted"] == 1
    assert body["extra"]["rejected"][0]["index"] == 1
    assert body["extra"]["rejected"][0]["status"] == 400
    events_flush()
    assert Event.objects.filter(user=user).count() == 1


def test_api_rejects_an_empty_or_oversized_batch(logged_in_client):
    assert (
        logged_in_client.post("/api/events/", {"events": []}, content_type="application/json").status_code
        == 400
    )
    title = TitleFactory()
    many = [_event(title.id) for _ in range(101)]
    assert (
        logged_in_client.post("/api/events/", {"events": many}, content_type="application/json").status_code
        == 400
    )


def test_api_takes_the_csrf_token_from_the_beacon_body(user):
    title = TitleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    payload = {"events": [_event(title.id)]}
    denied = client.post("/api/events/", payload, content_type="application/json")
    assert denied.status_code == 403
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        client.cookies["csrftoken"] = token
    ok = client.post("/api/events/", json.dumps({**payload, "csrf": token}), content_type="application/json")
    assert ok.status_code == 202


def test_api_answers_429_when_the_whole_batch_is_over_budget(settings):
    settings.RECS_EVENTS_RATE_LIMIT = 1
    title = TitleFactory()
    client = Client()
    assert (
        client.post(
            "/api/events/", {"events": [_event(title.id)]}, content_type="application/json"
        ).status_code
        == 202
    )
    response = client.post("/api/events/", {"events": [_event(title.id)]}, content_type="application/json")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_a_client_dropping_its_session_cookie_is_capped_by_address(settings):
    settings.RECS_EVENTS_IP_RATE_LIMIT = 3
    settings.RECS_EVENTS_RATE_WINDOW_S = 3600
    title = TitleFactory()
    statuses = []
    for _ in range(5):
        client = Client()  # a fresh session every time
        response = client.post(
            "/api/events/", {"events": [_event(title.id)]}, content_type="application/json"
        )
        statuses.append(response.status_code)
    assert statuses == [202, 202, 202, 429, 429]
