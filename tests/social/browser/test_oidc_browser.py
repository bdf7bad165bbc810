"""OpenID Connect login in headless Chromium against the second-process provider."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from tests.social.oidc_provider.process import oidc_provider_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_signs_in_through_the_openid_connect_provider(asgi_server, chromium):
    callback = f"{asgi_server}/accounts/oidc/moochu-idp/login/callback/"
    with oidc_provider_running(redirect_uris=[callback]) as idp:
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id="moochu-idp",
            name="Moochu IdP",
            client_id=idp.client_id,
            secret=idp.client_secret,
            settings={"server_url": idp.server_url},
        )
        app.sites.add(Site.objects.get_current())
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"{asgi_server}/accounts/login/")
        page.click("button[data-provider=openid_connect]")
        page.wait_for_url(f"{idp.base_url}/login/**")
        page.fill("input[name=username]", "idp-user")
        page.fill("input[name=password]", idp.user_password)
        page.click("#idp-login")
        page.wait_for_url(f"{asgi_server}/**")
        page.wait_for_load_state()

        account = SocialAccount.objects.get(provider="moochu-idp")
        assert account.user.email == idp.user_email
        # the browser now holds a Moochu session for that user
        page.goto(f"{asgi_server}/me/friends/")
        assert page.url == f"{asgi_server}/me/friends/"
        cookies = {c["name"] for c in context.cookies()}
        assert {"sessionid", "idp_sessionid"} <= cookies
        context.close()
