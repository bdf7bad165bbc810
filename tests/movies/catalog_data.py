"""A small catalog with known genres, providers and offers, shared by catalog tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.models import Title
from apps.movies.ratings import titles_rating_weighted_refresh_all
from apps.movies.services import title_masks_refresh
from tests.factories import AvailabilityFactory
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

SNAPSHOT = datetime.date(2026, 11, 1)


@dataclass
class SmallCatalog:
    drama: Genre
    comedy: Genre
    horror: Genre
    netflix: Provider
    watcha: Provider
    cgv: Provider
    parasite: Title  # drama+comedy, netflix stream + watcha rent, 2019, 15
    oldboy: Title  # drama+horror, watcha stream, 2003, 18
    extreme_job: Title  # comedy, netflix rent, 2019, 15
    kingdom: Title  # tv, horror, netflix stream, 2019, 18
    lonely: Title  # no genres, no offers, 1999, ALL


def small_catalog_create() -> SmallCatalog:
    drama = GenreFactory(slug="drama", name_en="Drama", name_ko="드라마", bit=5)
    comedy = GenreFactory(slug="comedy", name_en="Comedy", name_ko="코미디", bit=2)
    horror = GenreFactory(slug="horror", name_en="Horror", name_ko="공포", bit=40)
    netflix = ProviderFactory(
        slug="netflix", name="Netflix", name_ko="넷플릭스", bit=0, color="#E50914", display_priority=1
    )
    watcha = ProviderFactory(
        slug="watcha", name="Watcha", name_ko="왓챠", bit=1, color="#FF0558", display_priority=2
    )
    cgv = ProviderFactory(slug="cgv", name="CGV", kind=ProviderKind.CINEMA, bit=62, color="#E71A0F")

    parasite = TitleFactory(
        title_ko="기생충",
        title_en="Parasite",
        year=2019,
        age_rating="15",
        popularity=900,
        rating_avg=4.6,
        rating_count=50,
        release_date=datetime.date(2019, 5, 30),
    )
    oldboy = TitleFactory(
        title_ko="올드보이",
        title_en="Oldboy",
        year=2003,
        age_rating="18",
        popularity=700,
        rating_avg=4.8,
        rating_count=50,
        release_date=datetime.date(2003, 11, 21),
    )
    extreme_job = TitleFactory(
        title_ko="극한직업",
        title_en="Extreme Job",
        year=2019,
        age_rating="15",
        popularity=800,
        rating_avg=3.9,
        rating_count=50,
        release_date=datetime.date(2019, 1, 23),
    )
    kingdom = TitleFactory(
        title_ko="킹덤",
        title_en="Kingdom",
        media_type="tv",
        year=2019,
        age_rating="18",
        popularity=850,
        rating_avg=4.1,
        rating_count=50,
    )
    lonely = TitleFactory(title_ko="", title_en="A Lonely Film", year=1999, age_rating="ALL", popularity=10)

    parasite.genres.set([drama, comedy])
    oldboy.genres.set([drama, horror])
    extreme_job.genres.set([comedy])
    kingdom.genres.set([horror])
    AvailabilityFactory(title=parasite, provider=netflix, offer_type=OfferType.STREAM, observed_on=SNAPSHOT)
    AvailabilityFactory(title=parasite, provider=watcha, offer_type=OfferType.RENT, observed_on=SNAPSHOT)
    AvailabilityFactory(title=oldboy, provider=watcha, offer_type=OfferType.STREAM)
    AvailabilityFactory(title=extreme_job, provider=netflix, offer_type=OfferType.RENT)
    AvailabilityFactory(title=kingdom, provider=netflix, offer_type=OfferType.STREAM)
    title_masks_refresh(title_ids=[t.id for t in (parasite, oldboy, extreme_job, kingdom, lonely)])
    titles_rating_weighted_refresh_all()  # "rating" sorts by the weighted average
    return SmallCatalog(
        drama, comedy, horror, netflix, watcha, cgv, parasite, oldboy, extreme_job, kingdom, lonely
    )
