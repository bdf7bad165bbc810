"""One gate for text from outside: NUL bytes, lone surrogates, over-long values and runaway
nesting are refused with a clear 400 before anything reaches the database.

PostgreSQL cannot store NUL (``DataError``) nor encode a lone UTF-16 surrogate (``\\ud800``,
which a JSON escape can carry: ``UnicodeEncodeError``); both used to surface as HTTP 500 or a
dropped socket. Pages, forms and the API pass through :class:`BadInputMiddleware`; the chat
consumer calls :func:`json_frame_load` for WebSocket frames. Field rules (a review's 5,000
characters) stay with the services; the caps here only stop what no field accepts.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)

# No field takes more than 20,000 characters (a board post); URLs and query values are short.
# Query values get room past nginx's 8 KiB request line, so a page with its own, friendlier
# limit (search: 200 characters) still answers a long query itself.
MAX_PATH_CHARS = 2048
MAX_QUERY_VALUE_CHARS = 8192
MAX_BODY_VALUE_CHARS = 20_000
# JSON deeper than this is no command or form of ours (the deepest is 3); it also stops a
# 2,000-level ``[[[…`` from reaching the recursive decoder's limit.
MAX_JSON_DEPTH = 32
# Bounded integer parameters: a PostgreSQL bigint, and then some room for arithmetic.
MAX_QUERY_INT = 2**31 - 1

_SURROGATE = re.compile("[\ud800-\udfff]")
_OPEN = re.compile(rb"[\[{]")


class BadInput(ValueError):
    """Text that no field accepts; ``reason`` is one of ``nul_byte``, ``lone_surrogate``,
    ``too_long``, ``too_deep``, ``bad_json``, ``bad_form``."""

    def __init__(self, reason: str, where: str) -> None:
        super().__init__(f"{reason} in {where}")
        self.reason = reason
        self.where = where


def text_check(value: str, *, where: str, max_chars: int) -> None:
    """Raise :class:`BadInput` for a value the database cannot or should not take."""
    if "\x00" in value:
        raise BadInput("nul_byte", where)
    if _SURROGATE.search(value):
        raise BadInput("lone_surrogate", where)
    if len(value) > max_chars:
        raise BadInput("too_long", where)


def json_check(value: Any, *, where: str, max_chars: int = MAX_BODY_VALUE_CHARS) -> None:
    """Check every key and string of decoded JSON (iteratively: depth was bounded on load)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            text_check(item, where=where, max_chars=max_chars)
        elif isinstance(item, dict):
            for key, child in item.items():
                text_check(key, where=where, max_chars=max_chars)
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def _json_depth_check(raw: bytes, *, where: str) -> None:
    """Refuse nesting deeper than ``MAX_JSON_DEPTH`` before the recursive decoder sees it.

    Counts brackets outside strings in one pass; cheap next to decoding itself.
    """
    if len(_OPEN.findall(raw)) <= MAX_JSON_DEPTH:
        return  # not even that many brackets in total
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise BadInput("too_deep", where)
        elif byte in (0x5D, 0x7D):
            depth -= 1


def json_load(raw: str | bytes, *, where: str, max_chars: int = MAX_BODY_VALUE_CHARS) -> Any:
    """Decode JSON from outside, refusing what :func:`json_check` refuses and bad nesting."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    _json_depth_check(data, where=where)
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise BadInput("bad_json", where) from exc
    json_check(value, where=where, max_chars=max_chars)
    return value


def query_int(request: HttpRequest, name: str, *, default: int = 0, minimum: int = 0, maximum: int) -> int:
    """An integer query parameter clamped to ``[minimum, maximum]``; junk gives ``default``."""
    raw = request.GET.get(name, "")
    if not raw.strip().lstrip("-").isdigit() or len(raw) > 20:
        return default
    return max(minimum, min(maximum, int(raw)))


_MESSAGES = {
    "nul_byte": gettext_noop("The request contains a NUL character."),
    "lone_surrogate": gettext_noop("The request contains text that is not valid Unicode."),
    "too_long": gettext_noop("A value in the request is too long."),
    "too_deep": gettext_noop("The JSON in the request is nested too deeply."),
    "bad_json": gettext_noop("The request body is not valid JSON."),
    "bad_form": gettext_noop("The request body is not a valid form."),
}


def _request_check(request: HttpRequest) -> None:
    text_check(request.path, where="path", max_chars=MAX_PATH_CHARS)
    for key, values in request.GET.lists():
        text_check(key, where="query", max_chars=MAX_QUERY_VALUE_CHARS)
        for value in values:
            text_check(value, where=f"query:{key[:40]}", max_chars=MAX_QUERY_VALUE_CHARS)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = request.POST
        except MultiPartParserError as exc:  # a broken multipart body (no boundary, cut short)
            raise BadInput("bad_form", "body") from exc
        for key, values in form.lists():
            text_check(key, where="form", max_chars=MAX_QUERY_VALUE_CHARS)
            for value in values:
                text_check(value, where=f"form:{key[:40]}", max_chars=MAX_BODY_VALUE_CHARS)
    elif (content_type == "application/json" or content_type.endswith("+json")) and request.body:
        json_load(request.body, where="body")


class BadInputMiddleware:
    """Answer 400 (the API's ``{message, extra}`` shape under /api/) for text no view accepts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _request_check(request)
        except BadInput as exc:
            logger.info("bad input refused: %s", exc)
            return bad_input_response(request, exc)
        return self.get_response(request)


def bad_input_response(request: HttpRequest, exc: BadInput) -> HttpResponse:
    message = _(_MESSAGES[exc.reason])
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"message": message, "extra": {"reason": exc.reason, "where": exc.where}},
            status=400,
        )
    return bad_request(request, exc)
