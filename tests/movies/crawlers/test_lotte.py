from __future__ import annotations

import datetime
import json
import re

import pytest

from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.lotte import API_URL
from apps.movies.crawlers.lotte import LotteCrawler
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client


def test_lotte_reads_now_showing_and_upcoming():
    client, transport = replay_client("lotte")

    result = LotteCrawler().crawl(client)

    assert result.errors == []
    assert [r.external_id for r in result.records] == ["21009", "20998", "20971", "21046", "21088"]
    wicked = result.records[0]
    # MovieNameUS repeats the Korean title: no English title is invented from it
    assert (wicked.title_ko, wicked.title_en) == ("위키드", "")
    assert wicked.release_date == datetime.date(2024, 11, 20)
    assert wicked.age_rating == AgeRating.ALL
    # runtime, genres, synopsis and people come from the detail call
    assert wicked.genres == ("판타지", "뮤지컬")
    assert wicked.runtime_minutes == 160
    assert wicked.overview.splitlines() == [
        "마법의 땅 오즈,",
        "두 마녀의 이야기",
        "",
        "초록색 피부의 엘파바와 인기 많은 글린다가 쉬즈 대학에서 만난다.",
    ]
    assert [(p.name, p.role) for p in wicked.people] == [
        ("존 추", "director"),
        ("신시아 에리보", "cast"),
        ("아리아나 그란데", "cast"),
    ]
    gladiator = result.records[2]
    assert gladiator.kobis_code == "20246313"
    assert gladiator.overview == "로마 제국의 콜로세움, 그 전설이 다시 시작된다."
    assert wicked.offers[0].provider == "lotte-cinema"
    assert wicked.offers[0].offer_type == OfferType.NOW_SHOWING
    assert result.records[-1].offers[0].offer_type == OfferType.COMING_SOON
    sent = json.loads(dict(_form(transport.requests[0]))["paramList"])
    assert sent["MethodName"] == "GetMoviesToBe"


def _form(request):
    from urllib.parse import parse_qsl

    return parse_qsl(request.content.decode())


def test_lotte_renamed_field_fails_the_run_naming_it(recording):
    item = {"RepresentationMovieCode": "1", "MovieTitle": "위키드", "ReleaseDate": ""}
    renamed = {"Movies": {"Items": [item]}}
    client, _ = replay_client(
        recording([{"method": "POST", "url": API_URL, "body": json.dumps(renamed, ensure_ascii=False)}])
    )

    with pytest.raises(SourceFormatError, match=re.escape("field 'Movies.Items[].MovieNameKR'")):
        LotteCrawler().crawl(client)


def test_lotte_bad_items_are_per_record_errors(recording):
    items = [
        {
            "RepresentationMovieCode": "1",
            "MovieNameKR": "좋은 영화",
            "ReleaseDate": "2024-11-20 오전 12:00:00",
        },
        {"RepresentationMovieCode": "2", "MovieNameKR": "", "ReleaseDate": "2024-11-20 오전 12:00:00"},
        {
            "RepresentationMovieCode": "3",
            "MovieNameKR": "이상한 날짜",
            "ReleaseDate": "2024-13-45 오전 12:00:00",
        },
        {
            "RepresentationMovieCode": "1",
            "MovieNameKR": "좋은 영화",
            "ReleaseDate": "2024-11-20 오전 12:00:00",
        },
    ]
    body = json.dumps({"Movies": {"Items": items}, "IsOK": "true"}, ensure_ascii=False)
    detail = json.dumps(
        {"Movie": {"PlayTime": 100, "MovieGenreNameKR": "드라마"}, "IsOK": "true"}, ensure_ascii=False
    )
    client, _ = replay_client(
        recording(
            [
                {"method": "POST", "url": API_URL, "form_contains": ['"moviePlayYN":"Y"'], "body": body},
                {
                    "method": "POST",
                    "url": API_URL,
                    "form_contains": ['"moviePlayYN":"N"'],
                    "body": '{"Movies": {"Items": []}, "IsOK": "true"}',
                },
                {"method": "POST", "url": API_URL, "form_contains": ["GetMovieDetailTOBE"], "body": detail},
            ]
        )
    )

    result = LotteCrawler().crawl(client)

    assert [r.external_id for r in result.records] == ["1"]
    assert {e.external_id: e.message for e in result.errors} == {
        "2": "MovieNameKR: empty title",
        "3": "ReleaseDate: impossible date '2024-13-45'",
        "1": "duplicated RepresentationMovieCode in one response (kept the first)",
    }
