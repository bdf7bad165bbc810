"""Megabox: now showing and upcoming films (JSON list over form POST, HTML detail).

Shapes as the real site answers (../shared/source-samples/megabox, README there):
list items carry ``totCnt`` (the whole list's size, repeated on every item) and
``currentPage``; titles and synopses carry HTML entities (``&quot;진격&quot;``);
detail lines read ``감독&nbsp;: 매튜 본`` and ``장르&nbsp;: 액션 / 131 분``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import clean_text
from apps.movies.crawlers.base import html_text
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import require
from apps.movies.crawlers.base import split_names
from apps.movies.models import OfferType

BASE = "https://www.megabox.co.kr"
LIST_URL = f"{BASE}/on/oh/oha/Movie/selectMovieList.do"
DETAIL_URL = f"{BASE}/on/oh/oha/Movie/selectMovieInfo.do"
IMAGE_BASE = "https://img.megabox.co.kr"
# onairYn: what the list holds → the offer it means.
LISTS = (("MSC01", OfferType.NOW_SHOWING), ("MSC02", OfferType.COMING_SOON))
PAGE_SIZE = 200
# Past this many pages the list is not read to its end: the run is marked incomplete,
# so the offers of films on unread pages are not closed.
MAX_PAGES = 10
_RUNTIME = re.compile(r"/\s*(\d+)\s*분")


class MegaboxCrawler(Crawler):
    source = "megabox"
    providers = ("megabox",)

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        result = CrawlResult(source=self.source)
        listed: dict[str, tuple[dict[str, Any], OfferType]] = {}
        for onair, offer_type in LISTS:
            in_this_list: set[str] = set()
            items = self._list(client, onair, result)
            if not items and onair == "MSC01":
                # Megabox always shows something: an empty now-showing list is a broken
                # answer, and taking it at its word would close every cinema offer.
                result.fail(None, "movieList (MSC01, now showing): empty list; offers kept open")
                result.complete = False
            for item in items:
                movie_no = str(item.get("movieNo") or "").strip() if isinstance(item, dict) else ""
                if not movie_no:
                    result.fail(None, f"movieList item without movieNo: {str(item)[:80]}")
                elif movie_no in in_this_list:
                    result.fail(movie_no, "duplicated movieNo in one response (kept the first)")
                else:
                    in_this_list.add(movie_no)
                    # A film in both lists is now showing; the first list wins.
                    listed.setdefault(movie_no, (item, offer_type))

        guard = DetailGuard(result)
        total = len(listed)
        for done, (movie_no, (item, offer_type)) in enumerate(listed.items(), start=1):
            guard.run(movie_no, self._record, client, movie_no, item, offer_type, result)
            self._tick(progress, done, total)
        return guard.finish()

    def _list(self, client: PoliteClient, onair: str, result: CrawlResult) -> list[Any]:
        """Every page of one list, read until ``totCnt`` items are in hand."""
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            form = {
                "currentPage": str(page),
                "recordCountPerPage": str(PAGE_SIZE),
                "pageType": "rfilmDe",
                "ibxMovieNmSearch": "",
                "onairYn": onair,
                "specialType": "",
                "specialYn": "N",
            }
            data = json_of(client.post(LIST_URL, data=form), source=self.source, what="movieList")
            page_items = require(data, "movieList", list, source=self.source, path="movieList")
            items += page_items
            total = megabox_total_count(page_items)
            if not page_items or total is None or len(items) >= total:
                return items
        result.complete = False
        result.fail(None, f"movieList ({onair}): more than {MAX_PAGES} pages; the rest was not read")
        return items

    def _record(
        self,
        client: PoliteClient,
        movie_no: str,
        item: dict[str, Any],
        offer_type: str,
        result: CrawlResult,
    ) -> SourceTitle:
        if not isinstance(item, dict):
            raise RecordParseError("movieList item is not an object")
        title = clean_text(str(item.get("movieNm") or ""))
        if not title:
            raise RecordParseError("movieNm: empty title")
        released = parse_source_date(str(item.get("rfilmDeReal") or ""), field_name="rfilmDeReal")
        if released is not None and released.date is None:
            result.warn(movie_no, f"rfilmDeReal: only the month is known ({item.get('rfilmDeReal')})")
        detail = self._detail(client, movie_no)
        poster = str(item.get("imgPathNm") or "").strip()
        return SourceTitle(
            source=self.source,
            external_id=movie_no,
            title_ko=title,
            year=released.year if released else None,
            release_date=released.date if released else None,
            runtime_minutes=detail["runtime"],
            age_rating=age_rating_from_korean(item.get("admisClassNm")),
            overview=clean_text(str(item.get("movieSynopCn") or "")),
            genres=tuple(detail["genres"]),
            people=people_of(detail["directors"], detail["cast"]),
            poster_url=f"{IMAGE_BASE}{poster}" if poster.startswith("/") else poster,
            offers=(
                SourceOfferRecord(
                    provider="megabox",
                    offer_type=offer_type,
                    link=f"{BASE}/movie-detail?rpstMovieNo={movie_no}",
                    starts_on=released.date if released else None,
                ),
            ),
            raw={"list": item},
        )

    def _detail(self, client: PoliteClient, movie_no: str) -> dict[str, Any]:
        response = client.post(DETAIL_URL, data={"rpstMovieNo": movie_no})
        return parse_megabox_detail(html_text(response, source=self.source, what="detail"))


def megabox_total_count(items: list[Any]) -> int | None:
    """The list's full size, which Megabox repeats as ``totCnt`` on every item."""
    for item in items:
        if isinstance(item, dict) and str(item.get("totCnt", "")).isdigit():
            return int(item["totCnt"])
    return None


_LABELS = ("감독", "출연진", "장르")


def parse_megabox_detail(html: str) -> dict[str, Any]:
    """Directors, genres, runtime and cast from the ``div.movie-info p`` lines.

    A page without those lines is a changed layout (SourceFormatError): the guard
    fails the run after a few of them instead of storing films without details.
    """
    tree = LexborHTMLParser(html)
    lines = tree.css("div.movie-info p")
    if not lines:
        raise SourceFormatError("megabox", "detail: div.movie-info p", "missing")
    info: dict[str, Any] = {"directors": [], "cast": [], "genres": [], "runtime": None}
    labels_seen = set()
    for line in lines:
        label, _, value = clean_text(line.text(strip=True)).partition(":")
        label = label.strip()
        labels_seen.add(label)
        if label == "감독":
            info["directors"] = split_names(value)
        elif label == "출연진":
            info["cast"] = split_names(value)
        elif label == "장르":
            runtime = _RUNTIME.search(value)
            info["runtime"] = int(runtime.group(1)) if runtime else None
            genres = value[: runtime.start()] if runtime else value
            # "멜로/로맨스" is one genre; films with several list them with commas.
            info["genres"] = [g.strip() for g in genres.split(",") if g.strip()]
    if not labels_seen & set(_LABELS):
        raise SourceFormatError("megabox", "detail: div.movie-info p", "no 감독/장르/출연진 line")
    return info
