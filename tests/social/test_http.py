"""request_viewer: who is looking, through Django's lazy user and DRF's request alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from rest_framework.request import Request

from apps.social.http import request_viewer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_behind_the_lazy_user_is_the_viewer():
    user = UserFactory()
    request = RequestFactory().get("/")
    # What AuthenticationMiddleware sets: a lazy object standing in for the user.
    request.user = SimpleLazyObject(lambda: user)

    assert request_viewer(request) == user


def test_an_anonymous_visitor_is_no_viewer_on_a_page_or_an_api():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert request_viewer(request) is None
    assert request_viewer(Request(request)) is None
