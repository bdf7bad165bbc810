from __future__ import annotations

import datetime

import pytest

from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import OfferType
from apps.movies.services import title_masks_refresh
from tests.factories import AvailabilityFactory
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def test_title_masks_refresh_sets_bits_of_genres_and_open_offers():
    # given
    drama, comedy = GenreFactory(bit=3), GenreFactory(bit=10)
    netflix, cgv = ProviderFactory(bit=0), ProviderFactory(bit=62)
    title = TitleFactory()
    title.genres.set([drama, comedy])
    AvailabilityFactory(title=title, provider=netflix, offer_type=OfferType.STREAM)
    AvailabilityFactory(
        title=title, provider=cgv, offer_type=OfferType.NOW_SHOWING, ends_on=datetime.date(2024, 1, 1)
    )

    # when
    changed = title_masks_refresh(title_ids=[title.id])

    # then: the closed cinema run counts for neither provider nor offer
    title.refresh_from_db()
    assert changed == 1
    assert title.genre_mask == (1 << 3) | (1 << 10)
    assert title.provider_mask == 1
    assert title.offer_mask == 1 << OFFER_TYPE_BITS[OfferType.STREAM]


def test_title_masks_refresh_reports_no_change_on_rerun():
    title = TitleFactory()
    title.genres.set([GenreFactory(bit=62)])
    title_masks_refresh(title_ids=[title.id])

    assert title_masks_refresh(title_ids=[title.id]) == 0
    title.refresh_from_db()
    assert title.genre_mask == 1 << 62  # the top usable bit still fits a signed bigint
