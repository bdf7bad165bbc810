"""Site-wide pages that are not an app's: error pages that are not Django's defaults, API docs."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularSwaggerSplitView

# allauth's sign-in, sign-up and password-reset limits are per minute.
RATE_LIMIT_RETRY_AFTER_S = 60


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429 for allauth's rate limits (it looks up ``handler429`` in the root URLconf)."""
    response = render(request, "429.html", {"retry_after": RATE_LIMIT_RETRY_AFTER_S}, status=429)
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER_S)
    return response


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our static files (drf-spectacular-sidecar), so it works offline.

    The split view serves its start-up script from this same URL (``?script``) instead of
    inline, and our template drops the inline <style>: the page holds under the CSP.
    """

    template_name = "api/swagger_ui.html"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the API's one error shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"message": _("Not found."), "extra": {}}, status=404)
    return page_not_found(request, exception)
