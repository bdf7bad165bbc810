"""The minimal tutorial-style chat used as the benchmark baseline: core Redis layer, no DB."""

from __future__ import annotations

import os

SECRET_KEY = "baseline-benchmark-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["channels"]
ROOT_URLCONF = "benchmarks.chat_baseline.urls"
USE_TZ = True
CHANNEL_LAYERS = {
    "default": {
        # As the Channels tutorial configures it (core layer), plus the pool size and socket
        # timeout that redis-py 8 needs past ~100 clients (shared/realtime-notes.md).
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                    "max_connections": 512,
                    "socket_timeout": 30,
                }
            ],
            "prefix": os.environ.get("BASELINE_PREFIX", "baseline") + ":asgi",
        },
    }
}
