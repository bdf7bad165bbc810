"""Editors' corrections: merge duplicate titles, split a wrongly merged one.

Both keep provenance: every SourceRecord moves with what it reported, offers keep their
sources, and the records' stored payloads rebuild the split title.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.db import transaction
from django.db.models import ForeignObjectRel

from apps.movies.crawlers.vocab import genre_slug
from apps.movies.models import AgeRating
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import Person
from apps.movies.models import SourceOffer
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.models import TitleMatchKey
from apps.movies.raw_store import raw_store_get
from apps.movies.services.bulk import TITLE_FIELDS
from apps.movies.services.catalog import title_masks_refresh
from apps.movies.services.ingestion.merger import genres_ensure
from apps.movies.services.ingestion.merger import title_values
from apps.movies.services.ingestion.pipeline import record_from_payload
from apps.movies.services.ingestion.pipeline import title_match_keys_refresh
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    pass


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
        if not isinstance(relation, ForeignObjectRel) or relation.concrete:
            continue  # only reverse foreign keys of other models point at a title
        if not (relation.one_to_many and relation.auto_created):
            continue
        model = relation.related_model
        if model is None or model in handled:
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
        title_ids = {record.title_id for record in records if record.title_id is not None}
        if len(records) != len(ids) or len(title_ids) != 1 or any(r.title_id is None for r in records):
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
        title = Title(media_type=first.media_type, search_index_dirty=True, **title_values(first))
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
            title.genres.add(*genres_ensure(slugs).values())
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
