"""Source name → crawler. Imported lazily so one broken adapter never blocks the others."""

from __future__ import annotations

from importlib import import_module

from apps.movies.crawlers.base import Crawler

_CRAWLERS: dict[str, str] = {
    "megabox": "apps.movies.crawlers.megabox.MegaboxCrawler",
    "cgv": "apps.movies.crawlers.cgv.CgvCrawler",
    "lotte": "apps.movies.crawlers.lotte.LotteCrawler",
    "daum": "apps.movies.crawlers.daum.DaumCrawler",
    "tmdb": "apps.movies.crawlers.tmdb.TmdbCrawler",
    "kobis": "apps.movies.crawlers.kobis.KobisCrawler",
}


def source_names() -> list[str]:
    return list(_CRAWLERS)


def crawler_for(source: str) -> Crawler:
    """A crawler instance for ``source``; KeyError names the sources we know."""
    try:
        dotted = _CRAWLERS[source]
    except KeyError:
        raise KeyError(f"unknown source {source!r}; known: {', '.join(_CRAWLERS)}") from None
    module_name, class_name = dotted.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()
