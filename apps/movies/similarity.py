"""One "similar titles" list for a title page: genre, original language, era and people.

Genre overlap alone made Babe and Toy Story "similar" to 좀비딸 (all three family comedies).
People read "similar" as "the same kind of film from the same place and time": a Korean
zombie comedy of 2025 is closest to Korean comedies and horror of the 2020s.

The catalog stores no production country yet, so the original language (from the script of
the original title, see ``title_language``) stands for it: a Korean-language title is a
Korean title in this catalog. Scores are a weighted sum, each part in 0..1:

    genre Jaccard × 1.0 + same language × 1.0 + era (linear to 0 at 20 years apart) × 0.6
    + shared director/cast (0.4 each, at most 0.8) + "people who liked this also liked"
    (the recs model's neighbours, by rank) × 0.5 + same media type × 0.2 + popularity × 0.1
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING
from typing import Any

from django.core.cache import caches
from django.db.models import F
from django.db.models import Q

from apps.movies.models import Credit
from apps.movies.models import Title
from apps.movies.search.text import has_hangul

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)

HANGUL_RE = r"[가-힣]"
POOL_SIZE = 200
PEOPLE_POOL_SIZE = 60
NEIGHBOURS = 24
ERA_SPAN_YEARS = 20
WEIGHTS = {
    "genre": 1.0,
    "language": 1.0,
    "era": 0.6,
    "person": 0.4,
    "people_cap": 0.8,
    "neighbour": 0.5,
    "media_type": 0.2,
    "popularity": 0.1,
}
COLUMNS = ("id", "media_type", "title_ko", "title_en", "title_original", "year", "popularity", "genre_mask")
COLUMNS_EXTRA = ("movielens_id",)


def title_language(*, title_original: str, title_ko: str, movielens_id: int | None = None) -> str:
    """The original language as far as the names tell: "ko", "ja", "zh", "latin" or "other".

    The original title's script decides. Without one, a Hangul Korean title that did not
    come from MovieLens is a Korean film (the curated sample and KOBIS give no original).
    """
    if title_original:
        return _script(title_original)
    if title_ko and has_hangul(title_ko) and movielens_id is None:
        return "ko"
    return "latin"


def _script(text: str) -> str:
    for char in text:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3 or 0x3131 <= code <= 0x318E:
            return "ko"
        if 0x3040 <= code <= 0x30FF:
            return "ja"
    for char in text:
        if 0x4E00 <= ord(char) <= 0x9FFF:
            return "zh"
    if any(char.isascii() and char.isalpha() for char in text):
        return "latin"
    return "other"


def _korean_titles() -> Q:
    return Q(title_original__regex=HANGUL_RE) | Q(
        title_original="", movielens_id__isnull=True, title_ko__regex=HANGUL_RE
    )


def _pool(queryset: QuerySet[Title], *, limit: int) -> list[dict[str, Any]]:
    return list(queryset.order_by("-popularity", "id").values(*COLUMNS, *COLUMNS_EXTRA)[:limit])


def _neighbours(title_id: int) -> list[int]:
    """The collaborative model's nearest titles, best first ([] without a trained model)."""
    try:
        from apps.recs.services.serving import model_active_load

        model = model_active_load()
        return [tid for tid, _score in model.similar(title_id, NEIGHBOURS)] if model is not None else []
    except Exception:  # a broken artifact must not break the title page
        logger.exception("similar titles: recs neighbours failed")
        return []


# Where the full ranking is kept on the Title instance a request passes around.
_RANKED_ATTR = "_similar_ids_ranked"


def title_similar_ids(*, title: Title, limit: int = 12) -> list[int]:
    """The ``limit`` most similar titles' ids, best first.

    The title page asks twice for the same instance (the "similar titles" row and the
    recommend dialog's match %, 7 queries each). The ranking is deterministic, so it is
    computed once per instance and sliced: the second ask costs no query, and nothing
    outlives the request that loaded the instance.
    """
    ranked = title.__dict__.get(_RANKED_ATTR)
    if ranked is None:
        ranked = _ranked_ids_cached(title_id=title.pk)
        title.__dict__[_RANKED_ATTR] = ranked
    return ranked[:limit]


# The ranking is the same for everyone: shared between requests for a while (7 queries,
# ~40 ms of a ~130 ms title page under load). Only *which* titles are listed can be that
# old: callers read the cards themselves fresh (names, ratings, posters), and an id whose
# title is gone finds no card. A retrained recs model reaches the ranking within the TTL.
RANKING_TTL_S = 10 * 60


def _ranked_ids_cached(*, title_id: int) -> list[int]:
    cache = caches["fragments"]
    key = f"similar:ranked:{title_id}"
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked_ids(title_id=title_id)
        cache.set(key, ranked, RANKING_TTL_S)
    return ranked


def _ranked_ids(*, title_id: int) -> list[int]:
    # The stored row, not the instance: masks are maintained in bulk and may be newer.
    title = Title.objects.only(*COLUMNS, *COLUMNS_EXTRA).get(pk=title_id)
    mask = title.genre_mask
    language = title_language(
        title_original=title.title_original, title_ko=title.title_ko, movielens_id=title.movielens_id
    )
    others = Title.objects.exclude(pk=title.pk)
    shares_genre = others.annotate(shared_genres=F("genre_mask").bitand(mask)).exclude(shared_genres=0)
    rows: dict[int, dict[str, Any]] = {}
    if mask:
        pools = [_pool(shares_genre, limit=POOL_SIZE)]
        if language == "ko":
            pools.append(_pool(shares_genre.filter(_korean_titles()), limit=POOL_SIZE))
        for pool in pools:
            rows.update((row["id"], row) for row in pool)
    person_ids = list(Credit.objects.filter(title=title).values_list("person_id", flat=True)[:30])
    shared_people: dict[int, int] = {}
    if person_ids:
        for title_id in (
            Credit.objects.filter(person_id__in=person_ids)
            .exclude(title=title)
            .values_list("title_id", flat=True)
        ):
            shared_people[title_id] = shared_people.get(title_id, 0) + 1
    neighbours = _neighbours(title.pk)
    missing = [tid for tid in [*shared_people, *neighbours] if tid not in rows]
    if missing:
        rows.update(
            (row["id"], row)
            for row in _pool(others.filter(pk__in=missing[:PEOPLE_POOL_SIZE]), limit=PEOPLE_POOL_SIZE)
        )
    if not rows:
        return []
    neighbour_rank = {tid: rank for rank, tid in enumerate(neighbours)}
    top_popularity = math.log1p(max(max(row["popularity"], 0.0) for row in rows.values())) or 1.0
    genre_count = mask.bit_count()

    def score(row: dict[str, Any]) -> float:
        union = (row["genre_mask"] | mask).bit_count()
        value = WEIGHTS["genre"] * (
            (row["genre_mask"] & mask).bit_count() / union if union and genre_count else 0.0
        )
        same_language = (
            title_language(
                title_original=row["title_original"],
                title_ko=row["title_ko"],
                movielens_id=row["movielens_id"],
            )
            == language
        )
        value += WEIGHTS["language"] * same_language
        if title.year and row["year"]:
            value += WEIGHTS["era"] * max(0.0, 1 - abs(title.year - row["year"]) / ERA_SPAN_YEARS)
        value += min(WEIGHTS["people_cap"], WEIGHTS["person"] * shared_people.get(row["id"], 0))
        if row["id"] in neighbour_rank:
            value += WEIGHTS["neighbour"] * (1 - neighbour_rank[row["id"]] / max(len(neighbours), 1))
        value += WEIGHTS["media_type"] * (row["media_type"] == title.media_type)
        value += WEIGHTS["popularity"] * math.log1p(max(row["popularity"], 0.0)) / top_popularity
        return value

    ranked = sorted(rows.values(), key=lambda row: (-score(row), -row["popularity"], row["id"]))
    return [row["id"] for row in ranked]
