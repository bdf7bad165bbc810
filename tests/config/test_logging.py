from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

from config.logging import REQUEST_ID_HEADER
from config.logging import current_request_id

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_fresh_request_id(client: Client):
    first = client.get("/healthz")[REQUEST_ID_HEADER]
    second = client.get("/healthz")[REQUEST_ID_HEADER]

    assert len(first) == 32
    assert first != second


def test_request_id_from_the_proxy_is_kept(client: Client):
    response = client.get("/healthz", headers={REQUEST_ID_HEADER: "nginx-0123456789abcdef"})

    assert response[REQUEST_ID_HEADER] == "nginx-0123456789abcdef"


@pytest.mark.parametrize(
    "hostile", ["short", "x" * 200, "abc\r\nSet-Cookie: a=b", "<script>alert(1)</script>"]
)
def test_unsafe_incoming_request_ids_are_replaced(client: Client, hostile: str):
    response = client.get("/healthz", headers={REQUEST_ID_HEADER: hostile})

    assert response[REQUEST_ID_HEADER] != hostile
    assert len(response[REQUEST_ID_HEADER]) == 32


def test_json_log_lines_carry_the_request_id(client: Client, monkeypatch: pytest.MonkeyPatch):
    # given: the production formatter writing to a buffer
    buffer = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING, default=str))
    config["handlers"]["console"].update({"formatter": "json", "stream": "ext://sys.stdout"})
    logging.config.dictConfig(config)
    handler = logging.getLogger().handlers[0]
    monkeypatch.setattr(handler, "stream", buffer)

    # when: a request logs a warning (a 404 does)
    response = client.get("/no-such-page", headers={REQUEST_ID_HEADER: "req-abcdef123456"})

    # then
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert response.status_code == 404
    assert any(r["request_id"] == "req-abcdef123456" and r["level"] == "WARNING" for r in records)
    logging.config.dictConfig(settings.LOGGING)


def test_request_id_is_cleared_once_the_request_is_finished(client: Client):

    client.get("/healthz")

    assert current_request_id() == "-"
