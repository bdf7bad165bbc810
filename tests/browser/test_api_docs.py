"""/api/docs/: Swagger UI from our own static files, with no internet, under the strict CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_offline_under_the_production_csp(live_server, page: Page):
    # given: a browser that cannot reach anything but the test server
    own_host = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def offline(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    # when
    response = page.goto(f"{live_server.url}/api/docs/")

    # then: the header is the strict one and Swagger UI lists the API's operations
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Moochu API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    assert outside == []
    assert problems == []
