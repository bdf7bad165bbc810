"""Lotte Cinema: now showing and upcoming films from the JSON API its own site uses.

The least stable source (sources.md): the request is JSON inside a form field and the
answer's field names are checked strictly, so a change fails the run with the field named.

Real answers (../shared/source-samples/lotte, README there) taught us:
- the home endpoint nests films one level deeper (``Movies.Items[0].Items[]``) than
  ``GetMoviesToBe`` (``Movies.Items[]``): both shapes are read;
- ``MovieNameUS`` holds the KOREAN title (161 of 161 items): an "English" title in
  Hangul is dropped;
- list items have ``PlayTime`` 0 and null genres: runtime, genres, synopsis and people
  come from the detail call (``GetMovieDetailTOBE``);
- ``SynopsisKR`` is raw HTML (``<b>``, ``<br>``, ``&#8203;``): cleaned to plain text;
- ``KOFMovieCd`` is the film's KOBIS code: kept as the external id KOBIS matches on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourcePerson
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import clean_text
from apps.movies.crawlers.base import has_hangul
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import require
from apps.movies.models import AgeRating
from apps.movies.models import OfferType

BASE = "https://www.lottecinema.co.kr"
API_URL = f"{BASE}/LCWS/Movie/MovieData.aspx"
# moviePlayYN: Y = now showing, N = upcoming.
LISTS = (("Y", OfferType.NOW_SHOWING), ("N", OfferType.COMING_SOON))
PAGE_SIZE = 200
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
CAST_LIMIT = 8


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
        "blockSize": PAGE_SIZE,
        "pageNo": 1,
        "memberOnNo": "",
    }


def detail_params(code: str) -> dict[str, Any]:
    return {
        "MethodName": "GetMovieDetailTOBE",
        "channelType": "HO",
        "osType": "W",
        "osVersion": "Mozilla/5.0",
        "multiLanguageID": "KR",
        "representationMovieCode": code,
        "memberOnNo": "",
    }


def lotte_film_items(data: Any, *, source: str = "lotte") -> list[Any]:
    """The film items of a list answer, in either of the shapes the site uses."""
    if isinstance(data, dict) and str(data.get("IsOK", "true")).lower() != "true":
        raise CrawlError(f"lotte: API said {data.get('ResultMessage')!r}")
    movies = require(data, "Movies", dict, source=source, path="Movies")
    items = require(movies, "Items", list, source=source, path="Movies.Items")
    films: list[Any] = []
    for item in items:
        # The home endpoint groups films in blocks ({"Items": [...], "ItemCount": n}).
        if (
            isinstance(item, dict)
            and "RepresentationMovieCode" not in item
            and isinstance(item.get("Items"), list)
        ):
            films += item["Items"]
        else:
            films.append(item)
    dicts = [item for item in films if isinstance(item, dict)]
    for name in REQUIRED_FIELDS:
        if dicts and not any(name in item for item in dicts):
            raise SourceFormatError(source, f"Movies.Items[].{name}", "missing from every item")
    return films


class LotteCrawler(Crawler):
    source = "lotte"
    providers = ("lotte-cinema",)

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        result = CrawlResult(source=self.source)
        listed: dict[str, tuple[dict[str, Any], OfferType]] = {}
        for play, offer_type in LISTS:
            form = {"paramList": json.dumps(request_params(play), separators=(",", ":"))}
            data = json_of(client.post(API_URL, data=form), source=self.source, what="Movies")
            items = lotte_film_items(data, source=self.source)
            if not items and play == "Y":
                result.fail(None, "Movies.Items (now showing): empty list; offers kept open")
                result.complete = False
            if len(items) >= PAGE_SIZE:
                # A full page may have a next one we did not ask for.
                result.complete = False
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
        guard = DetailGuard(result)
        for done, (code, (item, offer_type)) in enumerate(listed.items(), start=1):
            guard.run(code, self._record, client, code, item, offer_type)
            self._tick(progress, done, len(listed))
        return guard.finish()

    def _record(self, client: PoliteClient, code: str, item: dict[str, Any], offer_type: str) -> SourceTitle:
        # Checked before the detail call: a broken list item costs no request.
        lotte_record(code, item, offer_type, detail=None)
        form = {"paramList": json.dumps(detail_params(code), separators=(",", ":"))}
        detail = json_of(client.post(API_URL, data=form), source=self.source, what="Movie")
        return lotte_record(code, item, offer_type, detail=detail)


def lotte_detail_movie(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict) and str(detail.get("IsOK", "true")).lower() != "true":
        raise RecordParseError(f"detail: API said {detail.get('ResultMessage')!r}")
    return require(detail, "Movie", dict, source="lotte", path="Movie")


def lotte_record(code: str, item: dict[str, Any], offer_type: str, *, detail: Any) -> SourceTitle:
    """One film from its list item and (when fetched) its ``GetMovieDetailTOBE`` answer."""
    movie = lotte_detail_movie(detail) if detail is not None else {}
    title = clean_text(str(item.get("MovieNameKR") or ""))
    if not title:
        raise RecordParseError("MovieNameKR: empty title")
    english = clean_text(str(item.get("MovieNameUS") or movie.get("MovieNameUS") or ""))
    if english == title or has_hangul(english):
        english = ""  # Lotte fills MovieNameUS with the Korean title
    date_text = str(item.get("ReleaseDate") or "")
    match = _DATE.match(date_text)
    if date_text.strip() and not match:
        raise RecordParseError(f"ReleaseDate: unreadable date {date_text!r}")
    released = parse_source_date(match.group(1) if match else "", field_name="ReleaseDate")
    grade = movie.get("ViewGradeCode", item.get("ViewGradeCode"))
    rating = _GRADES.get(grade) if isinstance(grade, int) else None
    runtime = movie.get("PlayTime") or item.get("PlayTime")
    genre_source = movie or item
    genres = [genre_source.get(f"MovieGenreNameKR{n}") or "" for n in ("", "2", "3")]
    synopsis = movie.get("SynopsisKR") or item.get("SynopsisKR") or ""
    poster = str(item.get("PosterURL") or movie.get("PosterURL") or "").strip()
    kobis = str(item.get("KOFMovieCd") or movie.get("KOFMovieCd") or "").strip()
    return SourceTitle(
        source="lotte",
        external_id=code,
        title_ko=title,
        title_en=english,
        year=released.year if released else None,
        release_date=released.date if released else None,
        runtime_minutes=runtime if isinstance(runtime, int) and 0 < runtime < 2000 else None,
        age_rating=rating
        or age_rating_from_korean(movie.get("ViewGradeNameKR") or item.get("ViewGradeNameUS")),
        overview=clean_text(str(synopsis)),
        # One genre per field: "멜로/로맨스" is one genre, not two.
        genres=tuple(name.strip() for name in genres if name and name.strip()),
        people=_people(detail),
        # The site sends absolute CDN URLs; a bare path has no known host, so no poster.
        poster_url=poster if poster.startswith(("https://", "http://")) else "",
        kobis_code=kobis if kobis.isdigit() else None,
        offers=(
            SourceOfferRecord(
                provider="lotte-cinema",
                offer_type=offer_type,
                link=f"{BASE}/NLCHS/Movie/MovieDetailView?movie={code}",
                starts_on=released.date if released else None,
            ),
        ),
        raw={"list": item, "detail": movie} if movie else {"list": item},
    )


def _people(detail: Any) -> tuple[SourcePerson, ...]:
    casting = (detail or {}).get("Casting") if isinstance(detail, dict) else None
    items = (casting or {}).get("Items") if isinstance(casting, dict) else None
    directors: list[str] = []
    cast: list[str] = []
    for entry in items or []:
        if not isinstance(entry, dict):
            continue
        name = clean_text(str(entry.get("StaffName") or ""))
        role = str(entry.get("Role") or "").strip()
        if not name:
            continue
        if role == "감독" and name not in directors:
            directors.append(name)
        elif role == "배우" and name not in cast and len(cast) < CAST_LIMIT:
            cast.append(name)
    people = [SourcePerson(name=n, role="director", order=i) for i, n in enumerate(directors)]
    people += [SourcePerson(name=n, role="cast", order=i) for i, n in enumerate(cast)]
    return tuple(people)
