"""TMDB API v3: the backbone for films AND series available in Korea, and where to watch them.

Feeds: ``discover`` (films released in Korea, and Korean series: K-dramas and variety,
each filtered to titles with a Korean watch offer) and ``changes`` (titles TMDB edited
since yesterday that Moochu already has). Details come in Korean with credits, Korean
certifications, translations (the English title) and ``watch/providers`` for KR with
every monetisation type: flatrate, free, ads, rent and buy.

Titles kept apart (sources.md): with ``language=ko-KR`` TMDB returns the original-language
title when it has no Korean one, so ``title_ko`` is only ever a real Korean title.

Provider data is JustWatch's, served by TMDB: both must be credited wherever it is shown
(``ATTRIBUTION``; templates/movies/_provider_attribution.html).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
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
from apps.movies.crawlers.base import SourcePerson
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import has_hangul
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import require
from apps.movies.crawlers.vocab import PROVIDERS
from apps.movies.crawlers.vocab import provider_slug
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType

API = "https://api.themoviedb.org/3"
IMAGE_BASE = "https://image.tmdb.org/t/p/w500"
ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB."
# TMDB's monetisation types → our offer types. Every one TMDB has: none is dropped.
OFFER_TYPES = {
    "flatrate": OfferType.STREAM,
    "free": OfferType.FREE,
    "ads": OfferType.ADS,
    "rent": OfferType.RENT,
    "buy": OfferType.BUY,
}
MONETISATION = "|".join(OFFER_TYPES)
# Korean certifications as TMDB writes them (films: release_dates; series: content_ratings).
_CERTIFICATIONS = {
    "all": AgeRating.ALL,
    "전체관람가": AgeRating.ALL,
    "12": AgeRating.AGE_12,
    "15": AgeRating.AGE_15,
    "18": AgeRating.AGE_18,
    "19": AgeRating.AGE_18,
    "청소년관람불가": AgeRating.AGE_18,
}
CAST_LIMIT = 8
# The API's media segments: our MediaType → TMDB's path word.
SEGMENTS: dict[str, str] = {MediaType.MOVIE: "movie", MediaType.TV: "tv"}


def tmdb_external_id(media_type: str, tmdb_id: int | str) -> str:
    """Films keep the bare id (as Moochu always stored them); series are ``tv:<id>``."""
    return str(tmdb_id) if media_type == MediaType.MOVIE else f"tv:{tmdb_id}"


def tmdb_split_external_id(external_id: str) -> tuple[str, str]:
    if external_id.startswith("tv:"):
        return MediaType.TV, external_id[3:]
    return MediaType.MOVIE, external_id


class TmdbCrawler(Crawler):
    source = "tmdb"
    providers = tuple(info.slug for info in PROVIDERS if info.kind == "ott")
    attribution = ATTRIBUTION + " Where-to-watch data by JustWatch."

    def __init__(
        self,
        *,
        pages: int | None = None,
        media_types: tuple[str, ...] = (MediaType.MOVIE, MediaType.TV),
        known_ids: set[str] | None = None,
        since: datetime.date | None = None,
    ) -> None:
        self.pages = pages or settings.CRAWLER["TMDB_DISCOVER_PAGES"]
        self.media_types = media_types
        # External ids Moochu already has: the changes feed refreshes only these.
        self.known_ids = known_ids
        self.since = since

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        key = settings.TMDB_API_KEY
        if not key:
            raise CrawlError("tmdb: TMDB_API_KEY is not set")
        result = CrawlResult(source=self.source)
        ids: dict[str, None] = {}
        for media_type in self.media_types:
            self._discover(client, key, media_type, ids, result)
        if self.known_ids:
            for media_type in self.media_types:
                self._changes(client, key, media_type, ids)
        guard = DetailGuard(result)
        for done, external_id in enumerate(ids, start=1):
            guard.run(external_id, self._record, client, key, external_id, result)
            self._tick(progress, done, len(ids))
        return guard.finish()

    def _discover(
        self, client: PoliteClient, key: str, media_type: str, ids: dict[str, None], result: CrawlResult
    ) -> None:
        segment = SEGMENTS[media_type]
        for page in range(1, self.pages + 1):
            data = json_of(
                client.get(f"{API}/discover/{segment}", params=discover_params(key, media_type, page)),
                source=self.source,
                what=f"discover/{segment}",
            )
            tmdb_raise_error(data)
            listed = require(data, "results", list, source=self.source, path=f"discover/{segment}.results")
            for item in listed:
                tmdb_id = str(item.get("id") or "") if isinstance(item, dict) else ""
                external_id = tmdb_external_id(media_type, tmdb_id)
                if not tmdb_id.isdigit():
                    result.fail(None, f"discover/{segment} result without an id: {str(item)[:80]}")
                elif external_id in ids:
                    result.fail(external_id, f"duplicated id in discover/{segment} results (kept the first)")
                else:
                    ids[external_id] = None
            if page >= int(data.get("total_pages") or 1):
                return
        # Stopped at the page limit: titles beyond it were not listed, and their offers
        # must not be closed for that (each fetched title's own offers are still exact).
        result.complete = False

    def _changes(self, client: PoliteClient, key: str, media_type: str, ids: dict[str, None]) -> None:
        segment = SEGMENTS[media_type]
        since = self.since or timezone.localdate() - datetime.timedelta(days=1)
        data = json_of(
            client.get(
                f"{API}/{segment}/changes",
                params={"api_key": key, "start_date": since.isoformat(), "page": "1"},
            ),
            source=self.source,
            what=f"{segment}/changes",
        )
        tmdb_raise_error(data)
        for item in require(data, "results", list, source=self.source, path=f"{segment}/changes.results"):
            tmdb_id = str(item.get("id") or "") if isinstance(item, dict) else ""
            external_id = tmdb_external_id(media_type, tmdb_id)
            if tmdb_id.isdigit() and external_id in (self.known_ids or ()) and not item.get("adult"):
                ids.setdefault(external_id, None)

    def _record(self, client: PoliteClient, key: str, external_id: str, result: CrawlResult) -> SourceTitle:
        media_type, tmdb_id = tmdb_split_external_id(external_id)
        segment = SEGMENTS[media_type]
        ratings = "release_dates" if media_type == MediaType.MOVIE else "content_ratings"
        response = client.get(
            f"{API}/{segment}/{tmdb_id}",
            params={
                "api_key": key,
                "language": "ko-KR",
                "append_to_response": f"credits,{ratings},translations,watch/providers",
            },
        )
        try:
            data = response.json()
        except ValueError as exc:
            raise RecordParseError(f"{segment} {tmdb_id}: not JSON ({exc})") from exc
        tmdb_raise_error(data, record=True)
        record, warnings = parse_tmdb_title(data, media_type=media_type)
        for warning in warnings:
            result.warn(external_id, warning)
        return record


def discover_params(key: str, media_type: str, page: int) -> dict[str, str]:
    params = {
        "api_key": key,
        "language": "ko-KR",
        "watch_region": "KR",
        "with_watch_monetization_types": MONETISATION,
        "sort_by": "popularity.desc",
        "page": str(page),
    }
    if media_type == MediaType.MOVIE:
        params["region"] = "KR"
    else:
        # K-dramas and variety: series made in Korea that a Korean service carries.
        params["with_origin_country"] = "KR"
    return params


def tmdb_raise_error(data: Any, *, record: bool = False) -> None:
    """TMDB errors come as ``{"status_code", "status_message", "success": false}``."""
    if isinstance(data, dict) and data.get("success") is False and "status_code" in data:
        message = f"tmdb: API error {data.get('status_code')}: {data.get('status_message')}"
        if record:
            raise RecordParseError(message)
        raise CrawlError(message)


def _translation(data: dict[str, Any], language: str, name_field: str) -> str:
    translations = (data.get("translations") or {}).get("translations") or []
    for entry in translations:
        if isinstance(entry, dict) and entry.get("iso_639_1") == language:
            value = str((entry.get("data") or {}).get(name_field) or "").strip()
            if value:
                return value
    return ""


def tmdb_titles(data: dict[str, Any], *, media_type: str) -> tuple[str, str, str]:
    """(title_ko, title_en, title_original), never the original-language title as Korean."""
    name_field = "title" if media_type == MediaType.MOVIE else "name"
    shown = str(data.get(name_field) or "").strip()
    original = str(data.get(f"original_{name_field}") or "").strip()
    language = data.get("original_language")
    korean = _translation(data, "ko", name_field)
    if not korean:
        if language == "ko":
            korean = original
        elif shown and shown != original and has_hangul(shown):
            korean = shown  # a Korean title TMDB has, though not in translations
    english = _translation(data, "en", name_field) or (original if language == "en" else "")
    return korean, english, original


def parse_tmdb_title(data: Any, *, media_type: str = MediaType.MOVIE) -> tuple[SourceTitle, list[str]]:
    """One film or series from its details answer, and warnings worth recording."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise SourceFormatError("tmdb", f"{SEGMENTS[media_type]}.id", "missing from the details")
    warnings: list[str] = []
    is_movie = media_type == MediaType.MOVIE
    date_field = "release_date" if is_movie else "first_air_date"
    released = parse_source_date(str(data.get(date_field) or ""), field_name=date_field)
    title_ko, title_en, title_original = tmdb_titles(data, media_type=media_type)
    credits = data.get("credits") or {}
    cast = [c.get("name", "") for c in (credits.get("cast") or [])[:CAST_LIMIT] if isinstance(c, dict)]
    if is_movie:
        directors = [
            c.get("name", "")
            for c in credits.get("crew") or []
            if isinstance(c, dict) and c.get("job") == "Director"
        ]
        people = people_of(directors, cast)
        runtime = data.get("runtime")
    else:
        creators = [c.get("name", "") for c in data.get("created_by") or [] if isinstance(c, dict)]
        people = people_of([], cast) + tuple(
            SourcePerson(name=name, role="writer", order=i) for i, name in enumerate(creators) if name
        )
        runtimes = [r for r in data.get("episode_run_time") or [] if isinstance(r, int) and r > 0]
        runtime = runtimes[0] if runtimes else None
    offers = _offers(data, media_type=media_type, warnings=warnings)
    poster = data.get("poster_path") or ""
    seasons = data.get("number_of_seasons")
    episodes = data.get("number_of_episodes")
    record = SourceTitle(
        source="tmdb",
        external_id=tmdb_external_id(media_type, data["id"]),
        title_ko=title_ko,
        title_en=title_en,
        title_original=title_original,
        media_type=media_type,
        year=released.year if released else None,
        release_date=released.date if released else None,
        runtime_minutes=runtime if isinstance(runtime, int) and runtime > 0 else None,
        season_count=seasons if not is_movie and isinstance(seasons, int) else None,
        episode_count=episodes if not is_movie and isinstance(episodes, int) else None,
        age_rating=_certification(data) if is_movie else _content_rating(data),
        overview=str(data.get("overview") or "").strip(),
        genres=tuple(_genres(data)),
        people=people,
        poster_url=f"{IMAGE_BASE}{poster}" if isinstance(poster, str) and poster else "",
        offers=offers,
        tmdb_id=int(data["id"]),
        raw=data,
    )
    return record, warnings


def _genres(data: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for genre in data.get("genres") or []:
        if isinstance(genre, dict):
            # TMDB's TV genres pair two ("Action & Adventure", "Sci-Fi & Fantasy").
            names += [part.strip() for part in str(genre.get("name") or "").split("&") if part.strip()]
    return names


def _offers(data: dict[str, Any], *, media_type: str, warnings: list[str]) -> tuple[SourceOfferRecord, ...]:
    providers_kr = ((data.get("watch/providers") or {}).get("results") or {}).get("KR") or {}
    if not isinstance(providers_kr, dict):
        return ()
    # TMDB's watch page for the title in Korea: it links on to each service (JustWatch).
    link = providers_kr.get("link")
    if not isinstance(link, str) or not link.startswith("https://"):
        link = f"https://www.themoviedb.org/{SEGMENTS[media_type]}/{data['id']}/watch?locale=KR"
    offers: list[SourceOfferRecord] = []
    for kind, offer_type in OFFER_TYPES.items():
        for provider in providers_kr.get(kind) or []:
            if not isinstance(provider, dict):
                continue
            provider_id = provider.get("provider_id")
            name = provider.get("provider_name")
            if not isinstance(provider_id, int) or not isinstance(name, str):
                warnings.append(
                    f"watch/providers.KR.{kind}: entry without provider_id/provider_name (skipped)"
                )
                continue
            slug = provider_slug(name, tmdb_provider_id=provider_id)
            if slug is None:
                warnings.append(
                    f"watch/providers.KR.{kind}: provider {provider_id} {name!r} unknown to Moochu (skipped)"
                )
                continue
            offers.append(SourceOfferRecord(provider=slug, offer_type=offer_type, link=link))
    return tuple(dict.fromkeys(offers))


def _certification(data: dict[str, Any]) -> str:
    for country in (data.get("release_dates") or {}).get("results") or []:
        if isinstance(country, dict) and country.get("iso_3166_1") == "KR":
            for release in country.get("release_dates") or []:
                certification = release.get("certification") if isinstance(release, dict) else None
                if isinstance(certification, str):
                    rating = _CERTIFICATIONS.get(certification.strip().casefold())
                    if rating:
                        return rating
    return AgeRating.UNKNOWN


def _content_rating(data: dict[str, Any]) -> str:
    for rating in (data.get("content_ratings") or {}).get("results") or []:
        if isinstance(rating, dict) and rating.get("iso_3166_1") == "KR":
            return _CERTIFICATIONS.get(str(rating.get("rating") or "").strip().casefold(), AgeRating.UNKNOWN)
    return AgeRating.UNKNOWN


def tmdb_provider_list(data: Any) -> list[tuple[int, str, str | None]]:
    """``/watch/providers/{movie,tv}?watch_region=KR``: (id, name, our slug or None)."""
    tmdb_raise_error(data)
    listed = require(data, "results", list, source="tmdb", path="watch/providers.results")
    found = []
    for item in listed:
        if isinstance(item, dict) and isinstance(item.get("provider_id"), int):
            name = str(item.get("provider_name") or "")
            found.append(
                (item["provider_id"], name, provider_slug(name, tmdb_provider_id=item["provider_id"]))
            )
    return found


def tmdb_kr_certifications(data: Any) -> list[tuple[str, str]]:
    """``/certification/movie/list``: Korea's (certification, our age rating) pairs."""
    tmdb_raise_error(data)
    certifications = require(data, "certifications", dict, source="tmdb", path="certifications")
    return [
        (
            str(c.get("certification")),
            _CERTIFICATIONS.get(str(c.get("certification")).casefold(), AgeRating.UNKNOWN),
        )
        for c in certifications.get("KR") or []
        if isinstance(c, dict)
    ]
