"""Writes to the catalog that keep its denormalised filter columns true."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import Availability
from apps.movies.models import Title


def mask_of(bits: Iterable[int]) -> int:
    """A signed-bigint bitmask with the given bit positions set."""
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask


def title_masks_refresh(*, title_ids: Iterable[int]) -> int:
    """Recompute genre, provider and offer masks of the given titles from their rows.

    Only open availabilities (no end date) count towards provider and offer masks.
    Returns the number of titles whose masks changed.
    """
    ids = sorted(set(title_ids))
    if not ids:
        return 0
    genre_bits: dict[int, set[int]] = {title_id: set() for title_id in ids}
    provider_bits: dict[int, set[int]] = {title_id: set() for title_id in ids}
    offer_bits: dict[int, set[int]] = {title_id: set() for title_id in ids}

    for title_id, bit in Title.genres.through.objects.filter(title_id__in=ids).values_list(
        "title_id", "genre__bit"
    ):
        genre_bits[title_id].add(bit)
    open_offers = Availability.objects.filter(Q(title_id__in=ids) & Q(ends_on__isnull=True))
    for title_id, bit, offer_type in open_offers.values_list("title_id", "provider__bit", "offer_type"):
        provider_bits[title_id].add(bit)
        offer_bits[title_id].add(OFFER_TYPE_BITS[offer_type])

    changed: list[Title] = []
    with transaction.atomic():
        for title in Title.objects.filter(id__in=ids).only("id", "genre_mask", "provider_mask", "offer_mask"):
            masks = (
                mask_of(genre_bits[title.id]),
                mask_of(provider_bits[title.id]),
                mask_of(offer_bits[title.id]),
            )
            if masks != (title.genre_mask, title.provider_mask, title.offer_mask):
                title.genre_mask, title.provider_mask, title.offer_mask = masks
                changed.append(title)
        Title.objects.bulk_update(changed, ["genre_mask", "provider_mask", "offer_mask"], batch_size=1000)
    return len(changed)
