"""TMDB API v3: popular films streamable in Korea and where (watch providers, region KR)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import DetailGuard
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import json_of
from apps.movies.crawlers.base import parse_source_date
from apps.movies.crawlers.base import people_of
from apps.movies.crawlers.base import require
from apps.movies.crawlers.vocab import PROVIDERS
from apps.movies.crawlers.vocab import provider_slug
from apps.movies.models import AgeRating
from apps.movies.models import OfferType

API = "https://api.themoviedb.org/3"
IMAGE_BASE = "https://image.tmdb.org/t/p/w500"
# TMDB's monetisation types → our offer types.
OFFER_TYPES = {"flatrate": OfferType.STREAM, "rent": OfferType.RENT, "buy": OfferType.BUY}
# Korean certifications as TMDB writes them.
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


class TmdbCrawler(Crawler):
    source = "tmdb"
    providers = tuple(info.slug for info in PROVIDERS if info.tmdb_provider_id)

    def __init__(self, *, pages: int | None = None) -> None:
        self.pages = pages or settings.CRAWLER["TMDB_DISCOVER_PAGES"]

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        key = settings.TMDB_API_KEY
        if not key:
            raise CrawlError("tmdb: TMDB_API_KEY is not set")
        result = CrawlResult(source=self.source)
        ids: list[str] = []
        for page in range(1, self.pages + 1):
            data = json_of(
                client.get(f"{API}/discover/movie", params=self._discover_params(key, page)),
                source=self.source,
                what="discover",
            )
            for item in require(data, "results", list, source=self.source, path="discover.results"):
                movie_id = str(item.get("id") or "") if isinstance(item, dict) else ""
                if not movie_id.isdigit():
                    result.fail(None, f"discover result without an id: {str(item)[:80]}")
                elif movie_id in ids:
                    result.fail(movie_id, "duplicated id in discover results (kept the first)")
                else:
                    ids.append(movie_id)
            if page >= int(data.get("total_pages") or 1):
                break
        else:
            # Stopped at the page limit: films beyond it were not listed, and their
            # offers must not be closed for that.
            result.complete = False
        guard = DetailGuard(result)
        for done, movie_id in enumerate(ids, start=1):
            guard.run(movie_id, self._record, client, key, movie_id)
            self._tick(progress, done, len(ids))
        return guard.finish()

    @staticmethod
    def _discover_params(key: str, page: int) -> dict[str, str]:
        return {
            "api_key": key,
            "language": "ko-KR",
            "region": "KR",
            "watch_region": "KR",
            "with_watch_monetization_types": "flatrate|rent|buy",
            "sort_by": "popularity.desc",
            "page": str(page),
        }

    def _record(self, client: PoliteClient, key: str, movie_id: str) -> SourceTitle:
        response = client.get(
            f"{API}/movie/{movie_id}",
            params={
                "api_key": key,
                "language": "ko-KR",
                "append_to_response": "credits,release_dates,watch/providers",
            },
        )
        try:
            data = response.json()
        except ValueError as exc:
            raise RecordParseError(f"movie {movie_id}: not JSON ({exc})") from exc
        return parse_tmdb_movie(data, movie_id=movie_id)


def parse_tmdb_movie(data: Any, *, movie_id: str) -> SourceTitle:
    if not isinstance(data, dict) or "id" not in data:
        raise SourceFormatError("tmdb", "movie.id", "missing from the movie details")
    released = parse_source_date(str(data.get("release_date") or ""), field_name="release_date")
    credits = data.get("credits") or {}
    directors = [c.get("name", "") for c in credits.get("crew") or [] if c.get("job") == "Director"]
    cast = [c.get("name", "") for c in (credits.get("cast") or [])[:CAST_LIMIT]]
    providers_kr = ((data.get("watch/providers") or {}).get("results") or {}).get("KR") or {}
    link = providers_kr.get("link") or f"https://www.themoviedb.org/movie/{movie_id}/watch?locale=KR"
    offers: list[SourceOfferRecord] = []
    for kind, offer_type in OFFER_TYPES.items():
        for provider in providers_kr.get(kind) or []:
            slug = provider_slug(
                provider.get("provider_name", ""), tmdb_provider_id=provider.get("provider_id")
            )
            if slug is not None:
                offers.append(SourceOfferRecord(provider=slug, offer_type=offer_type, link=link))
    original_language = data.get("original_language")
    poster = data.get("poster_path") or ""
    return SourceTitle(
        source="tmdb",
        external_id=movie_id,
        title_ko=str(data.get("title") or "").strip(),
        title_original=str(data.get("original_title") or "").strip(),
        title_en=str(data.get("original_title") or "").strip() if original_language == "en" else "",
        year=released.year if released else None,
        release_date=released.date if released else None,
        runtime_minutes=data.get("runtime") or None,
        age_rating=_certification(data),
        overview=str(data.get("overview") or "").strip(),
        genres=tuple(g.get("name", "") for g in data.get("genres") or [] if isinstance(g, dict)),
        people=people_of(directors, cast),
        poster_url=f"{IMAGE_BASE}{poster}" if poster else "",
        offers=tuple(dict.fromkeys(offers)),
        tmdb_id=int(data["id"]),
        raw=data,
    )


def _certification(data: dict[str, Any]) -> str:
    for country in (data.get("release_dates") or {}).get("results") or []:
        if country.get("iso_3166_1") == "KR":
            for release in country.get("release_dates") or []:
                rating = _CERTIFICATIONS.get(str(release.get("certification") or "").strip().casefold())
                if rating:
                    return rating
    return AgeRating.UNKNOWN
