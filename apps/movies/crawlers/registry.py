"""Source name → crawler. Imported lazily so one broken adapter never blocks the others.

Daum 영화 is not here: it closed on 2024-01-04 (its pages and API no longer exist), and
TMDB covers what it listed (titles arriving on OTT services).
"""

from __future__ import annotations

from importlib import import_module

from apps.movies.crawlers.base import Crawler

_CRAWLERS: dict[str, str] = {
    "tmdb": "apps.movies.crawlers.tmdb.TmdbCrawler",
    "kobis": "apps.movies.crawlers.kobis.KobisCrawler",
    "megabox": "apps.movies.crawlers.megabox.MegaboxCrawler",
    "lotte": "apps.movies.crawlers.lotte.LotteCrawler",
    "cgv": "apps.movies.crawlers.cgv.CgvCrawler",
}


def source_names() -> list[str]:
    return list(_CRAWLERS)


def enabled_source_names() -> list[str]:
    """Sources that run on schedule (a switched-off adapter says why in its status_note)."""
    return [name for name in _CRAWLERS if crawler_for(name).enabled]


def crawler_for(source: str) -> Crawler:
    """A crawler instance for ``source``; KeyError names the sources we know."""
    try:
        dotted = _CRAWLERS[source]
    except KeyError:
        raise KeyError(f"unknown source {source!r}; known: {', '.join(_CRAWLERS)}") from None
    module_name, class_name = dotted.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()
