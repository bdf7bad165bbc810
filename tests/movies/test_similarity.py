"""One "similar titles" list that respects original language (standing in for country),
era and people as well as genre: 좀비딸 is like Korean comedies of the 2020s, not Babe."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.movies.models import CreditRole
from apps.movies.selectors import title_similar
from apps.movies.services.catalog import title_masks_refresh
from apps.movies.similarity import title_language
from apps.movies.similarity import title_similar_ids
from tests.factories import CreditFactory
from tests.factories import GenreFactory
from tests.factories import PersonFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zombie_catalog():
    genres = {
        slug: GenreFactory(slug=slug, name_en=slug.title(), name_ko=slug, bit=bit)
        for bit, slug in enumerate(["comedy", "horror", "family", "animation", "drama", "action"])
    }

    def title(genre_slugs, **fields):
        made = TitleFactory(**fields)
        made.genres.set([genres[s] for s in genre_slugs])
        return made

    titles = {
        "좀비딸": title(
            ["comedy", "horror", "family"],
            title_ko="좀비딸",
            title_en="My Daughter Is a Zombie",
            year=2025,
            popularity=300,
        ),
        # MovieLens: English originals, hugely popular, same genres in part
        "Babe": title(
            ["comedy", "family"], title_ko="", title_en="Babe", year=1995, popularity=2000, movielens_id=34
        ),
        "Toy Story": title(
            ["animation", "comedy", "family"],
            title_ko="",
            title_en="Toy Story",
            year=1995,
            popularity=3000,
            movielens_id=1,
        ),
        # Korean titles of the same era
        "핸섬가이즈": title(
            ["comedy", "horror"], title_ko="핸섬가이즈", title_en="Handsome Guys", year=2024, popularity=200
        ),
        "극한직업": title(
            ["comedy", "action"], title_ko="극한직업", title_en="Extreme Job", year=2019, popularity=250
        ),
        # Korean, same genres, but decades older
        "여고괴담": title(
            ["horror"], title_ko="여고괴담", title_en="Whispering Corridors", year=1998, popularity=100
        ),
        # TMDB-style foreign film: Korean title, Japanese original
        "카메라를 멈추면 안 돼!": title(
            ["comedy", "horror"],
            title_ko="카메라를 멈추면 안 돼!",
            title_original="カメラを止めるな！",
            year=2017,
            popularity=150,
        ),
        # shares nothing
        "기생충": title(["drama"], title_ko="기생충", title_en="Parasite", year=2019, popularity=900),
    }
    title_masks_refresh(title_ids=[t.id for t in titles.values()])
    return titles


def _names(catalog, ids):
    by_id = {t.id: name for name, t in catalog.items()}
    return [by_id[i] for i in ids]


def test_title_language_reads_the_original_titles_script():
    assert title_language(title_original="", title_ko="좀비딸") == "ko"
    assert title_language(title_original="カメラを止めるな！", title_ko="카메라를 멈추면 안 돼!") == "ja"
    assert title_language(title_original="霸王別姬", title_ko="패왕별희") == "zh"
    assert title_language(title_original="Toy Story", title_ko="토이 스토리") == "latin"
    assert title_language(title_original="", title_ko="", movielens_id=1) == "latin"
    # a MovieLens title later matched to a Korean name is still not a Korean film
    assert title_language(title_original="", title_ko="토이 스토리", movielens_id=1) == "latin"


def test_korean_titles_of_the_same_era_come_before_popular_foreign_family_films(zombie_catalog):
    ranked = _names(zombie_catalog, title_similar_ids(title=zombie_catalog["좀비딸"]))

    assert ranked[:2] == ["핸섬가이즈", "극한직업"]
    assert ranked.index("여고괴담") < ranked.index("Babe")
    assert ranked.index("핸섬가이즈") < ranked.index("카메라를 멈추면 안 돼!") < ranked.index("Babe")
    assert "기생충" not in ranked  # no genre, person or neighbour in common


def test_shared_director_lifts_a_title(zombie_catalog):
    director = PersonFactory(name="필감성")
    CreditFactory(title=zombie_catalog["좀비딸"], person=director, role=CreditRole.DIRECTOR)
    CreditFactory(title=zombie_catalog["기생충"], person=director, role=CreditRole.DIRECTOR)

    ranked = _names(zombie_catalog, title_similar_ids(title=zombie_catalog["좀비딸"]))

    assert "기생충" in ranked
    assert ranked.index("기생충") < ranked.index("Babe")


def test_english_titles_find_their_own_kind_first(zombie_catalog):
    ranked = _names(zombie_catalog, title_similar_ids(title=zombie_catalog["Toy Story"]))

    assert ranked[0] == "Babe"


def test_a_title_without_genres_or_people_has_no_similar_titles(db):
    lonely = TitleFactory(title_en="A Lonely Film", year=1999)

    assert title_similar(title=lonely) == []


def test_title_page_has_one_similar_section(zombie_catalog):
    page = Client().get(f"/titles/{zombie_catalog['좀비딸'].pk}/").content.decode()

    assert page.count('data-recs-list="similar"') == 1
    assert page.count('id="similar-heading"') == 1
    assert "핸섬가이즈" in page
    assert 'id="more-like-heading"' not in page
