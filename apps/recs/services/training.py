"""Nightly training: gather interactions, fit the models, store a versioned artifact,
switch the active version atomically and precompute everyone's top 100 into Redis."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Title
from apps.recs.ml.collaborative import EaseParams
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ease_fit
from apps.recs.ml.collaborative import ease_sparsify
from apps.recs.ml.collaborative import ials_fit
from apps.recs.ml.collaborative import ials_gram
from apps.recs.ml.collaborative import interaction_matrix
from apps.recs.ml.content import CONTENT_NEIGHBOURS
from apps.recs.ml.content import TitleText
from apps.recs.ml.content import content_neighbours
from apps.recs.ml.rating import RatingModel
from apps.recs.ml.rating import rating_model_fit
from apps.recs.ml.runtime import ARTIFACT_FORMAT_VERSION
from apps.recs.ml.runtime import Factors
from apps.recs.ml.runtime import RecModel
from apps.recs.models import Event
from apps.recs.models import EventKind
from apps.recs.models import ModelArtifact
from apps.recs.services.ops import training_lock
from apps.recs.services.serving import EVENT_STRENGTH
from apps.recs.services.serving import rating_strength
from apps.recs.services.serving import recs_top_precompute
from apps.social.models import Rating

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]
# Fewer ratings than this fit no rating predictor: there is nothing to learn a bias from, and
# a prediction from a handful of ratings would be a guess shown as a fact.
RATING_MODEL_MIN_RATINGS = 200
# The steps ``recs_model_train`` reports through ``progress`` (for a progress bar's length).
TRAINING_STEPS = 8


@dataclass(frozen=True)
class InteractionArrays:
    users: np.ndarray  # user ids
    titles: np.ndarray  # title ids
    strengths: np.ndarray
    times: np.ndarray  # Unix seconds


def interactions_collect(*, since: dt.datetime | None = None) -> InteractionArrays:
    """One row per (user, title): the strongest signal, at its earliest time, decayed by age."""
    best: dict[tuple[int, int], list[float]] = {}

    def add(user_id: int, title_id: int, strength: float, when: dt.datetime) -> None:
        ts = when.timestamp()
        row = best.get((user_id, title_id))
        if row is None:
            best[(user_id, title_id)] = [strength, ts]
        else:
            row[0] = max(row[0], strength)
            row[1] = min(row[1], ts)

    ratings = Rating.objects.all()
    if since:
        ratings = ratings.filter(created_at__gte=since)
    for user_id, title_id, half_stars, created_at in ratings.values_list(
        "user_id", "title_id", "half_stars", "created_at"
    ).iterator(chunk_size=20_000):
        add(user_id, title_id, rating_strength(half_stars), created_at)
    events = Event.objects.filter(user__isnull=False, kind__in=list(EVENT_STRENGTH), title__isnull=False)
    if since:
        events = events.filter(occurred_at__gte=since)
    for user_id, title_id, kind, occurred_at, dwell in events.values_list(
        "user_id", "title_id", "kind", "occurred_at", "dwell_ms"
    ).iterator(chunk_size=20_000):
        strength = EVENT_STRENGTH[kind]
        if kind == EventKind.VIEW and dwell:
            strength += 0.3 * min(dwell / 60_000, 1.0)
        add(user_id, title_id, strength, occurred_at)
    if not best:
        empty = np.zeros(0, dtype=np.int64)
        return InteractionArrays(empty, empty, np.zeros(0, np.float32), empty)
    keys = np.array(list(best.keys()), dtype=np.int64)
    vals = np.array(list(best.values()), dtype=np.float64)
    times = vals[:, 1]
    # Recency: half the weight every RECS_HALF_LIFE_DAYS before the newest interaction.
    age_days = (times.max() - times) / 86400
    decay = 0.5 ** (age_days / settings.RECS_HALF_LIFE_DAYS)
    return InteractionArrays(
        users=keys[:, 0],
        titles=keys[:, 1],
        strengths=(vals[:, 0] * decay).astype(np.float32),
        times=times.astype(np.int64),
    )


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _original_language(title: Title) -> str:
    """ "ko" when the original title is written in Hangul (a Korean film or series), else ""."""
    original = title.title_original or ("" if title.title_en and not title.title_ko else title.title_ko)
    return "ko" if original and _HANGUL.search(original) else ""


def _title_texts(title_ids: np.ndarray) -> list[TitleText]:
    genres: dict[int, list[str]] = {}
    for title_id, name in Title.genres.through.objects.values_list("title_id", "genre__name_en"):
        genres.setdefault(title_id, []).append(name)
    people: dict[int, list[str]] = {}
    directors: dict[int, list[str]] = {}
    for title_id, name, role in Credit.objects.filter(order__lt=8).values_list(
        "title_id", "person__name", "role"
    ):
        people.setdefault(title_id, []).append(name)
        if role == CreditRole.DIRECTOR:
            directors.setdefault(title_id, []).append(name)
    fields = Title.objects.in_bulk(title_ids.tolist(), field_name="id")
    texts = []
    for tid in title_ids.tolist():
        title = fields[tid]
        texts.append(
            TitleText(
                genres=tuple(genres.get(tid, ())),
                people=tuple(people.get(tid, ())),
                overview=title.overview,
                names=tuple(n for n in (title.title_ko, title.title_en) if n),
                directors=tuple(directors.get(tid, ())),
                language=_original_language(title),
                decade=(title.year // 10) * 10 if title.year else None,
                media_type=title.media_type,
            )
        )
    return texts


def _factors_fit(
    *, users: np.ndarray, items: np.ndarray, strengths: np.ndarray, n_users: int, n_items: int
) -> Factors:
    params = IalsParams(**settings.RECS_IALS_PARAMS)
    matrix = interaction_matrix(users, items, strengths, n_users, n_items)
    fitted = ials_fit(matrix=matrix, params=params)
    return Factors(
        items=fitted.item_factors,
        gram=ials_gram(fitted.item_factors, params.l2),
        alpha=params.alpha,
        weight=settings.RECS_IALS_WEIGHT,
    )


def recs_model_build(
    *, params: EaseParams | None = None, progress: Progress | None = None
) -> tuple[RecModel, dict]:
    """Fit collaborative (EASE + iALS) and content models from everything in the database."""
    say = progress or (lambda _msg: None)
    params = params or EaseParams(**settings.RECS_EASE_PARAMS)
    started = time.perf_counter()
    title_ids = np.array(sorted(Title.objects.values_list("id", flat=True)), dtype=np.int64)
    n = len(title_ids)
    say(f"catalog: {n} titles")
    data = interactions_collect()
    say(f"interactions: {len(data.users)} (user, title) pairs")
    pos = np.searchsorted(title_ids, data.titles)
    user_ids, user_index = np.unique(data.users, return_inverse=True)
    item_item = sp.csr_matrix((n, n), dtype=np.float32)
    factors = None
    if len(data.users) and n:
        fitted = ease_fit(
            users=user_index,
            items=pos,
            times=data.times,
            strengths=data.strengths,
            n_users=len(user_ids),
            n_items=n,
            params=params,
        )
        small = ease_sparsify(fitted, params.neighbours).tocoo()
        keep = fitted.item_index
        item_item = sp.csr_matrix((small.data, (keep[small.row], keep[small.col])), shape=(n, n))
        say(f"collaborative: EASE over {len(keep)} titles in {time.perf_counter() - started:.1f}s")
        factors = _factors_fit(
            users=user_index, items=pos, strengths=data.strengths, n_users=len(user_ids), n_items=n
        )
        say(f"collaborative: iALS factors in {time.perf_counter() - started:.1f}s")
    content = content_neighbours(_title_texts(title_ids), CONTENT_NEIGHBOURS) if n else sp.csr_matrix((0, 0))
    say(f"content: TF-IDF neighbours in {time.perf_counter() - started:.1f}s")
    counts = np.bincount(pos, weights=data.strengths, minlength=n).astype(np.float32) if n else np.zeros(0)
    catalog_pop = np.array(
        [p for _, p in sorted(Title.objects.values_list("id", "popularity"))], dtype=np.float32
    )
    # Interactions rank titles; the catalog's own popularity breaks ties and covers an empty log.
    # Scaled into [0, 1e-3] from its own range so it can only break ties: divided by the maximum
    # alone, a catalog whose figures are negative (tests' factories after 1,000 titles) gave
    # each title up to minus several ratings' worth and reordered the picks.
    low = float(catalog_pop.min(initial=0.0))
    spread = max(float(catalog_pop.max(initial=0.0)) - low, 1.0)
    popularity = counts + 1e-3 * (catalog_pop - low) / spread
    model = RecModel(
        title_ids=title_ids, item_item=item_item, content=content, popularity=popularity, factors=factors
    )
    stats = {
        "titles": int(n),
        "users": len(user_ids),
        "interactions": len(data.users),
        "train_s": round(time.perf_counter() - started, 2),
    }
    meta_params = {
        **asdict(params),
        "ials": settings.RECS_IALS_PARAMS,
        "ials_weight": settings.RECS_IALS_WEIGHT,
    }
    return model, {"params": meta_params, "stats": stats}


def rating_model_build(*, progress: Progress | None = None) -> RatingModel | None:
    """Fit the rating predictor on every stored rating, or None with too few of them.

    Ratings of titles since deleted are gone with them (the foreign key cascades); a merged
    title's ratings moved to the survivor with the merge.
    """
    say = progress or (lambda _msg: None)
    rows = np.array(list(Rating.objects.values_list("user_id", "title_id", "half_stars")), dtype=np.int64)
    if len(rows) < RATING_MODEL_MIN_RATINGS:
        say(f"rating: {len(rows)} ratings, too few for a rating model (needs {RATING_MODEL_MIN_RATINGS})")
        return None
    return rating_model_fit(users=rows[:, 0], items=rows[:, 1], stars=rows[:, 2] / 2.0, progress=say)


def recs_model_train(*, as_of: dt.date | None = None, progress: Progress | None = None) -> ModelArtifact:
    """Train, store the artifact for ``as_of`` (rerun overwrites), activate it, precompute top 100.

    Raises ``TrainingAlreadyRunning`` (and changes nothing) while another training runs.
    """
    with training_lock():
        return _train(as_of=as_of, progress=progress)


def _train(*, as_of: dt.date | None, progress: Progress | None) -> ModelArtifact:
    say = progress or (lambda _msg: None)
    as_of = as_of or timezone.localdate()
    model, meta = recs_model_build(progress=say)
    rating = rating_model_build(progress=say)
    payload = model.to_bytes()
    rating_payload = rating.to_bytes() if rating is not None else b""
    stats = {**meta["stats"], "ratings": int(Rating.objects.count())}
    if rating is not None:
        stats["rating_validation"] = rating.validation
    with transaction.atomic():
        ModelArtifact.objects.filter(is_active=True).exclude(as_of=as_of).update(is_active=False)
        artifact, _ = ModelArtifact.objects.update_or_create(
            as_of=as_of,
            defaults={
                "payload": payload,
                "rating_payload": rating_payload,
                "format_version": ARTIFACT_FORMAT_VERSION,
                "params": meta["params"],
                "stats": stats,
                "trained_at": timezone.now(),
                "is_active": True,
            },
        )
    say(f"artifact {as_of}: {(len(payload) + len(rating_payload)) / 1e6:.1f} MB, active")
    written = recs_top_precompute(model=model, version=str(as_of), progress=say)
    say(f"precomputed top {settings.RECS_TOP_N} for {written} users")
    return artifact
