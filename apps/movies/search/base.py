"""What every search backend answers: ranked title ids for a prepared query."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from apps.movies.models import Title
    from apps.movies.search.query import PreparedQuery


class SearchBackendUnavailable(RuntimeError):
    """The backend's server cannot be reached; the caller falls back to the database."""


@dataclass(frozen=True)
class RankedId:
    title_id: int
    score: float
    # The title's card (``LIST_COLUMNS`` loaded), when the backend read it with the ranking:
    # the database backend does, in the same statement; the others leave it to the service.
    card: Title | None = field(default=None, compare=False)


class SearchBackend(Protocol):
    name: str

    def search(self, query: PreparedQuery, *, limit: int, offset: int) -> list[RankedId]: ...

    def suggest(self, query: PreparedQuery, *, limit: int) -> list[RankedId]: ...

    def index_titles(self, *, title_ids: Sequence[int]) -> int: ...
