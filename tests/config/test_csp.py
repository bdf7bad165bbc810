"""The CSP header built once per process says exactly what django-csp's middleware says."""

from __future__ import annotations

import pytest
from csp.constants import NONCE
from csp.constants import SELF
from csp.decorators import csp_exempt
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseNotFound
from django.test import RequestFactory

from config.csp import CSPMiddleware

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def _headers(middleware_class, view, path: str = "/", *, use_nonce: bool = False) -> tuple[dict, str | None]:
    """Both headers a middleware sets on ``view``'s response, and the nonce the page used."""
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda r: view(r))
    middleware.process_request(request)
    nonce = str(request.csp_nonce) if use_nonce else None  # type: ignore[attr-defined]
    response = middleware.process_response(request, view(request))
    return {h: response.get(h) for h in (HEADER, REPORT_ONLY)}, nonce


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("page")


@pytest.mark.parametrize("use_nonce", [False, True])
def test_the_site_policy_matches_django_csp_with_and_without_a_nonce(use_nonce):
    ours, nonce = _headers(CSPMiddleware, _page, use_nonce=use_nonce)
    theirs, their_nonce = _headers(DjangoCSPMiddleware, _page, use_nonce=use_nonce)

    # then: the same header, each with its own request's nonce
    if use_nonce:
        assert f"'nonce-{nonce}'" in ours[HEADER]
        theirs[HEADER] = theirs[HEADER].replace(their_nonce, nonce)
    else:
        assert "nonce-" not in ours[HEADER]
    assert ours == theirs
    assert ours[HEADER]
    assert ours[REPORT_ONLY] is None


def test_two_requests_never_share_a_nonce():
    first, first_nonce = _headers(CSPMiddleware, _page, use_nonce=True)
    second, second_nonce = _headers(CSPMiddleware, _page, use_nonce=True)

    assert first_nonce != second_nonce
    assert first_nonce in first[HEADER]
    assert first_nonce not in second[HEADER]


def test_a_view_that_changes_its_policy_or_is_exempt_gets_what_django_csp_gives():
    updated = csp_update({"img-src": ["cdn.example"]})(_page)
    exempt = csp_exempt()(_page)

    assert _headers(CSPMiddleware, updated)[0] == _headers(DjangoCSPMiddleware, updated)[0]
    assert "cdn.example" in _headers(CSPMiddleware, updated)[0][HEADER]
    assert _headers(CSPMiddleware, exempt)[0] == {HEADER: None, REPORT_ONLY: None}


def test_changed_settings_are_followed_report_only_and_excluded_prefixes_included(settings):
    # given: a report-only policy beside the enforced one, and an excluded prefix
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/legacy/"],
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}
    }

    # when / then
    for use_nonce in (False, True):
        ours, nonce = _headers(CSPMiddleware, _page, use_nonce=use_nonce)
        theirs, their_nonce = _headers(DjangoCSPMiddleware, _page, use_nonce=use_nonce)
        if use_nonce:
            theirs = {h: v.replace(their_nonce, nonce) for h, v in theirs.items()}
        assert ours == theirs
        assert ours[REPORT_ONLY]
    excluded = _headers(CSPMiddleware, _page, "/legacy/page")[0]
    assert excluded == _headers(DjangoCSPMiddleware, _page, "/legacy/page")[0]
    assert excluded[HEADER] is None
    assert excluded[REPORT_ONLY]


def test_debug_error_pages_go_without_a_policy_as_with_django_csp(settings):
    settings.DEBUG = True

    def missing(request: HttpRequest) -> HttpResponse:
        return HttpResponseNotFound("debug 404")

    assert _headers(CSPMiddleware, missing)[0] == {HEADER: None, REPORT_ONLY: None}


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(_page)
    middleware.process_request(request)
    middleware.process_response(request, _page(request))

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]
