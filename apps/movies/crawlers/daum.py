"""Daum/Kakao movie: upcoming titles per OTT service (HTML lists, JSON detail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import ParsedDate
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.models import OfferType

BASE = "https://movie.daum.net"
# Daum's list slug → our provider slug.
LISTS = (("netflix", "netflix"), ("watcha", "watcha"))
_DIRECTOR_JOBS = {"감독"}
_CAST_JOBS = {"주연", "출연", "조연"}


def list_url(ott: str) -> str:
    return f"{BASE}/premovie/{ott}?flag=Y"


def detail_url(movie_id: str) -> str:
    return f"{BASE}/api/movie/{movie_id}/main"


class DaumCrawler(Crawler):
    source = "daum"
    providers = tuple(provider for _, provider in LISTS)

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        result = CrawlResult(source=self.source)
        # One film can be coming to both services: one record, two offers.
        listed: dict[str, dict[str, Any]] = {}
        for ott, provider in LISTS:
            for item in self._list(client, ott, result):
                entry = listed.setdefault(item["id"], {**item, "offers": []})
                entry["offers"].append((provider, item["date"], item["link"]))
        guard = DetailGuard(result)
        for done, (movie_id, item) in enumerate(listed.items(), start=1):
            guard.run(movie_id, self._record, client, movie_id, item)
            self._tick(progress, done, len(listed))
        return guard.finish()

    def _list(self, client: PoliteClient, ott: str, result: CrawlResult) -> list[dict[str, Any]]:
        url = list_url(ott)
        tree = LexborHTMLParser(client.get(url).text)
        listing = tree.css_first("ul.list_movieranking.aniposter_ott")
        if listing is None:
            raise SourceFormatError(self.source, "ul.list_movieranking.aniposter_ott", f"missing from {ott}")
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for li in listing.css("li"):
            thumb = li.css_first("a.thumb_item")
            href = thumb.attributes.get("href") or "" if thumb is not None else ""
            movie_id = href.rpartition("=")[2].strip()
            if not movie_id.isdigit():
                result.fail(None, f"{ott} list item without a movie id (a.thumb_item[href]={href!r})")
                continue
            if movie_id in seen:
                result.fail(movie_id, f"duplicated movie id in the {ott} list (kept the first)")
                continue
            seen.add(movie_id)
            title = li.css_first("a.link_txt")
            date = li.css_first("span.txt_num")
            image = li.css_first("img.img_thumb")
            items.append(
                {
                    "id": movie_id,
                    "title": title.text(strip=True) if title is not None else "",
                    "date": date.text(strip=True) if date is not None else "",
                    "poster": (image.attributes.get("src") or "") if image is not None else "",
                    "link": f"{BASE}/moviedb/main?movieId={movie_id}",
                }
            )
        return items

    def _record(self, client: PoliteClient, movie_id: str, item: dict[str, Any]) -> SourceTitle:
        if not item["title"]:
            raise RecordParseError("a.link_txt: empty title")
        offers = []
        released: ParsedDate | None = None
        for provider, date_text, link in item["offers"]:
            on = parse_source_date(date_text, field_name="span.txt_num")
            released = released or on
            offers.append(
                SourceOfferRecord(
                    provider=provider,
                    offer_type=OfferType.COMING_SOON,
                    link=link,
                    starts_on=on.date if on else None,
                )
            )
        response = client.get(detail_url(movie_id))
        try:
            data = response.json()
        except ValueError as exc:
            raise RecordParseError(f"detail: not JSON ({exc})") from exc
        common = data.get("movieCommon") if isinstance(data, dict) else None
        if not isinstance(common, dict):
            raise SourceFormatError(self.source, "movieCommon", "missing from the detail JSON")
        korea = next(
            (
                info
                for info in common.get("countryMovieInformation") or []
                if isinstance(info, dict) and (info.get("country") or {}).get("nameEnglish") == "KOREA"
            ),
            {},
        )
        directors, cast = [], []
        for person in data.get("casts") or []:
            job = ((person or {}).get("movieJob") or {}).get("job")
            name = str((person or {}).get("nameKorean") or "").strip()
            if name and job in _DIRECTOR_JOBS:
                directors.append(name)
            elif name and job in _CAST_JOBS:
                cast.append(name)
        year = common.get("productionYear")
        return SourceTitle(
            source=self.source,
            external_id=movie_id,
            title_ko=str(common.get("titleKorean") or item["title"]).strip(),
            title_en=str(common.get("titleEnglish") or "").strip(),
            year=int(year) if str(year or "").isdigit() else (released.year if released else None),
            runtime_minutes=korea.get("duration") if isinstance(korea.get("duration"), int) else None,
            age_rating=age_rating_from_korean(korea.get("admissionCode")),
            overview=str(common.get("plot") or "").strip(),
            genres=tuple(str(g) for g in common.get("genres") or [] if g),
            people=people_of(directors, cast),
            poster_url=item["poster"],
            offers=tuple(offers),
            raw={"list": {k: v for k, v in item.items() if k != "offers"}, "detail": data},
        )
