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
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from csp.constants import NONE
from csp.constants import SELF
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
def database_config(url: str, *, pool: bool) -> dict[str, object]:
    """One database's settings from its URL (production.py builds its own the same way)."""
    config: dict[str, object] = {**environ.Env.db_url_config(url), "ATOMIC_REQUESTS": False}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        (BASE_DIR / "var").mkdir(exist_ok=True)
        # Settings that hold a chat burst (8 writers × 15 messages, tests/faults/test_sqlite_burst.py;
        # before: "database is locked"): WAL lets readers run beside the one writer; IMMEDIATE
        # takes the write lock at BEGIN, so a writer waits its turn (the busy timeout) instead
        # of failing when a read inside its transaction tries to upgrade; synchronous=NORMAL is
        # safe under WAL and skips an fsync per commit.
        # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    elif pool:
        # A psycopg pool shares a few connections across the threads of a server process
        # (HTTP's fixed thread pool, the WebSocket consumers' sync work) and bounds how many
        # each process opens, however many threads come and go.
        # https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
        config["CONN_MAX_AGE"] = 0
        # With a pool, Django passes psycopg_pool's `check=ConnectionPool.check_connection`:
        # each connection is checked as it leaves the pool (an empty query, ~0.1 ms on
        # loopback), so a backend killed or restarted since is replaced, not handed to a
        # request. Without it every pooled connection failed one request after a kill
        # (17 failed of 480 requests over 3 kills, tests/faults/test_postgres_kill.py).
        # https://www.psycopg.org/psycopg3/docs/advanced/pool.html#connection-checks
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})["pool"] = {  # type: ignore[index]
            "min_size": env.int("DJANGO_DB_POOL_MIN", default=2),
            "max_size": env.int("DJANGO_DB_POOL_MAX", default=8),
            "timeout": 10,
        }
    else:
        # Persistent connections: opening one costs ~2 ms, more than a catalog query.
        config["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {
    "default": database_config(
        env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'moochu.sqlite3'}"),
        pool=env.bool("DJANGO_DB_POOL", default=False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# -----------------------------------------------------------------------------
# URLS / ASGI
# -----------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
# A less guessable admin path in production, e.g. DJANGO_ADMIN_URL=backstage-7f3a/
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, pinned by the lock, served as our static
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
]
LOCAL_APPS = [
    "apps.movies",
    "apps.social",
    "apps.chat",
    "apps.recs",
    "apps.lists",
    "apps.parties",
    "apps.yearly",
    "apps.planner",
    "apps.imports",
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
ACCOUNT_EMAIL_VERIFICATION = env("DJANGO_ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-up also asks for a nickname (unique under case folding and NFKC).
ACCOUNT_SIGNUP_FORM_CLASS = "apps.social.forms.SignupForm"
ACCOUNT_ADAPTER = "apps.social.adapters.AccountAdapter"
# Mails and pages greet people by nickname, never by the generated username.
ACCOUNT_USER_DISPLAY = "apps.social.adapters.user_display"
ACCOUNT_SIGNUP_REDIRECT_URL = "social:onboarding"
# https://docs.allauth.org/en/latest/socialaccount/configuration.html
SOCIALACCOUNT_ADAPTER = "apps.social.adapters.SocialAccountAdapter"
# Kakao, Naver and Google verify e-mail addresses: a returning user with the same
# verified address signs in to (and is linked with) the account they already have.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# Providers are configured here from the environment, or as Social applications in the
# admin; the login page shows a button only for providers that have an app.
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {
    "kakao": {},
    "naver": {},
    "google": {"SCOPE": ["openid", "profile", "email"], "AUTH_PARAMS": {"prompt": "select_account"}},
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
for _provider in ("kakao", "naver", "google"):
    _client_id = env(f"{_provider.upper()}_CLIENT_ID", default="")
    if _client_id:
        SOCIALACCOUNT_PROVIDERS[_provider]["APPS"] = [
            {"client_id": _client_id, "secret": env(f"{_provider.upper()}_CLIENT_SECRET", default="")}
        ]

# -----------------------------------------------------------------------------
# MIDDLEWARE
# -----------------------------------------------------------------------------
MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL bytes, lone surrogates, over-long values: a clear 400 before any view (config/bad_input.py).
    "config.bad_input.BadInputMiddleware",
    # Redis unreachable for work that needs it: 503 + Retry-After, not 500 (config/exceptions.py).
    "config.exceptions.ServiceUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # django-csp's, with the header built once per process (config/csp.py).
    "config.csp.CSPMiddleware",
    # The recommender's active version, looked up once per request (apps/recs/middleware.py).
    "apps.recs.middleware.ArtifactPerRequestMiddleware",
]

# -----------------------------------------------------------------------------
# CONTENT SECURITY POLICY  https://django-csp.readthedocs.io/en/latest/configuration.html
# -----------------------------------------------------------------------------
# One policy for every environment, so a page that breaks under production's header breaks
# on a laptop and in the browser tests too. No 'unsafe-inline' anywhere: styles and scripts
# come from our static files; JSON for scripts rides in <script type="application/json">
# (json_script), which CSP does not execute. A template that truly needs an inline script
# writes nonce="{{ request.csp_nonce }}"; the nonce then joins script-src for that response
# only. (Debug 404/500 pages, which are inline by nature, are exempt while DEBUG.)
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF, "wss:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https:"],
    },
}

# -----------------------------------------------------------------------------
# STATIC / MEDIA
# -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
                "apps.social.context_processors.notifications",
                "apps.common.navigation.nav_urls",
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
# One timeout policy for every Redis client (config/redis_client.py), the cache and the layer:
# an unreachable Redis costs a caller at most the connect timeout.
REDIS_SOCKET_CONNECT_TIMEOUT_S = env.float("MOOCHU_REDIS_CONNECT_TIMEOUT_S", default=1.0)
REDIS_SOCKET_TIMEOUT_S = env.float("MOOCHU_REDIS_TIMEOUT_S", default=2.0)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, where an outage reads as a miss (logged and counted).
            "BACKEND": "config.redis_client.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_CONNECT_TIMEOUT_S,
                "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
            },
        }
    }
    # https://github.com/django/channels_redis#usage — pool size set explicitly: at defaults
    # redis-py 8 fails past ~100 clients per process. The read timeout is the layer's own:
    # a subscriber waits on its socket for as long as a room is quiet.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": 512,
                        "socket_timeout": 30,
                        "socket_connect_timeout": REDIS_SOCKET_CONNECT_TIMEOUT_S,
                    }
                ],
                "prefix": f"{REDIS_KEY_PREFIX}:asgi",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Rendered page fragments that are the same for everyone ({% cache … using="fragments" %}):
# the default cache under its own name, so tests can switch fragment caching off alone.
CACHES["fragments"] = {**CACHES["default"], "KEY_PREFIX": f"{REDIS_KEY_PREFIX}:fragments"}

# Sessions read through the cache (Redis when REDIS_URL is set) and write through to the
# database: a signed-in page skips one query, and a cache flush loses no one's login.
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

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
# autodiscover only finds tasks.py; task modules under other names are listed here.
CELERY_IMPORTS = ["apps.movies.search.tasks"]
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Saleor-style dirty-flag sync; `expires` drops a run a busy worker could not start in time.
    "movies-search-index-sync": {
        "task": "apps.movies.search_tasks.movies_search_index_sync_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Full rebuild behind the alias; also drops deleted titles. https://crontab.guru/#30_4_*_*_*
    "movies-search-index-rebuild": {
        "task": "apps.movies.search_tasks.movies_search_index_rebuild_task",
        "schedule": crontab(minute="30", hour="4"),
    },
}

# -----------------------------------------------------------------------------
# CRAWLERS  (apps/movies/crawlers, shared/sources.md)
# -----------------------------------------------------------------------------
TMDB_API_KEY = env("TMDB_API_KEY", default="")
KOBIS_API_KEY = env("KOBIS_API_KEY", default="")
# A failed crawl run posts here when set (Slack incoming webhook).
SLACK_WEBHOOK_URL = env("SLACK_WEBHOOK_URL", default="")
CRAWLER = {
    "USER_AGENT": env(
        "CRAWLER_USER_AGENT", default="MoochuBot/1.0 (+https://moochu.kr/bot; catalog crawler)"
    ),
    "TIMEOUT_SECONDS": env.float("CRAWLER_TIMEOUT_SECONDS", default=15.0),
    "MAX_RETRIES": env.int("CRAWLER_MAX_RETRIES", default=3),
    "BACKOFF_SECONDS": env.float("CRAWLER_BACKOFF_SECONDS", default=2.0),
    # Per host; one request a second keeps us a polite visitor.
    "MIN_INTERVAL_SECONDS": env.float("CRAWLER_MIN_INTERVAL_SECONDS", default=1.0),
    # A larger answer is refused (a runaway page, not a film list).
    "MAX_RESPONSE_BYTES": env.int("CRAWLER_MAX_RESPONSE_BYTES", default=8 * 1024 * 1024),
    "TMDB_DISCOVER_PAGES": env.int("CRAWLER_TMDB_DISCOVER_PAGES", default=5),
}
# Cinemas change hourly, OTT lists daily. Minutes past the hour spread the load.
# https://crontab.guru/#17_*_*_*_*  and  https://crontab.guru/#40_4_*_*_*
CRAWL_CINEMA_CRONTAB = env("CRAWL_CINEMA_CRONTAB", default="17 * * * *")
CRAWL_OTT_CRONTAB = env("CRAWL_OTT_CRONTAB", default="40 4 * * *")


def _crontab(spec: str) -> crontab:
    minute, hour, day_of_month, month_of_year, day_of_week = spec.split()
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


# CGV is switched off (apps/movies/crawlers/cgv.py says why); Daum 영화 closed in 2024.
for _source, _spec in (
    ("megabox", CRAWL_CINEMA_CRONTAB),
    ("lotte", CRAWL_CINEMA_CRONTAB),
    ("kobis", CRAWL_OTT_CRONTAB),
    ("tmdb", CRAWL_OTT_CRONTAB),
):
    CELERY_BEAT_SCHEDULE[f"crawl-{_source}"] = {
        "task": "apps.movies.tasks.crawl_source_task",
        "schedule": _crontab(_spec),
        "args": (_source,),
        # A run that waited past the next slot is dropped, not stacked.
        "options": {"expires": 50 * 60},
    }
# Popularity decays with time and takes in watchlist adds and views: refreshed nightly.
# https://crontab.guru/#10_4_*_*_*
CELERY_BEAT_SCHEDULE["movies-title-stats-refresh"] = {
    "task": "apps.movies.tasks.title_stats_refresh_task",
    "schedule": crontab(minute="10", hour="4"),
    "options": {"expires": 60 * 60},
}
# Homepage visitor counts: Redis → VisitDaily, so a Redis restart loses at most a minute.
CELERY_BEAT_SCHEDULE["social-visits-flush"] = {
    "task": "apps.social.tasks.visits_flush_task",
    "schedule": 60.0,
}

# -----------------------------------------------------------------------------
# SEARCH / RAW PAYLOADS / EVENTS
# -----------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="moochu")
# "elasticsearch" when ELASTICSEARCH_URL is set, else "database" (PostgreSQL or SQLite,
# whichever DATABASES uses). See apps/movies/search/.
SEARCH_BACKEND = env("MOOCHU_SEARCH_BACKEND", default="elasticsearch" if ELASTICSEARCH_URL else "database")
ELASTICSEARCH_TIMEOUT_S = env.float("ELASTICSEARCH_TIMEOUT_S", default=2.0)
# Titles per run of the search-index sync task (bulk request size).
SEARCH_INDEX_BATCH_SIZE = env.int("MOOCHU_SEARCH_INDEX_BATCH_SIZE", default=500)
MONGO_URL = env("MONGO_URL", default="")
MONGO_DATABASE = env("MONGO_DATABASE", default="moochu")

# -----------------------------------------------------------------------------
# REST FRAMEWORK  https://www.django-rest-framework.org/api-guide/settings/
# -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.schema.MoochuAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "config.authentication.TrackedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # Per client IP (anonymous) or per user; over the limit: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonymousRateThrottle",
        "config.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("MOOCHU_API_RATE_ANON", default="1200/min"),
        "user": env("MOOCHU_API_RATE_USER", default="2400/min"),
    },
    # nginx is the one proxy in front: trust one X-Forwarded-For hop for client IPs.
    "NUM_PROXIES": env.int("MOOCHU_NUM_PROXIES", default=0),
    "DEFAULT_RENDERER_CLASSES": ["config.renderers.ORJSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Moochu API",
    "DESCRIPTION": "Catalog, social and recommendation API of Moochu.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ loads Swagger UI from our static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set reused by several fields.
    "ENUM_NAME_OVERRIDES": {
        "SectionVisibilityEnum": "apps.social.models.Visibility",
        "RsvpAnswerEnum": "apps.parties.models.RsvpAnswer",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.query_blank_means_absent",
    ],
}

# -----------------------------------------------------------------------------
# LOGGING
# -----------------------------------------------------------------------------
# Plain lines for a developer's terminal; JSON lines (one object per record, with the
# request id) when DJANGO_LOG_FORMAT=json, as production sets it.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="plain")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"level": env("DJANGO_LOG_LEVEL", default="INFO"), "handlers": ["console"]},
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
# Social: avatar upload limit; rate limits as (actions, window seconds) per user.
SOCIAL_AVATAR_MAX_BYTES = env.int("MOOCHU_AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
SOCIAL_RATE_LIMITS: dict[str, tuple[int, int]] = {}
# Snapshot date of the bundled Korean where-to-watch sample (availability changes).
DEMO_KOREAN_SNAPSHOT = "2026-11-01"

# -----------------------------------------------------------------------------
# INACTIVE-RIGHTS BATCH (apps/social/rights.py)
# -----------------------------------------------------------------------------
# Elevated rights (chat moderator/owner, staff, API tokens) unused this long are revoked.
RIGHTS_INACTIVITY_DAYS = env.int("MOOCHU_RIGHTS_INACTIVITY_DAYS", default=90)
RIGHTS_BATCH_HOUR = env.int("MOOCHU_RIGHTS_BATCH_HOUR", default=18)  # Asia/Seoul
RIGHTS_RECORD_CHUNK_SIZE = env.int("MOOCHU_RIGHTS_RECORD_CHUNK_SIZE", default=500)
# Break-glass accounts the batch never touches.
RIGHTS_EXEMPT_USERNAMES = env.list("MOOCHU_RIGHTS_EXEMPT_USERNAMES", default=[])
RIGHTS_TOKEN_STAMP_MINUTES = 5
CELERY_BEAT_SCHEDULE["social-rights-batch"] = {
    # https://crontab.guru/#0_18_*_*_* — daily at 18:00 in CELERY_TIMEZONE (Asia/Seoul)
    "task": "apps.social.tasks.rights_batch_run_task",
    "schedule": crontab(hour=RIGHTS_BATCH_HOUR, minute=0),
    "options": {"expires": 60 * 60},
}

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
RECS_EASE_PARAMS: dict[str, Any] = {
    "l2": 100.0,
    "time_weight": 1.0,
    "time_scale_s": 60.0,
    "max_items": 4000,
    "neighbours": 200,
    "diagonal_power": 0.9,
}
# iALS factors blended with EASE (z-scored, ``RECS_IALS_WEIGHT`` the iALS share), chosen on
# the MovieLens validation splits (see apps/recs/ml/collaborative.py IalsParams).
RECS_IALS_PARAMS: dict[str, Any] = {"dim": 128, "alpha": 15.0, "l2": 60.0, "iterations": 10}
RECS_IALS_WEIGHT = 0.5
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

# The year-in-review card (apps/yearly/image.py) needs a font with Hangul; empty = look for
# Debian's fonts-nanum or Noto CJK.
MOOCHU_KOREAN_FONT = env("MOOCHU_KOREAN_FONT", default="")
