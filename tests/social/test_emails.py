"""Account mail: from Moochu, greeting the nickname, the link on its own line, ko and en."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.test import Client

from apps.social.models import User
from apps.social.services.account_data import superuser_email_trust
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_up(client: Client, *, email: str, nickname: str) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": "Longer-pass-9876",
            "password2": "Longer-pass-9876",
            "nickname": nickname,
        },
    )
    assert response.status_code == 302, response.content[:500]


def test_site_is_named_moochu_not_example_com():
    site = Site.objects.get_current()

    assert site.name == "Moochu"
    assert "example.com" not in site.domain


def test_signup_mail_in_korean_greets_the_nickname_with_the_link_alone_on_its_line(
    client: Client, clean_cache
):
    _sign_up(client, email="alice@example.com", nickname="앨리스")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Moochu] 이메일 주소를 확인해 주세요"
    assert "example.com]" not in message.subject
    assert "Moochu" in message.from_email
    assert message.body.startswith("앨리스님, 안녕하세요.")
    user = User.objects.get(email="alice@example.com")
    assert user.username not in message.body
    links = [line for line in message.body.splitlines() if "/accounts/confirm-email/" in line]
    assert len(links) == 1
    assert re.fullmatch(r"https?://\S+/accounts/confirm-email/\S+/", links[0])


def test_signup_mail_in_english(clean_cache):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    _sign_up(client, email="bob@example.com", nickname="bobby")

    message = mail.outbox[0]
    assert message.subject == "[Moochu] Confirm your email address"
    assert message.body.startswith("Hello bobby,")
    assert "Open the link below to confirm your email address:" in message.body
    assert "— the Moochu team" in message.body


def test_password_reset_mail_greets_the_nickname_and_puts_the_link_on_its_own_line(
    client: Client, clean_cache
):
    user = UserFactory(email="carol@example.com", nickname="캐롤")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client.post("/accounts/password/reset/", {"email": "carol@example.com"})

    message = mail.outbox[0]
    assert message.subject == "[Moochu] 비밀번호를 재설정하세요"
    assert message.body.startswith("캐롤님, 안녕하세요.")
    links = [line for line in message.body.splitlines() if "/accounts/password/reset/key/" in line]
    assert len(links) == 1
    assert links[0].startswith("http")


def test_createsuperuser_account_opens_the_admin_after_signing_in(client: Client, clean_cache):
    # given: an operator made the documented way (no EmailAddress row, no link clicked)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.com", verbosity=0)
    operator = User.objects.get(username="root")
    operator.set_password("Operator-pass-321")
    operator.save()
    assert not EmailAddress.objects.filter(user=operator).exists()

    # when
    response = client.post("/accounts/login/", {"login": "root@example.com", "password": "Operator-pass-321"})

    # then: signed in without a confirmation mail, and the admin opens
    assert response.status_code == 302
    assert "verification" not in response["Location"]
    assert "confirm" not in response["Location"]
    assert mail.outbox == []
    assert client.get("/admin/").status_code == 200
    assert EmailAddress.objects.get(user=operator).verified


def test_ordinary_users_still_have_to_confirm_their_address(client: Client, clean_cache):
    user = UserFactory(email="dave@example.com")

    response = client.post("/accounts/login/", {"login": "dave@example.com", "password": "pass-word-123"})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert superuser_email_trust(user=user) is None
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()


def test_the_site_is_renamed_after_a_flush_recreates_example_com():
    from django.apps import apps
    from django.contrib.sites.management import create_default_site
    from django.db.models.signals import post_migrate

    # given: what a flush leaves behind
    Site.objects.all().delete()
    create_default_site(apps.get_app_config("sites"), verbosity=0)
    assert Site.objects.get_current().name == "example.com"
    Site.objects.clear_cache()

    # when: post_migrate runs (as after every flush or migrate)
    post_migrate.send(
        sender=apps.get_app_config("social"), app_config=apps.get_app_config("social"), using="default"
    )

    # then
    Site.objects.clear_cache()
    assert Site.objects.get_current().name == "Moochu"
