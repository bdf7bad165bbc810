"""Persist what crawlers found: normalise → match → upsert → close stale offers.

Set-based on purpose: every step looks rows up in batches and writes with
bulk_create/bulk_update, so a 100,000-record import is a few hundred queries, not a
few hundred thousand (benchmarks/ingest.py). Records whose payload hash is unchanged
since the last run are skipped before anything else, so a re-run writes nothing.

Here: the entry point (``source_records_ingest``), validation, payload hashes and the
title match keys; the merger (ingestion.merger) matches and writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING
from typing import Any

from django.db import connection
from django.db import transaction
from django.utils import timezone

from apps.movies.crawlers.base import RecordError
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.vocab import PROVIDERS_BY_SLUG
from apps.movies.lookups import any_of
from apps.movies.matching import name_keys
from apps.movies.models import MediaType
from apps.movies.models import SourceOffer
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.models import TitleMatchKey
from apps.movies.services.bulk import BATCH
from apps.movies.services.bulk import chunks
from apps.movies.services.bulk import payload_hash
from apps.movies.services.bulk import rows_insert
from apps.movies.services.catalog import title_masks_refresh
from apps.movies.services.ingestion.merger import AGE_RATINGS
from apps.movies.services.ingestion.merger import MAX_NAME
from apps.movies.services.ingestion.merger import MEDIA_TYPES
from apps.movies.services.ingestion.merger import NAME_FIELDS
from apps.movies.services.ingestion.merger import OFFER_TYPES
from apps.movies.services.ingestion.merger import IngestReport
from apps.movies.services.ingestion.merger import Merger
from apps.movies.services.ingestion.merger import existing_source_records
from apps.movies.services.ingestion.merger import links_remove
from apps.movies.services.ingestion.merger import match_key_rows

if TYPE_CHECKING:
    from apps.movies.raw_store import RawPayloadStore


# -----------------------------------------------------------------------------
# Public services
# -----------------------------------------------------------------------------
def source_records_ingest(
    *,
    source: str,
    records: Iterable[SourceTitle],
    seen_ids: Iterable[str] | None = None,
    complete: bool = True,
    fetched_at: datetime.datetime | None = None,
    raw_store: RawPayloadStore | None = None,
    today: datetime.date | None = None,
) -> IngestReport:
    """Merge one run of one source into the catalog, all or nothing.

    ``complete`` says the run listed everything the source offers right now: offers
    of records it no longer lists (``seen_ids`` holds every id it listed, parsed or
    not) lose this source's report and close when no other source reports them.
    Bad records are reported in ``IngestReport.errors`` and skipped; the good land.
    """
    fetched_at = fetched_at or timezone.now()
    today = today or timezone.localdate()
    report = IngestReport()
    valid = _validated(source, records, report)
    seen = set(seen_ids) if seen_ids is not None else set()
    seen.update(record.external_id for record, _ in valid)

    with transaction.atomic():
        _jit_off_for_this_transaction()
        existing = existing_source_records(source, [record.external_id for record, _ in valid])
        pending: list[tuple[SourceTitle, str]] = []
        for record, payload_hash in valid:
            known = existing.get(record.external_id)
            if known is not None and known.payload_hash == payload_hash and known.title_id is not None:
                report.unchanged += 1
            else:
                pending.append((record, payload_hash))

        if pending:
            Merger(source=source, fetched_at=fetched_at, today=today, report=report).run(pending, existing)
            if raw_store is not None:
                raw_store.save_many(
                    source=source,
                    items=[(r.external_id, h, record_as_payload(r)) for r, h in pending],
                    fetched_at=fetched_at,
                )
        if complete:
            report.closed += _withdraw_unseen(source=source, seen=seen, today=today, report=report)
        if report.title_ids:
            _titles_touched(report)
    return report


def _jit_off_for_this_transaction() -> None:
    """No PostgreSQL JIT for an import's bulk statements (call inside ``transaction.atomic``).

    Their plans cost enough to trigger JIT, which then spent ~1 s compiling each
    5,000-title statement that runs in 0.1-0.3 s without it (a mask refresh of 58,788
    titles: 22 s with, 4 s without). ``SET LOCAL`` ends with the transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def record_payload_hash(record: SourceTitle) -> str:
    """SHA-256 of what we take from a record (its raw payload excluded: ranks and
    view counts change daily without changing the film)."""
    # Built by hand: dataclasses.asdict was a third of an import's CPU time.
    data = [
        record.source,
        record.external_id,
        record.title_ko,
        record.title_en,
        record.title_original,
        str(record.media_type),
        record.year,
        record.release_date.isoformat() if record.release_date else None,
        record.runtime_minutes,
        # Series only, so every film's hash stays what it was before series counts existed.
        *([record.season_count, record.episode_count] if record.media_type == MediaType.TV else []),
        *([record.box_office_audience] if record.box_office_audience is not None else []),
        str(record.age_rating),
        record.overview,
        list(record.genres),
        [[p.name, p.role, p.order] for p in record.people],
        record.poster_url,
        [
            [
                o.provider,
                str(o.offer_type),
                o.link,
                o.starts_on.isoformat() if o.starts_on else None,
                o.region,
            ]
            for o in record.offers
        ],
        record.tmdb_id,
        record.kobis_code,
    ]
    # The shared hash (bulk.payload_hash): data is a list, so its sorted keys change nothing.
    return payload_hash(data)


def record_as_payload(record: SourceTitle) -> dict[str, Any]:
    """The record as JSON-ready data (dates as ISO strings), as the payload store keeps it."""
    return json.loads(json.dumps(dataclasses.asdict(record), default=_json_default, ensure_ascii=False))


def record_from_payload(data: dict[str, Any]) -> SourceTitle:
    """Inverse of record_as_payload (used to split a title back into its sources)."""
    from apps.movies.crawlers.base import SourceOfferRecord
    from apps.movies.crawlers.base import SourcePerson

    values = dict(data)
    values["release_date"] = _date_or_none(values.get("release_date"))
    values["genres"] = tuple(values.get("genres") or ())
    values["people"] = tuple(SourcePerson(**p) for p in values.get("people") or ())
    values["offers"] = tuple(
        SourceOfferRecord(**{**o, "starts_on": _date_or_none(o.get("starts_on"))})
        for o in values.get("offers") or ()
    )
    names = {f.name for f in dataclasses.fields(SourceTitle)}
    return SourceTitle(**{k: v for k, v in values.items() if k in names})


def title_match_keys_refresh(*, title_ids: Iterable[int]) -> int:
    """Rebuild the match keys of the given titles from their names (admin edits, merges)."""
    ids = sorted(set(title_ids))
    rows: list[tuple[int, str, bool]] = []
    for chunk in chunks(ids, BATCH):
        TitleMatchKey.objects.filter(any_of("title_id", chunk)).delete()
        for title_id, *names in Title.objects.filter(any_of("id", chunk)).values_list("id", *NAME_FIELDS):
            rows += match_key_rows(title_id, name_keys(names))
    rows_insert(TitleMatchKey, ("title_id", "key", "is_main"), rows, skip_existing=True)
    return len(rows)


def title_match_keys_backfill() -> int:
    """Give match keys to titles that have none (created outside ingestion, e.g. the demo)."""
    missing = list(Title.objects.filter(match_keys__isnull=True).values_list("id", flat=True))
    return title_match_keys_refresh(title_ids=missing) if missing else 0


# -----------------------------------------------------------------------------
# Validation
# -----------------------------------------------------------------------------
def _validated(
    source: str, records: Iterable[SourceTitle], report: IngestReport
) -> list[tuple[SourceTitle, str]]:
    seen: set[str] = set()
    valid: list[tuple[SourceTitle, str]] = []
    for record in records:
        problem = _problem_of(source, record)
        if problem is None and record.external_id in seen:
            problem = "duplicated id in one response (kept the first)"
        if problem is not None:
            report.errors.append(RecordError(record.external_id or None, problem))
            continue
        seen.add(record.external_id)
        if record.year is None and record.release_date is not None:
            record.year = record.release_date.year
        valid.append((record, record_payload_hash(record)))
    return valid


def _problem_of(source: str, record: SourceTitle) -> str | None:
    if record.source != source:
        return f"record of source {record.source!r} in a {source!r} run"
    if not str(record.external_id or "").strip():
        return "missing id"
    if len(record.external_id) > 120:
        return "id longer than 120 characters"
    if not record.has_name:
        return "empty title"
    for name in (*NAME_FIELDS, "overview"):
        if "\ufffd" in getattr(record, name):
            return f"{name} holds U+FFFD: text decoded with the wrong charset"
    for name in NAME_FIELDS:
        if len(getattr(record, name)) > MAX_NAME:
            return f"{name} longer than {MAX_NAME} characters"
    if record.year is not None and not 1870 <= record.year <= 2100:
        return f"implausible year {record.year}"
    if record.runtime_minutes is not None and not 0 < record.runtime_minutes < 2000:
        return f"implausible runtime {record.runtime_minutes}"
    if record.season_count is not None and not 0 <= record.season_count < 1000:
        return f"implausible season count {record.season_count}"
    if record.episode_count is not None and not 0 <= record.episode_count < 100_000:
        return f"implausible episode count {record.episode_count}"
    if record.media_type not in MEDIA_TYPES:
        return f"unknown media type {record.media_type!r}"
    if record.age_rating not in AGE_RATINGS:
        return f"unknown age rating {record.age_rating!r}"
    if len(record.poster_url) > 500:
        return "poster url longer than 500 characters"
    for offer in record.offers:
        if offer.provider not in PROVIDERS_BY_SLUG:
            return f"unknown provider {offer.provider!r}"
        if offer.offer_type not in OFFER_TYPES:
            return f"unknown offer type {offer.offer_type!r}"
    return None


def _withdraw_unseen(*, source: str, seen: set[str], today: datetime.date, report: IngestReport) -> int:
    """Records of ``source`` this complete run did not list no longer report their offers."""
    if len(seen) > BATCH:
        # A huge IN list is slower than filtering the (few) linked records in Python.
        rows = SourceOffer.objects.filter(source_record__source=source).values_list(
            "source_record_id", "availability_id", "source_record__external_id"
        )
        stale = {(r, a) for r, a, external_id in rows if external_id not in seen}
    else:
        links = SourceOffer.objects.filter(source_record__source=source).exclude(
            source_record__external_id__in=seen
        )
        stale = set(links.values_list("source_record_id", "availability_id"))
    if not stale:
        return 0
    # Forget their hash, so the record is merged again (offers relinked) when it returns.
    withdrawn = sorted({record_id for record_id, _ in stale})
    for chunk in chunks(withdrawn, BATCH):
        SourceRecord.objects.filter(any_of("id", chunk)).update(payload_hash="")
    return links_remove(stale, today=today, report=report)


def _titles_touched(report: IngestReport) -> None:
    # A rename alone leaves the masks as they were: the benchmark's TMDB view renames
    # all 58,788 ggplot2 titles but brings offers to a fifth of them.
    title_masks_refresh(title_ids=report.mask_title_ids)
    ids = sorted(report.title_ids)
    for chunk in chunks(ids, BATCH):
        Title.objects.filter(any_of("id", chunk), search_index_dirty=False).update(search_index_dirty=True)


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _date_or_none(value: str | datetime.date | None) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
