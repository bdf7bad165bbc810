"""allauth's openid_connect provider against a real OpenID Connect provider (second process).

The test client plays Moochu's side; a `requests` session plays the browser at the
provider (sign in, authorize), and allauth exchanges the code with the provider over
loopback HTTP: authorization code + PKCE, token, userinfo, all real.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import SESSION_KEY
from django.contrib.sites.models import Site
from django.test import Client
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.social.oidc_provider.process import oidc_provider_running

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/oidc/moochu-idp/login/callback/"


@pytest.fixture(scope="module")
def idp():
    with oidc_provider_running(redirect_uris=[CALLBACK]) as provider:
        yield provider


def _configure(idp) -> None:
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="moochu-idp",
        name="Moochu IdP",
        client_id=idp.client_id,
        secret=idp.client_secret,
        settings={"server_url": idp.server_url},
    )
    app.sites.add(Site.objects.get_current())


def _browser_at_idp(idp, authorize_url: str) -> str:
    """Sign in at the provider and follow its redirects until it sends us back to Moochu."""
    browser = requests.Session()
    path = authorize_url.removeprefix(idp.base_url)
    page = browser.get(f"{idp.base_url}/login/", params={"next": path}, timeout=10)
    token = HTMLParser(page.text).css_first("input[name=csrfmiddlewaretoken]").attributes["value"]
    response = browser.post(
        f"{idp.base_url}/login/",
        data={
            "username": "idp-user",
            "password": idp.user_password,
            "next": path,
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{idp.base_url}/login/"},
        allow_redirects=False,
        timeout=10,
    )
    location = response.headers["Location"]
    for _ in range(5):
        if location.startswith("http://testserver/"):
            return location
        url = location if location.startswith("http") else idp.base_url + location
        location = browser.get(url, allow_redirects=False, timeout=10).headers["Location"]
    raise AssertionError(f"provider never redirected back: {location}")


def test_openid_connect_login_creates_account_social_account_and_session(idp):
    _configure(idp)
    client = Client()
    # the login button is shown for the configured provider
    assert 'data-provider="openid_connect"' in client.get("/accounts/login/").content.decode()

    start = client.post("/accounts/oidc/moochu-idp/login/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.server_url}/authorize/")
    assert "code_challenge=" in start["Location"]

    back = _browser_at_idp(idp, start["Location"])
    callback = urlparse(back)
    done = client.get(callback.path + "?" + callback.query)

    assert done.status_code == 302
    account = SocialAccount.objects.get(provider="moochu-idp")
    assert account.user.email == idp.user_email
    assert account.user.nickname  # generated from the provider's profile
    assert client.session[SESSION_KEY] == str(account.user.pk)


def test_openid_connect_rejects_a_forged_state(idp):
    _configure(idp)
    client = Client()
    start = client.post("/accounts/oidc/moochu-idp/login/")
    back = urlparse(_browser_at_idp(idp, start["Location"]))
    forged = back.query.replace("state=", "state=x")
    response = client.get(back.path + "?" + forged)
    assert response.status_code == 401
    assert not SocialAccount.objects.exists()
    assert SESSION_KEY not in client.session
