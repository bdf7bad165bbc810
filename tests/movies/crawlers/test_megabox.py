from __future__ import annotations

import datetime

import pytest

from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.megabox import LIST_URL
from apps.movies.crawlers.megabox import MegaboxCrawler
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


def test_megabox_parses_both_lists_and_details():
    client, transport = replay_client("megabox")

    result = MegaboxCrawler().crawl(client)

    assert result.errors == []
    assert len(result.records) == 7
    gladiator = next(r for r in result.records if r.external_id == "24075100")
    assert gladiator.title_ko == "글래디에이터 Ⅱ"
    assert gladiator.release_date == datetime.date(2024, 11, 13)
    assert gladiator.year == 2024
    assert gladiator.age_rating == AgeRating.AGE_18
    assert gladiator.runtime_minutes == 148
    assert gladiator.genres == ("액션", "드라마")
    assert [p.name for p in gladiator.people if p.role == "director"] == ["리들리 스콧"]
    assert gladiator.poster_url.startswith("https://img.megabox.co.kr/SharedImg/2024/10/24/")
    assert gladiator.offers[0].offer_type == OfferType.NOW_SHOWING
    harbin = next(r for r in result.records if r.title_ko == "하얼빈")
    assert harbin.offers[0].offer_type == OfferType.COMING_SOON
    assert harbin.age_rating == AgeRating.AGE_15
    # the client announced itself on every request
    assert all(r.headers["User-Agent"].startswith("MoochuBot/") for r in transport.requests)


def test_megabox_bad_records_are_reported_one_by_one_and_good_ones_kept():
    client, _ = replay_client("megabox_bad")

    result = MegaboxCrawler().crawl(client)

    kept = {r.external_id for r in result.records}
    assert kept == {"24073500", "24099904"}
    errors = {e.external_id: e.message for e in result.errors if e.level == "error"}
    assert errors["24099901"] == "rfilmDeReal: impossible date '20241345'"
    assert errors["24099902"] == "movieNm: empty title"
    assert errors["24073500"] == "duplicated movieNo in one response (kept the first)"
    assert errors["24099903"] == "megabox: response format changed: field 'detail: div.movie-info p': missing"
    warnings = {e.external_id: e.message for e in result.errors if e.level == "warning"}
    assert warnings["24099904"] == "rfilmDeReal: only the month is known (202508)"
    partial = next(r for r in result.records if r.external_id == "24099904")
    assert (partial.year, partial.release_date) == (2025, None)
    # every listed id counts as seen, so a failed record's offers are not closed
    assert {"24099901", "24099903"} <= result.seen_ids


def test_megabox_changed_list_format_fails_the_run_naming_the_field(recording):
    index = recording([{"method": "POST", "url": LIST_URL, "fixture": "megabox_bad/list_changed.json"}])
    client, _ = replay_client(index)

    with pytest.raises(SourceFormatError, match="megabox: response format changed: field 'movieList'"):
        MegaboxCrawler().crawl(client)


def test_megabox_truncated_list_fails_the_run(recording):
    index = recording([{"method": "POST", "url": LIST_URL, "body": '{"movieList": [{"movieNo": "1", "movie'}])
    client, _ = replay_client(index)

    with pytest.raises(SourceFormatError, match="field 'movieList': not JSON"):
        MegaboxCrawler().crawl(client)
