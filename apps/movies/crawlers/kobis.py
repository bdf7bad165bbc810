"""KOBIS Open API (Korean Film Council): the daily box office and each film's register entry."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import require

API = "http://www.kobis.or.kr/kobisopenapi/webservice/rest"
BOX_OFFICE_URL = f"{API}/boxoffice/searchDailyBoxOfficeList.json"
MOVIE_INFO_URL = f"{API}/movie/searchMovieInfo.json"
CAST_LIMIT = 8


class KobisCrawler(Crawler):
    """Box office films are the ones in cinemas now, but KOBIS does not say which chain
    shows them: records carry the register's facts and the KOBIS code, no offers."""

    source = "kobis"
    providers = ()

    def __init__(self, *, target_date: datetime.date | None = None) -> None:
        self.target_date = target_date

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        key = settings.KOBIS_API_KEY
        if not key:
            raise CrawlError("kobis: KOBIS_API_KEY is not set")
        # Yesterday in Seoul: today's box office is published the next morning.
        target = self.target_date or timezone.localdate() - datetime.timedelta(days=1)
        data = json_of(
            client.get(BOX_OFFICE_URL, params={"key": key, "targetDt": target.strftime("%Y%m%d")}),
            source=self.source,
            what="boxOfficeResult",
        )
        result = CrawlResult(source=self.source)
        codes = [entry.movie_code for entry in kobis_box_office(data, result=result)]
        guard = DetailGuard(result)
        for done, code in enumerate(codes, start=1):
            guard.run(code, self._record, client, key, code)
            self._tick(progress, done, len(codes))
        return guard.finish()

    def _record(self, client: PoliteClient, key: str, code: str) -> SourceTitle:
        response = client.get(MOVIE_INFO_URL, params={"key": key, "movieCd": code})
        try:
            data = response.json()
        except ValueError as exc:
            raise RecordParseError(f"movieInfo: not JSON ({exc})") from exc
        _raise_fault(data)
        info = (data.get("movieInfoResult") or {}).get("movieInfo") if isinstance(data, dict) else None
        if not isinstance(info, dict):
            raise SourceFormatError(self.source, "movieInfoResult.movieInfo", "missing")
        return parse_kobis_movie(info, code=code)


@dataclass(frozen=True)
class BoxOfficeEntry:
    movie_code: str
    rank: int | None
    audience_total: int | None  # audiAcc: admissions since opening, nationwide


def kobis_box_office(data: Any, *, result: CrawlResult) -> list[BoxOfficeEntry]:
    """The films of a daily box office answer (every value a string, as KOBIS sends it)."""
    _raise_fault(data)
    box_office = require(data, "boxOfficeResult", dict, source="kobis", path="boxOfficeResult")
    entries = require(
        box_office, "dailyBoxOfficeList", list, source="kobis", path="boxOfficeResult.dailyBoxOfficeList"
    )
    found: list[BoxOfficeEntry] = []
    codes: set[str] = set()
    for entry in entries:
        code = str(entry.get("movieCd") or "").strip() if isinstance(entry, dict) else ""
        if not code:
            result.fail(None, f"dailyBoxOfficeList entry without movieCd: {str(entry)[:80]}")
        elif code in codes:
            result.fail(code, "duplicated movieCd in one box office (kept the first)")
        else:
            codes.add(code)
            rank, audience = str(entry.get("rank") or ""), str(entry.get("audiAcc") or "")
            found.append(
                BoxOfficeEntry(
                    movie_code=code,
                    rank=int(rank) if rank.isdigit() else None,
                    audience_total=int(audience) if audience.isdigit() else None,
                )
            )
    return found


def _raise_fault(data: Any) -> None:
    # KOBIS answers errors (bad key, quota) with HTTP 200 and a faultInfo object.
    if isinstance(data, dict) and "faultInfo" in data:
        fault = data["faultInfo"] or {}
        raise CrawlError(f"kobis: API error {fault.get('errorCode')}: {fault.get('message')}")


def parse_kobis_movie(info: dict[str, Any], *, code: str) -> SourceTitle:
    title = str(info.get("movieNm") or "").strip()
    if not title:
        raise RecordParseError("movieNm: empty title")
    opened = parse_source_date(str(info.get("openDt") or ""), field_name="openDt")
    production_year = str(info.get("prdtYear") or "")
    runtime = str(info.get("showTm") or "")
    grades = [a.get("watchGradeNm", "") for a in info.get("audits") or [] if isinstance(a, dict)]
    english = str(info.get("movieNmEn") or "").strip()
    return SourceTitle(
        source="kobis",
        external_id=code,
        title_ko=title,
        title_en=english,
        title_original=str(info.get("movieNmOg") or "").strip(),
        year=opened.year if opened else (int(production_year) if production_year.isdigit() else None),
        release_date=opened.date if opened else None,
        runtime_minutes=int(runtime) if runtime.isdigit() and int(runtime) > 0 else None,
        # The newest audit decides (re-rated re-releases list several).
        age_rating=age_rating_from_korean(grades[-1] if grades else ""),
        genres=tuple(g.get("genreNm", "") for g in info.get("genres") or [] if isinstance(g, dict)),
        people=people_of(
            [d.get("peopleNm", "") for d in info.get("directors") or [] if isinstance(d, dict)],
            [a.get("peopleNm", "") for a in (info.get("actors") or [])[:CAST_LIMIT] if isinstance(a, dict)],
        ),
        kobis_code=code,
        raw={"movieInfo": info},
    )
