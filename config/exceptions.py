"""One error contract for the API: every error renders as ``{"message", "extra"}``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from config.redis_client import RETRY_AFTER_S

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A business rule said no; rendered as HTTP 400 with a message and details."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    """The object a request names does not exist for this caller (or is not theirs to touch,
    which must look the same): 404, so a well-formed request for a missing id is not a 400."""

    status_code = 404


class ForbiddenError(ApplicationError):
    """The caller is signed in but may not do this (a member, not a moderator): 403."""

    status_code = 403


class ConflictError(ApplicationError):
    """The request is well formed but the object's state refuses it (already accepted): 409."""

    status_code = 409


def _unavailable_payload() -> dict[str, Any]:
    return {
        "message": _("Moochu is briefly unavailable. Try again in a few seconds."),
        "extra": {"retry_after": RETRY_AFTER_S},
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RedisError):
        # Work that cannot be done without Redis (config/redis_client.py): retry, not a bug.
        logger.warning("API answered 503: Redis unavailable (%s)", exc)
        return Response(_unavailable_payload(), status=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc.detail, (list, dict)):  # type: ignore[attr-defined]
        response.data = {"message": "Validation error", "extra": {"fields": response.data}}
    else:
        response.data = {"message": str(exc.detail), "extra": {}}  # type: ignore[attr-defined]
    return response


class ServiceUnavailableMiddleware:
    """Pages (and any API path outside DRF) whose work needs Redis answer 503 + Retry-After
    while it is unreachable, in the one error shape under /api/, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RedisError):
            return None
        logger.warning("%s answered 503: Redis unavailable (%s)", request.path, exception)
        payload = _unavailable_payload()
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(payload, status=503)
        else:
            response = HttpResponse(payload["message"], status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
