"""The title page's catalog sections (genres, people, where to watch, cast) are drawn once per
version of their rows: whatever changes those rows, and however (``save()``, ``.update()``,
bulk SQL), the next page shows it, in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.movies.models import Availability
from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.title_sections import title_sections_clear
from tests.factories import AvailabilityFactory
from tests.factories import CreditFactory
from tests.factories import GenreFactory
from tests.factories import PersonFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_drawings():
    title_sections_clear()
    yield
    title_sections_clear()


@pytest.fixture
def title():
    """A title with a genre, a director, a cast member and an offer, its page drawn once."""
    title = TitleFactory(title_ko="괴물", title_en="The Host")
    title.genres.set([GenreFactory(slug="thriller", name_ko="스릴러", name_en="Thriller", bit=3)])
    CreditFactory(title=title, person=PersonFactory(name="봉준호"), role="director")
    CreditFactory(title=title, person=PersonFactory(name="송강호"), role="cast", character="강두")
    AvailabilityFactory(title=title, provider=ProviderFactory(slug="netflix", name="Netflix"))
    assert "송강호" in _page(title)
    return title


def _page(title, language: str = "ko") -> str:
    client = Client(headers={"cookie": f"django_language={language}"})
    return client.get(f"/titles/{title.pk}/").content.decode()


def _watch(page: str) -> str:
    return page.split('id="watch-heading"')[1].split("</section>")[0]


def test_an_unchanged_title_reads_no_credits_or_offers_again(title):
    with CaptureQueriesContext(connection) as captured:
        page = _page(title)

    assert "송강호" in page
    assert "Netflix" in _watch(page)
    # (the similar-titles ranking reads credits' person ids, cached elsewhere: not these rows)
    drawn_from = ('SELECT "movies_credit"."id"', 'SELECT "movies_availability"."id"', 'SELECT "movies_genre"')
    assert not [q for q in captured.captured_queries if q["sql"].startswith(drawn_from)]


def test_a_person_renamed_by_an_update_shows_at_once(title):
    Person.objects.filter(name="송강호").update(name="송강호2")

    page = _page(title)

    assert "송강호2" in page


def test_a_changed_character_and_a_new_cast_member_show_at_once(title):
    title.credits.filter(role="cast").update(character="박강두")
    CreditFactory(title=title, person=PersonFactory(name="배두나"), role="cast", order=2)

    page = _page(title)

    assert "박강두" in page
    assert "배두나" in page


def test_an_ended_offer_leaves_and_a_bulk_created_one_shows(title):
    # given: the Netflix offer ends, and a new provider's offer arrives in bulk (as ingestion does)
    Availability.objects.filter(title=title).update(ends_on=datetime.date(2026, 1, 1))
    watcha = ProviderFactory(slug="watcha", name="Watcha")
    Availability.objects.bulk_create([Availability(title=title, provider=watcha, offer_type=OfferType.RENT)])

    # when
    watch = _watch(_page(title))

    # then
    assert "Netflix" not in watch
    assert "Watcha" in watch


def test_a_renamed_provider_and_genre_show_at_once(title):
    Provider.objects.filter(slug="netflix").update(name_ko="넷플릭스 코리아")
    Genre.objects.filter(slug="thriller").update(name_ko="스릴러물")

    page = _page(title)

    assert "넷플릭스 코리아" in _watch(page)
    assert "스릴러물" in page


def test_a_removed_genre_and_a_deleted_credit_leave(title):
    title.genres.clear()
    title.credits.filter(role="director").delete()

    page = _page(title)

    assert "스릴러" not in page
    assert "봉준호" not in page


def test_each_language_gets_its_own_drawing(title):
    english = _page(title, "en")
    korean = _page(title, "ko")

    assert "Thriller" in english
    assert "스릴러" not in english
    assert "스릴러" in korean
    assert "Where to watch" in english
    assert "Where to watch" not in korean
