"""The site chrome's links (base.html, social/_nav.html), reversed once per process.

Every page draws about twenty of them; each ``{% url %}`` is a reverse() on every request.
They depend only on the URLconf and the script prefix, so they are worked out once per prefix
and read as ``{{ nav.catalog }}``.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.urls import get_script_prefix
from django.urls import get_urlconf
from django.urls import reverse

NAV_URL_NAMES = {
    "catalog": "movies:catalog",
    "coming_soon": "movies:coming-soon",
    "chat": "chat:room_list",
    "feed": "social:feed",
    "board": "social:board",
    "search": "search:page",
    "inbox": "social:inbox",
    "picks": "social:picks",
    "lists": "lists:mine",
    "parties": "parties:mine",
    "friends": "social:friends",
    "planner": "planner:planner",
    "imports": "imports:home",
    "settings": "social:profile-edit",
    "set_language": "set_language",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
}


@functools.cache
def _nav_urls(script_prefix: str, urlconf: str) -> dict[str, str]:
    urls = {}
    for key, name in NAV_URL_NAMES.items():
        # A URLconf without some of them (a test's own) draws those links empty, as
        # {% url ... as x %} did; the full URLconf has them all (tests/config/test_navigation.py).
        with contextlib.suppress(NoReverseMatch):
            urls[key] = reverse(name, urlconf=urlconf)
    return urls


def nav_urls(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav``, the chrome's links by short name."""
    # Keyed on the URLconf in force: a request's own, or the setting (which tests swap).
    return {"nav": _nav_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)}
