from __future__ import annotations

import datetime

import pytest

from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import OfferType
from apps.movies.models import Title
from apps.movies.services import title_masks_refresh
from tests.factories import AvailabilityFactory
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.servers import run_on_embedded_sqlite

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


def test_title_masks_refresh_writes_every_batch_and_only_stale_titles(monkeypatch):
    # given five titles refreshed two per UPDATE, one of them already right
    monkeypatch.setattr("apps.movies.services.catalog.MASK_BATCH", 2)
    netflix = ProviderFactory(bit=5)
    titles = TitleFactory.create_batch(5)
    for title in titles:
        AvailabilityFactory(title=title, provider=netflix, offer_type=OfferType.COMING_SOON)
    Title.objects.filter(id=titles[0].id).update(provider_mask=1 << 5, offer_mask=1 << 4)
    untouched = Title.objects.get(id=titles[0].id).updated_at

    # when
    changed = title_masks_refresh(title_ids=[t.id for t in reversed(titles)])

    # then
    assert changed == 4
    masks = set(Title.objects.values_list("provider_mask", "offer_mask"))
    assert masks == {(1 << 5, 1 << OFFER_TYPE_BITS[OfferType.COMING_SOON])}
    assert Title.objects.get(id=titles[0].id).updated_at == untouched


def test_title_masks_refresh_clears_masks_of_titles_without_rows():
    title = TitleFactory()
    Title.objects.filter(id=title.id).update(genre_mask=7, provider_mask=7, offer_mask=7)

    assert title_masks_refresh(title_ids=[title.id]) == 1
    assert Title.objects.values_list("genre_mask", "provider_mask", "offer_mask").get(id=title.id) == (
        0,
        0,
        0,
    )


SQLITE_SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from apps.movies.lookups import any_of
from apps.movies.models import Availability, Genre, Provider, Title
from apps.movies.services import title_masks_refresh

call_command("migrate", verbosity=0)
drama = Genre.objects.create(slug="drama", name_ko="드라마", name_en="Drama", bit=62)
cgv = Provider.objects.create(slug="cgv", name="CGV", kind="cinema", bit=40)
netflix = Provider.objects.create(slug="netflix", name="Netflix", kind="ott", bit=0)
title = Title.objects.create(title_en="Parasite")
title.genres.add(drama)
Availability.objects.create(title=title, provider=cgv, offer_type="now_showing")
Availability.objects.create(title=title, provider=cgv, offer_type="coming_soon")
Availability.objects.create(title=title, provider=netflix, offer_type="stream", ends_on="2024-01-01")
bare = Title.objects.create(title_en="Nothing", genre_mask=3)
first = title_masks_refresh(title_ids=[title.id, bare.id])
again = title_masks_refresh(title_ids=[title.id, bare.id])
masks = {t.title_en: [t.genre_mask, t.provider_mask, t.offer_mask] for t in Title.objects.all()}
none = list(Title.objects.filter(any_of("id", [])))
vendor = django.db.connection.vendor
print(json.dumps({"vendor": vendor, "changed": [first, again], "masks": masks, "none": none}))
"""


@pytest.mark.slow
def test_title_masks_refresh_runs_on_the_embedded_sqlite_default(tmp_path):
    # given a fresh process on SQLite, as `make run` serves the demo, when
    answer = run_on_embedded_sqlite(SQLITE_SCRIPT, database=tmp_path / "m.sqlite3")

    # then the top genre bit survives SQLite's 64-bit integers and a closed offer counts for nothing
    assert answer["vendor"] == "sqlite"
    assert answer["changed"] == [2, 0]
    assert answer["masks"]["Parasite"] == [
        1 << 62,
        1 << 40,
        (1 << OFFER_TYPE_BITS[OfferType.NOW_SHOWING]) | (1 << OFFER_TYPE_BITS[OfferType.COMING_SOON]),
    ]
    assert answer["masks"]["Nothing"] == [0, 0, 0]
    assert answer["none"] == []  # any_of's IN fallback, empty
