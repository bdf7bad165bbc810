"""Serving-side writes: load the active model (falling back to older ones), compute a
person's picks, and keep their precomputed top 100 in Redis fresh.

Web requests import this module (through the selectors), so it must not import the
training code: that pulls in scikit-learn. Training imports the signal strengths from here.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import IntegerField
from django.db.models import Value

from apps.common.compiled import Compiled
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.recs import buffer
from apps.recs.buffer import Pick
from apps.recs.ml.rating import RatingModel
from apps.recs.ml.runtime import ARTIFACT_FORMAT_VERSION
from apps.recs.ml.runtime import RecModel
from apps.recs.models import Event
from apps.recs.models import EventKind
from apps.recs.models import ModelArtifact
from apps.social.models import DiaryEntry
from apps.social.models import Rating

logger = logging.getLogger(__name__)

# Strength of each positive signal. A rating counts by its stars (5 stars = 1.0, half a
# star = 0.1): on the MovieLens validation split this beat binary ratings (NDCG@10 0.2674
# vs 0.2637) even though every rating counts as a hit. Weaker signals count less.
# Dismissals are negative: they are filtered at serving time rather than learned from.
EVENT_STRENGTH: dict[str, float] = {
    EventKind.LIKE: 1.0,
    EventKind.WATCHLIST_ADD: 0.8,
    EventKind.REC_ACCEPT: 0.8,
    EventKind.LIST_CLICK: 0.3,
    EventKind.SEARCH_CLICK: 0.3,
    EventKind.VIEW: 0.2,  # + up to 0.3 more for a minute of dwell
}


# How strongly a diary entry without a rating counts as history: as if rated 3★.
UNRATED_DIARY_HALF_STARS = 6


def rating_strength(half_stars: int) -> float:
    return half_stars / 10


# Process-wide cache of the loaded artifact, keyed by (id, trained_at) so a retrain or a
# switch of the active version is picked up on the next request. ``rating`` is the same
# artifact's rating predictor (None when it had too few ratings to fit one).
_loaded: dict[str, object] = {"key": None, "model": None, "rating": None}
# Artifacts that failed to load, by cache key: logged once, not re-read on every request.
_refused: set[str] = set()


# Inside one web request the serving artifact is looked up once, however many sections of the
# page ask (the title page asked 3 times, the signed-in front page twice): a retrain or switch
# shows from the next request on. ``apps.recs.middleware.ArtifactPerRequestMiddleware`` opens
# the memo around each view and always closes it; outside it (tasks, commands, streamed
# bodies) every call looks the artifact up.
_request_memo: ContextVar[list[tuple[RecModel, RatingModel | None] | None] | None] = ContextVar(
    "recs_artifact_request_memo", default=None
)


@contextmanager
def artifact_memo_per_request() -> Iterator[None]:
    """Look the serving artifact up at most once inside this block (one web request)."""
    token = _request_memo.set([])
    try:
        yield
    finally:
        _request_memo.reset(token)


def _artifact_load() -> tuple[RecModel, RatingModel | None] | None:
    """The serving artifact, looked up once per web request (see ``_request_memo``)."""
    memo = _request_memo.get()
    if memo is None:
        return _artifact_lookup()
    if not memo:
        memo.append(_artifact_lookup())
    return memo[0]


def _artifact_lookup() -> tuple[RecModel, RatingModel | None] | None:
    """The newest loadable artifact, active one first. One written in another format or that
    fails to parse is refused with its reason logged, and the previous version serves."""
    for artifact_id, trained_at, as_of, format_version in query_run(_artifact_candidates_sql(), {}):
        cache_key = f"{artifact_id}:{trained_at.isoformat()}"
        if _loaded["key"] == cache_key:
            return _loaded["model"], _loaded["rating"]  # type: ignore[return-value]
        if cache_key in _refused:
            continue
        if format_version != ARTIFACT_FORMAT_VERSION:
            logger.error(
                "recs artifact %s refused: written in format %s, this code reads format %s; "
                "serving the previous version until a retrain",
                as_of,
                format_version,
                ARTIFACT_FORMAT_VERSION,
            )
            _refused.add(cache_key)
            continue
        row = ModelArtifact.objects.filter(id=artifact_id).values_list("payload", "rating_payload").first()
        if row is None:  # deleted since the candidates were read
            continue
        payload, rating_payload = row
        try:
            model = RecModel.from_bytes(bytes(payload))
            rating = RatingModel.from_bytes(bytes(rating_payload)) if rating_payload else None
        except Exception:
            logger.exception("recs artifact %s failed to load; trying the previous version", as_of)
            _refused.add(cache_key)
            continue
        _loaded.update(key=cache_key, model=model, rating=rating)
        return model, rating
    return None


@functools.cache
def _artifact_candidates_sql() -> Compiled:
    # Asked on every page that predicts or recommends: compiled once (apps.common.compiled),
    # 0.35 ms of ORM Python down to ~0.1 ms.
    candidates = ModelArtifact.objects.order_by("-is_active", "-as_of")
    return query_compile(candidates.values_list("id", "trained_at", "as_of", "format_version")[:5])


def model_active_load() -> RecModel | None:
    """The serving recommender (see ``_artifact_load``), or None before any training."""
    loaded = _artifact_load()
    return loaded[0] if loaded else None


def rating_model_active_load() -> RatingModel | None:
    """The rating predictor of the serving artifact, or None."""
    loaded = _artifact_load()
    return loaded[1] if loaded else None


def model_active_key() -> str | None:
    """The serving artifact's version ("id:trained_at"), for caches that must not outlive it."""
    return _loaded["key"] if _artifact_load() is not None else None  # type: ignore[return-value]


def user_history(*, user_id: int) -> tuple[dict[int, float], set[int]]:
    """(positive history as title → strength, titles never to recommend again)."""
    history: dict[int, float] = {}
    exclude: set[int] = set()
    ratings = Rating.objects.filter(user_id=user_id).order_by().values_list("title_id", "half_stars")
    # A diary entry is "seen" too (one definition: apps/social/selectors.title_watched_by_user);
    # without a rating of its own it counts as a middling 3★. One query for both.
    diary = (
        DiaryEntry.objects.filter(user_id=user_id)
        .order_by()
        .values_list("title_id", Value(UNRATED_DIARY_HALF_STARS, output_field=IntegerField()))
    )
    for title_id, half_stars in ratings.union(diary, all=True):
        history[title_id] = max(history.get(title_id, 0.0), rating_strength(half_stars))
    for title_id, kind, dwell in Event.objects.filter(user_id=user_id, title__isnull=False).values_list(
        "title_id", "kind", "dwell_ms"
    )[:2000]:
        if kind == EventKind.REC_DISMISS:
            exclude.add(title_id)
            continue
        strength = EVENT_STRENGTH.get(kind, 0.0)
        if kind == EventKind.VIEW and dwell:
            strength += 0.3 * min(dwell / 60_000, 1.0)
        history[title_id] = max(history.get(title_id, 0.0), strength)
    for title_id in exclude:
        history.pop(title_id, None)
    return history, exclude


def recs_user_compute(*, model: RecModel, user_id: int, k: int | None = None) -> list[Pick]:
    history, exclude = user_history(user_id=user_id)
    return model.score(history, exclude, k or settings.RECS_TOP_N)


def recs_top_precompute(
    *, model: RecModel, version: str, progress: Callable[[str], None] | None = None
) -> int:
    """Write every active user's top N into Redis under ``version`` and switch to it."""
    client = buffer.redis_client()
    if client is None:
        return 0
    active = set(Rating.objects.values_list("user_id", flat=True).distinct())
    active |= set(
        Event.objects.filter(user__isnull=False).order_by().values_list("user_id", flat=True).distinct()
    )
    user_ids = sorted(active)[: settings.RECS_PRECOMPUTE_MAX_USERS]
    rows: dict[int, list[Pick]] = {}
    for done, user_id in enumerate(user_ids, start=1):
        rows[user_id] = recs_user_compute(model=model, user_id=user_id)
        if len(rows) >= 500 or done == len(user_ids):
            _write_rows(client, version, rows)
            rows = {}
            if progress:
                progress(f"  top {settings.RECS_TOP_N}: {done}/{len(user_ids)} users")
    # Switch the version pointer last (even with no users) so readers never see a half-written set.
    client.set(buffer.key("top", "version"), version)
    return len(user_ids)


def _write_rows(client: object, version: str, rows: dict[int, list[Pick]]) -> None:
    pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
    for user_id, picks in rows.items():
        pipe.set(buffer.key("top", version, user_id), json.dumps(picks), ex=settings.RECS_TOP_TTL_S)
    pipe.execute()


def recs_user_refresh(*, user_id: int) -> list[Pick]:
    """Light update between nightly runs: recompute one person's list from the item-item matrix."""
    model = model_active_load()
    if model is None:
        return []
    picks = recs_user_compute(model=model, user_id=user_id)
    client = buffer.redis_client()
    if client is not None:
        buffer.top_write_one(client, user_id, picks, settings.RECS_TOP_TTL_S)
    return picks
