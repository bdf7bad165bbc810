from __future__ import annotations

import datetime
import re

import pytest

from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.cgv import DETAIL_URL
from apps.movies.crawlers.cgv import LIST_URL
from apps.movies.crawlers.cgv import CgvCrawler
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


def test_cgv_reads_the_upcoming_chart_and_each_detail_page():
    client, transport = replay_client("cgv")

    result = CgvCrawler().crawl(client)

    assert [r.external_id for r in result.records] == ["88924", "88731", "88950", "89012"]
    assert len(transport.requests) == 5  # one list, four details: poster and title links deduplicated
    harbin = result.records[0]
    assert (harbin.title_ko, harbin.title_en) == ("하얼빈", "HARBIN")
    assert harbin.release_date == datetime.date(2024, 12, 24)
    assert harbin.age_rating == AgeRating.AGE_15
    assert harbin.runtime_minutes == 114
    assert harbin.genres == ("드라마", "액션")
    assert [p.name for p in harbin.people if p.role == "cast"] == ["현빈", "박정민", "조우진", "전여빈"]
    assert [p.name for p in harbin.people if p.role == "director"] == ["우민호"]
    assert harbin.poster_url.endswith("88924_320.jpg")
    assert harbin.overview.startswith("1908년")
    assert harbin.offers[0].offer_type == OfferType.COMING_SOON
    assert '<div class="sect-base-movie">' in harbin.raw["html"]


def test_cgv_month_only_release_date_keeps_the_record_with_a_warning():
    client, _ = replay_client("cgv")

    result = CgvCrawler().crawl(client)

    nuns = next(r for r in result.records if r.external_id == "89012")
    assert (nuns.year, nuns.release_date) == (2025, None)
    assert [(e.external_id, e.level) for e in result.errors] == [("89012", "warning")]


def test_cgv_detail_with_missing_nodes_is_a_record_error(recording):
    index = recording(
        [
            {"url": LIST_URL, "fixture": "cgv/pre_movies.html"},
            {"url": f"{DETAIL_URL}?midx=88924", "fixture": "cgv/detail_88924.html"},
            {
                "url": f"{DETAIL_URL}?midx=88731",
                "body": "<html><body><div class='box-contents'></div></body></html>",
            },
            {
                "url": f"{DETAIL_URL}?midx=88950",
                "body": "<html><body><div class='box-contents'><strong>무파사</strong></div></body></html>",
            },
            {"url": f"{DETAIL_URL}?midx=89012", "body": "<html><body>" + "x" * 2048 + "</body></html>"},
        ]
    )
    client, _ = replay_client(index)

    result = CgvCrawler().crawl(client)

    assert [r.external_id for r in result.records] == ["88924"]
    assert {e.external_id: e.message for e in result.errors} == {
        "88731": "detail: div.box-contents strong missing",
        "88950": "detail: div.spec dl missing",
        "89012": "detail: div.box-contents strong missing",
    }


def test_cgv_list_without_the_chart_fails_the_run(recording):
    index = recording(
        [{"url": LIST_URL, "body": "<html><body><div class='sect-movie-list'></div></body></html>"}]
    )
    client, _ = replay_client(index)

    expected = re.escape("cgv: response format changed: field 'div.sect-movie-chart'")
    with pytest.raises(SourceFormatError, match=expected):
        CgvCrawler().crawl(client)


def test_cgv_oversized_detail_is_refused_as_a_record_error(recording):
    index = recording(
        [
            {"url": LIST_URL, "fixture": "cgv/pre_movies.html"},
            {"url": f"{DETAIL_URL}?midx=88924", "body": b"<html>" + b" " * (10 * 1024 * 1024) + b"</html>"},
            {"url": f"{DETAIL_URL}?midx=88731", "fixture": "cgv/detail_88731.html"},
        ]
    )
    client, _ = replay_client(index)

    result = CgvCrawler().crawl(client)

    assert [r.external_id for r in result.records] == ["88731"]
    messages = {e.external_id: e.message for e in result.errors}
    assert "larger than" in messages["88924"] or "exceeds" in messages["88924"]
    assert messages["88950"].endswith("HTTP 404")  # not recorded: never reaches the network
