"""Offline evaluation on MovieLens 100K: load the data set, split it, score a model.

Shared by ``manage.py evaluate_recs`` and ``benchmarks/recs.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from django.conf import settings

from apps.recs.ml.blend import blend_collaborative
from apps.recs.ml.collaborative import EaseModel
from apps.recs.ml.collaborative import EaseParams
from apps.recs.ml.collaborative import IalsModel
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ease_fit
from apps.recs.ml.collaborative import ease_sparsify
from apps.recs.ml.collaborative import ials_fit
from apps.recs.ml.collaborative import ials_gram
from apps.recs.ml.collaborative import scores_from_history
from apps.recs.ml.content import CONTENT_NEIGHBOURS
from apps.recs.ml.content import TitleText
from apps.recs.ml.content import content_neighbours
from apps.recs.ml.evaluation import TEST
from apps.recs.ml.evaluation import TRAIN
from apps.recs.ml.evaluation import VALID
from apps.recs.ml.evaluation import Interactions
from apps.recs.ml.evaluation import Split
from apps.recs.ml.evaluation import evaluate_scores
from apps.recs.ml.evaluation import permutation_for_seed
from apps.recs.ml.evaluation import split_by_user
from apps.recs.ml.runtime import Factors
from apps.recs.ml.runtime import RecModel

# torch.randperm(100000) after torch.manual_seed(2020), as RecBole draws it (see the protocol).
SEED_2020_PERMUTATION = Path(__file__).resolve().parent / "ml" / "data" / "ml100k_perm_seed2020.npy"
INTER_SHA256 = "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff"


@lru_cache(maxsize=1)
def movielens_interactions() -> Interactions:
    """MovieLens 100K ratings in file order."""
    from apps.movies.datasets import MovieLens100K

    rows = list(MovieLens100K().ratings())
    return Interactions(
        users=np.fromiter((r.user_id for r in rows), dtype=np.int64, count=len(rows)),
        items=np.fromiter((r.item_id for r in rows), dtype=np.int64, count=len(rows)),
        ratings=np.fromiter((r.rating for r in rows), dtype=np.float32, count=len(rows)),
        timestamps=np.fromiter((r.timestamp for r in rows), dtype=np.int64, count=len(rows)),
    )


def movielens_split(*, seed: int = 2020) -> Split:
    data = movielens_interactions()
    perm = permutation_for_seed(seed, len(data.users), SEED_2020_PERMUTATION)
    return split_by_user(data, perm)


# Reference figures from the protocol README (test, seed 2020): (Recall@10, NDCG@10).
REFERENCE_TEST_2020: dict[str, tuple[float, float]] = {
    "Pop (correct counting)": (0.1278, 0.1418),
    "RecBole ItemKNN": (0.2470, 0.2834),
    "RecBole BPR": (0.2466, 0.2928),
    "RecBole MultiVAE": (0.2473, 0.2854),
    "RecBole LightGCN (patience 50)": (0.2571, 0.3038),
    "RecBole EASE (λ = 250)": (0.2805, 0.3295),
    "numpy EASE, λ = 300": (0.2808, 0.3309),
    "numpy iALS, dim 192": (0.2927, 0.3407),
}


@dataclass
class ProtocolResult:
    seed: int
    valid: dict[str, float]
    test: dict[str, float]
    serving_test: dict[str, float]
    popularity_test: dict[str, float]
    segments: dict[str, dict[str, float]]
    train_s: float
    model: str


@dataclass(frozen=True)
class CollaborativeFit:
    """The collaborative models fitted on one split's train part, and what scoring needs."""

    ease: EaseModel
    ials: IalsModel | None
    history: sp.csr_matrix  # people × titles, train strengths (what each person is scored from)
    ease_history: sp.csr_matrix  # the same, restricted to the titles EASE models
    train_s: float

    def ease_scores(self, batch: np.ndarray) -> np.ndarray:
        """EASE scores of every title for the people in ``batch`` (unmodelled titles: 0)."""
        out = np.zeros((len(batch), self.history.shape[1]), dtype=np.float32)
        out[:, self.ease.item_index] = scores_from_history(self.ease_history[batch], self.ease.weights)
        return out

    def ials_scores(self, batch: np.ndarray) -> np.ndarray:
        if self.ials is None:
            raise ValueError("fitted without iALS")
        return self.ials.user_factors[batch] @ self.ials.item_factors.T


def collaborative_fit(
    split: Split, *, params: EaseParams, ials: IalsParams | None, rating_strength: bool = True
) -> CollaborativeFit:
    """Fit time-local EASE (and iALS when given) on ``split``'s train part, timed.

    ``rating_strength`` weights each interaction by its rating (stars / 5); binary otherwise.
    """
    train_rows = split.part == TRAIN
    weights = split.data.ratings[split.perm] / 5.0 if rating_strength else np.ones(len(split.perm))
    users, items = split.user_index[train_rows], split.item_index[train_rows]
    history = sp.csr_matrix((weights[train_rows], (users, items)), shape=(split.n_users, split.n_items))
    started = time.perf_counter()
    model = ease_fit(
        users=users,
        items=items,
        times=split.data.timestamps[split.perm][train_rows],
        strengths=weights[train_rows] if rating_strength else None,
        n_users=split.n_users,
        n_items=split.n_items,
        params=params,
    )
    fitted = ials_fit(matrix=history, params=ials) if ials is not None else None
    return CollaborativeFit(
        ease=model,
        ials=fitted,
        history=history,
        ease_history=history[:, model.item_index],
        train_s=time.perf_counter() - started,
    )


# A new person: only the first few titles they rated (by time) reach the served model.
NEW_USER_HISTORY = 3


def evaluate_protocol(
    *,
    seed: int = 2020,
    params: EaseParams | None = None,
    rating_strength: bool = True,
    ials: IalsParams | None = None,
    ials_weight: float | None = None,
    ease_only: bool = False,
) -> ProtocolResult:
    """Fit the served collaborative model on train, score validation and test as the protocol says.

    The model is time-local EASE z-blended with iALS (settings ``RECS_EASE_PARAMS``,
    ``RECS_IALS_PARAMS``, ``RECS_IALS_WEIGHT`` unless given); ``ease_only`` scores EASE
    alone. ``rating_strength`` weights each interaction by its rating (stars / 5) in the
    fit and in the history being scored; the metrics still count every held-out rating as
    positive. "Serving form" runs the runtime model the nightly job stores (top-k sparse
    EASE rows, iALS folded in per person, the history-size blend) user by user.
    """
    params = params or EaseParams(**settings.RECS_EASE_PARAMS)
    if not ease_only:
        ials = ials or IalsParams(**settings.RECS_IALS_PARAMS)
    weight = settings.RECS_IALS_WEIGHT if ials_weight is None else ials_weight
    split = movielens_split(seed=seed)
    fit = collaborative_fit(split, params=params, ials=ials, rating_strength=rating_strength)
    train_seen = split.matrix(TRAIN)

    def full(batch: np.ndarray) -> np.ndarray:
        if fit.ials is None:
            return fit.ease_scores(batch)
        seen = train_seen[batch].toarray() > 0
        return blend_collaborative(fit.ease_scores(batch), fit.ials_scores(batch), seen, weight)

    runtime = _runtime_model(split, fit.ease, params, fit.ials, ials, weight)
    served_history = _with_time_order(split, fit.history)

    def serving(batch: np.ndarray, keep: int | None = None) -> np.ndarray:
        return np.stack([runtime.blended_scores(served_history(u, keep)) for u in batch.tolist()])

    counts = np.asarray(train_seen.sum(axis=0)).ravel()

    def popular(batch: np.ndarray) -> np.ndarray:
        return np.tile(counts, (len(batch), 1))

    n_train = np.diff(train_seen.indptr)
    light = np.flatnonzero(n_train <= np.percentile(n_train, 25))
    heavy = np.flatnonzero(n_train >= np.percentile(n_train, 75))
    everyone = np.arange(split.n_users)
    segments: dict[str, dict[str, float]] = {}
    for name, members, score in (
        ("light users (bottom 25% by history)", light, serving),
        ("heavy users (top 25% by history)", heavy, serving),
        (
            f"new users (first {NEW_USER_HISTORY} titles only)",
            everyone,
            lambda batch: serving(batch, NEW_USER_HISTORY),
        ),
    ):
        segments[name] = {
            "model": evaluate_scores(score, split, TEST, users=members)["ndcg10"],
            "popularity": evaluate_scores(popular, split, TEST, users=members)["ndcg10"],
        }
    return ProtocolResult(
        seed=seed,
        valid=evaluate_scores(full, split, VALID),
        test=evaluate_scores(full, split, TEST),
        serving_test=evaluate_scores(serving, split, TEST),
        popularity_test=evaluate_scores(popular, split, TEST),
        segments=segments,
        train_s=fit.train_s,
        model="time-local EASE" if fit.ials is None else f"time-local EASE + iALS ({weight:.0%} iALS)",
    )


def _runtime_model(
    split: Split,
    model: EaseModel,
    params: EaseParams,
    fitted: IalsModel | None,
    ials: IalsParams | None,
    weight: float,
) -> RecModel:
    """The artifact the nightly job would store for this train part.

    Content comes from what MovieLens 100K knows of a film (title and genres); the catalog's
    overviews and cast would only add to it.
    """
    n = split.n_items
    small = ease_sparsify(model, params.neighbours).tocoo()
    keep = model.item_index
    item_item = sp.csr_matrix((small.data, (keep[small.row], keep[small.col])), shape=(n, n))
    counts = np.asarray(split.matrix(TRAIN).sum(axis=0)).ravel().astype(np.float32)
    factors = None
    if fitted is not None and ials is not None:
        gram = ials_gram(fitted.item_factors, ials.l2)
        factors = Factors(items=fitted.item_factors, gram=gram, alpha=ials.alpha, weight=weight)
    return RecModel(
        title_ids=np.arange(n, dtype=np.int64),
        item_item=item_item,
        content=content_neighbours(_movielens_texts(split.item_ids), CONTENT_NEIGHBOURS),
        popularity=counts,
        factors=factors,
    )


def _movielens_texts(item_ids: np.ndarray) -> list[TitleText]:
    from apps.movies.datasets import MovieLens100K

    movies = {m.item_id: m for m in MovieLens100K().movies()}
    return [TitleText(genres=movies[i].genres, names=(movies[i].title,)) for i in item_ids.tolist()]


def _with_time_order(split: Split, history: sp.csr_matrix) -> Callable[[int, int | None], sp.csr_matrix]:
    """A person's train history row, optionally cut to the ``keep`` titles they rated first."""
    train_rows = split.part == TRAIN
    times = sp.csr_matrix(
        (
            split.data.timestamps[split.perm][train_rows].astype(np.float64) + 1.0,
            (split.user_index[train_rows], split.item_index[train_rows]),
        ),
        shape=history.shape,
    )

    def row(user: int, keep: int | None = None) -> sp.csr_matrix:
        h = history[user]
        if keep is None or h.nnz <= keep:
            return h
        t = times[user]
        first = t.indices[np.argsort(t.data, kind="stable")[:keep]]
        mask = np.zeros(h.shape[1], dtype=bool)
        mask[first] = True
        cut = h.multiply(mask[None, :]).tocsr()
        cut.eliminate_zeros()  # multiply keeps the dropped entries as stored zeros
        return cut

    return row
