"""The merger: one source's new or changed records matched to titles and written in bulk.

A record finds its title by where it went last time, then by external ids (TMDB, KOBIS),
then by normalised names with year ± 1 and compatible directors (apps.movies.matching).
Titles, genres, people, provenance (SourceRecord) and offers are then written set-based
(apps.movies.services.bulk). Called by the pipeline (ingestion.pipeline) inside its
transaction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

from django.db import IntegrityError
from django.db import transaction
from django.db.models import Count
from django.db.models import Max
from django.utils import timezone

from apps.movies.crawlers.base import RecordError
from apps.movies.crawlers.base import SourceTitle
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
from apps.movies.services.bulk import BATCH
from apps.movies.services.bulk import TITLE_FIELDS
from apps.movies.services.bulk import bulk_insert
from apps.movies.services.bulk import bulk_update
from apps.movies.services.bulk import chunks
from apps.movies.services.bulk import rows_insert

if TYPE_CHECKING:
    pass


T = TypeVar("T")

# Which source wins when two disagree on a field already set (blank fields are always
# filled). The film council's register is authoritative for Korean releases.
SOURCE_PRIORITY: dict[str, int] = {"kobis": 50, "tmdb": 40, "megabox": 30, "cgv": 30, "lotte": 20, "daum": 10}

NAME_FIELDS = ("title_ko", "title_en", "title_original")
MAX_NAME = 300
# Django builds a choices enum's .values list on every access: once per record added up.
MEDIA_TYPES = frozenset(MediaType.values)
AGE_RATINGS = frozenset(AgeRating.values)
OFFER_TYPES = frozenset(OfferType.values)
CREDIT_ROLES = frozenset(CreditRole.values)


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
# Matching and upserting
# -----------------------------------------------------------------------------
@dataclass
class Candidate:
    """A title as the matcher sees it: a database row or one created in this run."""

    title: Title
    keys: NameKeys
    directors: set[str]
    sources: set[str]
    is_new: bool = False
    changed_fields: set[str] = field(default_factory=set)
    # Renamed to names that normalise differently: its stored match keys are stale.
    keys_changed: bool = False


class Merger:
    def __init__(
        self, *, source: str, fetched_at: datetime.datetime, today: datetime.date, report: IngestReport
    ) -> None:
        self.source = source
        self.fetched_at = fetched_at
        self.today = today
        self.report = report
        self.by_id: dict[int, Candidate] = {}
        self.by_key: dict[str, list[Candidate]] = defaultdict(list)
        self.by_tmdb: dict[tuple[str, int], Candidate] = {}
        self.by_kobis: dict[str, Candidate] = {}
        self.new: list[Candidate] = []
        # Names seen in this run, normalised once: a renamed title usually takes the very
        # names of the record that renamed it.
        self.keys_by_names: dict[tuple[str, ...], NameKeys] = {}

    # -- orchestration --------------------------------------------------------
    def run(self, pending: list[tuple[SourceTitle, str]], existing: dict[str, SourceRecord]) -> None:
        keys = {record.external_id: self._keys_of(record) for record, _ in pending}
        self._load_candidates(pending, keys, existing)

        assigned: list[tuple[SourceTitle, str, Candidate]] = []
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
        for id_chunk in chunks(sorted(tmdb_ids), BATCH):
            title_ids.update(Title.objects.filter(any_of("tmdb_id", id_chunk)).values_list("id", flat=True))
        for code_chunk in chunks(sorted(kobis_codes), BATCH):
            title_ids.update(
                Title.objects.filter(any_of("kobis_code", code_chunk)).values_list("id", flat=True)
            )
        for key_chunk in chunks(all_keys, BATCH):
            matched = TitleMatchKey.objects.filter(any_of("key", key_chunk))
            title_ids.update(matched.values_list("title_id", flat=True))

        ids = sorted(title_ids)
        directors: dict[int, set[str]] = defaultdict(set)
        sources: dict[int, set[str]] = defaultdict(set)
        for chunk in chunks(ids, BATCH):
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
                    Candidate(
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

    def _index(self, candidate: Candidate) -> None:
        title = candidate.title
        if title.id is not None:
            self.by_id[title.id] = candidate
        for key in candidate.keys.all:
            self.by_key[key].append(candidate)
        if title.tmdb_id is not None:
            self.by_tmdb[(title.media_type, title.tmdb_id)] = candidate
        if title.kobis_code:
            self.by_kobis[title.kobis_code] = candidate

    def _resolve(self, record: SourceTitle, keys: NameKeys, known: SourceRecord | None) -> Candidate | None:
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
        matches: list[Candidate] = []
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
        year = record.year
        matches.sort(key=lambda c: (abs((c.title.year or year) - year), c.title.id or 1 << 62))
        return matches[0]

    @staticmethod
    def _compatible(record: SourceTitle, keys: NameKeys, directors: set[str], candidate: Candidate) -> bool:
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
    def _create(self, record: SourceTitle, keys: NameKeys) -> Candidate:
        values = title_values(record)
        title = Title(media_type=record.media_type, search_index_dirty=True, **values)
        if record.tmdb_id is not None:
            title.tmdb_id = record.tmdb_id
        if record.kobis_code:
            title.kobis_code = record.kobis_code
        candidate = Candidate(
            title=title,
            keys=keys,
            directors=_director_keys(record),
            sources=set(),
            is_new=True,
        )
        self.new.append(candidate)
        self._index(candidate)
        return candidate

    def _merge_fields(self, candidate: Candidate, record: SourceTitle) -> None:
        title = candidate.title
        mine = SOURCE_PRIORITY.get(self.source, 0)
        others = max((SOURCE_PRIORITY.get(s, 0) for s in candidate.sources - {self.source}), default=-1)
        overrides = mine >= others and bool(candidate.sources)
        for name, value in title_values(record).items():
            current = getattr(title, name)
            if value in ("", None) or value == current:
                continue
            if name == "age_rating" and value == AgeRating.UNKNOWN:
                continue
            if current in ("", None, AgeRating.UNKNOWN) or overrides:
                setattr(title, name, value)
                candidate.changed_fields.add(name)
        # External ids: only onto a title that has none, and only if no other title holds it.
        tmdb_key = (title.media_type, record.tmdb_id) if record.tmdb_id is not None else None
        if tmdb_key is not None and title.tmdb_id is None and tmdb_key not in self.by_tmdb:
            title.tmdb_id = record.tmdb_id
            candidate.changed_fields.add("tmdb_id")
            self.by_tmdb[tmdb_key] = candidate
        if record.kobis_code and not title.kobis_code and record.kobis_code not in self.by_kobis:
            title.kobis_code = record.kobis_code
            candidate.changed_fields.add("kobis_code")
            self.by_kobis[record.kobis_code] = candidate
        if candidate.changed_fields & set(NAME_FIELDS):
            keys = self._keys_of(title)
            if keys != candidate.keys:
                # "Matrix, The" renamed "The Matrix" keeps its keys; only new keys are written.
                candidate.keys = keys
                candidate.keys_changed = True
                self._index(candidate)

    def _write_titles(self) -> None:
        new_titles = [c.title for c in self.new]
        bulk_insert(Title, new_titles)
        changed = [c for c in self.by_id.values() if c.changed_fields and not c.is_new]
        fields_changed = sorted({f for c in changed for f in c.changed_fields} | {"search_index_dirty"})
        for candidate in changed:
            candidate.title.search_index_dirty = True
        bulk_update(Title, [c.title for c in changed], fields_changed)

        key_rows: list[tuple[int, str, bool]] = []
        renamed = [c for c in changed if c.keys_changed]
        for chunk in chunks([c.title.id for c in renamed], BATCH):
            TitleMatchKey.objects.filter(any_of("title_id", chunk)).delete()
        for candidate in self.new + renamed:
            key_rows += match_key_rows(candidate.title.id, candidate.keys)
        rows_insert(TitleMatchKey, ("title_id", "key", "is_main"), key_rows, skip_existing=True)
        for candidate in self.new:
            self.by_id[candidate.title.id] = candidate
        self.report.title_ids.update(c.title.id for c in self.new)
        self.report.title_ids.update(c.title.id for c in changed)
        self.report.poster_title_ids.update(c.title.id for c in self.new if c.title.poster_source_url)
        self.report.poster_title_ids.update(
            c.title.id for c in changed if "poster_source_url" in c.changed_fields
        )

    # -- genres and people ------------------------------------------------------
    def _write_genres(self, assigned: list[tuple[SourceTitle, str, Candidate]]) -> None:
        wanted = {
            (candidate.title.id, slug)
            for record, _, candidate in assigned
            for slug in filter(None, map(genre_slug, record.genres))
        }
        if not wanted:
            return
        genre_ids = genres_ensure({slug for _, slug in wanted})
        through = Title.genres.through
        rows = [(t, genre_ids[slug]) for t, slug in wanted]
        if rows_insert(through, ("title_id", "genre_id"), rows, skip_existing=True):
            self.report.masks_touched(t for t, _ in wanted)

    def _write_people(self, assigned: list[tuple[SourceTitle, str, Candidate]]) -> None:
        names = {p.name.strip() for record, _, _ in assigned for p in record.people if p.name.strip()}
        if not names:
            return
        person_ids: dict[str, int] = {}
        for chunk in chunks(sorted(names), BATCH):
            for person_id, name in Person.objects.filter(any_of("name", chunk)).values_list("id", "name"):
                person_ids.setdefault(name, person_id)
        missing = [Person(name=name[:200]) for name in sorted(names) if name not in person_ids]
        bulk_insert(Person, missing)
        person_ids.update({person.name: person.id for person in missing})
        credits: dict[tuple[int, int, str], int] = {}
        for record, _, candidate in assigned:
            for person in record.people:
                name = person.name.strip()
                if name and person.role in CREDIT_ROLES:
                    key = (candidate.title.id, person_ids[name], person.role)
                    credits.setdefault(key, person.order)
        rows = [Credit(title_id=t, person_id=p, role=role, order=o) for (t, p, role), o in credits.items()]
        bulk_insert(Credit, rows, ignore_conflicts=True)

    # -- provenance and offers --------------------------------------------------
    def _write_source_records(
        self, assigned: list[tuple[SourceTitle, str, Candidate]], existing: dict[str, SourceRecord]
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
        bulk_insert(SourceRecord, created)
        bulk_update(SourceRecord, updated, ["title", "payload_hash", "fetched_at"])
        # A title is new once, however many of this run's records it took in.
        self.report.new += len(self.new)
        self.report.updated += len(assigned) - len(self.new)
        return existing

    def _write_offers(
        self, assigned: list[tuple[SourceTitle, str, Candidate]], source_records: dict[str, SourceRecord]
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

        availabilities = availabilities_upsert(wanted, today=self.today, report=self.report)
        record_ids = sorted(links_wanted)
        current: set[tuple[int, int]] = set()
        for chunk in chunks(record_ids, BATCH):
            current.update(
                SourceOffer.objects.filter(any_of("source_record_id", chunk)).values_list(
                    "source_record_id", "availability_id"
                )
            )
        desired = {
            (record_id, availabilities[key]) for record_id, keys in links_wanted.items() for key in keys
        }
        stale = current - desired
        bulk_insert(
            SourceOffer,
            [SourceOffer(source_record_id=r, availability_id=a) for r, a in sorted(desired - current)],
            ignore_conflicts=True,
        )
        if stale:
            links_remove(stale, today=self.today, report=self.report)


def availabilities_upsert(
    wanted: dict[tuple[int, int, str, str], tuple[str, datetime.date | None]],
    *,
    today: datetime.date,
    report: IngestReport,
) -> dict[tuple[int, int, str, str], int]:
    """Create or reopen the wanted offers; returns their ids by (title, provider, offer, region)."""
    found: dict[tuple[int, int, str, str], Availability] = {}
    title_ids = sorted({key[0] for key in wanted})
    for chunk in chunks(title_ids, BATCH):
        for offer in Availability.objects.filter(any_of("title_id", chunk)):
            key = (offer.title_id, offer.provider_id, offer.offer_type, offer.region)
            if key in wanted:
                found[key] = offer
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
    bulk_insert(Availability, create)
    bulk_update(Availability, update, ["ends_on", "link", "starts_on", "observed_on"])
    report.opened_availability_ids.update(a.id for a in create)
    report.opened_availability_ids.update(a.id for a in reopened)
    return {key: availability.id for key, availability in found.items()}


def links_remove(links: set[tuple[int, int]], *, today: datetime.date, report: IngestReport) -> int:
    """Drop (source record, availability) reports; close offers nobody reports any more."""
    by_record: dict[int, list[int]] = defaultdict(list)
    for record_id, availability_id in links:
        by_record[record_id].append(availability_id)
    for record_id, availability_ids in by_record.items():
        SourceOffer.objects.filter(source_record_id=record_id, availability_id__in=availability_ids).delete()
    affected = sorted({availability_id for _, availability_id in links})
    closed = 0
    for chunk in chunks(affected, BATCH):
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


# -----------------------------------------------------------------------------
# Reference rows: genres and providers, created on first sight with the next free bit
# -----------------------------------------------------------------------------
def genres_ensure(slugs: set[str]) -> dict[str, int]:
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
def existing_source_records(source: str, external_ids: list[str]) -> dict[str, SourceRecord]:
    found: dict[str, SourceRecord] = {}
    # Tuples, not model instances: a re-run looks up every record it sees.
    for chunk in chunks(sorted(set(external_ids)), BATCH):
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


def title_values(record: SourceTitle) -> dict[str, Any]:
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
    return [getattr(obj, name) for name in NAME_FIELDS if getattr(obj, name)]


def match_key_rows(title_id: int, keys: NameKeys) -> list[tuple[int, str, bool]]:
    rows = [(title_id, key[:300], False) for key in keys.full]
    rows += [(title_id, key[:300], True) for key in keys.main]
    return rows
