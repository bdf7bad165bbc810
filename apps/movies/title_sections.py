"""The title page's catalog sections (genre chips, director and writer lines, where to watch,
cast) as HTML, drawn once per version of the rows they show.

They are the same for everyone and change only when the catalog does, but many writers change
those rows (ingestion's bulk upserts, curation, the admin, the demo, raw SQL): rather than
trusting each of them to say so, the title's own query reads a digest of the versions of those
rows (``selectors.title_get_for_page``). PostgreSQL gives every insert and update a new row
version (``xmin``, ``cmin``), whether by ``save()``, ``.update()`` or raw SQL, and a deleted row
leaves the digest, so a drawing kept under a digest can never show rows other than its own.
Drawings are kept in each process (a deploy starts afresh, with its templates and
translations), keyed by title, language and digest. Without a digest (SQLite, ``make run``) or
with DEBUG on (template edits show at once) the sections are drawn every time.

Measured on the demo catalog: the three queries and four templates cost ~5,000 Python calls
of a ~20,000-call anonymous title page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cachetools
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from apps.movies.cards import is_korean
from apps.movies.selectors import title_credits
from apps.movies.selectors import title_where_to_watch

if TYPE_CHECKING:
    from apps.movies.models import Title

# Titles × languages kept per process; a drawing is ~3 KB.
KEPT = 2048


@dataclass(frozen=True)
class TitleSections:
    genres: SafeString
    people: SafeString
    watch: SafeString
    cast: SafeString


_drawn: cachetools.LRUCache[tuple[int, str, str], TitleSections] = cachetools.LRUCache(maxsize=KEPT)
_lock = threading.Lock()


def title_sections(*, title: Title) -> TitleSections:
    """The sections of ``title`` (loaded by ``title_get_for_page``) in the active language."""
    stamp = getattr(title, "catalog_stamp", None)
    if stamp is None or settings.DEBUG:
        return _draw(title)
    key = (title.pk, get_language(), stamp)
    with _lock:
        drawn = _drawn.get(key)
    if drawn is None:
        drawn = _draw(title)
        with _lock:
            _drawn[key] = drawn
    return drawn


def title_sections_clear() -> None:
    """Forget every drawing (tests)."""
    with _lock:
        _drawn.clear()


def _draw(title: Title) -> TitleSections:
    korean = is_korean()
    credits = title_credits(title=title)
    context = {
        "genres": [
            {"slug": genre.slug, "name": genre.name_ko if korean else genre.name_en}
            for genre in title.genres.all()
        ],
        "credits": credits,
        "where_to_watch": title_where_to_watch(title=title),
    }

    def draw(part: str) -> SafeString:
        html = render_to_string(f"movies/title/{part}.html", context)
        return mark_safe(html)  # noqa: S308 - rendered by the autoescaping templates

    return TitleSections(genres=draw("genres"), people=draw("people"), watch=draw("watch"), cast=draw("cast"))
