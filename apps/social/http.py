"""Request types that say who is asking, so views hand services a ``User``, not a maybe.

``request.user`` is ``User | AnonymousUser`` to the type checker. A view that only signed-in
people reach (``@login_required``, ``service_post``, an API with ``IsAuthenticated`` or a
write under ``IsAuthenticatedOrReadOnly``) annotates its request as ``AuthedHttpRequest`` /
``AuthedRequest`` (django-stubs' documented pattern: a subclass that narrows ``user``). A
view anyone may open asks ``request_viewer(request)``: the signed-in user, or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.http.request import split_domain_port
from rest_framework.request import Request

from apps.social.models import User


class AuthedHttpRequest(HttpRequest):
    """The request a signed-in-only Django view receives (never built: an annotation)."""

    user: User


if TYPE_CHECKING:

    class AuthedRequest(Request):
        """The request a signed-in-only DRF view receives."""

        @property
        def user(self) -> User: ...
        @user.setter
        def user(self, value: User) -> None: ...

else:
    AuthedRequest = Request


def request_viewer(request: HttpRequest | Request) -> User | None:
    """Who is looking: the signed-in user, or None for an anonymous visitor."""
    user = request.user
    # A lazy user object still passes isinstance: it proxies __class__.
    return user if isinstance(user, User) else None


def request_is_same_origin(request: HttpRequest) -> bool:
    """Whether a browser sent this request from one of our own pages, for a POST that takes no
    CSRF token. ``Sec-Fetch-Site`` when the browser sends it (every current one does): only
    ``same-origin`` or ``none`` (the user's own action) pass. Otherwise the ``Origin`` header's
    host must be ours (the port is not compared: behind nginx ``Host`` carries none). A request
    with neither header is refused: a browser always sends ``Origin`` with a fetch POST.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    try:
        origin_host = urlsplit(origin).hostname
    except ValueError:
        return False
    host, _port = split_domain_port(request.get_host())
    return bool(origin_host) and origin_host == host.strip("[]").lower()
