"""Shared fixtures: users, logged-in clients, Redis hygiene and the browser set-up."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from tests.servers import redis_keys_delete


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delete_prefixed_redis_keys() -> None:
    # Django's RedisCache.clear() is FLUSHDB, which would also wipe other test runs
    # sharing the server; delete only this run's keys.
    redis_keys_delete(settings.REDIS_URL, match=f"*{settings.REDIS_KEY_PREFIX}*")


@pytest.fixture
def clean_cache() -> Iterator[None]:
    """An empty cache (and rate-limit history) for this test, whatever ran before."""
    _delete_prefixed_redis_keys()
    yield
    _delete_prefixed_redis_keys()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language. A request through the test client
    runs LocaleMiddleware in this thread and leaves its language active afterwards (an
    English page made a later test's Korean explanation come out in English)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_catalog_vocabulary():
    """The catalog caches genres/providers, recs the trending ranking and titles' leading people,
    per process; each test starts without them."""
    from apps.movies.selectors import catalog_vocabulary_clear
    from apps.recs.selectors import recs_leading_people_clear
    from apps.recs.selectors import recs_trending_clear

    catalog_vocabulary_clear()
    recs_trending_clear()
    recs_leading_people_clear()
    yield
    catalog_vocabulary_clear()
    recs_trending_clear()
    recs_leading_people_clear()


@pytest.fixture
def recording(tmp_path):
    """Write an ad-hoc recording of source responses (see tests/movies/crawlers/recordings.py)."""
    from tests.movies.crawlers.recordings import recording_builder

    return recording_builder(tmp_path)


# -----------------------------------------------------------------------------
# Browser tests: one pytest-playwright instance drives Debian's Chromium for every
# test (a second sync_playwright() in the same session fails).
# -----------------------------------------------------------------------------
# Playwright's sync API runs an event loop in the test thread; Django's async-safety
# check would refuse the ORM calls tests make beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: scripts/services.sh installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


_BROWSER_FIXTURES = {"page", "context", "browser", "new_context", "chromium"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: pytest-playwright keeps an event loop running in the main
    thread for the rest of the session, which asyncio-based tests cannot share."""
    in_browser = [
        item
        for item in items
        if item.get_closest_marker("browser") or _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]
    if in_browser:
        chosen = set(map(id, in_browser))
        items[:] = [item for item in items if id(item) not in chosen] + in_browser
