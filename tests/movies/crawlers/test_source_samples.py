"""Every real answer in ../shared/source-samples, replayed through its crawler's own parsing.

Assertions target what the samples' README warns about. Files are read from the shared
folder, never copied here; without it these tests skip and say where they looked.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import has_hangul
from apps.movies.crawlers.kobis import BOX_OFFICE_URL
from apps.movies.crawlers.kobis import MOVIE_INFO_URL
from apps.movies.crawlers.kobis import KobisCrawler
from apps.movies.crawlers.kobis import kobis_box_office
from apps.movies.crawlers.kobis import parse_kobis_movie
from apps.movies.crawlers.lotte import API_URL as LOTTE_API
from apps.movies.crawlers.lotte import LotteCrawler
from apps.movies.crawlers.lotte import lotte_film_items
from apps.movies.crawlers.megabox import DETAIL_URL as MEGABOX_DETAIL
from apps.movies.crawlers.megabox import LIST_URL as MEGABOX_LIST
from apps.movies.crawlers.megabox import MegaboxCrawler
from apps.movies.crawlers.megabox import megabox_total_count
from apps.movies.crawlers.megabox import parse_megabox_detail
from apps.movies.crawlers.tmdb import parse_tmdb_title
from apps.movies.crawlers.tmdb import tmdb_external_id
from apps.movies.crawlers.tmdb import tmdb_kr_certifications
from apps.movies.crawlers.tmdb import tmdb_provider_list
from apps.movies.crawlers.tmdb import tmdb_raise_error
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from tests.movies.crawlers.recordings import replay_client
from tests.movies.crawlers.samples import SAMPLES
from tests.movies.crawlers.samples import all_samples
from tests.movies.crawlers.samples import sample

# Which test replays which sample: a new sample without a test fails the suite.
COVERED = {
    "kobis/boxoffice_20221030_taekyeong2.json": "test_kobis_box_office_sample",
    "kobis/movieinfo_20184105_crossmarien.json": "test_kobis_movie_info_samples",
    "kobis/movieinfo_20182693_crossmarien.json": "test_kobis_movie_info_samples",
    "kobis/fault_invalidkey.json": "test_kobis_fault_samples_fail_the_run",
    "kobis/fault_missingdate.json": "test_kobis_fault_samples_fail_the_run",
    "lotte/reactcinema_movies.json": "test_lotte_samples_replayed_through_the_crawler",
    "lotte/reactcinema_moviesDetail.json": "test_lotte_samples_replayed_through_the_crawler",
    "megabox/list_item_25008000_from_dataclass.json": "test_megabox_samples_replayed_through_the_crawler",
    "megabox/detail_kingsman2021_clone_static.html": "test_megabox_samples_replayed_through_the_crawler",
    "tmdb/apievangelist_certification-movie-list.json": "test_tmdb_certification_list_sample",
    "tmdb/apievangelist_discover-movie.json": "test_tmdb_discover_sample",
    "tmdb/apievangelist_error.json": "test_tmdb_error_sample",
    "tmdb/apievangelist_movie-credits.json": "test_tmdb_details_credits_and_releases_samples",
    "tmdb/apievangelist_movie-details.json": "test_tmdb_details_credits_and_releases_samples",
    "tmdb/apievangelist_movie-release-dates.json": "test_tmdb_details_credits_and_releases_samples",
    "tmdb/apievangelist_movie-watch-providers.json": "test_tmdb_watch_providers_placeholder_sample",
    "tmdb/apievangelist_watch-providers-movie-list.json": "test_tmdb_provider_list_sample",
    "tmdb/release_dates_150_dart.json": "test_tmdb_details_credits_and_releases_samples",
}


def _load(relative: str):
    return json.loads(sample(relative).read_text(encoding="utf-8"))


def test_every_shared_sample_has_a_replay_test():
    files = all_samples()
    if not files:
        pytest.skip(f"shared source samples not found at {SAMPLES} (set MOOCHU_SOURCE_SAMPLES)")
    assert sorted(set(files) - set(COVERED)) == []
    assert all(name in globals() for name in COVERED.values())


# -----------------------------------------------------------------------------
# Lotte Cinema
# -----------------------------------------------------------------------------
def test_lotte_samples_replayed_through_the_crawler(recording, tmp_path):
    # given: the real list as the now-showing answer, each real detail answer for its film
    movies = sample("lotte/reactcinema_movies.json")
    details = _load("lotte/reactcinema_moviesDetail.json")
    entries = [
        {"method": "POST", "url": LOTTE_API, "form_contains": ['"moviePlayYN":"Y"'], "file": str(movies)},
        {
            "method": "POST",
            "url": LOTTE_API,
            "form_contains": ['"moviePlayYN":"N"'],
            "body": '{"Movies": {"Items": []}, "IsOK": "true"}',
        },
    ]
    for number, detail in enumerate(details):
        code = detail["Movie"]["RepresentationMovieCode"]
        path = tmp_path / f"detail_{number}.json"
        path.write_text(json.dumps(detail, ensure_ascii=False), encoding="utf-8")
        entries.append(
            {
                "method": "POST",
                "url": LOTTE_API,
                "form_contains": [f'"representationMovieCode":"{code}"'],
                "file": str(path),
            }
        )
    client, _ = replay_client(recording(entries))

    # when
    result = LotteCrawler().crawl(client)

    # then: the nested Movies.Items[0].Items[] list was read in full
    listed = lotte_film_items(json.loads(movies.read_text(encoding="utf-8")))
    assert len(listed) == 76
    assert result.errors == []
    assert len(result.records) == 76
    # MovieNameUS repeats the Korean title in every item: no English title is kept
    assert all(item["MovieNameUS"] == item["MovieNameKR"] for item in listed)
    assert all(record.title_en == "" for record in result.records)
    # synopses are plain text: no tags, entities or zero-width spaces
    for record in result.records:
        assert not re.search(r"</?[a-zA-Z]", record.overview)
        assert "&#" not in record.overview
        assert "\u200b" not in record.overview
        assert "&nbsp;" not in record.overview
    # runtime and genres come from the detail call (the list says 0 and null)
    door = next(r for r in result.records if r.external_id == "15688")
    assert door.title_ko == "오픈 더 도어"
    assert door.runtime_minutes == 89
    assert door.genres == ("공포(호러)", "스릴러")
    assert door.age_rating == AgeRating.AGE_15
    assert door.release_date == datetime.date(2020, 4, 8)
    assert door.overview.startswith("사라진 아들, 뒤바뀐 아이…\n흔들리지 마라!")
    assert [(p.name, p.role) for p in door.people][:2] == [
        ("올가 고로데츠카야", "director"),
        ("옐레나 랴도바", "cast"),
    ]
    # the KOBIS code the list carries is kept for matching
    assert door.kobis_code == "20206402"
    assert door.offers[0].offer_type == OfferType.NOW_SHOWING
    by_code = {d["Movie"]["RepresentationMovieCode"]: d["Movie"] for d in details}
    for record in result.records:
        movie = by_code[record.external_id]
        assert record.runtime_minutes == (movie["PlayTime"] or None)
        assert record.genres[:1] == ((movie["MovieGenreNameKR"],) if movie["MovieGenreNameKR"] else ())


# -----------------------------------------------------------------------------
# Megabox
# -----------------------------------------------------------------------------
def test_megabox_samples_replayed_through_the_crawler(recording):
    listed = sample("megabox/list_item_25008000_from_dataclass.json")
    detail = sample("megabox/detail_kingsman2021_clone_static.html")
    client, _ = replay_client(
        recording(
            [
                {"method": "POST", "url": MEGABOX_LIST, "form": {"onairYn": "MSC01"}, "file": str(listed)},
                {
                    "method": "POST",
                    "url": MEGABOX_LIST,
                    "form": {"onairYn": "MSC02"},
                    "body": '{"movieList": []}',
                },
                {"method": "POST", "url": MEGABOX_DETAIL, "file": str(detail)},
            ]
        )
    )

    result = MegaboxCrawler().crawl(client)

    assert result.errors == []
    assert result.complete is True  # totCnt 1, one item read
    (record,) = result.records
    assert megabox_total_count(_load("megabox/list_item_25008000_from_dataclass.json")["movieList"]) == 1
    # entities decoded, the synopsis's line breaks kept
    assert record.title_ko == "진격의 거인 완결편 더 라스트 어택"
    assert record.overview.startswith('이것이 최후의 "진격"---!\n거인의 위협으로부터')
    assert "&quot;" not in record.overview
    assert record.release_date == datetime.date(2025, 3, 13)
    assert record.age_rating == AgeRating.AGE_15
    assert (
        record.poster_url
        == "https://img.megabox.co.kr/SharedImg/2025/03/19/t1aws8JYeDCKaCbRntA8oalmQ2UW33ua.jpg"
    )
    # the detail's labels use "&nbsp;:" and nest lines in div.line
    info = parse_megabox_detail(detail.read_text(encoding="utf-8"))
    assert info["directors"] == ["매튜 본"]
    assert info["genres"] == ["액션"]
    assert info["runtime"] == 131
    assert info["cast"][:2] == ["랄프 파인즈", "해리스 딕킨슨"]
    assert len(info["cast"]) == 13


# -----------------------------------------------------------------------------
# KOBIS
# -----------------------------------------------------------------------------
def test_kobis_box_office_sample():
    result = CrawlResult(source="kobis")

    entries = kobis_box_office(_load("kobis/boxoffice_20221030_taekyeong2.json"), result=result)

    assert result.errors == []
    assert len(entries) == 10
    assert entries[0].movie_code == "20198429"
    assert entries[0].rank == 1
    # every value is a string in the answer; the audience is read as a number
    assert entries[0].audience_total == 253013


def test_kobis_movie_info_samples():
    malmoe = parse_kobis_movie(
        _load("kobis/movieinfo_20184105_crossmarien.json")["movieInfoResult"]["movieInfo"], code="20184105"
    )
    assert (malmoe.title_ko, malmoe.title_en) == ("말모이", "MAL·MO·E: The Secret Mission")
    assert malmoe.release_date == datetime.date(2019, 1, 9)
    assert malmoe.runtime_minutes == 135
    assert malmoe.age_rating == AgeRating.AGE_12
    assert malmoe.genres == ("드라마",)
    assert malmoe.kobis_code == "20184105"
    assert [p.name for p in malmoe.people if p.role == "director"] == ["엄유나"]
    goosebumps = parse_kobis_movie(
        _load("kobis/movieinfo_20182693_crossmarien.json")["movieInfoResult"]["movieInfo"], code="20182693"
    )
    assert goosebumps.title_ko == "구스범스: 몬스터의 역습"
    assert goosebumps.title_en
    assert not has_hangul(goosebumps.title_en)


@pytest.mark.parametrize("name", ["kobis/fault_invalidkey.json", "kobis/fault_missingdate.json"])
def test_kobis_fault_samples_fail_the_run(name, recording, settings):
    # KOBIS answers errors with HTTP 200 and a faultInfo object
    settings.KOBIS_API_KEY = "test-key"
    fault = sample(name)
    client, _ = replay_client(recording([{"url": BOX_OFFICE_URL, "file": str(fault)}]))

    with pytest.raises(CrawlError, match=r"kobis: API error 320\d{3}: "):
        KobisCrawler(target_date=datetime.date(2022, 10, 30)).crawl(client)
    assert MOVIE_INFO_URL  # no film was asked for: the run stopped at the fault


# -----------------------------------------------------------------------------
# TMDB (the published examples: shapes, with {} placeholders in some)
# -----------------------------------------------------------------------------
def test_tmdb_details_credits_and_releases_samples():
    details = _load("tmdb/apievangelist_movie-details.json")
    details["credits"] = _load("tmdb/apievangelist_movie-credits.json")
    details["release_dates"] = _load("tmdb/apievangelist_movie-release-dates.json")

    record, warnings = parse_tmdb_title(details, media_type=MediaType.MOVIE)

    assert warnings == []
    assert (record.external_id, record.tmdb_id) == ("11", 11)
    # an English film with no Korean translation: nothing lands in title_ko
    assert (record.title_ko, record.title_en, record.title_original) == ("", "Star Wars", "Star Wars")
    assert record.release_date == datetime.date(1977, 5, 25)
    assert record.runtime_minutes == 121
    assert record.genres == ("Adventure",)
    assert [p.name for p in record.people if p.role == "cast"] == ["Edward Norton"]
    # release_dates placeholders ({} where a certification goes) read as unrated
    assert record.age_rating == AgeRating.UNKNOWN
    # the Dart sample's real KR certification "18" with descriptors present
    details["release_dates"] = _load("tmdb/release_dates_150_dart.json")
    assert parse_tmdb_title(details, media_type=MediaType.MOVIE)[0].age_rating == AgeRating.AGE_18


def test_tmdb_watch_providers_placeholder_sample():
    details = _load("tmdb/apievangelist_movie-details.json")
    providers = _load("tmdb/apievangelist_movie-watch-providers.json")
    providers["results"]["KR"] = providers["results"]["AE"]  # the example lists no KR block
    details["watch/providers"] = providers

    record, warnings = parse_tmdb_title(details, media_type=MediaType.MOVIE)

    # {} placeholders where ids and names go: recorded as unreadable entries, no offer invented
    assert record.offers == ()
    assert warnings == [
        f"watch/providers.KR.{kind}: entry without provider_id/provider_name (skipped)"
        for kind in ("flatrate", "rent", "buy")
    ]


def test_tmdb_discover_sample():
    data = _load("tmdb/apievangelist_discover-movie.json")

    assert data["total_pages"] > 1  # a real discover never fits the page limit: runs are incomplete
    (item,) = data["results"]
    assert tmdb_external_id(MediaType.MOVIE, item["id"]) == "640146"
    assert tmdb_external_id(MediaType.TV, item["id"]) == "tv:640146"


def test_tmdb_provider_list_sample():
    listed = tmdb_provider_list(_load("tmdb/apievangelist_watch-providers-movie-list.json"))

    assert listed == [(2, "Apple TV", "apple-tv")]


def test_tmdb_certification_list_sample():
    assert tmdb_kr_certifications(_load("tmdb/apievangelist_certification-movie-list.json")) == [
        ("All", AgeRating.ALL)
    ]


def test_tmdb_error_sample():
    with pytest.raises(CrawlError, match="tmdb: API error 34: The resource you requested could not be found"):
        tmdb_raise_error(_load("tmdb/apievangelist_error.json"))
