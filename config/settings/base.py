"""Moochu settings.

Runs with zero environment variables (SQLite, in-memory channel layer, locmem cache,
eager Celery, database search). Each backend switches on when its URL is present:

- ``DATABASE_URL``       PostgreSQL (or any database django-environ parses)
- ``REDIS_URL``          Redis cache, channels-redis layer and Celery broker
- ``ELASTICSEARCH_URL``  Elasticsearch search backend
- ``MONGO_URL``          MongoDB raw-payload store and event archive

Environment is read here only, through django-environ.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "apps"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# -----------------------------------------------------------------------------
# GENERAL
# -----------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The embedded default is for a laptop; production.py requires a real key.
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="moochu-embedded-default-not-for-production-0f3c9a1e7b",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

TIME_ZONE = "Asia/Seoul"
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
SITE_ID = 1

# -----------------------------------------------------------------------------
# DATABASES
# -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'moochu.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # WAL lets the web server read while a demo import writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
else:
    # Persistent connections: opening one costs ~2 ms, more than a catalog query.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# -----------------------------------------------------------------------------
# URLS / ASGI
# -----------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

# -----------------------------------------------------------------------------
# APPS
# -----------------------------------------------------------------------------
DJANGO_APPS = [
    "daphne",  # first, so runserver serves ASGI
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
if IS_POSTGRES:
    DJANGO_APPS.append("django.contrib.postgres")
THIRD_PARTY_APPS = [
    "channels",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]
LOCAL_APPS = [
    "apps.movies",
    "apps.social",
    "apps.chat",
    "apps.recs",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# -----------------------------------------------------------------------------
# AUTHENTICATION
# -----------------------------------------------------------------------------
AUTH_USER_MODEL = "social.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "movies:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("DJANGO_ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"

# -----------------------------------------------------------------------------
# MIDDLEWARE
# -----------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# -----------------------------------------------------------------------------
# STATIC / MEDIA
# -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# -----------------------------------------------------------------------------
# TEMPLATES
# -----------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# -----------------------------------------------------------------------------
# CACHES / REDIS / CHANNELS
# -----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Isolates keys of parallel checkouts/test runs sharing one Redis server.
REDIS_KEY_PREFIX = env("MOOCHU_REDIS_PREFIX", default="moochu")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
    # https://github.com/django/channels_redis#usage — pool size and timeout set
    # explicitly: at defaults redis-py 8 fails past ~100 clients per process.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": 512, "socket_timeout": 30}],
                "prefix": f"{REDIS_KEY_PREFIX}:asgi",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# -----------------------------------------------------------------------------
# CELERY  https://docs.celeryq.dev/en/stable/userguide/configuration.html
# -----------------------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL and env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# -----------------------------------------------------------------------------
# SEARCH / RAW PAYLOADS / EVENTS
# -----------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="moochu")
MONGO_URL = env("MONGO_URL", default="")
MONGO_DATABASE = env("MONGO_DATABASE", default="moochu")

# -----------------------------------------------------------------------------
# REST FRAMEWORK  https://www.django-rest-framework.org/api-guide/settings/
# -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Moochu API",
    "DESCRIPTION": "Catalog, social and recommendation API of Moochu.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# -----------------------------------------------------------------------------
# LOGGING
# -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# -----------------------------------------------------------------------------
# EMAIL
# -----------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Moochu <noreply@moochu.local>")

# -----------------------------------------------------------------------------
# MOOCHU
# -----------------------------------------------------------------------------
# Catalog page size; the list API and pages share it.
CATALOG_PAGE_SIZE = env.int("MOOCHU_CATALOG_PAGE_SIZE", default=24)
# Snapshot date of the bundled Korean where-to-watch sample (availability changes).
DEMO_KOREAN_SNAPSHOT = "2026-11-01"

# -----------------------------------------------------------------------------
# RECOMMENDATIONS (apps.recs)
# -----------------------------------------------------------------------------
# Nightly retrain, Asia/Seoul time (CELERY_TIMEZONE). https://crontab.guru/#30_4_*_*_*
RECS_RETRAIN_HOUR = env.int("MOOCHU_RECS_RETRAIN_HOUR", default=4)
RECS_RETRAIN_MINUTE = env.int("MOOCHU_RECS_RETRAIN_MINUTE", default=30)
CELERY_BEAT_SCHEDULE["recs-nightly-retrain"] = {
    "task": "apps.recs.tasks.recs_model_train_task",
    "schedule": crontab(hour=RECS_RETRAIN_HOUR, minute=RECS_RETRAIN_MINUTE),
}
# Behaviour events leave the Redis buffer in batches every few seconds.
CELERY_BEAT_SCHEDULE["recs-events-flush"] = {
    "task": "apps.recs.tasks.events_flush_task",
    "schedule": 10.0,
    "options": {"expires": 9},
}
# EASE settings chosen on the MovieLens validation split (see apps/recs/ml/collaborative.py).
RECS_EASE_PARAMS = {
    "l2": 100.0,
    "time_weight": 1.0,
    "time_scale_s": 60.0,
    "max_items": 4000,
    "neighbours": 200,
}
RECS_HALF_LIFE_DAYS = env.float("MOOCHU_RECS_HALF_LIFE_DAYS", default=365.0)
RECS_TOP_N = 100
RECS_TOP_TTL_S = 3 * 24 * 3600
RECS_PRECOMPUTE_MAX_USERS = env.int("MOOCHU_RECS_PRECOMPUTE_MAX_USERS", default=200_000)
RECS_ANONYMOUS_MAX_AGE_RATING = "15"
# Behaviour events: per-actor budget (events per window) and flush batch size.
RECS_EVENTS_RATE_LIMIT = env.int("MOOCHU_RECS_EVENTS_RATE_LIMIT", default=120)
RECS_EVENTS_IP_RATE_LIMIT = env.int("MOOCHU_RECS_EVENTS_IP_RATE_LIMIT", default=2000)
RECS_EVENTS_RATE_WINDOW_S = 60
RECS_EVENTS_MAX_BATCH = 100
RECS_EVENTS_FLUSH_BATCH = 5000
