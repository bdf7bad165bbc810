"""The bad-input set of #16, kept: every page and API operation a visitor reaches, each given
each kind of bad text or number (in the path, the query, a form, a JSON body). None may answer
5xx; the count of cases is printed for the issue's table ("5xx from the bad-input set")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Raw URL escapes: a NUL, a lone UTF-16 surrogate as (invalid) UTF-8, a bigint overflow,
# an over-long value, a negative, a bare percent sign.
QUERY_VALUES = ["%00", "%ED%A0%80", "9" * 30, "x" * 9000, "-1", "%", "%FF%FE"]
PAGES = ["/", "/titles/{title}/", "/search/", "/board/", "/coming-soon/", "/api/titles/", "/api/search/"]
PAGE_PARAMS = ["q", "page", "genre", "sort", "gb", "limit", "offset", "mine"]
PATHS = [
    "/@%00/",
    "/@%ED%A0%80/",
    "/titles/99999999999999999999/",
    "/titles/-1/",
    "/api/titles/99999999999999999999/",
    "/api/social/users/%00/",
    "/api/social/users/%ED%A0%80/",
    "/api/social/titles/99999999999999999999/reviews/",
    "/chat/rooms/99999999999999999999/",
    "/board/99999999999999999999/",
]
# JSON bodies: NUL, a lone surrogate escape, a 2,000-deep list, a huge number, wrong types, junk.
JSON_BODIES = [
    '{"stars": "4\\u0000"}',
    '{"stars": "\\ud800"}',
    "[" * 2000 + "]" * 2000,
    '{"stars": 1e400}',
    '{"stars": 99999999999999999999999}',
    '{"stars": [1]}',
    "not json",
    '{"body": "' + "x" * 30000 + '"}',
]
JSON_TARGETS = [
    ("put", "/api/social/titles/{title}/rating/"),
    ("post", "/api/social/titles/{title}/review/"),
    ("post", "/api/social/me/diary/create/"),
    ("post", "/api/chat/rooms/create/"),
    ("post", "/api/events/"),
]
FORM_TARGETS = ["/me/titles/{title}/review/", "/me/titles/{title}/diary/", "/board/new/"]
# Raw urlencoded values: the test client cannot encode a lone surrogate itself.
FORM_VALUES = ["a%00b", "%ED%A0%80", "x" * 30000]


def _cases() -> list[tuple[str, str, Any]]:
    cases: list[tuple[str, str, Any]] = []
    for page in PAGES:
        for param in PAGE_PARAMS:
            for value in QUERY_VALUES[:4]:
                cases.append(("get", f"{page}?{param}={value}", None))
    cases.extend(("get", path, None) for path in PATHS)
    cases.extend(("json", f"{method} {url}", body) for method, url in JSON_TARGETS for body in JSON_BODIES)
    cases.extend(("form", url, value) for url in FORM_TARGETS for value in FORM_VALUES)
    return cases


CASES = _cases()


@pytest.mark.parametrize(("kind", "target", "payload"), CASES, ids=[f"{c[0]}:{c[1][:50]}" for c in CASES])
def test_no_bad_input_answers_5xx(kind: str, target: str, payload: Any) -> None:
    title = TitleFactory()
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    target = target.replace("{title}", str(title.pk))

    if kind == "get":
        response = client.get(target)
    elif kind == "json":
        method, url = target.split(" ", 1)
        response = getattr(client, method)(url, payload, content_type="application/json")
    else:
        body = "&".join(f"{name}={payload}" for name in ("body", "heading", "note"))
        response = client.post(target, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code < 500, f"{kind} {target}: {response.status_code}"


def test_the_set_is_the_size_the_issue_counts() -> None:
    print(f"bad-input cases: {len(CASES)}")
    assert len(CASES) >= 125
