"""What a title card shows, computed once in Python.

A catalog page draws 24 cards and the home page about a hundred; resolving a dozen template
filters and tags per card (URL reversal, floatformat, translated labels, badge initials) cost
more than every query of the page. The card template now prints ready strings.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

import cachetools
from django.conf import settings
from django.urls import get_script_prefix
from django.urls import reverse
from django.utils.translation import get_language

from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.selectors import CatalogVocabulary
from apps.movies.selectors import ProviderEntry
from apps.movies.selectors import catalog_vocabulary

MAX_CARD_GENRES = 3
MAX_CARD_BADGES = 4


@dataclass(frozen=True)
class ProviderBadge:
    color: str
    name: str
    initials: str


@dataclass(frozen=True)
class CardView:
    id: int
    url: str
    poster: str
    display_title: str
    age_rating: str  # "" when unknown
    age_label: str
    meta: str  # "2019 · TV"
    rating: str  # "4.3", "" when nobody rated it
    genres: str  # "Drama · Comedy"
    badges: tuple[ProviderBadge, ...]
    more_providers: int


def card_view(item: dict[str, Any] | Any, *, vocabulary: CatalogVocabulary | None = None) -> CardView:
    """The card of a list row (``selectors.title_list``) or a ``Title``, built once per content.

    Building one (names in the language, genre and provider lookups, badges, two URLs) cost
    ~40 µs, ~2 ms of a signed-in front page's 48 cards; a kept card is one key and a lookup.
    The key is every value the card is built from (``_card_key``), the vocabulary (a new one
    every ``VOCABULARY_TTL_SECONDS``), the language and the script prefix: a changed title,
    average or offer is a new key, so nothing is ever stale.
    """
    vocabulary = vocabulary or catalog_vocabulary()
    key = (_card_key(item), vocabulary, get_language() or "", get_script_prefix())
    with _card_views_lock:
        view = _card_views.get(key)
    if view is None:
        view = _card_view_build(item, vocabulary)
        with _card_views_lock:
            _card_views[key] = view
    return view


# ~1 KB per card: 4,096 cards ≈ 4 MB per process, the catalog's popular pages and rows.
CARD_VIEW_CACHE_SIZE = 4096
_card_views: cachetools.LRUCache[tuple[Any, ...], CardView] = cachetools.LRUCache(CARD_VIEW_CACHE_SIZE)
_card_views_lock = threading.Lock()


def _card_key(item: dict[str, Any] | Any) -> tuple[Any, ...]:
    """Every value of ``item`` that ``_card_view_build`` reads, as a hashable tuple."""
    if isinstance(item, dict):
        genre_mask, provider_mask = item.get("genre_mask"), item.get("provider_mask")
        return (
            item["id"],
            *(item[field] for field in _ROW_FIELDS),
            item.get("poster") or "",
            ("mask", genre_mask) if genre_mask is not None else ("slugs", tuple(item["genres"])),
            ("mask", provider_mask) if provider_mask is not None else ("slugs", tuple(item["providers"])),
        )
    return (
        item.pk,
        *(getattr(item, field) for field in _ROW_FIELDS),
        item.poster.name if item.poster else "",
        ("mask", item.genre_mask),
        ("mask", item.provider_mask),
    )


def card_view_clear() -> None:
    """Forget built cards (tests that swap translations)."""
    with _card_views_lock:
        _card_views.clear()


def _card_view_build(item: dict[str, Any] | Any, vocabulary: CatalogVocabulary) -> CardView:
    korean = is_korean()
    if isinstance(item, dict):
        title_id, row = item["id"], item
    else:
        title_id, row = item.pk, {field: getattr(item, field) for field in _TITLE_FIELDS}
    genre_mask, provider_mask = row.get("genre_mask"), row.get("provider_mask")
    genre_slugs = row["genres"] if genre_mask is None else vocabulary.genre_slugs_of(genre_mask)
    provider_slugs = (
        row["providers"] if provider_mask is None else vocabulary.provider_slugs_of(provider_mask)
    )
    genres = [vocabulary.genre_by_slug[slug] for slug in genre_slugs[:MAX_CARD_GENRES]]
    providers = [vocabulary.provider_by_slug[slug] for slug in provider_slugs]
    year, media_type = row["year"], row["media_type"]
    meta = [str(year)] if year else []
    if media_type == MediaType.TV:
        meta.append(str(MediaType(media_type).label))
    age = row["age_rating"] if row["age_rating"] != AgeRating.UNKNOWN else ""
    return CardView(
        id=title_id,
        url=title_url_template("movies:title-detail").format(id=title_id),
        poster=poster_url_of(item),
        display_title=_display_title(row, korean=korean),
        age_rating=age,
        age_label=str(AgeRating(age).label) if age else "",
        meta=" · ".join(meta),
        rating=f"{row['rating_avg']:.1f}" if row["rating_count"] else "",
        genres=" · ".join(genre.name_ko if korean else genre.name_en for genre in genres),
        badges=tuple(_badge(provider, korean=korean) for provider in providers[:MAX_CARD_BADGES]),
        more_providers=max(0, len(providers) - MAX_CARD_BADGES),
    )


_TITLE_FIELDS = (
    "title_ko", "title_en", "title_original", "year", "media_type", "age_rating",
    "rating_avg", "rating_count", "genre_mask", "provider_mask",
)  # fmt: skip
# The fields a card reads besides the id, the poster and the genres and providers.
_ROW_FIELDS = _TITLE_FIELDS[:-2]


def _display_title(row: dict[str, Any], *, korean: bool) -> str:
    if korean:
        return row["title_ko"] or row["title_en"] or row["title_original"]
    return row["title_en"] or row["title_ko"] or row["title_original"]


def _badge(provider: ProviderEntry, *, korean: bool) -> ProviderBadge:
    return ProviderBadge(
        color=provider.color,
        name=provider_display_name(provider, korean=korean),
        initials=badge_initials(provider.name),
    )


def badge_initials(name: str) -> str:
    """Up to two letters for a provider badge without a logo."""
    words = [word for word in str(name).replace("+", " ").split() if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper() if words[0].isascii() else words[0][:1]
    return (words[0][0] + words[1][0]).upper()


def title_url_template(url_name: str) -> str:
    """The URL of ``url_name`` with ``{id}`` for ``title_id``: reversing per row costs more than
    the rest of a card or an API row, so reverse once (per script prefix) and format per row."""
    return _title_url_template_for_prefix(url_name, get_script_prefix())


@functools.lru_cache(maxsize=32)
def _title_url_template_for_prefix(url_name: str, _script_prefix: str) -> str:
    return reverse(url_name, kwargs={"title_id": 987654321}).replace("987654321", "{id}")


def poster_url(*, title_id: int, poster: str) -> str:
    """A title's stored poster, or its generated placeholder when it has none."""
    if poster:
        return f"{settings.MEDIA_URL}{poster}"
    return title_url_template("movies:poster").format(id=title_id)


def poster_url_of(item: dict[str, Any] | Any) -> str:
    """``poster_url`` of a list row (``selectors.title_list``) or a ``Title``."""
    if isinstance(item, dict):
        return poster_url(title_id=item["id"], poster=item.get("poster") or "")
    return poster_url(title_id=item.pk, poster=item.poster.name if item.poster else "")


def is_korean() -> bool:
    """Whether the active language is Korean (titles, genre and provider names follow it)."""
    return (get_language() or settings.LANGUAGE_CODE).startswith("ko")


def provider_display_name(provider: Any, *, korean: bool) -> str:
    """A provider's name in the page's language (model or vocabulary entry)."""
    return (provider.name_ko or provider.name) if korean else provider.name


# A rendered card, memoised per process on everything it shows. The key is the card's whole
# content (the frozen CardView, the pick's reason, the 예상 별점, list position, dismiss button,
# language, script prefix), so a changed title, rating or provider makes a new key: nothing to
# invalidate and never stale. Rendering the card template cost ~0.5–1 ms per card (12–100 cards
# a page); a hit costs a dict lookup. 4,096 cards ≈ 6 MB per process.
CARD_HTML_CACHE_SIZE = 4096


def card_html(
    view: CardView,
    *,
    why: str = "",
    stars: float | None = None,
    list_position: int | None = None,
    dismissible: bool = False,
) -> str:
    """The card ``<li>`` of ``view`` (movies/partials/card.html), rendered once per content."""
    return _card_html(view, why, stars, list_position, dismissible, get_language() or "", get_script_prefix())


@functools.lru_cache(maxsize=CARD_HTML_CACHE_SIZE)
def _card_html(
    view: CardView,
    why: str,
    stars: float | None,
    list_position: int | None,
    dismissible: bool,
    _language: str,
    _script_prefix: str,
) -> str:
    from django.template.loader import render_to_string

    context = {
        "c": view,
        "why": why,
        "stars": stars,
        "list_position": list_position,
        "dismissible": dismissible,
    }
    return render_to_string("movies/partials/card.html", context)


def card_html_clear() -> None:
    """Forget rendered cards (tests that swap templates or translations)."""
    _card_html.cache_clear()
