"""The Content-Security-Policy header, built once per process instead of on every response.

django-csp's middleware rebuilds both headers from the settings on every response (copying
every directive, deduplicating, joining: ~60 µs a page, signed in or not). Moochu's policy is
one setting for the whole site, so each header is built once with a stand-in nonce, and a page
that used ``request.csp_nonce`` gets the stand-in swapped for its own. A response that carries
its own policy (django-csp's view decorators set ``response._csp_*``) is left to django-csp.
"""

from __future__ import annotations

import functools

from csp.constants import HEADER
from csp.constants import HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Letters and digits only, like a real (base64) nonce: no directive can contain it otherwise.
_NONCE_STAND_IN = "moochuNonceStandIn7f3a1c9e"
# What django-csp's decorators set on a response to change its policy.
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# (header, its setting, the response flag that exempts a response from it)
_HEADERS = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
)


@functools.cache
def _site_policy(*, report_only: bool, with_nonce: bool) -> str:
    """The site's header ("" when its setting is absent), with the stand-in as nonce if asked."""
    return build_policy(nonce=_NONCE_STAND_IN if with_nonce else None, report_only=report_only)


@functools.cache
def _excluded_prefixes(setting: str) -> tuple[str, ...]:
    return tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())


@receiver(setting_changed)
def _policy_setting_changed(*, setting: str, **kwargs: object) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _site_policy.cache_clear()
        _excluded_prefixes.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the site's headers built once (see the module)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if any(getattr(response, name, None) is not None for name in _OWN_POLICY):
            return super().process_response(request, response)
        # As django-csp: DEBUG's 404 and 500 pages are inline by nature and go without.
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for header, setting, exempt, report_only in _HEADERS:
            policy = _site_policy(report_only=report_only, with_nonce=bool(nonce))
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            if request.path_info.startswith(_excluded_prefixes(setting)):
                continue
            response[header] = policy.replace(_NONCE_STAND_IN, nonce) if nonce else policy
        # As django-csp: a nonce asked for after the header is written would not be in it.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
