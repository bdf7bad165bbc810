"""CGV: upcoming films (HTML list, HTML detail pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs
from urllib.parse import urljoin
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser
from selectolax.lexbor import LexborNode

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import split_names
from apps.movies.models import OfferType

BASE = "http://www.cgv.co.kr"
LIST_URL = f"{BASE}/movies/pre-movies.aspx"
DETAIL_URL = f"{BASE}/movies/detail-view/"
_RUNTIME = re.compile(r"(\d+)\s*분")
_RATING = re.compile(r"(전체관람가|\d+세\s*이상\s*관람가|청소년\s*관람불가|\d+세관람가)")


class CgvCrawler(Crawler):
    source = "cgv"
    providers = ("cgv",)

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        result = CrawlResult(source=self.source)
        ids = self._list(client)
        guard = DetailGuard(result)
        for done, midx in enumerate(ids, start=1):
            guard.run(midx, self._record, client, midx, result)
            self._tick(progress, done, len(ids))
        return guard.finish()

    def _list(self, client: PoliteClient) -> list[str]:
        tree = LexborHTMLParser(client.get(LIST_URL).text)
        chart = tree.css_first("div.sect-movie-chart")
        if chart is None:
            raise SourceFormatError(self.source, "div.sect-movie-chart", "missing from the upcoming list")
        ids: list[str] = []
        for link in chart.css("ol li a"):
            midx = parse_qs(urlsplit(link.attributes.get("href") or "").query).get("midx", [""])[0]
            # Poster and title link to the same film: keep the first, in chart order.
            if midx.isdigit() and midx not in ids:
                ids.append(midx)
        return ids

    def _record(self, client: PoliteClient, midx: str, result: CrawlResult) -> SourceTitle:
        url = f"{DETAIL_URL}?midx={midx}"
        record = parse_cgv_detail(client.get(url).text, midx=midx, url=url, result=result)
        return record


def _spec_value(dt: LexborNode) -> str:
    """The text after ':' in a ``dt``, or the text of the ``dd`` that follows it."""
    _, _, inline = dt.text(strip=True).partition(":")
    inline = inline.replace("\xa0", " ").strip()
    if inline:
        return inline
    dd = dt.next
    while dd is not None and dd.tag != "dd":
        dd = dd.next
    return dd.text(separator=" ", strip=True).replace("\xa0", " ") if dd is not None else ""


def parse_cgv_detail(html: str, *, midx: str, url: str, result: CrawlResult) -> SourceTitle:
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("div.box-contents strong")
    if title_node is None:
        raise RecordParseError("detail: div.box-contents strong missing")
    title = title_node.text(strip=True)
    if not title:
        raise RecordParseError("detail: empty title")
    english = tree.css_first("div.box-contents div.title p")
    spec = tree.css_first("div.spec dl")
    if spec is None:
        raise RecordParseError("detail: div.spec dl missing")

    directors: list[str] = []
    cast: list[str] = []
    genres: list[str] = []
    runtime: int | None = None
    rating_text = ""
    released = None
    for dt in spec.css("dt"):
        label = dt.text(strip=True).replace("\xa0", " ").lstrip(" /").split(":")[0].strip()
        value = _spec_value(dt)
        if label == "감독":
            directors = split_names(value)
        elif label == "배우":
            dd = dt.next
            while dd is not None and dd.tag != "dd":
                dd = dd.next
            links = dd.css("a") if dd is not None else []
            cast = [a.text(strip=True) for a in links if a.text(strip=True)] or split_names(value)
        elif label == "장르":
            genres = split_names(value)
        elif label == "기본 정보":
            rating = _RATING.search(value)
            rating_text = rating.group(1) if rating else ""
            minutes = _RUNTIME.search(value)
            runtime = int(minutes.group(1)) if minutes else None
        elif label == "개봉":
            released = parse_source_date(value, field_name="개봉")
            if released is not None and released.date is None:
                result.warn(midx, f"개봉: only the month is known ({value})")

    poster = tree.css_first("div.box-image img")
    story = tree.css_first("div.sect-story-movie")
    return SourceTitle(
        source="cgv",
        external_id=midx,
        title_ko=title,
        title_en=english.text(strip=True) if english is not None else "",
        year=released.year if released else None,
        release_date=released.date if released else None,
        runtime_minutes=runtime,
        age_rating=age_rating_from_korean(rating_text),
        overview=story.text(separator="\n", strip=True) if story is not None else "",
        genres=tuple(genres),
        people=people_of(directors, cast),
        poster_url=urljoin(url, poster.attributes.get("src") or "") if poster is not None else "",
        offers=(
            SourceOfferRecord(
                provider="cgv",
                offer_type=OfferType.COMING_SOON,
                link=url,
                starts_on=released.date if released else None,
            ),
        ),
        # The film's section of the page, not the whole site chrome around it.
        raw={"url": url, "html": base.html if (base := tree.css_first("div.sect-base-movie")) else ""},
    )
