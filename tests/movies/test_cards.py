from __future__ import annotations

import pytest
from django.utils.translation import override

from apps.movies.cards import ProviderBadge
from apps.movies.cards import card_view
from apps.movies.selectors import CatalogFilters
from apps.movies.selectors import catalog_vocabulary_clear
from apps.movies.selectors import title_list
from tests.movies.catalog_data import small_catalog_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    catalog_vocabulary_clear()
    catalog = small_catalog_create()
    catalog.parasite.rating_count = 12
    catalog.parasite.save(update_fields=["rating_count"])
    return catalog


def _row_of(title_id: int) -> dict:
    return next(row for row in title_list(filters=CatalogFilters()).rows if row["id"] == title_id)


def test_a_card_shows_ready_strings_in_the_current_language(catalog):
    with override("ko"):
        korean = card_view(_row_of(catalog.parasite.id))
    with override("en"):
        english = card_view(_row_of(catalog.parasite.id))

    assert korean.display_title == "기생충"
    assert english.display_title == "Parasite"
    assert korean.url == f"/titles/{catalog.parasite.id}/"
    assert korean.poster == f"/posters/{catalog.parasite.id}.svg"
    assert (korean.age_rating, korean.meta, korean.rating) == ("15", "2019", "4.6")
    assert korean.genres == "코미디 · 드라마"  # vocabulary order (by English name)
    assert english.badges == (
        ProviderBadge(color="#E50914", name="Netflix", initials="NE"),
        ProviderBadge(color="#FF0558", name="Watcha", initials="WA"),
    )
    assert korean.badges[0].name == "넷플릭스"


def test_a_title_and_its_list_row_make_the_same_card(catalog):
    with override("en"):
        from_row = card_view(_row_of(catalog.kingdom.id))
        catalog.kingdom.refresh_from_db()  # its masks were set in the database
        from_model = card_view(catalog.kingdom)

    assert from_model == from_row
    assert from_row.meta == "2019 · TV show"


def test_unknown_age_no_ratings_and_badges_past_four(catalog):
    lonely = catalog.lonely
    lonely.age_rating = "UNKNOWN"
    card = card_view(lonely)

    assert (card.age_rating, card.age_label, card.rating, card.genres) == ("", "", "", "")
    assert card.badges == ()
    assert card.more_providers == 0


def test_past_four_providers_a_card_counts_the_rest(catalog):
    from tests.factories import AvailabilityFactory
    from tests.factories import ProviderFactory

    for bit in range(10, 14):
        AvailabilityFactory(title=catalog.parasite, provider=ProviderFactory(bit=bit))
    catalog.parasite.refresh_from_db()
    from apps.movies.services.catalog import title_masks_refresh

    title_masks_refresh(title_ids=[catalog.parasite.id])
    catalog_vocabulary_clear()
    catalog.parasite.refresh_from_db()

    card = card_view(catalog.parasite)

    assert len(card.badges) == 4
    assert card.more_providers == 2


def test_the_catalog_page_renders_cards_from_rows(client, catalog):
    response = client.get("/?genre=drama", HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert f'href="/titles/{catalog.parasite.id}/"' in body
    assert ">★ 4.6</span>" in body
    # The provider badge is an SVG carrying its colour as an attribute (no inline style).
    assert 'role="img" aria-label="Netflix"' in body
    assert ">NE</text>" in body


def test_a_card_is_rendered_once_per_content(catalog):
    from apps.movies.cards import _card_html
    from apps.movies.cards import card_html
    from apps.movies.cards import card_html_clear

    card_html_clear()
    with override("en"):
        view = card_view(catalog.parasite)
        first = card_html(view, stars=4.0)
        again = card_html(card_view(catalog.parasite), stars=4.0)

    assert again == first
    assert _card_html.cache_info().hits == 1
    assert "Parasite" in first
    assert "★4.0" in first  # the 예상 별점 badge


def test_anything_a_card_shows_changes_its_html(catalog):
    from apps.movies.cards import card_html

    with override("en"):
        base = card_html(card_view(catalog.parasite))
        predicted = card_html(card_view(catalog.parasite), stars=3.5)
        explained = card_html(card_view(catalog.parasite), why="Because you liked Okja")
        placed = card_html(card_view(catalog.parasite), list_position=3, dismissible=True)
        catalog.parasite.title_en = "Parasite (B&W)"
        catalog.parasite.rating_avg = 3.1
        renamed = card_html(card_view(catalog.parasite))
    with override("ko"):
        korean = card_html(card_view(catalog.parasite))

    assert "Predicted" not in base
    assert "★3.5" in predicted
    assert "Because you liked Okja" in explained
    assert 'data-position="3"' in placed
    assert "data-recs-dismiss" in placed
    assert "Parasite (B&amp;W)" in renamed  # escaped like any template output
    assert "★ 3.1" in renamed
    assert "기생충" in korean
    assert "기생충" not in base


def test_a_card_is_built_once_per_content_and_anew_when_anything_it_shows_changes(catalog):
    # given: a list row's card, built once
    row = _row_of(catalog.parasite.id)
    with override("en"):
        first = card_view(row)
        assert card_view(dict(row)) is first  # the same content: kept, not rebuilt

        # when / then: each value the card shows, changed, makes a new card that shows it
        changes = {
            "title_en": "Parasite (black and white)",
            "year": 2020,
            "media_type": "tv",
            "age_rating": "18",
            "rating_avg": 2.5,
            "rating_count": 0,
            "poster": "posters/parasite.jpg",
            "genres": ["drama"],
            "providers": ["watcha"],
        }
        for field, value in changes.items():
            changed = card_view({**row, field: value})
            assert changed != first, field

    with override("ko"):
        assert card_view(row).display_title == "기생충"  # the language is part of the key
        assert card_view({**row, "title_ko": "기생충 (흑백판)"}).display_title == "기생충 (흑백판)"


def test_a_titles_card_follows_its_fields_too(catalog):
    with override("en"):
        before = card_view(catalog.oldboy)
        catalog.oldboy.title_en = "Oldboy (4K)"
        catalog.oldboy.rating_avg, catalog.oldboy.rating_count = 1.5, 3

        after = card_view(catalog.oldboy)

    assert after.display_title == "Oldboy (4K)"
    assert after.rating == "1.5"
    assert before.display_title != after.display_title
