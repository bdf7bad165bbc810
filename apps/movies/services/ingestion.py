"""Persist what crawlers found: normalise → match → upsert → close stale offers.

Set-based on purpose: every step looks rows up in batches and writes with
bulk_create/bulk_update, so a 100,000-record import is a few hundred queries, not a
few hundred thousand (benchmarks/ingest.py). Records whose payload hash is unchanged
since the last run are skipped before anything else, so a re-run writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import io
import json
import logging
import operator
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db import connection
from django.db import models
from django.db import transaction
from django.db.models import Count
from django.db.models import Max
from django.utils import timezone
from PIL import Image
from PIL import UnidentifiedImageError

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordError
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import ReplayTransport
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.base import TransientSourceError
from apps.movies.crawlers.registry import crawler_for
from apps.movies.crawlers.vocab import GENRES_BY_SLUG
from apps.movies.crawlers.vocab import PROVIDERS_BY_SLUG
from apps.movies.crawlers.vocab import genre_slug
from apps.movies.lookups import any_of
from apps.movies.matching import NameKeys
from apps.movies.matching import name_keys
from apps.movies.matching import names_match
from apps.movies.matching import person_keys
from apps.movies.matching import years_compatible
from apps.movies.models import MAX_MASK_BITS
from apps.movies.models import AgeRating
from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Genre
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import SourceOffer
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.models import TitleMatchKey
from apps.movies.raw_store import raw_store_get
from apps.movies.services.catalog import title_masks_refresh
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.movies.raw_store import RawPayloadStore

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Rows per IN (...) lookup and per bulk write; ~5k keeps PostgreSQL plans and
# SQLite's variable limit happy while staying a handful of round trips.
BATCH = 5000

# Which source wins when two disagree on a field already set (blank fields are always
# filled). The film council's register is authoritative for Korean releases.
SOURCE_PRIORITY: dict[str, int] = {"kobis": 50, "tmdb": 40, "megabox": 30, "cgv": 30, "lotte": 20, "daum": 10}

# Title fields a source record can set, in the order they are compared.
TITLE_FIELDS = (
    "title_ko",
    "title_en",
    "title_original",
    "year",
    "release_date",
    "runtime_minutes",
    "season_count",
    "episode_count",
    "box_office_audience",
    "age_rating",
    "overview",
    "poster_source_url",
)
_NAME_FIELDS = ("title_ko", "title_en", "title_original")
_MAX_NAME = 300
# Django builds a choices enum's .values list on every access: once per record added up.
_MEDIA_TYPES = frozenset(MediaType.values)
_AGE_RATINGS = frozenset(AgeRating.values)
_OFFER_TYPES = frozenset(OfferType.values)
_CREDIT_ROLES = frozenset(CreditRole.values)


@dataclass
class IngestReport:
    """What one run did. Every record listed lands in exactly one of the counts:
    new + updated + unchanged + failed is the number of records."""

    # Records that became a new title (one title each).
    new: int = 0
    # New or changed records merged into a title that already existed.
    updated: int = 0
    # Records whose content is the same as last run's: skipped.
    unchanged: int = 0
    # Offers closed because no source reports them any more.
    closed: int = 0
    errors: list[RecordError] = field(default_factory=list)
    # Titles created or changed in any way (fields, genres, people, offers).
    title_ids: set[int] = field(default_factory=set)
    # Titles whose genres or offers changed: only these can have stale filter masks.
    mask_title_ids: set[int] = field(default_factory=set)
    # Titles whose poster should be copied (a new or changed poster_source_url).
    poster_title_ids: set[int] = field(default_factory=set)
    # Offers this run opened: created, or reopened after they had closed.
    opened_availability_ids: set[int] = field(default_factory=set)

    def masks_touched(self, title_ids: Iterable[int]) -> None:
        """Record titles whose genres or offers changed: changed, and their masks may be stale."""
        ids = set(title_ids)
        self.title_ids |= ids
        self.mask_title_ids |= ids

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def rows_changed(self) -> int:
        return self.new + self.updated + self.closed


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
        existing = _existing_source_records(source, [record.external_id for record, _ in valid])
        pending: list[tuple[SourceTitle, str]] = []
        for record, payload_hash in valid:
            known = existing.get(record.external_id)
            if known is not None and known.payload_hash == payload_hash and known.title_id is not None:
                report.unchanged += 1
            else:
                pending.append((record, payload_hash))

        if pending:
            _Merger(source=source, fetched_at=fetched_at, today=today, report=report).run(pending, existing)
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
    canonical = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    for chunk in _chunks(ids, BATCH):
        TitleMatchKey.objects.filter(any_of("title_id", chunk)).delete()
        for title_id, *names in Title.objects.filter(any_of("id", chunk)).values_list("id", *_NAME_FIELDS):
            rows += _key_rows(title_id, name_keys(names))
    _copy_rows(TitleMatchKey, ("title_id", "key", "is_main"), rows)
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
    for name in (*_NAME_FIELDS, "overview"):
        if "\ufffd" in getattr(record, name):
            return f"{name} holds U+FFFD: text decoded with the wrong charset"
    for name in _NAME_FIELDS:
        if len(getattr(record, name)) > _MAX_NAME:
            return f"{name} longer than {_MAX_NAME} characters"
    if record.year is not None and not 1870 <= record.year <= 2100:
        return f"implausible year {record.year}"
    if record.runtime_minutes is not None and not 0 < record.runtime_minutes < 2000:
        return f"implausible runtime {record.runtime_minutes}"
    if record.season_count is not None and not 0 <= record.season_count < 1000:
        return f"implausible season count {record.season_count}"
    if record.episode_count is not None and not 0 <= record.episode_count < 100_000:
        return f"implausible episode count {record.episode_count}"
    if record.media_type not in _MEDIA_TYPES:
        return f"unknown media type {record.media_type!r}"
    if record.age_rating not in _AGE_RATINGS:
        return f"unknown age rating {record.age_rating!r}"
    if len(record.poster_url) > 500:
        return "poster url longer than 500 characters"
    for offer in record.offers:
        if offer.provider not in PROVIDERS_BY_SLUG:
            return f"unknown provider {offer.provider!r}"
        if offer.offer_type not in _OFFER_TYPES:
            return f"unknown offer type {offer.offer_type!r}"
    return None


# -----------------------------------------------------------------------------
# Matching and upserting
# -----------------------------------------------------------------------------
@dataclass
class _Candidate:
    """A title as the matcher sees it: a database row or one created in this run."""

    title: Title
    keys: NameKeys
    directors: set[str]
    sources: set[str]
    is_new: bool = False
    changed_fields: set[str] = field(default_factory=set)
    # Renamed to names that normalise differently: its stored match keys are stale.
    keys_changed: bool = False


class _Merger:
    def __init__(
        self, *, source: str, fetched_at: datetime.datetime, today: datetime.date, report: IngestReport
    ) -> None:
        self.source = source
        self.fetched_at = fetched_at
        self.today = today
        self.report = report
        self.by_id: dict[int, _Candidate] = {}
        self.by_key: dict[str, list[_Candidate]] = defaultdict(list)
        self.by_tmdb: dict[tuple[str, int], _Candidate] = {}
        self.by_kobis: dict[str, _Candidate] = {}
        self.new: list[_Candidate] = []
        # Names seen in this run, normalised once: a renamed title usually takes the very
        # names of the record that renamed it.
        self.keys_by_names: dict[tuple[str, ...], NameKeys] = {}

    # -- orchestration --------------------------------------------------------
    def run(self, pending: list[tuple[SourceTitle, str]], existing: dict[str, SourceRecord]) -> None:
        keys = {record.external_id: self._keys_of(record) for record, _ in pending}
        self._load_candidates(pending, keys, existing)

        assigned: list[tuple[SourceTitle, str, _Candidate]] = []
        for record, payload_hash in pending:
            known = existing.get(record.external_id)
            candidate = self._resolve(record, keys[record.external_id], known)
            if candidate is None:
                candidate = self._create(record, keys[record.external_id])
            else:
                self._merge_fields(candidate, record)
            candidate.sources.add(self.source)
            assigned.append((record, payload_hash, candidate))

        self._write_titles()
        self._write_genres(assigned)
        self._write_people(assigned)
        source_records = self._write_source_records(assigned, existing)
        self._write_offers(assigned, source_records)

    # -- lookups ----------------------------------------------------------------
    def _load_candidates(
        self,
        pending: list[tuple[SourceTitle, str]],
        keys: dict[str, NameKeys],
        existing: dict[str, SourceRecord],
    ) -> None:
        title_ids = {sr.title_id for sr in existing.values() if sr.title_id is not None}
        tmdb_ids = {r.tmdb_id for r, _ in pending if r.tmdb_id is not None}
        kobis_codes = {r.kobis_code for r, _ in pending if r.kobis_code}
        all_keys = sorted({key for record_keys in keys.values() for key in record_keys.all})
        for chunk in _chunks(sorted(tmdb_ids), BATCH):
            title_ids.update(Title.objects.filter(any_of("tmdb_id", chunk)).values_list("id", flat=True))
        for chunk in _chunks(sorted(kobis_codes), BATCH):
            title_ids.update(Title.objects.filter(any_of("kobis_code", chunk)).values_list("id", flat=True))
        for chunk in _chunks(all_keys, BATCH):
            matched = TitleMatchKey.objects.filter(any_of("key", chunk))
            title_ids.update(matched.values_list("title_id", flat=True))

        ids = sorted(title_ids)
        directors: dict[int, set[str]] = defaultdict(set)
        sources: dict[int, set[str]] = defaultdict(set)
        for chunk in _chunks(ids, BATCH):
            for title_id, name in Credit.objects.filter(
                any_of("title_id", chunk), role=CreditRole.DIRECTOR
            ).values_list("title_id", "person__name"):
                directors[title_id].update(person_keys(name))
            records = SourceRecord.objects.filter(any_of("title_id", chunk))
            for title_id, source in records.values_list("title_id", "source").distinct():
                sources[title_id].add(source)
            for title in Title.objects.filter(any_of("id", chunk)).only(
                "id", "media_type", "tmdb_id", "kobis_code", *TITLE_FIELDS
            ):
                self._index(
                    _Candidate(
                        title=title,
                        keys=self._keys_of(title),
                        directors=directors[title.id],
                        sources=sources[title.id],
                    )
                )

    def _keys_of(self, obj: SourceTitle | Title) -> NameKeys:
        names = tuple(_names(obj))
        keys = self.keys_by_names.get(names)
        if keys is None:
            keys = self.keys_by_names[names] = name_keys(names)
        return keys

    def _index(self, candidate: _Candidate) -> None:
        title = candidate.title
        if title.id is not None:
            self.by_id[title.id] = candidate
        for key in candidate.keys.all:
            self.by_key[key].append(candidate)
        if title.tmdb_id is not None:
            self.by_tmdb[(title.media_type, title.tmdb_id)] = candidate
        if title.kobis_code:
            self.by_kobis[title.kobis_code] = candidate

    def _resolve(self, record: SourceTitle, keys: NameKeys, known: SourceRecord | None) -> _Candidate | None:
        # 1. Where this record went last time (an editor's merge or split sticks).
        if known is not None and known.title_id in self.by_id:
            return self.by_id[known.title_id]
        # 2. External ids.
        if record.tmdb_id is not None and (record.media_type, record.tmdb_id) in self.by_tmdb:
            return self.by_tmdb[(record.media_type, record.tmdb_id)]
        if record.kobis_code and record.kobis_code in self.by_kobis:
            return self.by_kobis[record.kobis_code]
        # 3. Normalised names and year ± 1, never across a remake.
        directors = _director_keys(record)
        seen: set[int] = set()
        matches: list[_Candidate] = []
        for key in keys.all:
            for candidate in self.by_key.get(key, ()):
                if id(candidate) in seen:
                    continue
                seen.add(id(candidate))
                if self._compatible(record, keys, directors, candidate):
                    matches.append(candidate)
        if not matches:
            return None
        if record.year is None:
            # No year to tell a remake from its original: only an unambiguous name will do.
            return matches[0] if len(matches) == 1 else None
        matches.sort(key=lambda c: (abs((c.title.year or record.year) - record.year), c.title.id or 1 << 62))
        return matches[0]

    @staticmethod
    def _compatible(record: SourceTitle, keys: NameKeys, directors: set[str], candidate: _Candidate) -> bool:
        title = candidate.title
        if title.media_type != record.media_type:
            return False
        if not years_compatible(record.year, title.year):
            return False
        if directors and candidate.directors and not directors & candidate.directors:
            return False  # same name, same years, other director: a remake
        if record.tmdb_id is not None and title.tmdb_id is not None and record.tmdb_id != title.tmdb_id:
            return False
        if record.kobis_code and title.kobis_code and record.kobis_code != title.kobis_code:
            return False
        return names_match(keys, candidate.keys)

    # -- titles -----------------------------------------------------------------
    def _create(self, record: SourceTitle, keys: NameKeys) -> _Candidate:
        values = _title_values(record)
        title = Title(media_type=record.media_type, search_index_dirty=True, **values)
        if record.tmdb_id is not None:
            title.tmdb_id = record.tmdb_id
        if record.kobis_code:
            title.kobis_code = record.kobis_code
        candidate = _Candidate(
            title=title,
            keys=keys,
            directors=_director_keys(record),
            sources=set(),
            is_new=True,
        )
        self.new.append(candidate)
        self._index(candidate)
        return candidate

    def _merge_fields(self, candidate: _Candidate, record: SourceTitle) -> None:
        title = candidate.title
        mine = SOURCE_PRIORITY.get(self.source, 0)
        others = max((SOURCE_PRIORITY.get(s, 0) for s in candidate.sources - {self.source}), default=-1)
        overrides = mine >= others and bool(candidate.sources)
        for name, value in _title_values(record).items():
            current = getattr(title, name)
            if value in ("", None) or value == current:
                continue
            if name == "age_rating" and value == AgeRating.UNKNOWN:
                continue
            if current in ("", None, AgeRating.UNKNOWN) or overrides:
                setattr(title, name, value)
                candidate.changed_fields.add(name)
        # External ids: only onto a title that has none, and only if no other title holds it.
        tmdb_key = (title.media_type, record.tmdb_id)
        if record.tmdb_id is not None and title.tmdb_id is None and tmdb_key not in self.by_tmdb:
            title.tmdb_id = record.tmdb_id
            candidate.changed_fields.add("tmdb_id")
            self.by_tmdb[tmdb_key] = candidate
        if record.kobis_code and not title.kobis_code and record.kobis_code not in self.by_kobis:
            title.kobis_code = record.kobis_code
            candidate.changed_fields.add("kobis_code")
            self.by_kobis[record.kobis_code] = candidate
        if candidate.changed_fields & set(_NAME_FIELDS):
            keys = self._keys_of(title)
            if keys != candidate.keys:
                # "Matrix, The" renamed "The Matrix" keeps its keys; only new keys are written.
                candidate.keys = keys
                candidate.keys_changed = True
                self._index(candidate)

    def _write_titles(self) -> None:
        new_titles = [c.title for c in self.new]
        _bulk_insert(Title, new_titles)
        changed = [c for c in self.by_id.values() if c.changed_fields and not c.is_new]
        fields_changed = sorted({f for c in changed for f in c.changed_fields} | {"search_index_dirty"})
        for candidate in changed:
            candidate.title.search_index_dirty = True
        _bulk_update(Title, [c.title for c in changed], fields_changed)

        key_rows: list[tuple[int, str, bool]] = []
        renamed = [c for c in changed if c.keys_changed]
        for chunk in _chunks([c.title.id for c in renamed], BATCH):
            TitleMatchKey.objects.filter(any_of("title_id", chunk)).delete()
        for candidate in self.new + renamed:
            key_rows += _key_rows(candidate.title.id, candidate.keys)
        _copy_rows(TitleMatchKey, ("title_id", "key", "is_main"), key_rows)
        for candidate in self.new:
            self.by_id[candidate.title.id] = candidate
        self.report.title_ids.update(c.title.id for c in self.new)
        self.report.title_ids.update(c.title.id for c in changed)
        self.report.poster_title_ids.update(c.title.id for c in self.new if c.title.poster_source_url)
        self.report.poster_title_ids.update(
            c.title.id for c in changed if "poster_source_url" in c.changed_fields
        )

    # -- genres and people ------------------------------------------------------
    def _write_genres(self, assigned: list[tuple[SourceTitle, str, _Candidate]]) -> None:
        wanted = {
            (candidate.title.id, slug)
            for record, _, candidate in assigned
            for slug in filter(None, map(genre_slug, record.genres))
        }
        if not wanted:
            return
        genre_ids = _genres_ensure({slug for _, slug in wanted})
        through = Title.genres.through
        rows = [(t, genre_ids[slug]) for t, slug in wanted]
        if _copy_rows(through, ("title_id", "genre_id"), rows):
            self.report.masks_touched(t for t, _ in wanted)

    def _write_people(self, assigned: list[tuple[SourceTitle, str, _Candidate]]) -> None:
        names = {p.name.strip() for record, _, _ in assigned for p in record.people if p.name.strip()}
        if not names:
            return
        person_ids: dict[str, int] = {}
        for chunk in _chunks(sorted(names), BATCH):
            for person_id, name in Person.objects.filter(any_of("name", chunk)).values_list("id", "name"):
                person_ids.setdefault(name, person_id)
        missing = [Person(name=name[:200]) for name in sorted(names) if name not in person_ids]
        _bulk_insert(Person, missing)
        person_ids.update({person.name: person.id for person in missing})
        credits = {}
        for record, _, candidate in assigned:
            for person in record.people:
                name = person.name.strip()
                if name and person.role in _CREDIT_ROLES:
                    key = (candidate.title.id, person_ids[name], person.role)
                    credits.setdefault(key, person.order)
        rows = [Credit(title_id=t, person_id=p, role=role, order=o) for (t, p, role), o in credits.items()]
        _bulk_insert(Credit, rows, ignore_conflicts=True)

    # -- provenance and offers --------------------------------------------------
    def _write_source_records(
        self, assigned: list[tuple[SourceTitle, str, _Candidate]], existing: dict[str, SourceRecord]
    ) -> dict[str, SourceRecord]:
        created: list[SourceRecord] = []
        updated: list[SourceRecord] = []
        for record, payload_hash, candidate in assigned:
            known = existing.get(record.external_id)
            if known is None:
                known = SourceRecord(
                    source=self.source,
                    external_id=record.external_id,
                    title_id=candidate.title.id,
                    payload_hash=payload_hash,
                    fetched_at=self.fetched_at,
                )
                created.append(known)
                existing[record.external_id] = known
            else:
                known.title_id = candidate.title.id
                known.payload_hash = payload_hash
                known.fetched_at = self.fetched_at
                updated.append(known)
        _bulk_insert(SourceRecord, created)
        _bulk_update(SourceRecord, updated, ["title", "payload_hash", "fetched_at"])
        # A title is new once, however many of this run's records it took in.
        self.report.new += len(self.new)
        self.report.updated += len(assigned) - len(self.new)
        return existing

    def _write_offers(
        self, assigned: list[tuple[SourceTitle, str, _Candidate]], source_records: dict[str, SourceRecord]
    ) -> None:
        provider_ids = _providers_ensure(
            {offer.provider for record, _, _ in assigned for offer in record.offers}
        )
        wanted: dict[tuple[int, int, str, str], tuple[str, datetime.date | None]] = {}
        links_wanted: dict[int, set[tuple[int, int, str, str]]] = {}
        for record, _, candidate in assigned:
            record_keys: set[tuple[int, int, str, str]] = set()
            for offer in record.offers:
                key = (candidate.title.id, provider_ids[offer.provider], offer.offer_type, offer.region)
                link, starts_on = wanted.get(key, ("", None))
                wanted[key] = (link or offer.link[:500], starts_on or offer.starts_on)
                record_keys.add(key)
            links_wanted[source_records[record.external_id].id] = record_keys

        availabilities = _availabilities_upsert(wanted, today=self.today, report=self.report)
        record_ids = sorted(links_wanted)
        current: set[tuple[int, int]] = set()
        for chunk in _chunks(record_ids, BATCH):
            current.update(
                SourceOffer.objects.filter(any_of("source_record_id", chunk)).values_list(
                    "source_record_id", "availability_id"
                )
            )
        desired = {
            (record_id, availabilities[key]) for record_id, keys in links_wanted.items() for key in keys
        }
        stale = current - desired
        _bulk_insert(
            SourceOffer,
            [SourceOffer(source_record_id=r, availability_id=a) for r, a in sorted(desired - current)],
            ignore_conflicts=True,
        )
        if stale:
            _links_remove(stale, today=self.today, report=self.report)


def _availabilities_upsert(
    wanted: dict[tuple[int, int, str, str], tuple[str, datetime.date | None]],
    *,
    today: datetime.date,
    report: IngestReport,
) -> dict[tuple[int, int, str, str], int]:
    """Create or reopen the wanted offers; returns their ids by (title, provider, offer, region)."""
    found: dict[tuple[int, int, str, str], Availability] = {}
    title_ids = sorted({key[0] for key in wanted})
    for chunk in _chunks(title_ids, BATCH):
        for availability in Availability.objects.filter(any_of("title_id", chunk)):
            key = (
                availability.title_id,
                availability.provider_id,
                availability.offer_type,
                availability.region,
            )
            if key in wanted:
                found[key] = availability
    create: list[Availability] = []
    update: list[Availability] = []
    reopened: list[Availability] = []
    for key, (link, starts_on) in wanted.items():
        availability = found.get(key)
        if availability is None:
            title_id, provider_id, offer_type, region = key
            availability = Availability(
                title_id=title_id,
                provider_id=provider_id,
                offer_type=offer_type,
                region=region,
                link=link,
                starts_on=starts_on,
                observed_on=today,
            )
            create.append(availability)
            found[key] = availability
            report.masks_touched([title_id])
            continue
        changed = False
        if availability.ends_on is not None:  # reported again: reopen
            availability.ends_on = None
            changed = True
            reopened.append(availability)
        if link and availability.link != link:
            availability.link = link
            changed = True
        if starts_on and availability.starts_on != starts_on:
            availability.starts_on = starts_on
            changed = True
        if changed:
            availability.observed_on = today
            update.append(availability)
            report.masks_touched([availability.title_id])
    _bulk_insert(Availability, create)
    _bulk_update(Availability, update, ["ends_on", "link", "starts_on", "observed_on"])
    report.opened_availability_ids.update(a.id for a in create)
    report.opened_availability_ids.update(a.id for a in reopened)
    return {key: availability.id for key, availability in found.items()}


def _links_remove(links: set[tuple[int, int]], *, today: datetime.date, report: IngestReport) -> int:
    """Drop (source record, availability) reports; close offers nobody reports any more."""
    by_record: dict[int, list[int]] = defaultdict(list)
    for record_id, availability_id in links:
        by_record[record_id].append(availability_id)
    for record_id, availability_ids in by_record.items():
        SourceOffer.objects.filter(source_record_id=record_id, availability_id__in=availability_ids).delete()
    affected = sorted({availability_id for _, availability_id in links})
    closed = 0
    for chunk in _chunks(affected, BATCH):
        orphans = Availability.objects.filter(any_of("id", chunk), ends_on__isnull=True).annotate(
            reports=Count("source_offers")
        )
        orphan_rows = list(orphans.filter(reports=0).values_list("id", "title_id"))
        if orphan_rows:
            Availability.objects.filter(id__in=[row[0] for row in orphan_rows]).update(
                ends_on=today, updated_at=timezone.now()
            )
            report.masks_touched(row[1] for row in orphan_rows)
            closed += len(orphan_rows)
    return closed


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
    for chunk in _chunks(withdrawn, BATCH):
        SourceRecord.objects.filter(any_of("id", chunk)).update(payload_hash="")
    return _links_remove(stale, today=today, report=report)


def _titles_touched(report: IngestReport) -> None:
    # A rename alone leaves the masks as they were: the benchmark's TMDB view renames
    # all 58,788 ggplot2 titles but brings offers to a fifth of them.
    title_masks_refresh(title_ids=report.mask_title_ids)
    ids = sorted(report.title_ids)
    for chunk in _chunks(ids, BATCH):
        Title.objects.filter(any_of("id", chunk), search_index_dirty=False).update(search_index_dirty=True)


# -----------------------------------------------------------------------------
# Reference rows: genres and providers, created on first sight with the next free bit
# -----------------------------------------------------------------------------
def _genres_ensure(slugs: set[str]) -> dict[str, int]:
    ids = dict(Genre.objects.filter(slug__in=slugs).values_list("slug", "id"))
    for slug in sorted(slugs - ids.keys()):
        info = GENRES_BY_SLUG[slug]
        genre = _with_next_bit(Genre, slug=slug, defaults={"name_ko": info.name_ko, "name_en": info.name_en})
        ids[slug] = genre.id
    return ids


def providers_ensure(*, slugs: Iterable[str]) -> dict[str, int]:
    """Provider ids by slug, creating Moochu's known providers that are missing."""
    return _providers_ensure(set(slugs))


def _providers_ensure(slugs: set[str]) -> dict[str, int]:
    if not slugs:
        return {}
    ids = dict(Provider.objects.filter(slug__in=slugs).values_list("slug", "id"))
    for slug in sorted(slugs - ids.keys()):
        info = PROVIDERS_BY_SLUG[slug]
        provider = _with_next_bit(
            Provider,
            slug=slug,
            defaults={
                "name": info.name,
                "name_ko": info.name_ko,
                "kind": info.kind,
                "color": info.color,
                "homepage": info.homepage,
                "tmdb_provider_id": (
                    info.tmdb_provider_id
                    if info.tmdb_provider_id
                    and not Provider.objects.filter(tmdb_provider_id=info.tmdb_provider_id).exists()
                    else None
                ),
            },
        )
        ids[slug] = provider.id
    return ids


def _with_next_bit(model: type[T], *, slug: str, defaults: dict[str, Any]) -> T:
    # Bits are positions in the catalog masks: assigned once, never reused. A
    # concurrent run may take the same bit; the savepoint lets us try the next one.
    for _attempt in range(5):
        highest = model.objects.aggregate(top=Max("bit"))["top"]  # type: ignore[attr-defined]
        bit = 0 if highest is None else highest + 1
        if bit >= MAX_MASK_BITS:
            raise RuntimeError(f"no free mask bit left for {model.__name__} {slug!r}")
        try:
            with transaction.atomic():
                obj, _ = model.objects.get_or_create(  # type: ignore[attr-defined]
                    slug=slug, defaults={**defaults, "bit": bit}
                )
                return obj
        except IntegrityError:
            continue
    raise RuntimeError(f"could not give {model.__name__} {slug!r} a mask bit")


# -----------------------------------------------------------------------------
# Small helpers
# -----------------------------------------------------------------------------
def _existing_source_records(source: str, external_ids: list[str]) -> dict[str, SourceRecord]:
    found: dict[str, SourceRecord] = {}
    # Tuples, not model instances: a re-run looks up every record it sees.
    for chunk in _chunks(sorted(set(external_ids)), BATCH):
        for pk, external_id, title_id, payload_hash, fetched_at in SourceRecord.objects.filter(
            any_of("external_id", chunk), source=source
        ).values_list("id", "external_id", "title_id", "payload_hash", "fetched_at"):
            record = SourceRecord(
                id=pk,
                source=source,
                external_id=external_id,
                title_id=title_id,
                payload_hash=payload_hash,
                fetched_at=fetched_at,
            )
            record._state.adding = False
            found[external_id] = record
    return found


def _title_values(record: SourceTitle) -> dict[str, Any]:
    return {
        "title_ko": record.title_ko.strip(),
        "title_en": record.title_en.strip(),
        "title_original": record.title_original.strip(),
        "year": record.year,
        "release_date": record.release_date,
        "runtime_minutes": record.runtime_minutes,
        "season_count": record.season_count,
        "episode_count": record.episode_count,
        "box_office_audience": record.box_office_audience,
        "age_rating": record.age_rating,
        "overview": record.overview.strip(),
        "poster_source_url": record.poster_url.strip(),
    }


def _director_keys(record: SourceTitle) -> set[str]:
    """Every spelling-insensitive key of the record's directors (see matching.person_keys)."""
    return {key for p in record.people if p.role == CreditRole.DIRECTOR for key in person_keys(p.name)}


def _names(obj: SourceTitle | Title) -> list[str]:
    return [getattr(obj, name) for name in _NAME_FIELDS if getattr(obj, name)]


def _key_rows(title_id: int, keys: NameKeys) -> list[tuple[int, str, bool]]:
    rows = [(title_id, key[:300], False) for key in keys.full]
    rows += [(title_id, key[:300], True) for key in keys.main]
    return rows


def _bulk_insert(model: type[Any], objs: Sequence[Any], *, ignore_conflicts: bool = False) -> None:
    """bulk_create, but through COPY on PostgreSQL (ids fetched first when rows need them).

    At 100,000 rows, psycopg spent most of bulk_create's time parsing the huge INSERT
    statements; COPY streams rows instead. ``ignore_conflicts`` goes through a temporary
    table and ``INSERT … ON CONFLICT DO NOTHING``.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000, ignore_conflicts=ignore_conflicts)
        return
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor: COPY is not part of the DB-API
        if not ignore_conflicts:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, raw.fetchall(), strict=True):
                obj.pk = new_id
            target, copy_columns = table, f'"{pk.column}", {columns}'
        else:
            raw.execute(f"CREATE TEMP TABLE _moochu_copy AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
            target, copy_columns = "_moochu_copy", columns
        values_of = _column_values(fields)
        with raw.copy(f"COPY {target} ({copy_columns}) FROM STDIN") as copy:
            for obj in objs:
                values = values_of(obj)
                copy.write_row(values if ignore_conflicts else [obj.pk, *values])
        if ignore_conflicts:
            raw.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _moochu_copy "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            raw.execute("DROP TABLE _moochu_copy")
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"


def _copy_rows(model: type[Any], field_names: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> int:
    """Insert plain tuples, skipping rows that already exist (no model instances built).

    Returns how many were inserted (on SQLite, how many were given).
    """
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(field_names, row, strict=True))) for row in rows],
            batch_size=1000,
            ignore_conflicts=True,
        )
        return len(rows)
    meta = model._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in field_names)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"CREATE TEMP TABLE _moochu_rows AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
        with raw.copy(f"COPY _moochu_rows ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _moochu_rows ON CONFLICT DO NOTHING"  # noqa: S608
        )
        inserted = raw.rowcount
        raw.execute("DROP TABLE _moochu_rows")
    return inserted


def _is_stamped(f: Any) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _column_values(fields: Sequence[Any]) -> Callable[[Any], list[Any]]:
    """A function giving an object's values of ``fields`` as COPY wants them.

    auto_now stamps are applied (one timestamp for the batch), enums unwrapped, JSON and
    file fields prepared. Built once per batch: asking every field of 60,000 titles what
    it is was a third of an import's COPY time.
    """
    now = timezone.now()
    names = [f.attname for f in fields]
    stamped = [f.attname for f in fields if _is_stamped(f)]
    choices = [i for i, f in enumerate(fields) if f.choices]
    prepared = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField | models.FileField)]
    get = operator.attrgetter(*names)

    def values_of(obj: Any) -> list[Any]:
        for name in stamped:
            setattr(obj, name, now)
        values = list(get(obj)) if len(names) > 1 else [get(obj)]
        for i in choices:
            if isinstance(values[i], enum.Enum):
                values[i] = values[i].value
        for i, f in prepared:
            values[i] = f.get_db_prep_save(values[i], connection)
        return values

    return values_of


def _bulk_update(model: type[Any], objs: Sequence[Any], fields: Sequence[str]) -> None:
    """bulk_update, but as COPY into a temporary table and one ``UPDATE … FROM`` on PostgreSQL.

    Django's bulk_update writes one CASE WHEN per field and row; for 50,000 titles that
    took minutes here.
    """
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if any(f.name == "updated_at" for f in meta.concrete_fields) and "updated_at" not in fields:
        # auto_now is not applied by bulk writes: stamp the rows ourselves.
        now = timezone.now()
        for obj in objs:
            obj.updated_at = now
        columns.append(meta.get_field("updated_at"))
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, [c.name for c in columns], batch_size=1000)
        return
    pk = meta.pk
    names = ", ".join([f'"{pk.column}"'] + [f'"{c.column}"' for c in columns])
    assignments = ", ".join(f'"{c.column}" = v."{c.column}"' for c in columns)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"CREATE TEMP TABLE _moochu_update AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
        values_of = _column_values(columns)
        with raw.copy(f"COPY _moochu_update ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *values_of(obj)])
        raw.execute(
            f"UPDATE {table} AS t SET {assignments} FROM _moochu_update AS v "  # noqa: S608
            f'WHERE t."{pk.column}" = v."{pk.column}"'
        )
        raw.execute("DROP TABLE _moochu_update")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _date_or_none(value: str | datetime.date | None) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


# -----------------------------------------------------------------------------
# Crawl runs: fetch one source, merge it, record the run, report a failure
# -----------------------------------------------------------------------------
def crawl_run_execute(
    *,
    source: str,
    client: PoliteClient | None = None,
    from_file: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    slack_transport: httpx.BaseTransport | None = None,
    resumes_lost_run: bool = False,
) -> CrawlRun:
    """Run one source end to end and record it as a CrawlRun.

    A run-level failure (format change, HTTP error, unknown source) is recorded as
    FAILED with nothing of it written, and posted to Slack when configured. Transient
    errors are re-raised after recording, so the calling task can retry.
    ``from_file`` replays a recording (an ``index.json``, see ReplayTransport).
    ``resumes_lost_run``: the caller holds the source's lock for a crawl whose worker
    died; the run it left "running" is closed as failed (its writes were rolled back).
    """
    if resumes_lost_run:
        _crawl_runs_interrupted_close(source=source)
    run = CrawlRun.objects.create(source=source, started_at=timezone.now())
    owns_client = client is None
    try:
        crawler = crawler_for(source)
        if hasattr(crawler, "known_ids") and crawler.known_ids is None:
            # A changes feed refreshes only what the catalog already has from this source.
            crawler.known_ids = set(
                SourceRecord.objects.filter(source=source).values_list("external_id", flat=True)
            )
        if client is None:
            transport = ReplayTransport(Path(from_file)) if from_file else None
            client = PoliteClient(transport=transport, min_interval=0.0 if from_file else None)
        result = crawler.crawl(client, progress=progress)
        # Titles loaded outside ingestion (the demo catalog, an admin add) get keys first.
        title_match_keys_backfill()
        report = source_records_ingest(
            source=source,
            records=result.records,
            seen_ids=result.seen_ids,
            complete=result.complete,
            fetched_at=run.started_at,
            raw_store=raw_store_get(),
        )
    except Exception as exc:
        _crawl_run_fail(run, exc, slack_transport=slack_transport)
        if isinstance(exc, TransientSourceError) or not isinstance(exc, CrawlError | KeyError | OSError):
            raise
        return run
    finally:
        if owns_client and client is not None:
            client.close()

    errors = [e.as_dict() for e in result.errors] + [e.as_dict() for e in report.errors]
    failed = result.failed + report.failed
    run.status = CrawlRunStatus.PARTIAL if failed else CrawlRunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.new_count, run.updated_count, run.unchanged_count = report.new, report.updated, report.unchanged
    run.failed_count, run.closed_count, run.errors = failed, report.closed, errors
    run.complete = result.complete
    run.opened_count = len(report.opened_availability_ids)
    run.alert = crawl_run_suspicion(run=run)
    run.save()
    logger.info(
        "crawl %s: %s new, %s updated, %s unchanged, %s failed, %s closed, %s opened",
        source,
        report.new,
        report.updated,
        report.unchanged,
        failed,
        report.closed,
        run.opened_count,
    )
    if run.alert:
        logger.error("crawl %s needs attention: %s", source, run.alert)
        crawl_run_alert_notify(run=run, transport=slack_transport)
    # Saved answers may be months old: a replay fills the catalog but alerts nobody.
    if report.opened_availability_ids and not from_file:
        opened = sorted(report.opened_availability_ids)
        transaction.on_commit(lambda: offers_opened_announce(availability_ids=opened, run_id=run.pk))
    # A replayed recording never reaches the network, posters included.
    if report.poster_title_ids and not from_file:
        poster_ids = sorted(report.poster_title_ids)
        transaction.on_commit(lambda: _posters_enqueue(poster_ids))
    return run


# A run listing fewer than this share of the records of the source's last good run
# is a sudden drop (a half-loaded page, a quietly narrowed API), worth a look.
SUDDEN_DROP_RATIO = 0.5
# Below this many records a drop says little (a small festival list).
SUDDEN_DROP_MIN_RECORDS = 10


def crawl_run_suspicion(*, run: CrawlRun) -> str:
    """Why a finished run looks wrong, or "" (0 records, most failing, a sudden drop)."""
    records = run.new_count + run.updated_count + run.unchanged_count
    if records == 0:
        return f"no records ({run.failed_count} failed)"
    if run.failed_count > records:
        return f"most records failed ({run.failed_count} failed, {records} read)"
    previous = (
        CrawlRun.objects.filter(
            source=run.source, status__in=[CrawlRunStatus.SUCCEEDED, CrawlRunStatus.PARTIAL]
        )
        .exclude(pk=run.pk)
        .order_by("-started_at", "-id")
        .values_list("new_count", "updated_count", "unchanged_count")
        .first()
    )
    if previous is not None:
        before = sum(previous)
        if before >= SUDDEN_DROP_MIN_RECORDS and records < before * SUDDEN_DROP_RATIO:
            return f"sudden drop: {records} records, the last run read {before}"
    return ""


def _posters_enqueue(title_ids: list[int]) -> None:
    from apps.movies.tasks import title_poster_copy_task

    for title_id in title_ids:
        try:
            title_poster_copy_task.delay(title_id)
        except Exception:
            # Eager Celery (the embedded default) runs the copy inline: its failure
            # must not fail the crawl that already committed.
            logger.warning("poster copy of title %s failed", title_id, exc_info=True)


def _crawl_runs_interrupted_close(*, source: str) -> int:
    """Close the runs of ``source`` a lost worker left running (call holding its lock)."""
    message = "interrupted: the worker running it was lost; the crawl ran again"
    return CrawlRun.objects.filter(source=source, status=CrawlRunStatus.RUNNING).update(
        status=CrawlRunStatus.FAILED,
        finished_at=timezone.now(),
        errors=[{"external_id": None, "message": message, "level": "error"}],
        alert=message,
    )


def _crawl_run_fail(run: CrawlRun, exc: Exception, *, slack_transport: httpx.BaseTransport | None) -> None:
    message = str(exc) or type(exc).__name__
    logger.error("crawl %s failed: %s", run.source, message)
    run.status = CrawlRunStatus.FAILED
    run.finished_at = timezone.now()
    run.errors = [{"external_id": None, "message": message, "level": "error"}]
    run.alert = f"failed: {message}"[:300]
    run.save(update_fields=["status", "finished_at", "errors", "alert"])
    crawl_run_alert_notify(run=run, transport=slack_transport)


def offers_opened_announce(*, availability_ids: list[int], run_id: int | None = None) -> None:
    """Tell the apps that listen (watchlist alerts) which offers a run opened. Never raises:
    the run is committed; a listener's failure is logged, not the crawl's."""
    from apps.movies.hooks import offers_opened_listeners

    for listener in offers_opened_listeners():
        try:
            listener(availability_ids=availability_ids, run_id=run_id)
        except Exception:
            logger.exception("offers-opened listener %r failed", listener)


def crawl_run_alert_notify(*, run: CrawlRun, transport: httpx.BaseTransport | None = None) -> bool:
    """Post a failed or suspicious run to the Slack webhook, if one is configured. Never raises."""
    url = settings.SLACK_WEBHOOK_URL
    if not url:
        return False
    if run.status == CrawlRunStatus.FAILED:
        message = run.errors[0]["message"] if run.errors else "unknown error"
        text = f":warning: Moochu crawl of *{run.source}* failed (run {run.pk}): {message}"
    else:
        text = f":warning: Moochu crawl of *{run.source}* looks wrong (run {run.pk}): {run.alert}"
    try:
        with httpx.Client(transport=transport, timeout=10.0) as client:
            client.post(url, json={"text": text}).raise_for_status()
    except httpx.HTTPError as exc:
        logger.warning("could not post crawl alert to Slack: %s", exc)
        return False
    return True


# -----------------------------------------------------------------------------
# Posters: copied once into our storage; a failure never blocks the title
# -----------------------------------------------------------------------------
_IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def title_poster_copy(*, title_id: int, client: PoliteClient | None = None) -> bool:
    """Copy a title's poster from its source URL into default storage, once.

    Returns True when a poster was stored. Bad answers (4xx, not an image, too large)
    are logged and skipped; TransientSourceError propagates so the task can retry.
    """
    title = Title.objects.filter(id=title_id).only("id", "poster", "poster_source_url").first()
    if title is None or title.poster or not title.poster_source_url:
        return False
    owns_client = client is None
    client = client or PoliteClient()
    try:
        content = client.get(title.poster_source_url).content
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            extension = _IMAGE_EXTENSIONS.get(image.format or "")
        if extension is None:
            raise RecordParseError("poster is not a JPEG, PNG, WebP or GIF image")
    except TransientSourceError:
        raise
    except (CrawlError, RecordParseError, UnidentifiedImageError, OSError) as exc:
        logger.warning("poster of title %s not copied from %s: %s", title_id, title.poster_source_url, exc)
        return False
    finally:
        if owns_client:
            client.close()
    digest = hashlib.sha256(title.poster_source_url.encode()).hexdigest()[:12]
    name = default_storage.save(f"posters/{title_id}-{digest}.{extension}", ContentFile(content))
    # Guarded on an empty poster: a concurrent copy that won keeps its file.
    updated = Title.objects.filter(id=title_id, poster="").update(poster=name, search_index_dirty=True)
    if not updated:
        default_storage.delete(name)
    return bool(updated)


# -----------------------------------------------------------------------------
# Editors: merge duplicates, split a wrongly merged title
# -----------------------------------------------------------------------------
_MOVED_IDS = ("movielens_id", "tmdb_id", "kobis_code")


def title_merge(*, target_id: int, other_ids: Iterable[int]) -> Title:
    """Fold ``other_ids`` into ``target_id``: provenance, offers, genres, credits and every
    row elsewhere that points at them move over; blank fields of the target are filled."""
    other_ids = sorted(set(other_ids) - {target_id})
    with transaction.atomic():
        target = Title.objects.select_for_update().get(id=target_id)
        others = list(Title.objects.select_for_update().filter(id__in=other_ids).order_by("id"))
        if len(others) != len(other_ids):
            raise ApplicationError("Some titles to merge no longer exist.", {"title_ids": other_ids})
        for other in others:
            _title_fold(target=target, other=other)
        target.search_index_dirty = True
        target.full_clean(validate_unique=False, validate_constraints=False)
        target.save()
        title_match_keys_refresh(title_ids=[target.id])
        title_masks_refresh(title_ids=[target.id])
    return target


def _title_fold(*, target: Title, other: Title) -> None:
    for name in TITLE_FIELDS:
        if getattr(target, name) in ("", None, AgeRating.UNKNOWN) and getattr(other, name) not in ("", None):
            setattr(target, name, getattr(other, name))
    moved_ids = {
        name: getattr(other, name)
        for name in _MOVED_IDS
        if getattr(target, name) in ("", None) and getattr(other, name) not in ("", None)
    }
    if moved_ids:  # unique columns: free them on the other title first
        Title.objects.filter(id=other.id).update(**dict.fromkeys(moved_ids))
        for name, value in moved_ids.items():
            setattr(target, name, value)

    SourceRecord.objects.filter(title=other).update(title=target)
    target_offers = {
        (a.provider_id, a.offer_type, a.region): a for a in Availability.objects.filter(title=target)
    }
    for availability in Availability.objects.filter(title=other):
        twin = target_offers.get((availability.provider_id, availability.offer_type, availability.region))
        if twin is None:
            Availability.objects.filter(id=availability.id).update(title=target)
            continue
        SourceOffer.objects.bulk_create(
            [
                SourceOffer(source_record_id=record_id, availability=twin)
                for record_id in availability.source_offers.values_list("source_record_id", flat=True)
            ],
            ignore_conflicts=True,
        )
        if availability.ends_on is None and twin.ends_on is not None:
            Availability.objects.filter(id=twin.id).update(ends_on=None)
        availability.delete()
    through = Title.genres.through
    through.objects.bulk_create(
        [through(title_id=target.id, genre_id=g) for g in other.genres.values_list("id", flat=True)],
        ignore_conflicts=True,
    )
    Credit.objects.bulk_create(
        [
            Credit(title=target, person_id=c.person_id, role=c.role, character=c.character, order=c.order)
            for c in Credit.objects.filter(title=other)
        ],
        ignore_conflicts=True,
    )
    _related_rows_repoint(target=target, other=other)
    other.delete()


def _related_rows_repoint(*, target: Title, other: Title) -> None:
    """Point rows of other apps (ratings, watchlists, rooms …) at the surviving title.

    A row that would duplicate one the target already has (a user rated both) stays
    with the other title and goes with it: the target's row wins.
    """
    handled = {Availability, SourceRecord, Credit, TitleMatchKey, Title.genres.through, Title.people.through}
    for relation in Title._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if model in handled:
            continue
        field_name = relation.field.name
        rows = model._base_manager.filter(**{field_name: other})
        try:
            with transaction.atomic():
                rows.update(**{field_name: target})
        except IntegrityError:
            for pk in rows.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{field_name: target})
                except IntegrityError:
                    continue


def title_split(*, source_record_ids: Iterable[int]) -> Title:
    """Move the given source records (all of one title) to a new title built from their
    newest stored payload, with the offers only they report. Later crawls keep them there."""
    ids = sorted(set(source_record_ids))
    with transaction.atomic():
        records = list(SourceRecord.objects.select_for_update().filter(id__in=ids).order_by("id"))
        title_ids = {record.title_id for record in records}
        if len(records) != len(ids) or len(title_ids) != 1 or None in title_ids:
            raise ApplicationError("Pick source records that all belong to one title.", {"ids": ids})
        original = Title.objects.select_for_update().get(id=title_ids.pop())
        if SourceRecord.objects.filter(title=original).exclude(id__in=ids).count() == 0:
            raise ApplicationError("A title cannot be split from all of its source records.", {"ids": ids})

        store = raw_store_get()
        payloads = [store.latest(source=r.source, external_id=r.external_id) for r in records]
        found = [record_from_payload(p) for p in payloads if p]
        if not found:
            raise ApplicationError("No stored payload for these records; re-crawl the source first.")
        first = found[0]
        title = Title(media_type=first.media_type, search_index_dirty=True, **_title_values(first))
        if title.year is None and title.release_date is not None:
            title.year = title.release_date.year
        for name in ("tmdb_id", "kobis_code"):
            value = next((getattr(r, name) for r in found if getattr(r, name)), None)
            if value and getattr(original, name) == value:
                Title.objects.filter(id=original.id).update(**{name: None})
                setattr(title, name, value)
            elif value and not Title.objects.filter(**{name: value}).exists():
                setattr(title, name, value)
        title.full_clean(validate_unique=False, validate_constraints=False)
        title.save()
        SourceRecord.objects.filter(id__in=ids).update(title=title)

        _offers_split(original=original, title=title, record_ids=ids)
        slugs = {slug for r in found for slug in filter(None, map(genre_slug, r.genres))}
        if slugs:
            title.genres.add(*_genres_ensure(slugs).values())
        for record in found:
            for person in record.people:
                person_obj = Person.objects.filter(name=person.name).first() or Person.objects.create(
                    name=person.name[:200]
                )
                Credit.objects.get_or_create(
                    title=title, person=person_obj, role=person.role, defaults={"order": person.order}
                )
        Title.objects.filter(id=original.id).update(search_index_dirty=True)
        title_match_keys_refresh(title_ids=[original.id, title.id])
        title_masks_refresh(title_ids=[original.id, title.id])
    return title


def _offers_split(*, original: Title, title: Title, record_ids: list[int]) -> None:
    moved_links = SourceOffer.objects.filter(source_record_id__in=record_ids).select_related("availability")
    copies: dict[tuple[int, str, str], Availability] = {}
    for link in moved_links:
        availability = link.availability
        key = (availability.provider_id, availability.offer_type, availability.region)
        shared = availability.source_offers.exclude(source_record_id__in=record_ids).exists()
        if not shared and key not in copies:
            Availability.objects.filter(id=availability.id).update(title=title)
            copies[key] = availability
            continue
        copy = copies.get(key)
        if copy is None:
            copy = Availability.objects.create(
                title=title,
                provider_id=availability.provider_id,
                offer_type=availability.offer_type,
                region=availability.region,
                link=availability.link,
                starts_on=availability.starts_on,
                ends_on=availability.ends_on,
                observed_on=availability.observed_on,
            )
            copies[key] = copy
        if copy.id != availability.id:
            SourceOffer.objects.filter(id=link.id).update(availability=copy)
