"""Watch party browser tests: headless Chromium against the served ASGI app (the social tests' fixture)."""

from __future__ import annotations

from tests.social.conftest import asgi_server  # noqa: F401 (the fixture, shared)
