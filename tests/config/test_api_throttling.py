from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings

from config.throttling import AnonymousRateThrottle
from config.throttling import SlidingWindowRateThrottle
from config.throttling import UserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def three_per_minute(monkeypatch: pytest.MonkeyPatch, clean_cache) -> Clock:
    """Limits of 3/min for both throttles, on a clock the test moves (at a window's start)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min", "user": "3/min"}
    clock = Clock(600_000.0)
    for throttle in (AnonymousRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(throttle, "timer", clock)
    return clock


def test_public_api_answers_429_with_retry_after_past_the_limit(client: Client, three_per_minute):
    statuses = [client.get("/api/schema/").status_code for _ in range(3)]

    throttled = client.get("/api/schema/")

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    # Three requests at the window's start: the sliding estimate drops below 3 as soon as
    # the next window begins and they start to slide out.
    assert int(throttled["Retry-After"]) == 60


def test_limits_count_per_client_ip(client: Client, three_per_minute):
    for _ in range(3):
        client.get("/api/schema/", REMOTE_ADDR="10.0.0.1")

    assert client.get("/api/schema/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/schema/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_signed_in_users_count_per_user_not_per_ip(client: Client, three_per_minute):
    alice, bob = UserFactory(), UserFactory()
    for _ in range(3):
        client.get("/api/schema/", REMOTE_ADDR="10.0.0.1")  # the IP's anonymous allowance is spent

    client.force_login(alice)
    alice_statuses = [client.get("/api/schema/", REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    client.force_login(bob)
    bob_status = client.get("/api/schema/", REMOTE_ADDR="10.0.0.1").status_code

    assert alice_statuses == [200, 200, 200, 429]
    assert bob_status == 200


def test_the_previous_window_weighs_by_its_remaining_overlap(client: Client, three_per_minute):
    clock = three_per_minute
    for _ in range(3):
        client.get("/api/schema/")
    clock.now += 60 + 10  # 10 s into the next window: 3 x 50/60 = 2.5 still count

    allowed = client.get("/api/schema/").status_code  # 2.5 < 3
    refused = client.get("/api/schema/").status_code  # 2.5 + 1 >= 3
    clock.now += 40  # 50 s in: 3 x 10/60 + 1 = 1.5
    allowed_again = client.get("/api/schema/").status_code

    assert (allowed, refused, allowed_again) == (200, 429, 200)


def test_a_request_costs_constant_cache_work_whatever_the_limit(three_per_minute):
    """No history list: the cache holds two small counters per client, not one entry per request."""

    class Generous(SlidingWindowRateThrottle):
        scope = "generous"
        THROTTLE_RATES = {"generous": "100000/min"}
        timer = three_per_minute

        def get_cache_key(self, request, view):
            return "throttle_generous_client"

    for _ in range(500):
        assert Generous().allow_request(request=None, view=None)

    window = int(three_per_minute.now // 60)
    assert cache.get(f"throttle_generous_client:{window}") == 500
