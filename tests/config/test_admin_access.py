from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_sends_anonymous_visitors_to_the_account_login(client: Client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_refuses_signed_in_users_who_are_not_staff(client: Client):
    client.force_login(UserFactory(is_staff=False))

    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302  # admin index bounces to its (guarded) login


def test_admin_serves_staff(client: Client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 200


def test_repeated_failed_sign_ins_lock_the_account_out(client: Client, clean_cache):
    UserFactory(email="staff@example.com", is_staff=True)
    for _ in range(5):
        client.post("/accounts/login/", {"login": "staff@example.com", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "staff@example.com", "password": "pass-word-123"})

    assert response.status_code == 200  # the form again: even the right password is refused for now
    assert "_auth_user_id" not in client.session


def test_sign_in_flood_from_one_ip_gets_429_with_retry_after(client: Client, clean_cache):
    responses = [
        client.post("/accounts/login/", {"login": f"u{n}@example.com", "password": "x"}) for n in range(31)
    ]

    assert [r.status_code for r in responses[:30]].count(429) == 0
    assert responses[30].status_code == 429
    assert responses[30]["Retry-After"] == "60"
