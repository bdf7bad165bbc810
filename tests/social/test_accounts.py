"""Accounts: e-mail sign-up with verification, nicknames, password reset, Kakao and Naver.

Kakao and Naver are driven through allauth's real views: the login POST, then the
provider's redirect back to our callback, with their token and profile endpoints
served by `responses` (allauth talks to them with requests).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs
from urllib.parse import urlparse

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import SESSION_KEY
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client

from apps.social.models import Profile
from apps.social.models import User
from apps.social.services import user_nickname_set
from config.exceptions import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signup(client: Client, *, email: str, nickname: str):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "nickname": nickname,
            "password1": "tteokbokki-2026!",
            "password2": "tteokbokki-2026!",
        },
    )


def test_email_signup_requires_verification_then_logs_in():
    client = Client()
    response = _signup(client, email="minji@example.com", nickname="민지")
    assert response.status_code == 302
    user = User.objects.get(email="minji@example.com")
    assert user.nickname == "민지"
    assert Profile.objects.get(user=user).nickname_key == "민지"
    # not signed in until the address is confirmed
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = urlparse(link).path
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/me/onboarding/"  # new accounts start with the taste onboarding
    assert EmailAddress.objects.get(user=user).verified
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize("clash", ["MOVIEFAN", "ＭｏｖｉｅＦａｎ", "moviefan"])
def test_signup_rejects_nickname_differing_only_by_case_or_normalisation(clash):
    _signup(Client(), email="first@example.com", nickname="MovieFan")
    response = _signup(Client(), email="second@example.com", nickname=clash)
    assert response.status_code == 200
    assert "This nickname is taken." in response.content.decode()
    assert not User.objects.filter(email="second@example.com").exists()


def test_nickname_set_folds_hangul_compatibility_forms(alice):
    # NFD-decomposed Hangul is the same nickname as its composed form.
    import unicodedata

    user_nickname_set(user=alice, nickname="무비러버")
    other = UserFactory()
    with pytest.raises(ApplicationError, match="taken"):
        user_nickname_set(user=other, nickname=unicodedata.normalize("NFD", "무비러버"))
    with pytest.raises(ApplicationError, match="letters"):
        user_nickname_set(user=other, nickname="has space")
    other.refresh_from_db()
    assert other.nickname != "무비러버"


@pytest.mark.parametrize(
    "lookalike",
    [
        "rel_\u0430lice",  # Cyrillic а
        "rel_\u0251lice",  # Latin alpha ɑ
        "reI_alice",  # capital I for l
        "re1_alice",  # digit one for l
        "rel_ａlice",  # full-width a
    ],
)
def test_signup_rejects_a_nickname_confusable_with_a_taken_one(lookalike):
    _signup(Client(), email="first@example.com", nickname="rel_alice")
    response = _signup(Client(), email="second@example.com", nickname=lookalike)
    assert response.status_code == 200
    assert "This nickname is taken." in response.content.decode()
    assert not User.objects.filter(email="second@example.com").exists()


def test_nickname_set_stores_the_skeleton_and_distinct_nicknames_stay_free(alice):
    user_nickname_set(user=alice, nickname="Rel_Alice")
    assert Profile.objects.get(user=alice).nickname_skeleton == "rel_alice"
    other = UserFactory()
    user_nickname_set(user=other, nickname="rel_alicia")  # different, not confusable
    with pytest.raises(ApplicationError, match="taken"):
        user_nickname_set(user=UserFactory(), nickname="reI_aIice")
    # an owner may change the case of their own nickname
    user_nickname_set(user=alice, nickname="REL_ALICE")


def test_the_skeleton_column_is_unique_in_the_database(alice, bob):
    from django.db import IntegrityError

    user_nickname_set(user=alice, nickname="rel_alice")
    profile = Profile.objects.get(user=bob) if Profile.objects.filter(user=bob).exists() else None
    if profile is None:
        profile = Profile.objects.create(user=bob)
    profile.nickname_skeleton = "rel_alice"
    with pytest.raises(IntegrityError):
        profile.save(update_fields=["nickname_skeleton"])


def test_the_data_migration_fills_skeletons_and_the_older_of_two_lookalikes_keeps_it(alice, bob):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("apps.social.migrations.0005_nickname_confusable_skeleton")
    # given two accounts from before the skeleton existed, one a look-alike of the other
    user_nickname_set(user=alice, nickname="rel_alice")
    user_nickname_set(user=bob, nickname="bob_movies")
    Profile.objects.update(nickname_skeleton=None)
    lookalike = UserFactory(nickname="rel_\u0430lice")
    Profile.objects.create(user=lookalike, nickname_key="rel_\u0430lice")
    # when
    migration.fill_skeletons(apps, None)
    # then
    skeletons = dict(Profile.objects.values_list("user_id", "nickname_skeleton"))
    assert skeletons[alice.pk] == "rel_alice"
    assert skeletons[bob.pk] == "bob_rnovies"  # "m" and "rn" look alike
    assert skeletons[lookalike.pk] is None


def test_password_reset_sends_mail_and_sets_new_password():
    user = UserFactory(email="reset@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": "reset@example.com"}).status_code == 302
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/", mail.outbox[-1].body).group(0)
    page = client.get(urlparse(link).path, follow=True)
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else urlparse(link).path
    done = client.post(form_path, {"password1": "new-secret-7788!", "password2": "new-secret-7788!"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-secret-7788!")


def _app(provider: str) -> SocialApp:
    app = SocialApp.objects.create(
        provider=provider, name=provider, client_id=f"{provider}-id", secret="s3cret"
    )
    app.sites.add(Site.objects.get_current())
    return app


def test_login_page_shows_buttons_only_for_configured_providers():
    _app("kakao")
    html = Client().get("/accounts/login/").content.decode()
    assert 'data-provider="kakao"' in html
    assert 'data-provider="naver"' not in html
    assert 'data-provider="google"' not in html


def _start(client: Client, provider: str) -> str:
    response = client.post(f"/accounts/{provider}/login/")
    assert response.status_code == 302
    return parse_qs(urlparse(response["Location"]).query)["state"][0]


@responses.activate
def test_kakao_login_creates_account_linked_social_account_and_session():
    _app("kakao")
    responses.post(
        "https://kauth.kakao.com/oauth/token", json={"access_token": "kakao-at", "token_type": "bearer"}
    )
    responses.get(
        "https://kapi.kakao.com/v2/user/me",
        json={
            "id": 123456789,
            "properties": {"nickname": "카카오친구"},
            "kakao_account": {
                "email": "friend@kakao.example",
                "is_email_verified": True,
                "profile": {"nickname": "카카오친구"},
            },
        },
    )
    client = Client()
    state = _start(client, "kakao")
    response = client.get("/accounts/kakao/login/callback/", {"code": "auth-code", "state": state})
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="kakao", uid="123456789")
    assert account.user.email == "friend@kakao.example"
    assert account.user.nickname == "카카오친구"
    assert client.session[SESSION_KEY] == str(account.user.pk)
    assert responses.calls[1].request.headers["Authorization"] == "Bearer kakao-at"


@responses.activate
def test_naver_login_links_to_existing_account_with_same_verified_email():
    # given a Kakao-made account with a verified address
    existing = UserFactory(email="same@naver.example")
    EmailAddress.objects.create(user=existing, email=existing.email, verified=True, primary=True)
    _app("naver")
    responses.post(
        "https://nid.naver.com/oauth2.0/token", json={"access_token": "naver-at", "token_type": "bearer"}
    )
    responses.get(
        "https://openapi.naver.com/v1/nid/me",
        json={
            "resultcode": "00",
            "response": {"id": "nv-42", "email": "same@naver.example", "nickname": "네이버"},
        },
    )
    client = Client()
    state = _start(client, "naver")
    response = client.get("/accounts/naver/login/callback/", {"code": "c", "state": state})
    assert response.status_code == 302
    # then: one account, now linked to Naver, and signed in
    assert User.objects.filter(email="same@naver.example").count() == 1
    assert SocialAccount.objects.get(provider="naver", uid="nv-42").user == existing
    assert client.session[SESSION_KEY] == str(existing.pk)


@responses.activate
def test_signed_in_user_connects_naver_to_their_account():
    user = UserFactory(email="own@example.com")
    _app("naver")
    responses.post("https://nid.naver.com/oauth2.0/token", json={"access_token": "t", "token_type": "bearer"})
    responses.get(
        "https://openapi.naver.com/v1/nid/me",
        json={"response": {"id": "nv-7", "email": "other@naver.example", "nickname": "n"}},
    )
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/naver/login/", {"process": "connect"})
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    client.get("/accounts/naver/login/callback/", {"code": "c", "state": state})
    assert SocialAccount.objects.get(provider="naver").user == user
    assert User.objects.count() == 1


@responses.activate
def test_kakao_token_error_creates_nothing():
    _app("kakao")
    responses.post("https://kauth.kakao.com/oauth/token", json={"error": "invalid_grant"}, status=400)
    client = Client()
    state = _start(client, "kakao")
    response = client.get("/accounts/kakao/login/callback/", {"code": "bad", "state": state})
    assert response.status_code == 401  # allauth renders its "login failed" page
    assert not SocialAccount.objects.exists()
    assert SESSION_KEY not in client.session


@responses.activate
def test_kakao_without_email_consent_asks_for_email_and_nickname():
    _app("kakao")
    responses.post("https://kauth.kakao.com/oauth/token", json={"access_token": "t", "token_type": "bearer"})
    responses.get(
        "https://kapi.kakao.com/v2/user/me",
        json={
            "id": 555,
            "properties": {"nickname": "익명"},
            "kakao_account": {"profile": {"nickname": "익명"}},
        },
    )
    client = Client()
    state = _start(client, "kakao")
    response = client.get("/accounts/kakao/login/callback/", {"code": "c", "state": state})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    form = client.get("/accounts/3rdparty/signup/").content.decode()
    assert 'name="nickname"' in form
    done = client.post(
        "/accounts/3rdparty/signup/", {"email": "kakao-user@example.com", "nickname": "카카오유저"}
    )
    assert done.status_code == 302
    account = SocialAccount.objects.get(provider="kakao", uid="555")
    assert account.user.nickname == "카카오유저"
    assert account.user.email == "kakao-user@example.com"
