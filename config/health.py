"""Liveness and readiness probes for the load balancer and compose health checks."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.redis_client import fallbacks
from config.redis_client import redis_sync

logger = logging.getLogger(__name__)

# Each check returns None when healthy, else a short reason.
ReadinessCheck = Callable[[], str | None]


def _check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _check_redis() -> str | None:
    if not settings.REDIS_URL:
        return None  # embedded default: no Redis configured, nothing to reach
    client = redis_sync()
    assert client is not None
    client.ping()
    return None


def readiness_checks() -> dict[str, ReadinessCheck]:
    return {"database": _check_database, "redis": _check_redis}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving; touches no backing service."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every backing service answers; 503 naming what is down otherwise."""
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        try:
            problem = check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            problem = f"{type(error).__name__}: {error}"[:200]
        results[name] = problem or "ok"
    down = sorted(name for name, state in results.items() if state != "ok")
    payload = {
        "status": "ok" if not down else "unavailable",
        "checks": results,
        "down": down,
        # Reads served without Redis since this process started (config/redis_client.py).
        "redis_fallbacks": dict(fallbacks),
    }
    return JsonResponse(payload, status=200 if not down else 503)
