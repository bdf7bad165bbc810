"""Test settings: real PostgreSQL and Redis (started by scripts/services.sh)."""

from __future__ import annotations

import hashlib
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moochu")
# Parallel checkouts on one machine get their own test database, Redis database number
# (a cache.clear() is FLUSHDB) and Redis key prefix.
_CHECKOUT_TAG = hashlib.sha256(os.path.dirname(os.path.abspath(__file__)).encode()).hexdigest()[:6]
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{int(_CHECKOUT_TAG, 16) % 15 + 1}")
os.environ.setdefault("MOOCHU_REDIS_PREFIX", f"moochu-test-{_CHECKOUT_TAG}")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import CACHES  # noqa: E402
from config.settings.base import CONTENT_SECURITY_POLICY  # noqa: E402
from config.settings.base import DATABASES  # noqa: E402
from config.settings.base import REST_FRAMEWORK  # noqa: E402
from config.settings.base import STATIC_ROOT  # noqa: E402

DATABASES["default"]["TEST"] = {"NAME": f"test_moochu_{_CHECKOUT_TAG}"}
DATABASES["default"]["CONN_MAX_AGE"] = 0

DEBUG = False
# Suites call the API far more often than a person; tests of throttling lower these.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests drive tasks directly; eager keeps .delay() synchronous and visible.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files through the finders; whitenoise wants its root to exist.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Cached fragments would outlive a test's data (Redis is shared by the whole run): off,
# except in the tests of the caching itself.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# The OpenID Connect provider the sign-in tests run is plain http on loopback; real providers
# (Kakao, Naver, Google) are https, which the policy already allows as a form target.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "form-action": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"], "http://127.0.0.1:*"],
    },
}
