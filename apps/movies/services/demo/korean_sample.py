"""The curated Korean sample (apps/movies/data/korean_sample.json): validated, then upserted."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils import translation
from rest_framework import serializers
from tqdm import tqdm

from apps.movies.models import AgeRating
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Genre
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.bulk import BATCH
from apps.movies.services.bulk import TITLE_FIELDS
from apps.movies.services.bulk import payload_hash
from apps.movies.services.demo.base import KOREAN_SAMPLE_SOURCE
from apps.movies.services.demo.base import OFFERS_BY_KIND
from apps.movies.services.demo.base import REGION
from apps.movies.services.demo.base import DemoDataError
from apps.movies.services.demo.base import DemoLoadResult
from apps.movies.services.demo.base import StrictSerializer
from apps.movies.services.demo.base import flatten_errors


class _PersonField(serializers.Field):
    """A person as ``"봉준호"`` or ``{"name": "이병헌", "name_en": "Lee Byung-hun"}``.

    ``name_en`` tells apart people who share a Korean name (the actor and the director 이병헌).
    """

    default_error_messages = {
        "invalid": "expected a name or an object with 'name' and optional 'name_en' (200 characters at most)"
    }

    def to_internal_value(self, data: Any) -> tuple[str, str]:
        if isinstance(data, str):
            name, name_en = data.strip(), ""
        elif isinstance(data, dict) and set(data) <= {"name", "name_en"}:
            name, name_en = str(data.get("name", "")).strip(), str(data.get("name_en", "")).strip()
        else:
            self.fail("invalid")
        if not name or len(name) > 200 or len(name_en) > 200:
            self.fail("invalid")
        return name, name_en

    def to_representation(self, value: tuple[str, str]) -> Any:
        return {"name": value[0], "name_en": value[1]}


class _OfferEntry(StrictSerializer):
    provider = serializers.CharField()
    offer = serializers.ChoiceField(choices=OfferType.values)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    # Cinema runs carry the day they were observed; streaming offers the file's snapshot date.
    observed_on = serializers.DateField(required=False, allow_null=True, default=None)
    link = serializers.URLField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kinds: dict[str, str] = self.context["provider_kinds"]
        if attrs["provider"] not in kinds:
            raise serializers.ValidationError({"provider": [f"unknown provider '{attrs['provider']}'"]})
        kind = kinds[attrs["provider"]]
        if attrs["offer"] not in OFFERS_BY_KIND[kind]:
            allowed = ", ".join(sorted(OFFERS_BY_KIND[kind]))
            with translation.override("en"):  # the whole message is English
                label = str(ProviderKind(kind).label).lower()
            message = f"'{attrs['offer']}' is not an offer of a {label} ({allowed})"
            raise serializers.ValidationError({"offer": [message]})
        return attrs


class KoreanSampleRecordSerializer(StrictSerializer):
    key = serializers.SlugField(max_length=100)
    media_type = serializers.ChoiceField(choices=MediaType.values)
    title_ko = serializers.CharField(max_length=300)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    title_original = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    release_date = serializers.DateField(required=False, allow_null=True, default=None)
    runtime_minutes = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True, default=None
    )
    age_rating = serializers.ChoiceField(choices=AgeRating.values, required=False, default=AgeRating.UNKNOWN)
    genres = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    directors = serializers.ListField(child=_PersonField(), required=False, default=list)
    cast = serializers.ListField(child=_PersonField(), required=False, default=list, max_length=6)
    overview = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    availability = serializers.ListField(child=_OfferEntry(), required=False, default=list)

    def validate_genres(self, value: list[str]) -> list[str]:
        unknown = [slug for slug in value if slug not in self.context["genre_slugs"]]
        if unknown:
            raise serializers.ValidationError(f"unknown genre {', '.join(map(repr, unknown))}")
        if len(set(value)) != len(value):
            raise serializers.ValidationError("a genre is listed twice")
        return value

    def validate_availability(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = [(offer["provider"], offer["offer"]) for offer in value]
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError("the same provider and offer are listed twice")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        release = attrs["release_date"]
        # Korean releases may trail the festival/production year by one (미나리: 2020 → 2021).
        if release and not 0 <= release.year - attrs["year"] <= 1:
            raise serializers.ValidationError(
                {"release_date": [f"{release} does not fit year {attrs['year']}"]}
            )
        return attrs


def korean_sample_read(
    *, path: Path, genre_slugs: set[str], provider_kinds: dict[str, str]
) -> list[dict[str, Any]]:
    """Parse and validate the whole sample file; raises ``DemoDataError`` naming each bad field."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoDataError(f"Cannot read the Korean sample {path}: {exc}") from exc
    except ValueError as exc:
        raise DemoDataError(f"{path.name} is not valid JSON: {exc}") from exc
    records = document.get("titles") if isinstance(document, dict) else None
    if not isinstance(records, list) or set(document) - {"_comment", "titles"}:
        raise DemoDataError(
            f"{path.name} must be an object with a 'titles' list (and an optional '_comment')"
        )

    context = {"genre_slugs": genre_slugs, "provider_kinds": provider_kinds}
    errors: list[str] = []
    valid: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        label = f"record #{index + 1}"
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            label += f" '{record['key']}'"
        checked = KoreanSampleRecordSerializer(data=record, context=context)
        if not checked.is_valid():
            errors += [f"{label}: {message}" for message in flatten_errors(checked.errors)]
            continue
        data = dict(checked.validated_data)
        if data["key"] in seen:
            errors.append(f"{label}: key: duplicate of record #{seen[data['key']] + 1}")
            continue
        seen[data["key"]] = index
        data["_payload"] = record  # hashed as written, so any edit of the record re-imports it
        valid.append(data)
    if errors:
        raise DemoDataError(f"{path.name} is invalid; nothing was loaded", errors)
    return valid


def korean_sample_import(
    *,
    records: Sequence[dict[str, Any]],
    genres: dict[str, Genre],
    providers: dict[str, Provider],
    snapshot: datetime.date,
    result: DemoLoadResult,
    progress: bool = False,
) -> set[int]:
    """Upsert validated sample records; unchanged ones (same payload hash) are skipped.

    Returns the ids of all sample titles. Call inside ``transaction.atomic``.
    """
    stored = {
        record.external_id: record
        for record in SourceRecord.objects.filter(source=KOREAN_SAMPLE_SOURCE).select_related("title")
    }
    now = timezone.now()
    title_ids: set[int] = set()
    pending: list[tuple[dict[str, Any], str]] = []
    for record in records:
        digest = payload_hash({"record": record["_payload"], "snapshot": snapshot.isoformat()})
        source_record = stored.get(record["key"])
        if source_record and source_record.title and source_record.payload_hash == digest:
            title_ids.add(source_record.title.id)
        else:
            pending.append((record, digest))
    people = _PeopleCache()
    people.ensure(record for record, _digest in pending)
    for record, digest in tqdm(
        pending, desc="Korean sample", unit="titles", disable=not progress or not pending
    ):
        source_record = stored.get(record["key"])
        title = _sample_title_upsert(record=record, existing=source_record.title if source_record else None)
        title.genres.set([genres[slug] for slug in record["genres"]])
        _sample_credits_sync(title=title, record=record, people=people)
        _sample_offers_sync(title=title, record=record, providers=providers, snapshot=snapshot, result=result)
        if source_record is None:
            SourceRecord.objects.create(
                source=KOREAN_SAMPLE_SOURCE,
                external_id=record["key"],
                title=title,
                payload_hash=digest,
                fetched_at=now,
            )
            result.created["titles"] += 1
        else:
            source_record.title, source_record.payload_hash, source_record.fetched_at = title, digest, now
            source_record.save(update_fields=["title", "payload_hash", "fetched_at"])
            result.updated["titles"] += 1
        title_ids.add(title.id)
    result.created["people"] += people.created
    return title_ids


def _sample_title_upsert(*, record: dict[str, Any], existing: Title | None) -> Title:
    title = existing or Title()
    # The one list of title fields (services.bulk); the sample sets those it has.
    for name in ("media_type", *TITLE_FIELDS):
        if name in record:
            setattr(title, name, record[name])
    title.search_index_dirty = True
    # The record serializer already enforced what the check constraints say (a name, a
    # plausible year); the database still enforces them. Skipping their per-row SELECTs
    # halves the sample import.
    title.full_clean(exclude=["genres", "people"], validate_constraints=False)
    title.save()
    return title


class _PeopleCache:
    """People of the sample by (name, name_en); missing ones are created in one INSERT."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Person] = {}
        for person in Person.objects.filter(tmdb_id__isnull=True, kobis_code__isnull=True).order_by("id"):
            self._by_key.setdefault((person.name, person.name_en), person)
        self.created = 0

    def ensure(self, records: Iterable[dict[str, Any]]) -> None:
        """Create the people these records name. Names were validated with the records."""
        missing: dict[tuple[str, str], Person] = {}
        for record in records:
            for key in (*record["directors"], *record["cast"]):
                if key not in self._by_key and key not in missing:
                    missing[key] = Person(name=key[0], name_en=key[1])
        Person.objects.bulk_create(list(missing.values()), batch_size=BATCH)
        self._by_key.update(missing)
        self.created += len(missing)

    def get(self, name: str, name_en: str) -> Person:
        return self._by_key[(name, name_en)]


def _sample_credits_sync(*, title: Title, record: dict[str, Any], people: _PeopleCache) -> None:
    wanted: dict[tuple[int, str], int] = {}
    for role, names in ((CreditRole.DIRECTOR, record["directors"]), (CreditRole.CAST, record["cast"])):
        for order, (name, name_en) in enumerate(names):
            wanted.setdefault((people.get(name, name_en).id, role), order)
    current = {(credit.person_id, credit.role): credit for credit in title.credits.all()}
    for key, credit in current.items():
        if key not in wanted:
            credit.delete()
        elif credit.order != wanted[key]:
            credit.order = wanted[key]
            credit.save(update_fields=["order"])
    Credit.objects.bulk_create(
        [
            Credit(title=title, person_id=pid, role=role, order=order)
            for (pid, role), order in wanted.items()
            if (pid, role) not in current
        ]
    )


def _sample_offers_sync(
    *,
    title: Title,
    record: dict[str, Any],
    providers: dict[str, Provider],
    snapshot: datetime.date,
    result: DemoLoadResult,
) -> None:
    """Open the record's offers and close (never delete) offers it no longer lists."""
    wanted = {(providers[offer["provider"]].id, offer["offer"]): offer for offer in record["availability"]}
    current = {(a.provider_id, a.offer_type): a for a in title.availabilities.filter(region=REGION)}
    for key, offer in wanted.items():
        values = {
            "starts_on": offer["starts_on"],
            "observed_on": offer["observed_on"] or snapshot,
            "link": offer["link"],
            "ends_on": None,
        }
        availability = current.get(key)
        if availability is None:
            availability = Availability(
                title=title, provider_id=key[0], offer_type=key[1], region=REGION, **values
            )
            # Validated with the record; the unique constraint guards the rest.
            availability.save()
            result.created["availabilities"] += 1
        elif any(getattr(availability, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(availability, name, value)
            availability.save()
            result.updated["availabilities"] += 1
    for key, availability in current.items():
        if key not in wanted and availability.ends_on is None:
            availability.ends_on = snapshot
            availability.save(update_fields=["ends_on", "updated_at"])
            result.updated["availabilities"] += 1
