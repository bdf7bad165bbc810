from __future__ import annotations

import pytest

from apps.movies.crawlers.base import SourceOfferRecord
from apps.movies.crawlers.base import SourceTitle
from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import OfferType
from apps.movies.models import SourceOffer
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.raw_store import DatabaseRawPayloadStore
from apps.movies.services.curation import title_merge
from apps.movies.services.curation import title_split
from apps.movies.services.ingestion import source_records_ingest
from config.exceptions import ApplicationError
from tests.factories import CrawlRunFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def ingest(source: str, *records: SourceTitle):
    return source_records_ingest(source=source, records=list(records), raw_store=DatabaseRawPayloadStore())


def film(source: str, external_id: str, title_ko: str, year: int, provider: str, **values) -> SourceTitle:
    offer = SourceOfferRecord(provider=provider, offer_type=values.pop("offer_type", OfferType.STREAM))
    return SourceTitle(
        source=source, external_id=external_id, title_ko=title_ko, year=year, offers=(offer,), **values
    )


def test_merge_moves_provenance_offers_and_genres_and_fills_blanks():
    # given the matcher could not tell these two apart from each other
    ingest("cgv", film("cgv", "1", "괴물", 2006, "cgv", offer_type=OfferType.NOW_SHOWING, genres=("드라마",)))
    ingest("tmdb", film("tmdb", "1255", "The Host", 2006, "netflix", tmdb_id=1255, title_en="The Host"))
    korean, english = Title.objects.order_by("id")

    # when
    merged = title_merge(target_id=korean.id, other_ids=[english.id])

    # then
    assert Title.objects.count() == 1
    assert merged.tmdb_id == 1255
    assert merged.title_en == "The Host"
    assert SourceRecord.objects.filter(title=merged).count() == 2
    assert sorted(merged.availabilities.values_list("provider__slug", flat=True)) == ["cgv", "netflix"]
    assert list(merged.genres.values_list("slug", flat=True)) == ["drama"]
    assert merged.provider_mask != 0


def test_merge_keeps_one_offer_when_both_titles_had_it_and_both_reports():
    ingest("daum", film("daum", "1", "정이", 2023, "netflix"))
    ingest("tmdb", film("tmdb", "2", "JUNG_E", 2023, "netflix"))
    first, second = Title.objects.order_by("id")

    title_merge(target_id=first.id, other_ids=[second.id])

    availability = Availability.objects.get()
    assert SourceOffer.objects.filter(availability=availability).count() == 2


def test_merged_title_keeps_its_records_on_the_next_crawl():
    ingest("daum", film("daum", "1", "정이", 2023, "netflix"))
    ingest("tmdb", film("tmdb", "2", "JUNG_E", 2023, "netflix"))
    first, second = Title.objects.order_by("id")
    title_merge(target_id=first.id, other_ids=[second.id])

    ingest("tmdb", film("tmdb", "2", "JUNG_E", 2023, "netflix", runtime_minutes=98))

    assert Title.objects.count() == 1
    assert Title.objects.get().runtime_minutes == 98


def test_split_gives_the_records_their_own_title_with_their_offers():
    # given two different films the matcher wrongly merged (same name, same year, no director)
    ingest("cgv", film("cgv", "1", "그녀", 2014, "cgv", offer_type=OfferType.NOW_SHOWING))
    ingest("daum", film("daum", "9", "그녀", 2014, "watcha", title_en="Her"))
    title = Title.objects.get()
    daum = SourceRecord.objects.get(source="daum")

    # when
    new = title_split(source_record_ids=[daum.id])

    # then
    assert Title.objects.count() == 2
    assert new.title_en == "Her"
    assert list(new.availabilities.values_list("provider__slug", flat=True)) == ["watcha"]
    assert list(title.availabilities.values_list("provider__slug", flat=True)) == ["cgv"]
    # and a later crawl of the same record keeps it apart
    ingest("daum", film("daum", "9", "그녀", 2014, "watcha", title_en="Her", runtime_minutes=126))
    assert SourceRecord.objects.get(source="daum").title_id == new.id
    assert Title.objects.count() == 2


def test_split_refuses_taking_every_record_of_a_title():
    ingest("cgv", film("cgv", "1", "그녀", 2014, "cgv"))

    with pytest.raises(ApplicationError, match="all of its source records"):
        title_split(source_record_ids=list(SourceRecord.objects.values_list("id", flat=True)))


def test_admin_lists_crawl_runs_and_merges_from_the_title_changelist(admin_client):
    from django.utils import timezone

    CrawlRunFactory(source="cgv", started_at=timezone.now(), errors=[{"message": "빈 제목"}])
    a, b = TitleFactory(title_ko="기생충"), TitleFactory(title_ko="기생충 ")

    assert admin_client.get("/admin/movies/crawlrun/").status_code == 200
    run = CrawlRun.objects.get()
    assert "빈 제목" in admin_client.get(f"/admin/movies/crawlrun/{run.id}/change/").content.decode()
    response = admin_client.post(
        "/admin/movies/title/", {"action": "merge_into_oldest", "_selected_action": [a.id, b.id]}
    )

    assert response.status_code == 302
    assert list(Title.objects.values_list("id", flat=True)) == [a.id]
