"""Browser contexts for journey tests: a language cookie and, for a person, a signed-in session."""

from __future__ import annotations

from typing import Any

from django.test import Client


def browser_context(browser: Any, base: str, user: Any = None, *, lang: str = "en", width: int = 1280) -> Any:
    """A Playwright context on ``base`` at ``width`` px in ``lang``, signed in as ``user`` if given."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    cookies = [{"name": "django_language", "value": lang, "url": base}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base})
    context.add_cookies(cookies)
    return context
