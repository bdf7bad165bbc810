"""Planner browser tests: the social suite's ASGI server and Chromium fixtures."""

from __future__ import annotations

from tests.social.browser.conftest import chromium  # noqa: F401
from tests.social.conftest import asgi_server  # noqa: F401
