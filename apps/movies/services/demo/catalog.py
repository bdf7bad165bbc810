"""The demo catalog: registries, MovieLens 100K's films and the curated Korean sample.

The social app's ``demo_load`` (what ``manage.py load_demo`` runs on every ``make run``)
reads the files here first (``demo_catalog_read``: a bad file is rejected before the first
write), then, in its one transaction, imports this catalog (``demo_catalog_import``) and
then MovieLens's people and ratings. Everything upserts on natural keys (slug,
``movielens_id``, the sample's ``key``) and only writes rows that differ, so a second run with
unchanged inputs changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from apps.movies.services.demo.base import GENRES_PATH
from apps.movies.services.demo.base import KOREAN_SAMPLE_PATH
from apps.movies.services.demo.base import PROVIDERS_PATH
from apps.movies.services.demo.base import DemoLoadResult
from apps.movies.services.demo.base import MovieLensSource
from apps.movies.services.demo.korean_sample import korean_sample_import
from apps.movies.services.demo.korean_sample import korean_sample_read
from apps.movies.services.demo.movielens import movielens_titles_import
from apps.movies.services.demo.registries import GenreEntry
from apps.movies.services.demo.registries import ProviderEntry
from apps.movies.services.demo.registries import genres_sync
from apps.movies.services.demo.registries import providers_sync
from apps.movies.services.demo.registries import registry_read


@dataclass(frozen=True)
class DemoCatalogFiles:
    """The bundled registries and the Korean sample, read and validated in full."""

    genres: list[dict[str, Any]]
    providers: list[dict[str, Any]]
    sample: list[dict[str, Any]]


@dataclass
class DemoCatalogImport:
    """What the catalog import wrote: every title it covers, and MovieLens's by item id."""

    title_ids: set[int] = field(default_factory=set)
    movielens_title_ids: dict[int, int] = field(default_factory=dict)


# -----------------------------------------------------------------------------
# Entry points
# -----------------------------------------------------------------------------
def demo_catalog_read(*, sample_path: Path = KOREAN_SAMPLE_PATH) -> DemoCatalogFiles:
    """Read and validate every bundled file; raises ``DemoDataError`` naming each bad record."""
    genre_rows = registry_read(GENRES_PATH, "genres", GenreEntry)
    provider_rows = registry_read(PROVIDERS_PATH, "providers", ProviderEntry)
    sample = korean_sample_read(
        path=sample_path,
        genre_slugs={row["slug"] for row in genre_rows},
        provider_kinds={row["slug"]: row["kind"] for row in provider_rows},
    )
    return DemoCatalogFiles(genres=genre_rows, providers=provider_rows, sample=sample)


def demo_catalog_import(
    *,
    files: DemoCatalogFiles,
    movielens: MovieLensSource | None,
    snapshot: datetime.date,
    result: DemoLoadResult,
    progress: bool = False,
) -> DemoCatalogImport:
    """Registries, MovieLens's films (when given) and the Korean sample, with their genre masks.

    Call inside ``transaction.atomic``; rating aggregates are the caller's, once ratings are in.
    """
    genres = genres_sync(rows=files.genres, result=result)
    providers = providers_sync(rows=files.providers, result=result)
    imported = DemoCatalogImport()
    if movielens is not None:
        imported.movielens_title_ids = movielens_titles_import(source=movielens, genres=genres, result=result)
        imported.title_ids |= set(imported.movielens_title_ids.values())
        result.movielens_loaded = True
    imported.title_ids |= korean_sample_import(
        records=files.sample,
        genres=genres,
        providers=providers,
        snapshot=snapshot,
        result=result,
        progress=progress,
    )
    result.sample_titles = len(files.sample)
    return imported
