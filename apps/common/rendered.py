"""Template fragments drawn once per content and kept in the process.

A fragment that is the same for everyone who asks with the same inputs (the catalog's filter
panel, the star widgets, a title's chat panel) need not be drawn on every request. Its HTML
is remembered under its inputs, the active language and the script prefix: a changed input
is a new key, so there is nothing to invalidate and nothing stale, and nothing one visitor
sees can reach another unless it is in the key they share. Inputs must be hashable (tuples,
frozen dataclasses, strings, numbers). Under DEBUG every fragment is drawn afresh, so
template edits show at once.

- ``@memoised_fragment(maxsize=…)`` on a function that draws a fragment from its arguments;
- ``render_memoised(template_name, **context)`` for a template drawn with exactly
  ``context`` (no request, no context processors: no user, no CSRF token, nothing else).

The catalog's filter panel resolves ~450 template variables (chips for every genre and
provider), about 2.5 ms of a 20 ms page; the title page's stars and chat panel were ~4,400
of its ~20,000 Python calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Hashable
from typing import ParamSpec

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

P = ParamSpec("P")

# Every memo, so tests that swap templates or translations can forget them all.
_MEMOS: list[functools._lru_cache_wrapper[SafeString]] = []


def memoised_fragment(*, maxsize: int) -> Callable[[Callable[P, SafeString]], Callable[P, SafeString]]:
    """Remember what the decorated function draws, per arguments, language and script prefix."""

    def decorate(draw: Callable[P, SafeString]) -> Callable[P, SafeString]:
        @functools.lru_cache(maxsize=maxsize)
        def remembered(
            _language: str, _script_prefix: str, *args: Hashable, **kwargs: Hashable
        ) -> SafeString:
            # The language and prefix only key the memo: they are the active ones.
            return draw(*args, **kwargs)  # type: ignore[arg-type]

        _MEMOS.append(remembered)

        @functools.wraps(draw)
        def fragment(*args: P.args, **kwargs: P.kwargs) -> SafeString:
            if settings.DEBUG:
                return draw(*args, **kwargs)
            return remembered(get_language() or "", get_script_prefix(), *args, **kwargs)  # type: ignore[arg-type]

        return fragment

    return decorate


# Distinct filter panels in use at once are few (people repeat a handful of filter sets per
# language); 512 fragments of ~10 KB ≈ 5 MB per process at most.
RENDERED_CACHE_SIZE = 512


def render_memoised(template_name: str, **context: Hashable) -> SafeString:
    """``template_name`` rendered with ``context`` alone, once per content (see the module)."""
    return _render(template_name, tuple(sorted(context.items())))


@memoised_fragment(maxsize=RENDERED_CACHE_SIZE)
def _render(template_name: str, context: tuple[tuple[str, Hashable], ...]) -> SafeString:
    # The template autoescapes what it prints, so its output is safe HTML.
    return mark_safe(render_to_string(template_name, dict(context)))  # noqa: S308


def render_memoised_clear() -> None:
    """Forget every remembered fragment (tests that swap templates or translations)."""
    for memo in _MEMOS:
        memo.cache_clear()
