"""Coming soon (cinemas and OTT, by date, filterable by my services) and new on my services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.movies.models import Availability
from apps.movies.models import OfferType
from apps.movies.models import ProviderKind
from apps.movies.selectors import coming_soon_list
from apps.movies.selectors import new_on_services_list
from tests.factories import AvailabilityFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def offers():
    cinema = ProviderFactory(slug="megabox", name="Megabox", kind=ProviderKind.CINEMA)
    netflix = ProviderFactory(slug="netflix", name="Netflix", kind=ProviderKind.OTT)
    tving = ProviderFactory(slug="tving", name="TVING", kind=ProviderKind.OTT)
    film = TitleFactory(title_ko="하얼빈")
    series = TitleFactory(title_ko="오징어 게임")
    old = TitleFactory(title_ko="올드보이")
    AvailabilityFactory(title=film, provider=cinema, offer_type=OfferType.COMING_SOON, starts_on=_day(20))
    AvailabilityFactory(title=series, provider=netflix, offer_type=OfferType.STREAM, starts_on=_day(22))
    # streaming since three days ago: not "coming", but new this week
    AvailabilityFactory(title=old, provider=tving, offer_type=OfferType.STREAM, starts_on=_day(-3))
    return {"cinema": cinema, "netflix": netflix, "tving": tving, "film": film, "series": series, "old": old}


def test_coming_soon_has_cinemas_and_ott_by_date(offers):
    entries = coming_soon_list(today=TODAY)

    assert [(e.title.title_ko, e.starts_on) for e in entries] == [
        ("하얼빈", _day(20)),
        ("오징어 게임", _day(22)),
    ]
    assert [o.offer_type for o in entries[1].offers] == [OfferType.STREAM]


def test_coming_soon_filtered_by_my_services(offers):
    entries = coming_soon_list(today=TODAY, provider_slugs=["netflix"])

    assert [e.title.title_ko for e in entries] == ["오징어 게임"]


def test_new_this_week_on_my_services_uses_start_or_first_seen(offers):
    # TMDB gives no dates: an offer first seen two days ago counts from then
    fresh = TitleFactory(title_ko="무빙")
    seen = AvailabilityFactory(title=fresh, provider=offers["tving"], offer_type=OfferType.STREAM)
    Availability.objects.filter(id=seen.id).update(created_at=timezone.now() - datetime.timedelta(days=2))
    stale = AvailabilityFactory(title=TitleFactory(title_ko="예전 영화"), provider=offers["tving"])
    Availability.objects.filter(id=stale.id).update(created_at=timezone.now() - datetime.timedelta(days=30))

    entries = new_on_services_list(provider_slugs=["tving"], today=TODAY)

    assert [e.title.title_ko for e in entries] == ["무빙", "올드보이"]
    assert new_on_services_list(provider_slugs=["netflix"], today=TODAY) == []  # its offer starts later


def test_coming_soon_page_filters_by_my_services(client, offers):
    user = UserFactory()
    user.my_services.set([offers["netflix"]])
    client.force_login(user)

    everything = client.get("/coming-soon/").content.decode()
    mine = client.get("/coming-soon/?mine=1").content.decode()

    assert "하얼빈" in everything
    assert "오징어 게임" in everything
    assert "하얼빈" not in mine
    assert "오징어 게임" in mine
    assert "data-attribution" in mine  # TMDB / JustWatch / KOFIC credits where offers are shown


def test_the_coming_soon_page_runs_the_same_queries_however_many_titles_it_lists(offers, client):
    # given: a signed-in person with services, so both lists (coming soon and new this week) show
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    user.my_services.add(offers["netflix"], offers["tving"])
    client.force_login(user)

    def queries() -> tuple[int, str]:
        client.get("/coming-soon/?mine=1")
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/coming-soon/?mine=1").content.decode()
        return len(captured), page

    few, _ = queries()

    # when: many more titles arrive and are announced on those services
    for day in range(1, 16):
        title = TitleFactory(title_ko=f"신작 {day}", title_en=f"New {day}")
        AvailabilityFactory(
            title=title, provider=offers["netflix"], offer_type=OfferType.STREAM, starts_on=_day(day)
        )
        AvailabilityFactory(
            title=title, provider=offers["tving"], offer_type=OfferType.RENT, starts_on=_day(-1)
        )

    # then: no query per title or offer (the shown fields of titles and providers are read
    # with the offers), and the page shows them with their providers
    many, page = queries()
    assert many == few
    assert "신작 15" in page
    for shown in ("오징어 게임", "올드보이", "Netflix", "TVING"):
        assert shown in page
