"""예상 별점: a person's predicted stars for titles, the catalog in that order, and why.

Reads over the active rating model (``apps.recs.services.serving``) and the person's ratings;
split from ``apps.recs.selectors`` (the picks and rows) so each stays one subject.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.core.cache import cache
from django.utils.translation import gettext as _

from apps.common.compiled import Compiled
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.movies.models import Title
from apps.movies.selectors import MAX_PAGE
from apps.movies.selectors import PREDICTED_SORT
from apps.movies.selectors import SORTS
from apps.movies.selectors import CatalogFilters
from apps.movies.selectors import CatalogPage
from apps.movies.selectors import title_cards
from apps.movies.selectors import title_list_ids
from apps.movies.selectors import title_rows
from apps.recs.ml.rating import stars_display
from apps.recs.services.serving import model_active_key
from apps.recs.services.serving import model_active_load
from apps.recs.services.serving import rating_model_active_load
from apps.social.models import Rating
from config.exceptions import ConflictError

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


# -- predicted ratings (예상 별점) -------------------------------------------------------------
# Fewer ratings than this and a prediction would mostly repeat the title's average.
PREDICTION_MIN_RATINGS = 5


def rated_stars_for_user(*, user_id: int) -> dict[int, float]:
    """The person's ratings as title id → stars, in one query. A page that needs several of the
    prediction reads below reads them once and passes them as ``rated``."""
    return _rated_stars(user_id)


def _rated_stars(user_id: int) -> dict[int, float]:
    return {t: h / 2 for t, h in query_run(_rated_stars_sql(), {_RATER: user_id})}


# Read on every page that shows 예상 별점 (the signed-in front page, a title): compiled once
# (apps.common.compiled), ~0.2 ms of ORM Python less a page.
_RATER = -930_000_002


@functools.cache
def _rated_stars_sql() -> Compiled:
    ratings = Rating.objects.filter(user_id=_RATER).values_list("title_id", "half_stars")
    return query_compile(ratings, _RATER)


def predicted_ratings_for_user(
    *, user_id: int | None, title_ids: list[int], rated: Mapping[int, float] | None = None
) -> dict[int, float]:
    """Predicted stars for these titles (½–5 in half stars), in one query and one model call.

    Empty for an anonymous visitor, a person with fewer than ``PREDICTION_MIN_RATINGS``
    ratings, or before any rating model is trained; titles the person rated are left out.
    """
    if not user_id or not title_ids:
        return {}
    rated = dict(rated) if rated is not None else _rated_stars(user_id)
    if len(rated) < PREDICTION_MIN_RATINGS:
        return {}
    try:
        raw = _predict_raw(rated, [t for t in dict.fromkeys(title_ids) if t not in rated])
    except Exception:
        logger.exception("recs: rating prediction failed")
        return {}
    return {title_id: stars_display(value) for title_id, value in raw.items()}


# How many "similar titles' worth" of evidence a content-based correction needs before it
# moves a prediction fully: one close neighbour rated 5★ moves a 3.5★ baseline by half.
CONTENT_SHRINK = 1.0


def _predict_raw(rated: dict[int, float], title_ids: list[int]) -> dict[int, float]:
    """Unclipped predictions. Titles nobody has rated (new titles, most Korean titles in the
    demo) get the person's baseline moved toward the stars they gave the rated titles most
    like them (the content neighbours of the same artifact), not a flat baseline."""
    model = rating_model_active_load()
    if model is None:
        return {}
    raw = model.predict_for_history(rated, title_ids)
    unknown = [t for t in raw if not model.knows(t)]
    recs = model_active_load() if unknown else None
    if recs is None or not unknown:
        return raw
    positions = [(recs.position(t), t) for t in unknown]
    targets = [(p, t) for p, t in positions if p is not None]
    history = [(recs.position(t), s) for t, s in rated.items() if recs.position(t) is not None]
    if not targets or not history:
        return raw
    stars = np.array([s for _, s in history])
    # One sparse product for every target at once (a whole catalog when sorting by 예상 별점):
    # each target's content neighbours among the rated titles, weighting their residuals.
    near = recs.content[[p for p, _ in targets]][:, [p for p, _ in history]].tocsr()
    weight = np.asarray(near.sum(axis=1)).ravel()
    shift = near @ (stars - stars.mean())
    for k in np.flatnonzero(np.diff(near.indptr)).tolist():
        raw[targets[k][1]] += float(shift[k]) / (float(weight[k]) + CONTENT_SHRINK)
    return raw


# -- the catalog in 예상 별점 order (예상 별점순) -------------------------------------------------
# A person's predictions for the catalog are kept this long. The key holds the serving model's
# version and a digest of the person's ratings, so a new or changed rating (what fold-in reads)
# or a retrain starts afresh: nothing needs deleting.
PREDICTED_SORT_TTL_S = 3600


def predicted_sort_blocker(*, user_id: int | None, rated: Mapping[int, float] | None = None) -> str | None:
    """Why this person cannot sort the catalog by 예상 별점 (a sentence to show), or None.
    ``rated``: their ratings when already read (``rated_stars_for_user``), else one count."""
    if not user_id:
        return _("Sign in and rate at least %(count)d titles to sort by predicted rating.") % {
            "count": PREDICTION_MIN_RATINGS
        }
    have = len(rated) if rated is not None else Rating.objects.filter(user_id=user_id).count()
    if have < PREDICTION_MIN_RATINGS:
        return _(
            "Sorting by predicted rating needs at least %(count)d of your ratings; you have %(have)d."
        ) % {"count": PREDICTION_MIN_RATINGS, "have": have}
    return None


def catalog_page_by_predicted(
    *,
    user_id: int | None,
    filters: CatalogFilters,
    page: int = 1,
    page_size: int = 24,
    rated: Mapping[int, float] | None = None,
) -> CatalogPage:
    """One page of the filtered catalog, highest predicted stars first (raw predictions, so the
    half stars shown never go up down the list); ties and the titles the person already rated
    (no prediction) keep the catalog's popularity order, so pages are stable.

    Raises ConflictError (409: the person's ratings decide) for an anonymous visitor or a
    person with too few ratings.
    """
    rated = dict(rated) if rated is not None else (_rated_stars(user_id) if user_id else {})
    blocker = predicted_sort_blocker(user_id=user_id, rated=rated)
    if blocker is not None or user_id is None:
        raise ConflictError(
            blocker or "",
            extra={"fields": {"sort": {"unavailable": [PREDICTED_SORT], "valid": list(SORTS)}}},
        )
    if page < 1 or page > MAX_PAGE:
        return CatalogPage(rows=[], page=page, page_size=page_size, has_next=False)
    ids = title_list_ids(filters=filters)
    predicted = _catalog_predictions(user_id, rated, ids)
    scores = np.array([predicted.get(i, -np.inf) for i in ids], dtype=np.float64)
    order = np.argsort(-scores, kind="stable")  # stable: ids arrive in popularity order
    start = (page - 1) * page_size
    chosen = [ids[k] for k in order[start : start + page_size + 1].tolist()]
    return CatalogPage(
        rows=title_rows(title_ids=chosen[:page_size]),
        page=page,
        page_size=page_size,
        has_next=len(chosen) > page_size,
    )


def _catalog_predictions(user_id: int, rated: dict[int, float], title_ids: list[int]) -> dict[int, float]:
    """Raw predictions for these titles (rated ones left out), cached per person, model and
    ratings; only titles not cached yet go through the model, in one vectorised call."""
    version = model_active_key()
    if version is None:
        return {}
    digest = hashlib.blake2b(repr(sorted(rated.items())).encode(), digest_size=8).hexdigest()
    key = f"recs:predicted:{user_id}:{version}:{digest}"
    known: dict[int, float] = {}
    cached = cache.get(key)
    if cached is not None:
        ids, values = cached
        known = dict(
            zip(
                np.frombuffer(ids, dtype=np.int64).tolist(),
                np.frombuffer(values, dtype=np.float64).tolist(),
                strict=True,
            )
        )
    missing = [t for t in title_ids if t not in known and t not in rated]
    if missing:
        try:
            fresh = _predict_raw(rated, missing)
        except Exception:
            logger.exception("recs: catalog predictions failed; popularity order")
            return known
        if fresh:
            known.update(fresh)
            cache.set(
                key,
                (
                    np.fromiter(known, dtype=np.int64, count=len(known)).tobytes(),
                    np.fromiter(known.values(), dtype=np.float64, count=len(known)).tobytes(),
                ),
                PREDICTED_SORT_TTL_S,
            )
    return known


@dataclass(frozen=True)
class PredictionWhy:
    stars: float
    title_mean: float | None  # what people usually give it (model baseline); None if nobody rated it
    person_lean: float  # how far above (+) or below (−) the usual the person rates
    because: list[tuple[Title, float]]  # rated titles most like it, with the person's stars


def predicted_rating_why(
    *, user_id: int | None, title_id: int, rated: Mapping[int, float] | None = None
) -> PredictionWhy | None:
    """A title's predicted stars for a person, with what the prediction rests on (title page).

    ``rated``: the person's ratings when the page has read them already (``rated_stars_for_user``).
    """
    if not user_id:
        return None
    rated = dict(rated) if rated is not None else _rated_stars(user_id)
    if len(rated) < PREDICTION_MIN_RATINGS or title_id in rated:
        return None
    try:
        model = rating_model_active_load()
        if model is None:
            return None
        raw = _predict_raw(rated, [title_id]).get(title_id)
        parts = model.explain(rated, title_id)
    except Exception:
        logger.exception("recs: rating prediction failed")
        return None
    if raw is None:
        return None
    pairs = parts["because"] if parts is not None else _content_because(rated, title_id)
    titles = title_cards(title_ids=[t for t, _ in pairs])
    because = [(titles[t], s) for t, s in pairs if t in titles]
    return PredictionWhy(
        stars=stars_display(raw),
        title_mean=stars_display(parts["title_mean"]) if parts else None,
        person_lean=round(parts["person_lean"], 1) if parts else 0.0,
        because=because,
    )


def _content_because(rated: dict[int, float], title_id: int, k: int = 3) -> list[tuple[int, float]]:
    """The person's rated titles most like one nobody rated (content neighbours), with stars."""
    recs = model_active_load()
    position = recs.position(title_id) if recs is not None else None
    if recs is None or position is None:
        return []
    row = recs.content.getrow(position)
    ids = recs.title_ids
    order = np.argsort(-row.data, kind="stable")
    neighbours = [int(ids[j]) for j in row.indices[order]]
    return [(t, rated[t]) for t in neighbours if t in rated][:k]
