from __future__ import annotations

import datetime

import pytest

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.tmdb import API
from apps.movies.crawlers.tmdb import TmdbCrawler
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


@pytest.fixture(autouse=True)
def _api_key(settings):
    settings.TMDB_API_KEY = "test-key"


def test_tmdb_maps_korean_watch_providers_to_our_providers():
    client, transport = replay_client("tmdb")

    result = TmdbCrawler(pages=3).crawl(client)

    assert result.errors == []
    assert result.complete is True  # total_pages reached before the limit
    parasite = next(r for r in result.records if r.external_id == "496243")
    assert parasite.tmdb_id == 496243
    assert (parasite.title_ko, parasite.title_original, parasite.title_en) == ("기생충", "기생충", "")
    assert parasite.release_date == datetime.date(2019, 5, 30)
    assert parasite.age_rating == AgeRating.AGE_15
    # Google Play and Apple TV are not providers Moochu lists
    assert {(o.provider, o.offer_type) for o in parasite.offers} == {
        ("netflix", OfferType.STREAM),
        ("wavve", OfferType.STREAM),
    }
    assert [p.name for p in parasite.people if p.role == "director"] == ["봉준호"]
    oppenheimer = next(r for r in result.records if r.external_id == "872585")
    assert oppenheimer.title_en == "Oppenheimer"
    assert oppenheimer.offers[0].provider == "coupang-play"
    inside_out = next(r for r in result.records if r.external_id == "1022789")
    assert inside_out.age_rating == AgeRating.ALL
    assert inside_out.offers[0].provider == "disney-plus"
    assert all(r.url.params["api_key"] == "test-key" for r in transport.requests)


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

    result = TmdbCrawler(pages=1).crawl(client)

    assert result.complete is False
