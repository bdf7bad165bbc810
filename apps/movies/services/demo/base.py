"""What every part of the demo catalog shares: file paths, sources, errors, the result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from typing import Protocol

from rest_framework import serializers

from apps.movies.datasets import MovieLensMovie
from apps.movies.datasets import MovieLensRating
from apps.movies.datasets import MovieLensUser
from apps.movies.models import OfferType
from apps.movies.models import ProviderKind

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
GENRES_PATH = DATA_DIR / "genres.json"
PROVIDERS_PATH = DATA_DIR / "providers.json"
KOREAN_SAMPLE_PATH = DATA_DIR / "korean_sample.json"

MOVIELENS_SOURCE = "movielens-100k"
KOREAN_SAMPLE_SOURCE = "demo-korean"
REGION = "KR"


OFFERS_BY_KIND: dict[str, frozenset[str]] = {
    ProviderKind.OTT: frozenset({OfferType.STREAM, OfferType.RENT, OfferType.BUY}),
    ProviderKind.CINEMA: frozenset({OfferType.NOW_SHOWING, OfferType.COMING_SOON}),
}


class DemoDataError(Exception):
    """A bundled data file is malformed; nothing was written."""

    def __init__(self, message: str, errors: Sequence[str] = ()) -> None:
        self.errors = list(errors)
        detail = "".join(f"\n  - {error}" for error in self.errors)
        super().__init__(f"{message}{detail}")


class MovieLensSource(Protocol):
    """What the import reads; ``apps.movies.datasets.MovieLens100K`` satisfies it."""

    def movies(self) -> Iterable[MovieLensMovie]: ...

    def users(self) -> Iterable[MovieLensUser]: ...

    def ratings(self) -> Iterable[MovieLensRating]: ...


@dataclass
class DemoLoadResult:
    """Rows written per kind; all zero on a re-run with unchanged inputs."""

    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    movielens_loaded: bool = False
    sample_titles: int = 0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated))
        parts = [f"{kind} +{self.created.get(kind, 0)} ~{self.updated.get(kind, 0)}" for kind in kinds]
        return ", ".join(part for part in parts if not part.endswith("+0 ~0")) or "nothing changed"


class StrictSerializer(serializers.Serializer):
    """Rejects keys it does not know, so a typo in the file is an error, not a silent gap."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


def flatten_errors(errors: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(errors, dict):
        for name, value in errors.items():
            if isinstance(name, int):  # ListField reports items by index
                label = f"{prefix}[{name}]"
            elif name == "non_field_errors":
                label = prefix
            else:
                label = f"{prefix}.{name}" if prefix else str(name)
            yield from flatten_errors(value, label)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        yield f"{prefix}: {' '.join(errors)}"
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                yield from flatten_errors(value, f"{prefix}[{index}]")
