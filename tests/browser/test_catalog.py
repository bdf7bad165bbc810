from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from apps.movies.models import OfferType
from apps.movies.services import title_masks_refresh
from tests.factories import AvailabilityFactory
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browsable_catalog(settings):
    """Twelve drama-or-comedy titles on Netflix (three pages of four), plus decoys."""
    settings.CATALOG_PAGE_SIZE = 4
    drama = GenreFactory(slug="drama", name_en="Drama", name_ko="드라마", bit=1)
    comedy = GenreFactory(slug="comedy", name_en="Comedy", name_ko="코미디", bit=2)
    horror = GenreFactory(slug="horror", name_en="Horror", name_ko="공포", bit=3)
    netflix = ProviderFactory(slug="netflix", name="Netflix", name_ko="넷플릭스", bit=0, color="#E50914")
    watcha = ProviderFactory(slug="watcha", name="Watcha", name_ko="왓챠", bit=1, color="#FF0558")
    titles = []
    for index in range(12):
        title = TitleFactory(
            title_ko=f"넷플릭스 작품 {index:02d}", title_en=f"On Netflix {index:02d}", popularity=500 - index
        )
        title.genres.set([drama] if index % 2 else [comedy])
        AvailabilityFactory(title=title, provider=netflix, offer_type=OfferType.STREAM)
        titles.append(title)
    decoy_provider = TitleFactory(title_ko="왓챠 작품", title_en="Only on Watcha", popularity=999)
    decoy_provider.genres.set([drama])
    AvailabilityFactory(title=decoy_provider, provider=watcha, offer_type=OfferType.STREAM)
    decoy_genre = TitleFactory(title_ko="공포 작품", title_en="Horror on Netflix", popularity=998)
    decoy_genre.genres.set([horror])
    AvailabilityFactory(title=decoy_genre, provider=netflix, offer_type=OfferType.STREAM)
    title_masks_refresh(title_ids=[t.id for t in [*titles, decoy_provider, decoy_genre]])
    return titles


def _tick(page: Page, name: str, value: str) -> None:
    # Ticking submits the form by itself (progressive enhancement): wait for the new URL.
    with page.expect_navigation():
        page.locator(f"label.chip:has(input[name='{name}'][value='{value}'])").first.click()


def test_browse_pick_two_genres_and_a_provider_page_forward_and_open_a_title(
    live_server, page: Page, browsable_catalog
):
    titles = browsable_catalog
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Popular now")).to_be_visible()

    _tick(page, "genre", "drama")
    _tick(page, "genre", "comedy")
    _tick(page, "provider", "netflix")

    # the auto-submitted URL is short and shareable: defaults are left out
    expect(page).to_have_url(re.compile(r"/\?genre=comedy&genre=drama&provider=netflix$"))
    expect(page.locator(".card__title")).to_have_text([f"On Netflix {i:02d}" for i in range(4)])
    expect(page.get_by_role("checkbox", name="Drama")).to_be_checked()
    expect(page.locator("form.filters__form input[name=provider][value=netflix]")).to_be_checked()

    page.get_by_test_id("next-page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".card__title")).to_have_text([f"On Netflix {i:02d}" for i in range(4, 8)])
    expect(page.locator(".pager__current")).to_have_text("Page 2")

    page.locator(".card__link").first.click()
    expect(page).to_have_url(re.compile(rf"/titles/{titles[4].id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("넷플릭스 작품 04")
    expect(page.locator(".offer-group__name")).to_have_text(["Netflix"])
