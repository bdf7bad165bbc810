"""The mini-homepage's sections that look the same to everyone allowed to see them, rendered
once per change of what they show and kept in the "fragments" cache.

Which sections: the life-movies shelf, recent ratings and reviews, the watchlist and diary
previews and the taste chart (``CACHED_SECTIONS``). Each shows only the owner's own rows, so
a visitor's relationship decides *whether* a section is drawn (``visible_sections``), never
*what* it holds; the owner's own page differs only by a few edit links, so "self" and
"visitor" are two variants. Nothing here depends on who is looking beyond that: the guestbook
(secret entries), the profile column (friend buttons, taste match, counters) and other apps'
sections are drawn live on every request.

Correctness without locks, as in unread_cache.py: every cached section carries the owner's
generation it was drawn under, and every write to what a section shows gives the owner a new
generation after it commits (``homepage_forget``; the services call it). A reader that drew a
section before a write committed stores it under the old generation, which the next read
rejects, so a stale section can be stored but never shown. A generation is a random token,
not a counter: if Redis evicts an owner's generation, the next reader makes a new one, and
every section stored before it is rejected too.

What the owner did not cause: the title cards show the catalog's facts (a title's name,
poster, average rating), which other people's ratings and the crawlers change. Those are at
most ``SECTION_TTL_S`` old here; the title page itself always reads them fresh.

Key layout: ``social:hompy:<owner>:gen`` and ``social:hompy:<owner>:<section>:<variant>``,
with the language and the section templates' digest in the variant (a deploy that changes a
template draws anew instead of serving the old markup).
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.template.loader import get_template

CACHED_SECTIONS = ("shelf", "ratings", "watchlist", "diary", "taste")
# The catalog facts on the cards (see above) are at most this old.
SECTION_TTL_S = 5 * 60


def section_template(section: str) -> str:
    return f"social/homepage/_{section}.html"


def _cache() -> Any:
    return caches["fragments"]


def _gen_key(owner_id: int) -> str:
    return f"social:hompy:{owner_id}:gen"


def _section_key(owner_id: int, section: str, variant: str) -> str:
    return f"social:hompy:{owner_id}:{section}:{variant}"


@functools.cache
def _templates_digest() -> str:
    """A digest of the cached sections' template sources, computed once per process."""
    digest = hashlib.blake2s(digest_size=4)
    for section in CACHED_SECTIONS:
        # The backend's template wraps the engine's, which keeps the source.
        source = getattr(get_template(section_template(section)), "template").source  # noqa: B009
        digest.update(source.encode())
    return digest.hexdigest()


def section_variant(*, is_self: bool, language: str) -> str:
    return f"{'self' if is_self else 'visitor'}.{language}.{_templates_digest()}"


def sections_cached(*, owner_id: int, sections: list[str], variant: str) -> tuple[dict[str, str], str]:
    """(HTML of those ``sections`` stored under the owner's current generation, that generation
    for the sections drawn now to be stored under); one round trip."""
    cache = _cache()
    keys = [_section_key(owner_id, section, variant) for section in sections]
    found = cache.get_many([_gen_key(owner_id), *keys])
    generation = found.get(_gen_key(owner_id))
    if not isinstance(generation, str):
        # First read since the owner's last write was forgotten (or ever): start a generation.
        generation = uuid.uuid4().hex
        if not cache.add(_gen_key(owner_id), generation, timeout=None):
            current = cache.get(_gen_key(owner_id))
            generation = current if isinstance(current, str) else generation
        return {}, generation
    html = {}
    for section, key in zip(sections, keys, strict=True):
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
            html[section] = entry[1]
    return html, generation


def sections_store(*, owner_id: int, variant: str, generation: str, html: dict[str, str]) -> None:
    if html:
        _cache().set_many(
            {_section_key(owner_id, section, variant): (generation, text) for section, text in html.items()},
            SECTION_TTL_S,
        )


def homepage_forget(*, user_ids: list[int]) -> None:
    """A new generation for each owner, so their cached sections are drawn anew: call after the
    write commits (``transaction.on_commit``)."""
    _cache().set_many({_gen_key(user_id): uuid.uuid4().hex for user_id in dict.fromkeys(user_ids)}, None)


def homepage_forget_on_commit(*, user_ids: list[int]) -> None:
    """``homepage_forget`` once the current transaction commits (at once outside one)."""
    ids = list(user_ids)
    transaction.on_commit(lambda: homepage_forget(user_ids=ids))
