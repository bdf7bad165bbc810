"""Reads: finding catalog titles for imported rows, and a person's batches and rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import TypeVar

from django.db.models import Count
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet

from apps.imports.models import ImportBatch
from apps.imports.models import ImportRow
from apps.imports.models import TitleLink
from apps.movies.matching import NameKeys
from apps.movies.matching import name_keys
from apps.movies.matching import names_match
from apps.movies.matching import years_compatible
from apps.movies.models import Title
from apps.movies.models import TitleMatchKey

if TYPE_CHECKING:
    from apps.social.models import User

T = TypeVar("T")

# Keys and ids per IN (…) query; 500 keeps each statement small on SQLite and PostgreSQL.
CHUNK = 500
# Candidates offered for an ambiguous row.
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Wanted:
    """What a row says about its film."""

    source: str
    external_id: str
    name: str
    year: int | None
    media_type: str = ""


@dataclass(frozen=True)
class Found:
    title_ids: tuple[int, ...]  # one: matched; several: ambiguous (best first); none: unmatched
    by_link: bool = False


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def titles_find(*, wanted: Iterable[Wanted], user: User | None = None) -> dict[Wanted, Found]:
    """Each film's title: by an applied external id first (the person's own link over a shared
    one), else through the catalog's name keys (apps.movies.matching: normalised names,
    subtitles, year ± 1), as ingestion does."""
    wanted = list(dict.fromkeys(wanted))
    result: dict[Wanted, Found] = {}
    links: dict[tuple[str, str], int] = {}
    ids = [w.external_id for w in wanted if w.external_id]
    for chunk in _chunks(sorted(set(ids))):
        owners = Q(user__isnull=True) | Q(user=user) if user is not None else Q(user__isnull=True)
        # Shared links first, so the person's own link for the same id overwrites it.
        for source, external_id, title_id in (
            TitleLink.objects.filter(owners, external_id__in=chunk)
            .order_by(F("user_id").asc(nulls_first=True))
            .values_list("source", "external_id", "title_id")
        ):
            links[(source, external_id)] = title_id
    # Diary lines each carry their own URI, so many rows share one (name, year): match it once.
    by_name: dict[tuple[str, int | None, str], NameKeys] = {}
    name_of: dict[Wanted, tuple[str, int | None, str]] = {}
    for w in wanted:
        linked = links.get((w.source, w.external_id)) if w.external_id else None
        if linked is not None:
            result[w] = Found((linked,), by_link=True)
        elif w.name:
            key = name_of[w] = (w.name, w.year, w.media_type)
            if key not in by_name:
                by_name[key] = name_keys([w.name])
        else:
            result[w] = Found(())

    all_keys = sorted({key for keys in by_name.values() for key in keys.all})
    title_ids: dict[str, set[int]] = defaultdict(set)
    for key_chunk in _chunks(all_keys):
        for match_key, title_id in TitleMatchKey.objects.filter(key__in=key_chunk).values_list(
            "key", "title_id"
        ):
            title_ids[match_key].add(title_id)
    titles: dict[int, Title] = {}
    for id_chunk in _chunks(sorted({i for group in title_ids.values() for i in group})):
        for title in Title.objects.filter(id__in=id_chunk).only(
            "id", "media_type", "year", "title_ko", "title_en", "title_original", "popularity"
        ):
            titles[title.id] = title
    title_keys: dict[int, NameKeys] = {}

    found: dict[tuple[str, int | None, str], Found] = {}
    for (name, year, media_type), keys in by_name.items():
        scored: list[tuple[tuple[int, int, float], int]] = []
        seen: set[int] = set()
        for match_key in keys.all:
            for title_id in title_ids.get(match_key, ()):
                candidate = titles.get(title_id)
                if title_id in seen or candidate is None:
                    continue
                seen.add(title_id)
                if media_type and candidate.media_type != media_type:
                    continue
                if not years_compatible(year, candidate.year):
                    continue
                if title_id not in title_keys:
                    names = [
                        n for n in (candidate.title_ko, candidate.title_original, candidate.title_en) if n
                    ]
                    title_keys[title_id] = name_keys(names)
                if not names_match(keys, title_keys[title_id]):
                    continue
                year_gap = abs(candidate.year - year) if candidate.year and year else 0
                exact = 0 if keys.full & title_keys[title_id].full else 1
                scored.append(((year_gap, exact, -candidate.popularity), title_id))
        scored.sort()
        best = [title_id for score, title_id in scored if score[:2] == scored[0][0][:2]] if scored else []
        if not scored:
            found[(name, year, media_type)] = Found(())
        # A year tells a remake from its original; without one, two same-named films stay a choice.
        elif len(best) == 1 and (year is not None or len(scored) == 1):
            found[(name, year, media_type)] = Found((best[0],))
        else:
            found[(name, year, media_type)] = Found(
                tuple(title_id for _score, title_id in scored[:MAX_CANDIDATES])
            )
    for w, key in name_of.items():
        result[w] = found[key]
    return result


def import_batches_for_user(*, user: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(user=user).order_by("-created_at", "-id")


def import_batch_get_for_user(*, user: User, batch_id: int) -> ImportBatch | None:
    return ImportBatch.objects.filter(user=user, pk=batch_id).first()


def import_rows_by_status(*, batch: ImportBatch, status: str) -> QuerySet[ImportRow]:
    return batch.rows.filter(status=status).select_related("title").order_by("id")


def import_row_counts(*, batch: ImportBatch) -> dict[str, int]:
    """Rows per match status and per outcome (keys like "matched" and "outcome:created")."""
    counts: dict[str, int] = defaultdict(int)
    for status, outcome, n in batch.rows.values_list("status", "outcome").annotate(n=Count("id")).order_by():
        counts[status] += n
        if outcome:
            counts[f"outcome:{outcome}"] += n
    counts["total"] = sum(counts[s] for s in ("matched", "ambiguous", "unmatched", "invalid"))
    counts["changed"] = counts["outcome:created"] + counts["outcome:updated"]
    return dict(counts)


def import_candidates(*, rows: Iterable[ImportRow]) -> dict[int, Title]:
    """The candidate titles of ambiguous rows, in one query."""
    ids = {i for row in rows for i in row.candidate_ids}
    return Title.objects.in_bulk(ids)
