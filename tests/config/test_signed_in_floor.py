"""What every signed-in page pays for stays correct: the person is read on every request, so
a deactivated account, a logout or a password change elsewhere signs the session out at the
next page, and what they saved shows at once (apps.common.compiled reads, nothing kept)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.movies.selectors import catalog_vocabulary_clear
from tests.factories import ProviderFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_MENU = 'class="menu__heading'
_LOG_IN = reverse("account_login")


def _signed_in(client: Client) -> bool:
    html = client.get(reverse("movies:catalog")).content.decode()
    return _MENU in html and f'href="{_LOG_IN}?next=' not in html


def test_a_deactivated_account_is_signed_out_at_its_next_page(logged_in_client, user):
    assert _signed_in(logged_in_client)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert not _signed_in(logged_in_client)


def test_after_logout_the_old_session_cookie_signs_no_one_in(logged_in_client):
    # given: a copy of the signed-in session cookie
    assert _signed_in(logged_in_client)
    stolen = Client()
    stolen.cookies = logged_in_client.cookies.__class__(logged_in_client.cookies)
    assert _signed_in(stolen)

    # when
    logged_in_client.post(reverse("account_logout"))

    # then
    assert not _signed_in(stolen)
    assert not _signed_in(logged_in_client)


def test_a_password_changed_elsewhere_signs_this_session_out(logged_in_client, user):
    assert _signed_in(logged_in_client)

    user.set_password("a-new-long-passphrase-7")
    user.save(update_fields=["password"])

    assert not _signed_in(logged_in_client)


def test_a_changed_list_of_services_shows_on_the_next_page(logged_in_client, user):
    # given: a signed-in front page drawn without any service
    netflix = ProviderFactory(slug="netflix-floor", name="Netflix floor")
    catalog_vocabulary_clear()
    assert (
        'name="mine" value="1" disabled' in logged_in_client.get(reverse("movies:catalog")).content.decode()
    )

    # when: they choose one
    user.my_services.add(netflix)

    # then: the next page offers "only my services" at once
    html = logged_in_client.get(reverse("movies:catalog")).content.decode()
    assert 'name="mine" value="1" disabled' not in html


def test_a_signed_in_page_still_refuses_a_post_without_its_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert _signed_in(client)
    assert UserFactory._meta.model.objects.filter(pk=user.pk, is_active=True).exists()
