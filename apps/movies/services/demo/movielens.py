"""MovieLens 100K's films: titles parsed from its names ("Matrix, The (1999)"), genres, provenance."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from apps.movies.datasets import MovieLensMovie
from apps.movies.models import Genre
from apps.movies.models import MediaType
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.bulk import BATCH
from apps.movies.services.bulk import chunks
from apps.movies.services.bulk import payload_hash
from apps.movies.services.catalog import mask_of
from apps.movies.services.demo.base import GENRES_PATH
from apps.movies.services.demo.base import MOVIELENS_SOURCE
from apps.movies.services.demo.base import DemoLoadResult
from apps.movies.services.demo.base import MovieLensSource

_TRAILING_ARTICLE = re.compile(
    r"^(?P<rest>.+), (?P<article>The|A|An|L'|Les|Le|La|Il|Lo|Gli|I|Das|Der|Die|Den|Det|El|Los|Las|"
    r"Un|Une|Uno|Una)$"
)
_TRAILING_YEAR = re.compile(r"^(?P<rest>.+?) \((?P<year>\d{4})\)$")
_ALTERNATIVE = re.compile(r"^(?P<main>.+?) \((?P<alt>[^()]+)\)$")


def _fix_mojibake(text: str) -> str:
    # The RecBole files are read as Latin-1, but a few titles were stored as UTF-8.
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _article_to_front(name: str) -> str:
    match = _TRAILING_ARTICLE.match(name.strip())
    if not match:
        return name.strip()
    article = match["article"]
    return f"{article}{match['rest']}" if article.endswith("'") else f"{article} {match['rest']}"


def movielens_title_parse(raw: str, year: int | None = None) -> tuple[str, str, int | None]:
    """Split a MovieLens title into ``(title_en, title_original, year)``.

    "Usual Suspects, The" becomes "The Usual Suspects"; a parenthesised alternative name
    ("Seventh Seal, The (Sjunde inseglet, Det)") becomes the original title, articles moved
    too. A year written in the title fills a missing year.
    """
    text = _fix_mojibake(raw).strip()
    if match := _TRAILING_YEAR.match(text):
        text = match["rest"]
        year = year or int(match["year"])
    original = ""
    if match := _ALTERNATIVE.match(text):
        text, original = match["main"], _article_to_front(match["alt"])
    title = _article_to_front(text)
    return title, ("" if original == title else original), year


def movielens_titles_import(
    *, source: MovieLensSource, genres: dict[str, Genre], result: DemoLoadResult
) -> dict[int, int]:
    """Upsert MovieLens's films with their genres and provenance; returns title ids by item id.

    Call inside ``transaction.atomic``.
    """
    genre_by_movielens = _movielens_genre_map(genres)
    return _movielens_titles_upsert(
        movies=list(source.movies()), genre_by_movielens=genre_by_movielens, result=result
    )


def _movielens_genre_map(genres: dict[str, Genre]) -> dict[str, Genre]:
    rows = json.loads(GENRES_PATH.read_text(encoding="utf-8"))["genres"]
    return {row["movielens"]: genres[row["slug"]] for row in rows if row.get("movielens")}


def _movielens_titles_upsert(
    *, movies: Sequence[MovieLensMovie], genre_by_movielens: dict[str, Genre], result: DemoLoadResult
) -> dict[int, int]:
    """Returns title ids by MovieLens item id."""
    now = timezone.now()
    existing = {title.movielens_id: title for title in Title.objects.filter(movielens_id__isnull=False)}
    to_create: list[Title] = []
    to_update: list[Title] = []
    for movie in movies:
        title_en, title_original, year = movielens_title_parse(movie.title, movie.year)
        values = {"title_en": title_en, "title_original": title_original, "year": year}
        title = existing.get(movie.item_id)
        if title is None:
            # Born with its genre mask, so title_masks_refresh finds nothing to rewrite.
            bits = [genre_by_movielens[name].bit for name in movie.genres if name in genre_by_movielens]
            title = Title(
                movielens_id=movie.item_id, media_type=MediaType.MOVIE, genre_mask=mask_of(bits), **values
            )
            to_create.append(title)
            existing[movie.item_id] = title
        elif any(getattr(title, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(title, name, value)
            title.updated_at = now
            to_update.append(title)
    for batch in chunks(to_create):
        Title.objects.bulk_create(batch)  # returns ids on SQLite and PostgreSQL
    Title.objects.bulk_update(
        to_update, ["title_en", "title_original", "year", "updated_at"], batch_size=1000
    )
    result.created["titles"] += len(to_create)
    result.updated["titles"] += len(to_update)

    title_ids = {
        movielens_id: title.id for movielens_id, title in existing.items() if movielens_id is not None
    }
    wanted = {
        (title_ids[movie.item_id], genre_by_movielens[name].id)
        for movie in movies
        for name in movie.genres
        if name in genre_by_movielens  # MovieLens "unknown" maps to no genre
    }
    _title_genres_sync(title_ids=[title_ids[movie.item_id] for movie in movies], wanted=wanted, result=result)
    _source_records_sync(
        source=MOVIELENS_SOURCE,
        payloads={str(m.item_id): (title_ids[m.item_id], [m.title, m.year, list(m.genres)]) for m in movies},
        result=result,
    )
    return title_ids


def _title_genres_sync(
    *, title_ids: Sequence[int], wanted: set[tuple[int, int]], result: DemoLoadResult
) -> None:
    through = Title.genres.through
    have: set[tuple[int, int]] = set()
    for batch in chunks(title_ids):
        have |= set(through.objects.filter(title_id__in=batch).values_list("title_id", "genre_id"))
    missing = sorted(wanted - have)
    extra = have - wanted
    through.objects.bulk_create([through(title_id=t, genre_id=g) for t, g in missing], batch_size=BATCH)
    for title_id, genre_id in extra:
        through.objects.filter(title_id=title_id, genre_id=genre_id).delete()
    result.created["title genres"] += len(missing)
    result.updated["title genres"] += len(extra)


def _source_records_sync(
    *, source: str, payloads: dict[str, tuple[int, Any]], result: DemoLoadResult
) -> None:
    """Record provenance: one SourceRecord per external id, rewritten when its payload changes."""
    now = timezone.now()
    existing = {record.external_id: record for record in SourceRecord.objects.filter(source=source)}
    to_create: list[SourceRecord] = []
    to_update: list[SourceRecord] = []
    for external_id, (title_id, payload) in payloads.items():
        digest = payload_hash(payload)
        record = existing.get(external_id)
        if record is None:
            to_create.append(
                SourceRecord(
                    source=source,
                    external_id=external_id,
                    title_id=title_id,
                    payload_hash=digest,
                    fetched_at=now,
                )
            )
        elif (record.payload_hash, record.title_id) != (digest, title_id):
            record.payload_hash, record.title_id, record.fetched_at = digest, title_id, now
            to_update.append(record)
    SourceRecord.objects.bulk_create(to_create, batch_size=BATCH)
    SourceRecord.objects.bulk_update(to_update, ["payload_hash", "title_id", "fetched_at"], batch_size=1000)
    result.created["source records"] += len(to_create)
    result.updated["source records"] += len(to_update)
