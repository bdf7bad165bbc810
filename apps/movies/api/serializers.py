"""Rows to JSON for the catalog API.

List rows are built by plain functions from ``.values()`` rows: a DRF serializer per field
costs more than the query on a 24-row page. The Output serializers in the views document the
same shapes for the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from apps.movies.cards import poster_url_of
from apps.movies.selectors import GenreEntry
from apps.movies.selectors import ProviderEntry


def media_url(name: str) -> str:
    return f"{settings.MEDIA_URL}{name}"


def title_row_to_json(row: dict[str, Any], *, detail_url: str) -> dict[str, Any]:
    """One list row (from ``selectors.title_list``) as the API shows it.

    ``detail_url`` is a template with ``{id}``, reversed once per request.
    """
    title_id = row["id"]
    return {
        "id": title_id,
        "media_type": row["media_type"],
        "title": row["display_title"],
        "title_ko": row["title_ko"],
        "title_en": row["title_en"],
        "title_original": row["title_original"],
        "year": row["year"],
        "age_rating": row["age_rating"],
        "popularity": row["popularity"],
        "rating_avg": row["rating_avg"],
        "rating_count": row["rating_count"],
        "genres": row["genres"],
        "providers": row["providers"],
        "poster_url": poster_url_of(row),
        "url": detail_url.format(id=title_id),
    }


def genre_to_json(genre: GenreEntry) -> dict[str, Any]:
    return {"slug": genre.slug, "name_ko": genre.name_ko, "name_en": genre.name_en}


def provider_to_json(provider: ProviderEntry) -> dict[str, Any]:
    return {
        "slug": provider.slug,
        "name": provider.name,
        "name_ko": provider.name_ko,
        "kind": provider.kind,
        "color": provider.color,
        "logo_url": media_url(provider.logo) if provider.logo else None,
    }
