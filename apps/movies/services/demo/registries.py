"""The genre and provider registries: fixed bits, checked against what the database holds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rest_framework import serializers

from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.services.demo.base import DemoDataError
from apps.movies.services.demo.base import DemoLoadResult
from apps.movies.services.demo.base import StrictSerializer
from apps.movies.services.demo.base import flatten_errors


class GenreEntry(StrictSerializer):
    slug = serializers.SlugField(max_length=40)
    name_ko = serializers.CharField(max_length=40)
    name_en = serializers.CharField(max_length=40)
    bit = serializers.IntegerField(min_value=0, max_value=62)
    movielens = serializers.CharField(allow_null=True, required=False)
    aliases = serializers.ListField(child=serializers.CharField(), required=False)


class ProviderEntry(StrictSerializer):
    slug = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=80)
    name_ko = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=ProviderKind.values)
    homepage = serializers.URLField()
    color = serializers.RegexField(r"^#[0-9A-Fa-f]{6}$")
    display_priority = serializers.IntegerField(min_value=0)
    tmdb_provider_id = serializers.IntegerField(min_value=1, allow_null=True)
    bit = serializers.IntegerField(min_value=0, max_value=62)


def registry_read(path: Path, key: str, entry: type[serializers.Serializer]) -> list[dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))[key]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DemoDataError(f"{path.name}: cannot read the '{key}' list ({exc})") from exc
    errors: list[str] = []
    valid: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        label = row.get("slug", f"#{index + 1}") if isinstance(row, dict) else f"#{index + 1}"
        checked = entry(data=row)
        if checked.is_valid():
            valid.append(dict(checked.validated_data))
        else:
            errors += [f"{label}: {message}" for message in flatten_errors(checked.errors)]
    for name in ("slug", "bit"):
        values = [row[name] for row in valid if name in row]
        errors += [
            f"duplicate {name} {value!r}" for value in sorted({v for v in values if values.count(v) > 1})
        ]
    if errors:
        raise DemoDataError(f"{path.name} is invalid", errors)
    return valid


def _bit_guard(model: type, slug: str, current_bit: int, wanted_bit: int) -> None:
    # A bit change would silently re-label every stored mask: refuse it.
    if current_bit != wanted_bit:
        raise DemoDataError(
            f"{model.__name__} '{slug}' has bit {current_bit} in the database but {wanted_bit} in the "
            "registry file; bits are assigned once and never changed"
        )


def genres_sync(*, rows: Sequence[dict[str, Any]], result: DemoLoadResult) -> dict[str, Genre]:
    """Upsert the genre vocabulary by slug; returns genres by slug."""
    existing = {genre.slug: genre for genre in Genre.objects.all()}
    for row in rows:
        values = {"name_ko": row["name_ko"], "name_en": row["name_en"]}
        genre = existing.get(row["slug"])
        if genre is None:
            genre = Genre(slug=row["slug"], bit=row["bit"], **values)
            genre.full_clean()
            genre.save()
            existing[genre.slug] = genre
            result.created["genres"] += 1
            continue
        _bit_guard(Genre, genre.slug, genre.bit, row["bit"])
        if any(getattr(genre, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(genre, name, value)
            genre.full_clean()
            genre.save(update_fields=list(values))
            result.updated["genres"] += 1
    return existing


def providers_sync(*, rows: Sequence[dict[str, Any]], result: DemoLoadResult) -> dict[str, Provider]:
    """Upsert the provider registry by slug; returns providers by slug."""
    existing = {provider.slug: provider for provider in Provider.objects.all()}
    for row in rows:
        values = {name: value for name, value in row.items() if name not in ("slug", "bit")}
        provider = existing.get(row["slug"])
        if provider is None:
            provider = Provider(slug=row["slug"], bit=row["bit"], **values)
            provider.full_clean()
            provider.save()
            existing[provider.slug] = provider
            result.created["providers"] += 1
            continue
        _bit_guard(Provider, provider.slug, provider.bit, row["bit"])
        if any(getattr(provider, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(provider, name, value)
            provider.full_clean()
            provider.save(update_fields=list(values))
            result.updated["providers"] += 1
    return existing
