"""A small real-world catalog with its search columns filled in."""

from __future__ import annotations

import pytest

from apps.movies.models import CreditRole
from apps.movies.models import Title
from apps.movies.search.indexing import title_search_fields_refresh
from tests.factories import CreditFactory
from tests.factories import GenreFactory
from tests.factories import PersonFactory
from tests.factories import TitleFactory

CATALOG = [
    # (title_ko, title_en, year, popularity, genres)
    ("기생충", "Parasite", 2019, 950.0, ["drama", "thriller"]),
    ("어벤져스: 엔드게임", "Avengers: Endgame", 2019, 900.0, ["action", "sci-fi"]),
    ("어벤져스", "The Avengers", 2012, 700.0, ["action", "sci-fi"]),
    ("부산행", "Train to Busan", 2016, 800.0, ["horror", "action"]),
    ("살인의 추억", "Memories of Murder", 2003, 600.0, ["crime", "drama"]),
    ("", "Matrix, The", 1999, 850.0, ["action", "sci-fi"]),
    ("", "Matrix Reloaded, The", 2003, 500.0, ["action", "sci-fi"]),
    ("괴물", "The Host", 2006, 550.0, ["horror", "drama"]),
    ("올드보이", "Oldboy", 2003, 650.0, ["thriller"]),
    ("헤어질 결심", "Decision to Leave", 2022, 400.0, ["romance", "thriller"]),
    ("킹덤", "Kingdom", 2019, 300.0, ["horror"]),
    ("", "Amélie", 2001, 450.0, ["romance", "comedy"]),
]


@pytest.fixture
def catalog(db) -> dict[str, Title]:
    return make_catalog()


def make_catalog() -> dict[str, Title]:
    genres = {
        slug: GenreFactory(slug=slug, name_en=slug.title(), name_ko=slug, bit=index)
        for index, slug in enumerate(
            ["drama", "thriller", "action", "sci-fi", "horror", "crime", "romance", "comedy"]
        )
    }
    titles: dict[str, Title] = {}
    for title_ko, title_en, year, popularity, genre_slugs in CATALOG:
        title = TitleFactory(title_ko=title_ko, title_en=title_en, year=year, popularity=popularity)
        title.genres.set([genres[slug] for slug in genre_slugs])
        titles[title_en] = title
    bong = PersonFactory(name="봉준호", name_en="Bong Joon-ho")
    for name in ("Parasite", "Memories of Murder", "The Host"):
        CreditFactory(title=titles[name], person=bong, role=CreditRole.DIRECTOR)
    title_search_fields_refresh(title_ids=[t.id for t in titles.values()])
    return titles


@pytest.fixture(autouse=True)
def _forget_elasticsearch_outages():
    """Each test starts with no remembered cluster outage (a port may be reused)."""
    from apps.movies.search import elastic

    elastic._down_until.clear()
    elastic._alias_ready.clear()
    yield
    elastic._down_until.clear()
    elastic._alias_ready.clear()
