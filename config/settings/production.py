"""Production settings: every service URL and secret comes from the environment."""

from __future__ import annotations

from csp.constants import NONCE
from csp.constants import NONE
from csp.constants import SELF

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING
from config.settings.base import MIDDLEWARE
from config.settings.base import REST_FRAMEWORK
from config.settings.base import database_config
from config.settings.base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Several threads per server process: pool connections by default (see database_config).
DATABASES = {
    "default": database_config(env("DATABASE_URL"), pool=env.bool("DJANGO_DB_POOL", default=True)),
}
REDIS_URL = env("REDIS_URL")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")

# -----------------------------------------------------------------------------
# SECURITY  https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# -----------------------------------------------------------------------------
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env.int("MOOCHU_NUM_PROXIES", default=1)}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
LOGGING["handlers"]["console"]["formatter"] = env("DJANGO_LOG_FORMAT", default="json")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# -----------------------------------------------------------------------------
# CONTENT SECURITY POLICY  https://django-csp.readthedocs.io/en/latest/configuration.html
# -----------------------------------------------------------------------------
MIDDLEWARE = [*MIDDLEWARE, "csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF, "wss:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https:"],
    },
}
