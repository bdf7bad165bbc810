from __future__ import annotations

import datetime
import re

import pytest

from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.daum import DaumCrawler
from apps.movies.crawlers.daum import detail_url
from apps.movies.crawlers.daum import list_url
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


def test_daum_reads_netflix_and_watcha_lists_into_one_record_per_film():
    client, _ = replay_client("daum")

    result = DaumCrawler().crawl(client)

    assert result.errors == []
    assert sorted(r.external_id for r in result.records) == ["162271", "166045", "167315", "171101"]
    hear_me = next(r for r in result.records if r.external_id == "171101")
    assert hear_me.title_en == "Hear Me: Our Summer"
    assert hear_me.age_rating == AgeRating.ALL
    assert sorted((o.provider, o.starts_on) for o in hear_me.offers) == [
        ("netflix", datetime.date(2025, 1, 15)),
        ("watcha", datetime.date(2025, 1, 10)),
    ]
    assert {o.offer_type for o in hear_me.offers} == {OfferType.COMING_SOON}
    uprising = next(r for r in result.records if r.external_id == "162271")
    assert uprising.title_ko == "전,란"
    assert uprising.runtime_minutes == 126
    assert [p.name for p in uprising.people if p.role == "director"] == ["김상만"]
    assert uprising.poster_url.startswith("https://img1.daumcdn.net/")


def test_daum_truncated_detail_json_is_a_record_error(recording):
    truncated = '{"movieCommon": {"titleKorean": "파묘", "genres": ["미스'
    index = recording(
        [
            {"url": list_url("netflix"), "fixture": "daum/premovie_netflix.html"},
            {"url": list_url("watcha"), "fixture": "daum/premovie_watcha.html"},
            {"url": detail_url("166045"), "body": truncated},
            {"url": detail_url("162271"), "fixture": "daum/main_162271.json"},
            {"url": detail_url("167315"), "fixture": "daum/main_167315.json"},
            {"url": detail_url("171101"), "fixture": "daum/main_171101.json"},
        ]
    )
    client, _ = replay_client(index)

    result = DaumCrawler().crawl(client)

    assert len(result.records) == 3
    [error] = result.errors
    assert error.external_id == "166045"
    assert error.message.startswith("detail: not JSON")


def test_daum_detail_without_movie_common_everywhere_fails_the_run(recording):
    index = recording(
        [
            {
                "url": list_url("netflix"),
                "body": '<ul class="list_movieranking aniposter_ott"><li>'
                '<a class="thumb_item" href="/moviedb/main?movieId=1"></a><a class="link_txt">정이</a>'
                '<span class="txt_num">23.01.20</span></li></ul>',
            },
            {"url": list_url("watcha"), "body": '<ul class="list_movieranking aniposter_ott"></ul>'},
            {"url": detail_url("1"), "body": '{"movie": {"title": "정이"}}'},
        ]
    )
    client, _ = replay_client(index)

    with pytest.raises(SourceFormatError, match="daum: response format changed: field 'movieCommon'"):
        DaumCrawler().crawl(client)


def test_daum_list_without_the_ott_list_fails_the_run(recording):
    index = recording([{"url": list_url("netflix"), "body": "<html><body>점검 중입니다</body></html>"}])
    client, _ = replay_client(index)

    with pytest.raises(SourceFormatError, match=re.escape("ul.list_movieranking.aniposter_ott")):
        DaumCrawler().crawl(client)
