"""Writes to the catalog that keep its denormalised filter columns true."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField
from django.db.models import Case
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When
from django.db.models.expressions import Combinable
from django.db.models.expressions import CombinedExpression
from django.db.models.expressions import Expression
from django.db.models.functions import Cast
from django.db.models.functions import Coalesce

from apps.movies.lookups import any_of
from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import Availability
from apps.movies.models import Title

# Titles per UPDATE: well under SQLite's 32,766 variables, and PostgreSQL plans a
# 5,000-id IN list as one index scan.
MASK_BATCH = 5000


def mask_of(bits: Iterable[int]) -> int:
    """A signed-bigint bitmask with the given bit positions set."""
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask


def title_masks_refresh(*, title_ids: Iterable[int]) -> int:
    """Recompute genre, provider and offer masks of the given titles from their rows.

    Only open availabilities (no end date) count towards provider and offer masks.
    One set-based UPDATE per batch (the database computes the masks, nothing comes
    back to Python) that leaves titles whose masks are already right untouched.
    Works on PostgreSQL and SQLite alike. Returns the number of titles whose masks changed.
    """
    ids = sorted(set(title_ids))
    masks = _computed_masks()
    changed = 0
    with transaction.atomic():
        for start in range(0, len(ids), MASK_BATCH):
            stale = Title.objects.filter(any_of("id", ids[start : start + MASK_BATCH])).exclude(**masks)
            changed += stale.update(**masks)
    return changed


def _computed_masks() -> dict[str, Coalesce]:
    """Each mask as a correlated subquery over the title's rows.

    An OR of distinct single bits is their SUM: portable SQL where PostgreSQL's
    BIT_OR has no SQLite twin. Genres and providers each own one bit; offer types
    map to theirs through OFFER_TYPE_BITS.
    """
    title_genres = Title.genres.through.objects.filter(title_id=OuterRef("pk"))
    open_offers = Availability.objects.filter(title_id=OuterRef("pk"), ends_on__isnull=True)
    offer_bit = Case(
        *(When(offer_type=offer_type, then=Value(1 << bit)) for offer_type, bit in OFFER_TYPE_BITS.items()),
        output_field=BigIntegerField(),
    )
    return {
        "genre_mask": _mask(title_genres, _bit("genre__bit")),
        "provider_mask": _mask(open_offers, _bit("provider__bit")),
        "offer_mask": _mask(open_offers, offer_bit),
    }


def _bit(column: str) -> CombinedExpression:
    # A bigint 1: PostgreSQL would shift a plain integer 1 out of its 32 bits.
    return CombinedExpression(Cast(Value(1), BigIntegerField()), Combinable.BITLEFTSHIFT, F(column))


def _mask(rows: QuerySet[Any], bit: Expression) -> Coalesce:
    """The sum of distinct ``bit`` over ``rows`` (one title's), 0 when it has none."""
    per_title = rows.order_by().values("title_id").annotate(mask=Sum(bit, distinct=True)).values("mask")
    bigint = BigIntegerField()
    return Coalesce(Subquery(per_title, output_field=bigint), Value(0), output_field=bigint)
