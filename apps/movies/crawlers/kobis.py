"""KOBIS Open API (Korean Film Council, KOFIC): Korea's cinemas, nationwide.

- The daily box office is "now in cinemas": each film gets a now-showing offer on the
  nationwide cinemas provider (KOBIS does not say which chain), its register entry
  (searchMovieInfo) and its admissions so far (audiAcc, a popularity input).
- The film list by opening date (searchMovieList, openDt after today) is "coming to
  cinemas": a coming-soon offer from the list item alone (no request per film).
- KOBIS codes (movieCd) are the external ids other sources match on (Lotte's KOFMovieCd).

Every value in KOBIS answers is a string; errors come with HTTP 200 as ``faultInfo``.
"""

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
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import require
from apps.movies.models import OfferType

API = "http://www.kobis.or.kr/kobisopenapi/webservice/rest"
BOX_OFFICE_URL = f"{API}/boxoffice/searchDailyBoxOfficeList.json"
MOVIE_INFO_URL = f"{API}/movie/searchMovieInfo.json"
MOVIE_LIST_URL = f"{API}/movie/searchMovieList.json"
CAST_LIMIT = 8
PROVIDER = "kr-cinemas"
ATTRIBUTION = "Box office and film register: KOBIS, Korean Film Council (KOFIC)."
LIST_PAGE_SIZE = 100
# The film list is read at most this far; beyond it the run is marked incomplete.
MAX_LIST_PAGES = 10
# Films opening within this many days count as "coming to cinemas".
COMING_DAYS = 120


class KobisCrawler(Crawler):
    """Box office films are the ones in cinemas now, but KOBIS does not say which chain
    shows them: records carry the register's facts and the KOBIS code, no offers."""

    source = "kobis"
    providers = (PROVIDER,)
    attribution = ATTRIBUTION

    def __init__(self, *, target_date: datetime.date | None = None, upcoming: bool = True) -> None:
        self.target_date = target_date
        self.upcoming = upcoming

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
        entries = kobis_box_office(data, result=result)
        if not entries:
            result.fail(None, "dailyBoxOfficeList: empty list; now-showing offers kept open")
            result.complete = False
        guard = DetailGuard(result)
        for done, entry in enumerate(entries, start=1):
            guard.run(entry.movie_code, self._record, client, key, entry)
            self._tick(progress, done, len(entries))
        guard.finish()
        if self.upcoming:
            showing = {entry.movie_code for entry in entries}
            self._coming(client, key, target + datetime.timedelta(days=1), showing, result)
        return result

    def _coming(
        self, client: PoliteClient, key: str, today: datetime.date, showing: set[str], result: CrawlResult
    ) -> None:
        """Films opening after today, from the film list by opening year."""
        seen: set[str] = set()
        for page in range(1, MAX_LIST_PAGES + 1):
            params = {
                "key": key,
                "openStartDt": str(today.year),
                "openEndDt": str(today.year + 1),
                "itemPerPage": str(LIST_PAGE_SIZE),
                "curPage": str(page),
            }
            data = json_of(
                client.get(MOVIE_LIST_URL, params=params), source=self.source, what="movieListResult"
            )
            _raise_fault(data)
            listed = require(data, "movieListResult", dict, source=self.source, path="movieListResult")
            films = require(listed, "movieList", list, source=self.source, path="movieListResult.movieList")
            for item in films:
                code = str(item.get("movieCd") or "").strip() if isinstance(item, dict) else ""
                if not code:
                    result.fail(None, f"movieList entry without movieCd: {str(item)[:80]}")
                    continue
                if code in showing or code in seen:
                    continue
                seen.add(code)
                try:
                    record = parse_kobis_list_item(item, code=code, today=today)
                except RecordParseError as exc:
                    result.fail(code, str(exc))
                    continue
                if record is not None:
                    result.add(record)
            total = str(listed.get("totCnt") or "")
            if not films or not total.isdigit() or page * LIST_PAGE_SIZE >= int(total):
                return
        result.complete = False
        result.fail(None, f"movieList: more than {MAX_LIST_PAGES} pages; the rest was not read")

    def _record(self, client: PoliteClient, key: str, entry: BoxOfficeEntry) -> SourceTitle:
        code = entry.movie_code
        response = client.get(MOVIE_INFO_URL, params={"key": key, "movieCd": code})
        try:
            data = response.json()
        except ValueError as exc:
            raise RecordParseError(f"movieInfo: not JSON ({exc})") from exc
        _raise_fault(data)
        info = (data.get("movieInfoResult") or {}).get("movieInfo") if isinstance(data, dict) else None
        if not isinstance(info, dict):
            raise SourceFormatError(self.source, "movieInfoResult.movieInfo", "missing")
        record = parse_kobis_movie(info, code=code)
        record.box_office_audience = entry.audience_total
        record.offers = (
            SourceOfferRecord(
                provider=PROVIDER,
                offer_type=OfferType.NOW_SHOWING,
                link=f"https://www.kobis.or.kr/kobis/business/mast/mvie/searchMovieList.do?dtTp=movie&code={code}",
                starts_on=record.release_date,
            ),
        )
        return record


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


def parse_kobis_list_item(item: dict[str, Any], *, code: str, today: datetime.date) -> SourceTitle | None:
    """A film of the list by opening date, if it opens soon (else None: not news)."""
    title = str(item.get("movieNm") or "").strip()
    if not title:
        raise RecordParseError("movieNm: empty title")
    opened = parse_source_date(str(item.get("openDt") or ""), field_name="openDt")
    if opened is None or opened.date is None:
        return None  # no fixed opening day: not "coming" yet
    if not today <= opened.date <= today + datetime.timedelta(days=COMING_DAYS):
        return None
    genres = [g.strip() for g in str(item.get("genreAlt") or "").split(",") if g.strip()]
    directors = [d.get("peopleNm", "") for d in item.get("directors") or [] if isinstance(d, dict)]
    return SourceTitle(
        source="kobis",
        external_id=code,
        title_ko=title,
        title_en=str(item.get("movieNmEn") or "").strip(),
        year=opened.year,
        release_date=opened.date,
        genres=tuple(genres),
        people=people_of(directors, []),
        kobis_code=code,
        offers=(
            SourceOfferRecord(
                provider=PROVIDER,
                offer_type=OfferType.COMING_SOON,
                link=f"https://www.kobis.or.kr/kobis/business/mast/mvie/searchMovieList.do?dtTp=movie&code={code}",
                starts_on=opened.date,
            ),
        ),
        raw={"movieList": item},
    )


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
