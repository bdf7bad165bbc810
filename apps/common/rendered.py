"""Template fragments rendered once per content and kept in the process.

``render_memoised(template_name, **context)`` renders the template with exactly ``context``
(no request, no context processors: no user, no CSRF token, nothing else) and remembers the
HTML under the template name, the context's values, the active language and the script
prefix. A fragment can therefore only show what its key holds: a changed value is a new key,
so there is nothing to invalidate and nothing stale, and nothing one visitor sees can reach
another unless it is in the key they share. Context values must be hashable (tuples, frozen
dataclasses, strings, numbers).

For fragments that are costly to render and repeat across requests: the catalog's filter
panel resolves ~450 template variables (chips for every genre and provider), about 2.5 ms
of a 20 ms page, and is the same for everyone who asks for the same filters.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Distinct filter panels in use at once are few (people repeat a handful of filter sets per
# language); 512 fragments of ~10 KB ≈ 5 MB per process at most.
RENDERED_CACHE_SIZE = 512


def render_memoised(template_name: str, **context: Hashable) -> SafeString:
    """``template_name`` rendered with ``context`` alone, once per content (see the module)."""
    key = tuple(sorted(context.items()))
    return _render(template_name, key, get_language() or "", get_script_prefix())


@functools.lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _render(
    template_name: str, context: tuple[tuple[str, Hashable], ...], _language: str, _script_prefix: str
) -> SafeString:
    # The template autoescapes what it prints, so its output is safe HTML.
    return mark_safe(render_to_string(template_name, dict(context)))  # noqa: S308


def render_memoised_clear() -> None:
    """Forget rendered fragments (tests that swap templates or translations)."""
    _render.cache_clear()
