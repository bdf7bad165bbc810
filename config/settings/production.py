"""Production settings: every service URL and secret comes from the environment."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING
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

# -----------------------------------------------------------------------------
# STATIC FILES  https://whitenoise.readthedocs.io/en/stable/django.html
# -----------------------------------------------------------------------------
# collectstatic writes content-hashed names ({% static %} links them) with .gz/.br twins; each
# URL is worked out once per process (config/static_storage.py).
# nginx serves /static/ itself (compose/production/nginx); whitenoise answers the same way
# when Django is reached directly: hashed names cached for ever (immutable), others an hour.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.static_storage.StaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
