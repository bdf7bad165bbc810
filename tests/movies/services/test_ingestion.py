from __future__ import annotations

import datetime

import pytest
from django.db import connection

from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourcePerson
from apps.movies.crawlers.base import SourceTitle
from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import OfferType
from apps.movies.models import Provider
from apps.movies.models import RawPayload
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.models import TitleMatchKey
from apps.movies.raw_store import DatabaseRawPayloadStore
from apps.movies.services.ingestion import merger
from apps.movies.services.ingestion import pipeline
from apps.movies.services.ingestion import source_records_ingest
from apps.movies.services.ingestion import title_match_keys_backfill
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def record(source: str = "cgv", external_id: str = "1", **values) -> SourceTitle:
    values.setdefault("title_ko", "기생충")
    values.setdefault("year", 2019)
    return SourceTitle(source=source, external_id=external_id, **values)


def offer(provider: str, offer_type: str = OfferType.STREAM, **values) -> SourceOfferRecord:
    return SourceOfferRecord(provider=provider, offer_type=offer_type, **values)


def ingest(source: str, records: list[SourceTitle], **kwargs):
    kwargs.setdefault("today", TODAY)
    return source_records_ingest(source=source, records=records, **kwargs)


def test_same_film_from_cinema_and_ott_becomes_one_title_with_two_offers():
    # given CGV and Netflix (through Daum) name the film a little differently
    ingest(
        "cgv", [record("cgv", "88001", title_ko="어벤져스: 엔드게임", offers=(offer("cgv", "now_showing"),))]
    )

    # when
    report = ingest(
        "daum", [record("daum", "121", title_ko="어벤져스 엔드게임", year=2019, offers=(offer("netflix"),))]
    )

    # then
    assert (report.new, report.updated) == (0, 1)
    title = Title.objects.get()
    assert {a.provider.slug for a in title.availabilities.all()} == {"cgv", "netflix"}
    assert SourceRecord.objects.filter(title=title).count() == 2
    assert title.provider_mask != 0  # masks refreshed for the touched title
    assert title.search_index_dirty is True


def test_external_id_match_wins_over_a_different_name():
    title = TitleFactory(title_ko="괴물", title_en="The Host", year=2006, tmdb_id=1255)

    ingest(
        "tmdb", [record("tmdb", "1255", title_ko="괴물 (2006)", title_en="Gwoemul", year=2006, tmdb_id=1255)]
    )

    assert Title.objects.count() == 1
    assert SourceRecord.objects.get().title == title


def test_trailing_article_roman_numerals_and_spacing_match():
    matrix = TitleFactory(title_ko="", title_en="Matrix, The", year=1999)
    rocky = TitleFactory(title_ko="", title_en="Rocky IV", year=1985)
    title_match_keys_backfill()

    ingest(
        "tmdb",
        [
            record("tmdb", "603", title_ko="매트릭스", title_en="The Matrix", year=1999),
            record("tmdb", "1374", title_ko="록키 4", title_en="Rocky 4", year=1986),
        ],
    )

    assert Title.objects.count() == 2
    assert SourceRecord.objects.get(external_id="603").title == matrix
    assert SourceRecord.objects.get(external_id="1374").title == rocky
    matrix.refresh_from_db()
    assert matrix.title_ko == "매트릭스"  # blank fields are filled


def test_remake_far_apart_in_years_stays_a_separate_title():
    ingest("kobis", [record("kobis", "20030019", title_ko="올드보이", year=2003)])

    ingest("tmdb", [record("tmdb", "87516", title_ko="올드보이", title_en="Oldboy", year=2013)])

    assert Title.objects.count() == 2


def test_remake_with_another_director_is_not_merged_even_in_adjacent_years():
    director = (SourcePerson(name="김감독", role="director"),)
    ingest("kobis", [record("kobis", "A", title_ko="리메이크", year=2020, people=director)])

    other = (SourcePerson(name="John Remake", role="director"),)
    ingest("tmdb", [record("tmdb", "9", title_ko="리메이크", year=2021, people=other)])

    assert Title.objects.count() == 2


def test_different_subtitles_of_one_series_are_not_merged():
    ingest("cgv", [record("cgv", "1", title_ko="해리 포터: 비밀의 방", year=2002)])
    ingest(
        "cgv",
        [
            record("cgv", "1", title_ko="해리 포터: 비밀의 방", year=2002),
            record("cgv", "2", title_ko="해리 포터: 불의 잔", year=2002),
        ],
    )

    assert Title.objects.count() == 2


def test_name_without_subtitle_matches_the_subtitled_one():
    ingest("megabox", [record("megabox", "1", title_ko="미션 임파서블: 데드 레코닝 PART ONE", year=2023)])

    ingest("daum", [record("daum", "7", title_ko="미션 임파서블 데드 레코닝 PART ONE", year=2023)])

    assert Title.objects.count() == 1


def test_rerun_on_same_records_changes_nothing():
    records = [
        record(
            "cgv",
            "1",
            title_ko="서울의 봄",
            year=2023,
            genres=("드라마",),
            offers=(offer("cgv", "now_showing"),),
            people=(SourcePerson(name="김성수", role="director"), SourcePerson(name="황정민", role="cast")),
        ),
        record("cgv", "2", title_ko="노량: 죽음의 바다", year=2023, offers=(offer("cgv", "coming_soon"),)),
    ]
    first = ingest("cgv", records)
    stamps = list(Title.objects.order_by("id").values_list("updated_at", flat=True))

    second = ingest("cgv", records)

    assert (first.new, second.new, second.updated, second.unchanged, second.closed) == (2, 0, 0, 2, 0)
    assert second.title_ids == set()
    assert list(Title.objects.order_by("id").values_list("updated_at", flat=True)) == stamps
    assert Credit.objects.count() == 2


def test_offers_no_longer_listed_are_closed_not_deleted():
    ingest(
        "megabox",
        [
            record("megabox", "1", title_ko="파묘", year=2024, offers=(offer("megabox", "now_showing"),)),
            record(
                "megabox", "2", title_ko="범죄도시4", year=2024, offers=(offer("megabox", "now_showing"),)
            ),
        ],
    )

    report = ingest(
        "megabox",
        [record("megabox", "2", title_ko="범죄도시4", year=2024, offers=(offer("megabox", "now_showing"),))],
    )

    assert report.closed == 1
    closed = Availability.objects.get(title__title_ko="파묘")
    assert closed.ends_on == TODAY
    assert Availability.objects.get(title__title_ko="범죄도시4").ends_on is None
    assert Title.objects.get(title_ko="파묘").provider_mask == 0


def test_offer_reported_by_another_source_stays_open():
    # given Daum and TMDB both say Netflix streams it
    ingest("daum", [record("daum", "5", title_ko="길복순", year=2023, offers=(offer("netflix"),))])
    ingest("tmdb", [record("tmdb", "5", title_ko="길복순", year=2023, offers=(offer("netflix"),))])

    # when Daum stops listing it
    report = ingest("daum", [])

    # then TMDB still reports it
    assert report.closed == 0
    assert Availability.objects.get().ends_on is None


def test_record_that_failed_to_parse_keeps_its_offers_open():
    ingest("cgv", [record("cgv", "1", offers=(offer("cgv", "now_showing"),))])

    report = ingest("cgv", [], seen_ids={"1"})

    assert report.closed == 0
    assert Availability.objects.get().ends_on is None


def test_offer_reported_again_is_reopened():
    ingest("cgv", [record("cgv", "1", offers=(offer("cgv", "now_showing"),))])
    ingest("cgv", [])

    ingest("cgv", [record("cgv", "1", offers=(offer("cgv", "now_showing"),))])

    assert Availability.objects.get().ends_on is None
    assert Title.objects.get().offer_mask == 1 << OFFER_TYPE_BITS[OfferType.NOW_SHOWING]


def test_bad_records_are_reported_and_good_ones_land():
    report = ingest(
        "cgv",
        [
            record("cgv", "1", title_ko="괜찮은 영화"),
            record("cgv", "1", title_ko="같은 아이디"),
            record("cgv", "2", title_ko="   "),
            record("cgv", "", title_ko="아이디 없음"),
            record("cgv", "3", title_ko="먼 미래", year=2999),
        ],
    )

    assert report.new == 1
    messages = {(e.external_id, e.message) for e in report.errors}
    assert ("1", "duplicated id in one response (kept the first)") in messages
    assert ("2", "empty title") in messages
    assert (None, "missing id") in messages
    assert ("3", "implausible year 2999") in messages
    assert list(Title.objects.values_list("title_ko", flat=True)) == ["괜찮은 영화"]


def test_missing_providers_are_created_with_the_next_free_bit():
    ProviderFactory(slug="netflix", bit=0)
    ProviderFactory(slug="something-else", bit=7)

    ingest("tmdb", [record("tmdb", "1", offers=(offer("netflix"), offer("coupang-play")))])

    coupang = Provider.objects.get(slug="coupang-play")
    assert coupang.bit == 8
    assert coupang.name_ko == "쿠팡플레이"


def test_higher_priority_source_corrects_a_field_lower_one_cannot():
    ingest("daum", [record("daum", "1", title_ko="외계+인 1부", year=2022, runtime_minutes=140)])
    ingest(
        "kobis",
        [record("kobis", "K1", title_ko="외계+인 1부", year=2022, runtime_minutes=142, kobis_code="K1")],
    )
    ingest("daum", [record("daum", "1", title_ko="외계+인 1부", year=2022, runtime_minutes=139)])

    title = Title.objects.get()
    assert title.runtime_minutes == 142
    assert title.kobis_code == "K1"


def test_raw_payloads_are_stored_once_per_version():
    store = DatabaseRawPayloadStore()
    records = [record("cgv", "1", raw={"movieNm": "기생충"})]

    ingest("cgv", records, raw_store=store)
    ingest("cgv", records, raw_store=store)

    payload = RawPayload.objects.get()
    assert payload.payload["raw"] == {"movieNm": "기생충"}
    assert payload.payload["title_ko"] == "기생충"


def test_genres_are_mapped_and_created():
    ingest("kobis", [record("kobis", "1", genres=("멜로/로맨스", "코미디", "기타"))])

    title = Title.objects.get()
    assert sorted(title.genres.values_list("slug", flat=True)) == ["comedy", "romance"]
    assert title.genre_mask == sum(1 << bit for bit in title.genres.values_list("bit", flat=True))


def test_genre_added_by_a_second_source_reaches_the_mask():
    ingest("cgv", [record("cgv", "1", genres=("코미디",))])

    ingest("kobis", [record("kobis", "K1", genres=("드라마",))])

    title = Title.objects.get()
    assert title.genres.count() == 2
    assert title.genre_mask == sum(1 << bit for bit in title.genres.values_list("bit", flat=True))


def test_failure_midway_writes_nothing(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(merger, "availabilities_upsert", boom)

    with pytest.raises(RuntimeError):
        ingest("cgv", [record("cgv", "1", offers=(offer("cgv", "now_showing"),))])

    assert Title.objects.count() == 0
    assert SourceRecord.objects.count() == 0


def test_partial_listing_does_not_close_offers_of_films_it_did_not_reach():
    ingest("tmdb", [record("tmdb", "1", offers=(offer("netflix"),))])

    report = ingest(
        "tmdb", [record("tmdb", "2", title_ko="다른 영화", offers=(offer("wavve"),))], complete=False
    )

    assert report.closed == 0
    assert Availability.objects.filter(ends_on__isnull=True).count() == 2


def test_offer_a_record_stops_reporting_is_closed_even_in_a_partial_listing():
    ingest("tmdb", [record("tmdb", "1", offers=(offer("netflix"), offer("wavve")))])

    ingest("tmdb", [record("tmdb", "1", offers=(offer("netflix"),))], complete=False)

    assert Availability.objects.get(provider__slug="wavve").ends_on == TODAY
    assert Availability.objects.get(provider__slug="netflix").ends_on is None


def test_symbol_only_titles_still_match():
    ingest("ggplot2", [record("ggplot2", "1", title_ko="", title_en="$", year=1971)])
    ingest("tmdb", [record("tmdb", "9", title_ko="", title_en="$", year=1971)])

    assert Title.objects.count() == 1


def test_rename_that_normalises_alike_keeps_the_stored_match_keys():
    # given the data set's "Matrix, The"
    ingest("movielens", [record("movielens", "2571", title_ko="", title_en="Matrix, The", year=1999)])
    keys_before = list(TitleMatchKey.objects.values_list("id", "key", "is_main"))

    # when TMDB, the more trusted source, names it "The Matrix"
    ingest("tmdb", [record("tmdb", "603", title_ko="", title_en="The Matrix", year=1999)])

    # then the name changed, its keys (the same after normalising) were not rewritten
    assert Title.objects.get().title_en == "The Matrix"
    assert list(TitleMatchKey.objects.values_list("id", "key", "is_main")) == keys_before


def test_rename_to_a_subtitled_name_stores_its_new_keys_for_later_runs():
    # given a cinema's name without the subtitle, then the register's with it
    ingest("cgv", [record("cgv", "1", title_ko="어벤져스 엔드게임", year=2019)])
    ingest("kobis", [record("kobis", "K1", title_ko="어벤져스: 엔드게임", year=2019, kobis_code="K1")])

    # when a third source names it without the subtitle at all
    ingest("daum", [record("daum", "9", title_ko="어벤져스", year=2019)])

    # then it is found through the main-title key stored at the rename
    title = Title.objects.get()
    assert title.title_ko == "어벤져스: 엔드게임"
    assert ("어벤져스", True) in set(title.match_keys.values_list("key", "is_main"))
    assert SourceRecord.objects.filter(title=title).count() == 3


def test_run_counts_new_titles_merged_unchanged_and_failed_records_once_each():
    # given 기생충 from a cinema, and 괴물 already ingested from this source
    ingest("cgv", [record("cgv", "1", title_ko="기생충", year=2019)])
    ingest("daum", [record("daum", "2", title_ko="괴물", year=2006)])

    # when Daum lists 괴물 again, 기생충 for the first time, a new film twice (two ids)
    # and a record without a name
    report = ingest(
        "daum",
        [
            record("daum", "2", title_ko="괴물", year=2006),
            record("daum", "3", title_ko="기생충", year=2019),
            record("daum", "4", title_ko="파묘", year=2024),
            record("daum", "5", title_ko="파묘", year=2024),
            record("daum", "6", title_ko=""),
        ],
    )

    # then one new title, two records merged into titles, one unchanged, one failed
    assert (report.new, report.updated, report.unchanged, report.failed) == (1, 2, 1, 1)
    assert Title.objects.count() == 3


def test_ingestion_runs_its_bulk_statements_without_postgresql_jit(monkeypatch):
    # JIT compiled each 5,000-title statement for ~1 s that then ran in 0.1-0.3 s.
    seen: list[str] = []
    refresh = pipeline.title_masks_refresh

    def spy(*, title_ids):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            seen.append(cursor.fetchone()[0])
        return refresh(title_ids=title_ids)

    monkeypatch.setattr(pipeline, "title_masks_refresh", spy)

    ingest("cgv", [record("cgv", "1", offers=(offer("cgv", "now_showing"),))])

    assert seen == ["off"]
