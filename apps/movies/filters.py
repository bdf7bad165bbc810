"""Turn catalog query strings into validated ``CatalogFilters``, collecting what was not understood.

One parser serves both faces of the catalog: the API answers 400 naming the valid values, the
page drops what it does not know and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from apps.movies.selectors import DEFAULT_SORT
from apps.movies.selectors import MAX_PAGE
from apps.movies.selectors import PREDICTED_SORT
from apps.movies.selectors import SORTS
from apps.movies.selectors import CatalogFilters
from apps.movies.selectors import CatalogVocabulary

YEAR_MIN = 1870
YEAR_MAX = 2100
TRUE_VALUES = frozenset({"1", "true", "on", "yes"})
# ``mine`` is a switch: anything else is a mistake to report, not "off".
MINE_VALUES = TRUE_VALUES | {"0", "false", "off", "no"}
# Parameters whose values name rows (not a fixed set): unknown ones are "not found".
NAMED_VALUES = frozenset({"genre", "provider"})
# Nobody picks more values than this by hand; past it a query string is noise.
MAX_VALUES_PER_PARAM = 64
# Unknown values are echoed back (escaped) so people see what was ignored; keep them short.
ECHO_LIMIT = 40
# Enum .values rebuilds its list on every access; these are read on every catalog request.
MEDIA_TYPES = tuple(MediaType.values)
OFFER_TYPES = tuple(OfferType.values)
AGE_RATINGS = tuple(AgeRating.values)
SORT_KEYS = (*SORTS, PREDICTED_SORT)
MATCHES = ("any", "all")


@dataclass
class ParsedCatalogQuery:
    filters: CatalogFilters
    page: int = 1
    my_services: bool = False
    # parameter -> {"unknown": [...], "valid": [...]}
    problems: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def _echo(value: str) -> str:
    printable = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in value)
    return printable if len(printable) <= ECHO_LIMIT else printable[: ECHO_LIMIT - 1] + "…"


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """All values of a parameter: repeated (``genre=a&genre=b``) or comma-separated (``genre=a,b``)."""
    raw: Sequence[str]
    raw = params.getlist(name) if hasattr(params, "getlist") else [params[name]] if name in params else []
    values: list[str] = []
    for item in raw:
        values.extend(part.strip() for part in str(item).split(","))
    return [value for value in dict.fromkeys(values) if value][: MAX_VALUES_PER_PARAM + 1]


def _single(params: Mapping[str, Any], name: str) -> str | None:
    values = _values(params, name)
    return values[-1] if values else None


def catalog_query_parse(
    *, params: Mapping[str, Any], vocabulary: CatalogVocabulary, my_services: Sequence[str] = ()
) -> ParsedCatalogQuery:
    """Parse catalog parameters; unknown values are left out of the filters and reported in ``problems``.

    ``my_services`` are the visitor's provider slugs, used when ``mine`` is on.
    """
    problems: dict[str, dict[str, list[str]]] = {}

    def choose(name: str, values: list[str], valid: Sequence[str]) -> list[str]:
        good = [value for value in values if value in valid]
        bad = [value for value in values if value not in valid]
        if bad:
            problems[name] = {"unknown": [_echo(value) for value in bad[:10]], "valid": list(valid)}
        return good

    media_types = choose("type", _values(params, "type")[:1], MEDIA_TYPES)
    genres = choose("genre", _values(params, "genre"), list(vocabulary.genre_by_slug))
    match = choose("match", _values(params, "match")[:1], MATCHES)
    providers = choose("provider", _values(params, "provider"), list(vocabulary.provider_by_slug))
    mine_value = _single(params, "mine")
    mine = mine_value in TRUE_VALUES
    if mine_value is not None and mine_value not in MINE_VALUES:
        problems["mine"] = {"unknown": [_echo(mine_value)], "valid": sorted(MINE_VALUES)}
    if mine:
        providers = list(dict.fromkeys([*providers, *my_services]))
    offers = choose("offer", _values(params, "offer"), OFFER_TYPES)
    ages = choose("age", _values(params, "age"), AGE_RATINGS)
    sort = choose("sort", _values(params, "sort")[:1], SORT_KEYS)

    years: dict[str, int | None] = {}
    for name in ("year_min", "year_max"):
        value = _single(params, name)
        years[name] = None
        if value is None:
            continue
        if value.isascii() and value.isdigit() and len(value) <= 4 and YEAR_MIN <= int(value) <= YEAR_MAX:
            years[name] = int(value)
        else:
            problems[name] = {"unknown": [_echo(value)], "valid": [f"{YEAR_MIN}–{YEAR_MAX}"]}
    year_min, year_max = years["year_min"], years["year_max"]
    if year_min is not None and year_max is not None and year_min > year_max:
        year_min, year_max = year_max, year_min

    page = 1
    page_value = _single(params, "page")
    if page_value is not None:
        if page_value.isascii() and page_value.isdigit() and int(page_value[:9]) >= 1:
            # Any page past the end is an empty page, however far past.
            page = int(page_value) if len(page_value) <= 9 else MAX_PAGE + 1
        else:
            problems["page"] = {"unknown": [_echo(page_value)], "valid": ["1, 2, 3, …"]}

    filters = CatalogFilters(
        media_type=media_types[0] if media_types else None,
        genres=tuple(genres),
        genre_match="all" if match == ["all"] else "any",
        providers=tuple(providers),
        offer_types=tuple(offers),
        year_min=year_min,
        year_max=year_max,
        age_ratings=tuple(ages),
        sort=sort[0] if sort else DEFAULT_SORT,
    )
    return ParsedCatalogQuery(filters=filters, page=page, my_services=mine, problems=problems)


def catalog_query_params(
    *, filters: CatalogFilters, my_services: bool = False, mine: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """The canonical query parameters of ``filters`` (no page), for links and hidden fields.

    With ``my_services`` on, the visitor's own providers (``mine``) are implied by ``mine=1``
    rather than listed.
    """
    params: list[tuple[str, str]] = []
    if filters.media_type:
        params.append(("type", filters.media_type))
    params.extend(("genre", slug) for slug in filters.genres)
    if filters.genres and filters.genre_match == "all":
        params.append(("match", "all"))
    implied = set(mine) if my_services else set()
    params.extend(("provider", slug) for slug in filters.providers if slug not in implied)
    if my_services:
        params.append(("mine", "1"))
    params.extend(("offer", value) for value in filters.offer_types)
    if filters.year_min is not None:
        params.append(("year_min", str(filters.year_min)))
    if filters.year_max is not None:
        params.append(("year_max", str(filters.year_max)))
    params.extend(("age", value) for value in filters.age_ratings)
    if filters.sort != DEFAULT_SORT:
        params.append(("sort", filters.sort))
    return params
