from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(monkeypatch: pytest.MonkeyPatch, clean_cache):
    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    )


def test_public_api_answers_429_with_retry_after_past_the_limit(client: Client, three_per_minute):
    statuses = [client.get("/api/schema/").status_code for _ in range(3)]

    throttled = client.get("/api/schema/")

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_limits_count_per_client_ip(client: Client, three_per_minute):
    for _ in range(3):
        client.get("/api/schema/", REMOTE_ADDR="10.0.0.1")

    assert client.get("/api/schema/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/schema/", REMOTE_ADDR="10.0.0.2").status_code == 200
