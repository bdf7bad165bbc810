"""Lotte Cinema: now showing and upcoming films from the JSON API its own site uses.

The least stable source (sources.md): the request is JSON inside a form field and the
answer's field names are checked strictly, so a change fails the run with the field named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import require
from apps.movies.crawlers.base import split_names
from apps.movies.models import AgeRating
from apps.movies.models import OfferType

BASE = "https://www.lottecinema.co.kr"
API_URL = f"{BASE}/LCWS/Movie/MovieData.aspx"
# moviePlayYN: Y = now showing, N = upcoming.
LISTS = (("Y", OfferType.NOW_SHOWING), ("N", OfferType.COMING_SOON))
# ViewGradeCode as the site sends it.
_GRADES = {
    0: AgeRating.ALL,
    12: AgeRating.AGE_12,
    15: AgeRating.AGE_15,
    18: AgeRating.AGE_18,
    19: AgeRating.AGE_18,
}
# Fields every film item carries; when none has one of them, the API changed.
REQUIRED_FIELDS = ("RepresentationMovieCode", "MovieNameKR", "ReleaseDate")
_DATE = re.compile(r"^\s*(\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{8})")


def request_params(play: str) -> dict[str, Any]:
    return {
        "MethodName": "GetMoviesToBe",
        "channelType": "HO",
        "osType": "W",
        "osVersion": "Mozilla/5.0",
        "multiLanguageID": "KR",
        "division": 1,
        "moviePlayYN": play,
        "orderType": "1",
        "blockSize": 200,
        "pageNo": 1,
        "memberOnNo": "",
    }


class LotteCrawler(Crawler):
    source = "lotte"
    providers = ("lotte-cinema",)

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        result = CrawlResult(source=self.source)
        listed: dict[str, tuple[dict[str, Any], str]] = {}
        for play, offer_type in LISTS:
            form = {"paramList": json.dumps(request_params(play), separators=(",", ":"))}
            data = json_of(client.post(API_URL, data=form), source=self.source, what="Movies")
            if isinstance(data, dict) and str(data.get("IsOK", "true")).lower() != "true":
                raise CrawlError(f"lotte: API said {data.get('ResultMessage')!r}")
            movies = require(data, "Movies", dict, source=self.source, path="Movies")
            items = require(movies, "Items", list, source=self.source, path="Movies.Items")
            films = [item for item in items if isinstance(item, dict)]
            for name in REQUIRED_FIELDS:
                if films and not any(name in item for item in films):
                    raise SourceFormatError(self.source, f"Movies.Items[].{name}", "missing from every item")
            in_this_list: set[str] = set()
            for item in items:
                raw_code = item.get("RepresentationMovieCode") if isinstance(item, dict) else ""
                code = str(raw_code or "").strip()
                # The site pads lists with an "AD" placeholder item; it is no film.
                if code == "AD":
                    continue
                if not code:
                    result.fail(None, f"Movies.Items entry without RepresentationMovieCode: {str(item)[:80]}")
                elif code in in_this_list:
                    result.fail(code, "duplicated RepresentationMovieCode in one response (kept the first)")
                else:
                    in_this_list.add(code)
                    listed.setdefault(code, (item, offer_type))
        for done, (code, (item, offer_type)) in enumerate(listed.items(), start=1):
            try:
                result.add(self._record(code, item, offer_type, result))
            except RecordParseError as exc:
                result.fail(code, str(exc))
            self._tick(progress, done, len(listed))
        return result

    def _record(self, code: str, item: dict[str, Any], offer_type: str, result: CrawlResult) -> SourceTitle:
        title = str(item.get("MovieNameKR") or "").strip()
        if not title:
            raise RecordParseError("MovieNameKR: empty title")
        date_text = str(item.get("ReleaseDate") or "")
        match = _DATE.match(date_text)
        if date_text.strip() and not match:
            raise RecordParseError(f"ReleaseDate: unreadable date {date_text!r}")
        released = parse_source_date(match.group(1) if match else "", field_name="ReleaseDate")
        grade = item.get("ViewGradeCode")
        rating = _GRADES.get(grade) if isinstance(grade, int) else None
        runtime = item.get("PlayTime")
        genres = [item.get(f"MovieGenreNameKR{n}") or "" for n in ("", "2", "3")]
        return SourceTitle(
            source=self.source,
            external_id=code,
            title_ko=title,
            title_en=str(item.get("MovieNameUS") or "").strip(),
            year=released.year if released else None,
            release_date=released.date if released else None,
            runtime_minutes=runtime if isinstance(runtime, int) and runtime > 0 else None,
            age_rating=rating or age_rating_from_korean(item.get("ViewGradeNameKR")),
            overview=str(item.get("SynopsisKR") or "").strip(),
            genres=tuple(g for name in genres for g in split_names(name)),
            poster_url=str(item.get("PosterURL") or "").strip(),
            offers=(
                SourceOfferRecord(
                    provider="lotte-cinema",
                    offer_type=offer_type,
                    link=f"{BASE}/NLCHS/Movie/MovieDetailView?movie={code}",
                    starts_on=released.date if released else None,
                ),
            ),
            raw=item,
        )
