from __future__ import annotations

import pytest
from django.test import Client
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_services(client: Client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_every_check_ok_against_real_services(client: Client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_names_the_service_that_is_down_with_503(client: Client):
    # given: nothing listens on port 1
    # when
    response = client.get("/readyz")

    # then
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["down"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert "ConnectionError" in body["checks"]["redis"]


def test_health_endpoints_refuse_writes(client: Client):
    assert client.post("/healthz").status_code == 405
