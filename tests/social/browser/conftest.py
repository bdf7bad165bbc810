"""Social browser tests: headless Chromium against the ASGI server fixture (tests/social/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def chromium(browser):
    """pytest-playwright's session browser (see tests/conftest.py for the launch set-up)."""
    return browser
