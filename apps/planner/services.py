"""Writes of the subscription planner: the bundled price table into the database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.movies.models import Provider
from apps.planner.models import PlanPrice

PRICES_PATH = Path(__file__).resolve().parent / "data" / "plan_prices.json"


def plan_prices_load(*, path: Path = PRICES_PATH) -> tuple[int, list[str]]:
    """Add the bundled plans whose service exists and that are not stored yet; an operator's
    edits (a row with the same service and plan name) are never overwritten.

    Returns (rows created, reasons rows were skipped). A malformed row is skipped with its
    reason; the file as a whole must be the documented shape.
    """
    try:
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["plans"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(f"{path.name}: not a price table ({error})") from error
    providers = {p.slug: p for p in Provider.objects.all()}
    stored = set(PlanPrice.objects.values_list("provider__slug", "name"))
    created, skipped = 0, []
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            try:
                if (row["provider"], row["name"]) in stored:
                    continue  # loaded before, perhaps edited since: left as it is
                price = PlanPrice(
                    provider=providers[row["provider"]],
                    name=row["name"],
                    name_en=row.get("name_en", ""),
                    monthly_price_krw=int(row["price"]),
                    with_ads=bool(row.get("ads", False)),
                    source_url=row["source"],
                    as_of=dt.date.fromisoformat(row["as_of"]),
                )
                price.full_clean()
            except KeyError as error:
                skipped.append(f"row {number}: missing or unknown {error}")
                continue
            except (ValueError, TypeError, ValidationError) as error:
                skipped.append(f"row {number}: {error}")
                continue
            price.save()
            stored.add((row["provider"], row["name"]))
            created += 1
    return created, skipped
