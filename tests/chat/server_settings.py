"""Settings for ASGI processes started by chat socket/browser tests."""

from __future__ import annotations

from config.settings.test import *  # noqa: F403

# The served process points DATABASE_URL at the (already created) test database itself.
DATABASES["default"].pop("TEST", None)  # noqa: F405
# Static files straight from static/ (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
