"""Shared fixtures of the browser tests: headless Debian Chromium driven by Playwright.

Playwright's sync API runs an event loop in the test thread; Django's async-safety check
would refuse ORM calls made beside it, hence DJANGO_ALLOW_ASYNC_UNSAFE for these tests only.
"""

from __future__ import annotations

import os
import shutil

import pytest

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
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English UI so tests can name buttons; Korean is covered by the view tests.
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}
