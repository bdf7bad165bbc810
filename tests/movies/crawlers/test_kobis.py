from __future__ import annotations

import datetime

import pytest

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.kobis import BOX_OFFICE_URL
from apps.movies.crawlers.kobis import KobisCrawler
from apps.movies.models import AgeRating
from apps.movies.models import OfferType
from apps.movies.models import Title
from apps.movies.services.crawl_runs import crawl_run_execute
from tests.movies.crawlers.recordings import replay_client


@pytest.fixture(autouse=True)
def _api_key(settings):
    settings.KOBIS_API_KEY = "test-key"


def test_kobis_reads_the_box_office_and_each_register_entry():
    client, transport = replay_client("kobis")

    result = KobisCrawler(target_date=datetime.date(2024, 12, 25)).crawl(client)

    assert result.errors == []
    assert transport.requests[0].url.params["targetDt"] == "20241225"
    spring = result.records[0]
    assert (spring.kobis_code, spring.title_ko, spring.title_en) == (
        "20231594",
        "서울의 봄",
        "12.12: The Day",
    )
    assert spring.release_date == datetime.date(2023, 11, 22)
    assert spring.runtime_minutes == 141
    assert spring.age_rating == AgeRating.AGE_12
    assert [p.name for p in spring.people if p.role == "cast"] == ["황정민", "정우성", "이성민"]
    # in the box office: now in cinemas nationwide, with its admissions so far
    assert [(o.provider, o.offer_type) for o in spring.offers] == [("kr-cinemas", OfferType.NOW_SHOWING)]
    assert spring.box_office_audience is not None


def test_kobis_film_list_gives_films_coming_to_cinemas():
    client, transport = replay_client("kobis")

    result = KobisCrawler(target_date=datetime.date(2024, 12, 25)).crawl(client)

    listed = next(r for r in transport.requests if r.url.path.endswith("searchMovieList.json"))
    assert (listed.url.params["openStartDt"], listed.url.params["openEndDt"]) == ("2024", "2025")
    coming = [r for r in result.records if r.offers and r.offers[0].offer_type == OfferType.COMING_SOON]
    # films already open, in the box office, or without an opening day are not "coming"
    assert [(r.kobis_code, r.title_ko, r.release_date) for r in coming] == [
        ("20248186", "검은 수녀들", datetime.date(2025, 1, 24))
    ]
    assert coming[0].offers[0].starts_on == datetime.date(2025, 1, 24)
    assert coming[0].genres == ("미스터리", "드라마")


def test_kobis_fault_answer_fails_the_run(recording):
    fault = '{"faultInfo": {"message": "유효하지않은 키값입니다.", "errorCode": "320010"}}'
    client, _ = replay_client(recording([{"url": BOX_OFFICE_URL, "body": fault}]))

    with pytest.raises(CrawlError, match="kobis: API error 320010"):
        KobisCrawler(target_date=datetime.date(2024, 12, 25)).crawl(client)


@pytest.mark.django_db
def test_kobis_and_cinema_records_end_in_one_title_per_film():
    # given the cinemas first
    crawl_run_execute(source="megabox", client=replay_client("megabox")[0])
    crawl_run_execute(source="lotte", client=replay_client("lotte")[0])

    titles_before = Title.objects.count()

    # when the register names 글래디에이터 Ⅱ "글래디에이터 2"
    run = crawl_run_execute(source="kobis", client=replay_client("kobis")[0])

    # then each film is still one title, now with its KOBIS code
    assert (run.new_count, run.updated_count) == (1, 2)  # 서울의 봄 is new; two merged into cinema titles
    assert Title.objects.count() == titles_before + 1
    assert Title.objects.filter(title_ko__startswith="하얼빈").count() == 1
    gladiator = Title.objects.get(kobis_code="20246313")
    assert gladiator.title_ko == "글래디에이터 2"  # the register is the more trusted name
    assert gladiator.title_en == "Gladiator II"
    providers = sorted(gladiator.availabilities.values_list("provider__slug", flat=True))
    assert providers == ["kr-cinemas", "lotte-cinema", "megabox"]
