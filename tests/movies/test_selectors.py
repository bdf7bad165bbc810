from __future__ import annotations

import datetime

import pytest

from apps.movies.models import OfferType
from apps.movies.models import ProviderKind
from apps.movies.models import Title
from apps.movies.selectors import CatalogFilters
from apps.movies.selectors import catalog_vocabulary
from apps.movies.selectors import coming_soon_list
from apps.movies.selectors import my_services_slugs
from apps.movies.selectors import title_list
from apps.movies.selectors import title_similar
from apps.movies.selectors import title_where_to_watch
from apps.movies.services.preferences import SESSION_MY_SERVICES_KEY
from tests.factories import AvailabilityFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.movies.catalog_data import SNAPSHOT
from tests.movies.catalog_data import SmallCatalog
from tests.movies.catalog_data import small_catalog_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> SmallCatalog:
    return small_catalog_create()


def _ids(filters: CatalogFilters, **kwargs) -> list[int]:
    return [row["id"] for row in title_list(filters=filters, **kwargs).rows]


def test_title_list_unfiltered_is_in_popularity_order(catalog):
    assert _ids(CatalogFilters()) == [
        catalog.parasite.id,
        catalog.kingdom.id,
        catalog.extreme_job.id,
        catalog.oldboy.id,
        catalog.lonely.id,
    ]


def test_title_list_genres_any_matches_either_genre(catalog):
    ids = _ids(CatalogFilters(genres=("comedy", "horror")))
    assert ids == [catalog.parasite.id, catalog.kingdom.id, catalog.extreme_job.id, catalog.oldboy.id]


def test_title_list_genres_all_needs_every_genre(catalog):
    assert _ids(CatalogFilters(genres=("drama", "comedy"), genre_match="all")) == [catalog.parasite.id]


def test_title_list_providers_match_any_open_offer(catalog):
    assert _ids(CatalogFilters(providers=("watcha",))) == [catalog.parasite.id, catalog.oldboy.id]


def test_title_list_provider_and_offer_must_be_the_same_offer(catalog):
    # Parasite streams on Netflix and rents on Watcha: "Netflix + rent" is not Parasite.
    ids = _ids(CatalogFilters(providers=("netflix",), offer_types=(OfferType.RENT,)))
    assert ids == [catalog.extreme_job.id]


def test_title_list_offer_type_alone(catalog):
    assert _ids(CatalogFilters(offer_types=(OfferType.RENT,))) == [
        catalog.parasite.id,
        catalog.extreme_job.id,
    ]


def test_title_list_media_type_year_range_and_age(catalog):
    assert _ids(CatalogFilters(media_type="tv")) == [catalog.kingdom.id]
    assert _ids(CatalogFilters(year_min=2000, year_max=2010)) == [catalog.oldboy.id]
    assert _ids(CatalogFilters(age_ratings=("18", "ALL"))) == [
        catalog.kingdom.id,
        catalog.oldboy.id,
        catalog.lonely.id,
    ]


def test_title_list_filters_combine(catalog):
    filters = CatalogFilters(genres=("drama", "horror"), providers=("netflix",), year_min=2019)
    assert _ids(filters) == [catalog.parasite.id, catalog.kingdom.id]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["parasite", "extreme_job", "oldboy", "kingdom", "lonely"]),
        ("rating", ["oldboy", "parasite", "kingdom", "extreme_job", "lonely"]),
        ("title", ["lonely", "extreme_job", "parasite", "oldboy", "kingdom"]),
    ],
)
def test_title_list_sorts(catalog, sort, expected):
    # "title" sorts by the displayed name: the Korean one when there is one.
    assert _ids(CatalogFilters(sort=sort)) == [getattr(catalog, name).id for name in expected]


def test_title_list_rows_carry_genre_and_provider_slugs(catalog):
    row = title_list(filters=CatalogFilters(genres=("comedy",), genre_match="all")).rows[0]
    assert row["id"] == catalog.parasite.id
    assert sorted(row["genres"]) == ["comedy", "drama"]
    assert sorted(row["providers"]) == ["netflix", "watcha"]
    assert row["display_title"] == "기생충"


def test_title_list_is_one_query_once_vocabulary_is_cached(catalog, django_assert_num_queries):
    catalog_vocabulary()
    filters = CatalogFilters(genres=("drama", "comedy"), providers=("netflix",), offer_types=("stream",))
    with django_assert_num_queries(1):
        title_list(filters=filters)


def test_title_list_pages_without_count(catalog, django_assert_num_queries):
    catalog_vocabulary()
    with django_assert_num_queries(1) as captured:
        first = title_list(filters=CatalogFilters(), page=1, page_size=2)
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()
    second = title_list(filters=CatalogFilters(), page=2, page_size=2)
    third = title_list(filters=CatalogFilters(), page=3, page_size=2)
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    assert [len(p.rows) for p in (first, second, third)] == [2, 2, 1]
    assert not {r["id"] for r in first.rows} & {r["id"] for r in second.rows}


def test_title_list_page_past_the_end_is_empty(catalog, django_assert_num_queries):
    page = title_list(filters=CatalogFilters(), page=40)
    assert (page.rows, page.has_next, page.has_previous) == ([], False, True)
    with django_assert_num_queries(0):
        assert title_list(filters=CatalogFilters(), page=10**9).rows == []


def test_title_where_to_watch_groups_offers_by_provider(catalog):
    AvailabilityFactory(title=catalog.parasite, provider=catalog.netflix, offer_type=OfferType.BUY)
    AvailabilityFactory(
        title=catalog.parasite,
        provider=catalog.cgv,
        offer_type=OfferType.NOW_SHOWING,
        ends_on=datetime.date(2020, 1, 1),
    )

    groups = title_where_to_watch(title=catalog.parasite)

    # the closed cinema run is not offered
    assert [(g.provider.slug, [o.offer_type for o in g.offers]) for g in groups] == [
        ("netflix", ["stream", "buy"]),
        ("watcha", ["rent"]),
    ]
    assert groups[0].offers[0].observed_on == SNAPSHOT


def test_title_similar_ranks_by_shared_genres(catalog):
    similar = title_similar(title=catalog.parasite)
    # oldboy and extreme job share one genre each; popularity breaks the tie
    assert [row["id"] for row in similar] == [catalog.extreme_job.id, catalog.oldboy.id]
    assert title_similar(title=catalog.lonely) == []


def test_coming_soon_lists_cinema_and_ott_releases_soonest_first(catalog):
    today = datetime.date(2026, 11, 20)
    megabox = ProviderFactory(slug="megabox", kind=ProviderKind.CINEMA, bit=61)
    later = AvailabilityFactory(
        provider=catalog.cgv, offer_type=OfferType.COMING_SOON, starts_on=datetime.date(2026, 12, 24)
    )
    sooner = AvailabilityFactory(
        provider=megabox, offer_type=OfferType.COMING_SOON, starts_on=datetime.date(2026, 11, 28)
    )
    undated = AvailabilityFactory(provider=catalog.cgv, offer_type=OfferType.COMING_SOON)
    # the same film announced by a second chain on the same date is one entry
    sooner_at_cgv = AvailabilityFactory(
        title=sooner.title, provider=catalog.cgv, offer_type=OfferType.COMING_SOON, starts_on=sooner.starts_on
    )
    # an OTT release belongs on the same page
    on_netflix = AvailabilityFactory(
        provider=catalog.netflix, offer_type=OfferType.COMING_SOON, starts_on=today
    )
    # already past, or already showing: left out
    AvailabilityFactory(
        provider=catalog.cgv, offer_type=OfferType.COMING_SOON, starts_on=datetime.date(2026, 11, 1)
    )
    AvailabilityFactory(provider=catalog.cgv, offer_type=OfferType.NOW_SHOWING, title=TitleFactory())

    entries = coming_soon_list(today=today)

    assert [(e.title, e.starts_on) for e in entries] == [
        (on_netflix.title, today),
        (sooner.title, sooner.starts_on),
        (later.title, later.starts_on),
        (undated.title, None),
    ]
    assert [o.provider.slug for o in entries[1].offers] == ["cgv", "megabox"]
    assert entries[1].offers == [sooner_at_cgv, sooner]


def test_my_services_slugs_of_a_user_and_of_a_session(catalog):
    user = UserFactory()
    user.my_services.set([catalog.watcha, catalog.netflix])
    assert my_services_slugs(user=user, session={}) == ["netflix", "watcha"]

    anonymous = type("Anonymous", (), {"is_authenticated": False})()
    session = {SESSION_MY_SERVICES_KEY: ["watcha", "gone-provider"]}
    assert my_services_slugs(user=anonymous, session=session) == ["watcha"]


def test_a_title_built_from_a_card_row_is_the_one_from_db_builds(django_assert_num_queries):
    # given: a title with a poster, its card row as the catalog reads it
    from django.db import connection
    from django.db.models.signals import post_init

    from apps.movies.selectors import _CARD_ATTNAMES
    from apps.movies.selectors import title_from_card

    title = TitleFactory(
        title_ko="괴물", title_en="The Host", year=2006, poster="posters/host.jpg", overview="한강"
    )
    row = Title.objects.filter(pk=title.pk).values(*_CARD_ATTNAMES).get()

    # when
    with django_assert_num_queries(0):
        built = title_from_card(row)
    reference = Title.from_db(connection.alias, _CARD_ATTNAMES, [row[name] for name in _CARD_ATTNAMES])

    # then: the same columns, state and deferred fields, a working poster and lazy loading
    state = ("adding", "db")
    assert {k: v for k, v in vars(built).items() if k != "_state"} == {
        k: v for k, v in vars(reference).items() if k != "_state"
    }
    assert [getattr(built._state, s) for s in state] == [getattr(reference._state, s) for s in state]
    assert built.get_deferred_fields() == reference.get_deferred_fields()
    assert built == title
    assert built.poster.name == "posters/host.jpg"
    assert built.display_title == reference.display_title
    with django_assert_num_queries(1):
        assert built.overview == "한강"
    # and: with an init receiver connected, the receiver still sees every card title
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Title)
    try:
        assert title_from_card(row) in seen
    finally:
        post_init.disconnect(receiver, sender=Title)
