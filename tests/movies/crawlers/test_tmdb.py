from __future__ import annotations

import datetime
import json

import pytest

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.tmdb import API
from apps.movies.crawlers.tmdb import TmdbCrawler
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


@pytest.fixture(autouse=True)
def _api_key(settings):
    settings.TMDB_API_KEY = "test-key"


def test_tmdb_maps_korean_watch_providers_to_our_providers():
    client, transport = replay_client("tmdb")

    result = TmdbCrawler(pages=3).crawl(client)

    assert result.complete is True  # total_pages reached before the limit
    parasite = next(r for r in result.records if r.external_id == "496243")
    assert parasite.tmdb_id == 496243
    assert (parasite.title_ko, parasite.title_original, parasite.title_en) == ("기생충", "기생충", "Parasite")
    assert parasite.release_date == datetime.date(2019, 5, 30)
    assert parasite.age_rating == AgeRating.AGE_15
    # every monetisation type is kept: stream, free with ads, rent and buy stores
    assert {(o.provider, o.offer_type) for o in parasite.offers} == {
        ("netflix", OfferType.STREAM),
        ("wavve", OfferType.STREAM),
        ("coupang-play", OfferType.ADS),
        ("google-play", OfferType.RENT),
        ("apple-tv", OfferType.BUY),
    }
    # the deep link is TMDB's watch page for the title in Korea (it links on to each service)
    assert {o.link for o in parasite.offers} == {"https://www.themoviedb.org/movie/496243/watch?locale=KR"}
    assert [p.name for p in parasite.people if p.role == "director"] == ["봉준호"]
    oppenheimer = next(r for r in result.records if r.external_id == "872585")
    assert (oppenheimer.title_ko, oppenheimer.title_en) == ("오펜하이머", "Oppenheimer")
    assert oppenheimer.offers[0].provider == "coupang-play"
    inside_out = next(r for r in result.records if r.external_id == "1022789")
    assert inside_out.age_rating == AgeRating.ALL
    assert inside_out.offers[0].provider == "disney-plus"
    assert all(r.url.params["api_key"] == "test-key" for r in transport.requests)
    # a provider Moochu does not know is recorded, not silently dropped
    assert [(e.external_id, e.level, e.message) for e in result.errors] == [
        ("872585", "warning", "watch/providers.KR.rent: provider 11 'MUBI' unknown to Moochu (skipped)")
    ]


def test_tmdb_never_puts_an_original_language_title_in_title_ko():
    client, _ = replay_client("tmdb")

    result = TmdbCrawler(pages=1).crawl(client)

    # ko-KR answered "Le Règne animal": TMDB has no Korean title for it
    foreign = next(r for r in result.records if r.external_id == "1001")
    assert (foreign.title_ko, foreign.title_en, foreign.title_original) == (
        "",
        "The Animal Kingdom",
        "Le Règne animal",
    )


def test_tmdb_reads_korean_series_with_seasons_and_episodes():
    client, transport = replay_client("tmdb")

    result = TmdbCrawler(pages=1).crawl(client)

    squid = next(r for r in result.records if r.external_id == "tv:93405")
    assert squid.media_type == MediaType.TV
    assert (squid.title_ko, squid.title_en) == ("오징어 게임", "Squid Game")
    assert (squid.season_count, squid.episode_count) == (3, 22)
    assert squid.release_date == datetime.date(2021, 9, 17)
    assert squid.age_rating == AgeRating.AGE_18  # content_ratings KR "19"
    assert set(squid.genres) == {"Action", "Adventure", "미스터리", "드라마"}
    assert [(p.name, p.role) for p in squid.people if p.role == "writer"] == [("황동혁", "writer")]
    # "Netflix basic with Ads" is Netflix: one offer, not two
    assert [(o.provider, o.offer_type) for o in squid.offers] == [("netflix", OfferType.STREAM)]
    tv_discover = next(r for r in transport.requests if r.url.path == "/3/discover/tv")
    assert tv_discover.url.params["with_origin_country"] == "KR"
    assert tv_discover.url.params["with_watch_monetization_types"] == "flatrate|free|ads|rent|buy"


def test_tmdb_changes_feed_refreshes_only_titles_moochu_has(recording):
    # given Moochu knows film 496243 and series 93405; TMDB changed them and others
    changes = '{"results": [{"id": 496243, "adult": false}, {"id": 5}], "page": 1, "total_pages": 1}'
    tv_changes = '{"results": [{"id": 93405, "adult": false}], "page": 1, "total_pages": 1}'
    empty = '{"page": 1, "results": [], "total_pages": 1}'
    index = recording(
        [
            {"url": f"{API}/discover/movie?page=1", "body": empty},
            {"url": f"{API}/discover/tv?page=1", "body": empty},
            {"url": f"{API}/movie/changes", "body": changes},
            {"url": f"{API}/tv/changes", "body": tv_changes},
            {"url": f"{API}/movie/496243", "fixture": "tmdb/movie_496243.json"},
            {"url": f"{API}/tv/93405", "fixture": "tmdb/tv_93405.json"},
        ]
    )
    client, transport = replay_client(index)

    result = TmdbCrawler(pages=1, known_ids={"496243", "tv:93405"}).crawl(client)

    assert sorted(r.external_id for r in result.records) == ["496243", "tv:93405"]
    assert not any(r.url.path == "/3/movie/5" for r in transport.requests)


def test_tmdb_error_answer_fails_the_run(recording):
    body = json.dumps(
        {
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
            "success": False,
        }
    )
    client, _ = replay_client(recording([{"url": f"{API}/discover/movie?page=1", "body": body}]))

    with pytest.raises(CrawlError, match="tmdb: API error 7: Invalid API key"):
        TmdbCrawler(pages=1).crawl(client)


def test_tmdb_without_an_api_key_fails_clearly(settings):
    settings.TMDB_API_KEY = ""
    client, transport = replay_client("tmdb")

    with pytest.raises(CrawlError, match="TMDB_API_KEY is not set"):
        TmdbCrawler().crawl(client)
    assert transport.requests == []


def test_tmdb_run_stopped_at_the_page_limit_is_not_complete(recording):
    index = recording(
        [
            {"url": f"{API}/discover/movie?page=1", "body": '{"page": 1, "results": [], "total_pages": 40}'},
        ]
    )
    client, _ = replay_client(index)

    result = TmdbCrawler(pages=1, media_types=(MediaType.MOVIE,)).crawl(client)

    assert result.complete is False
