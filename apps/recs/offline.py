"""Offline evaluation on MovieLens 100K: load the data set, split it, score a model.

Shared by ``manage.py evaluate_recs`` and ``benchmarks/recs.py``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from apps.recs.ml.blend import blend_collaborative
from apps.recs.ml.collaborative import EaseParams
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ease_fit
from apps.recs.ml.collaborative import ease_sparsify
from apps.recs.ml.collaborative import ials_fit
from apps.recs.ml.collaborative import scores_from_history
from apps.recs.ml.evaluation import TEST
from apps.recs.ml.evaluation import TRAIN
from apps.recs.ml.evaluation import VALID
from apps.recs.ml.evaluation import Interactions
from apps.recs.ml.evaluation import Split
from apps.recs.ml.evaluation import evaluate_scores
from apps.recs.ml.evaluation import permutation_for_seed
from apps.recs.ml.evaluation import split_by_user

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


def evaluate_protocol(
    *,
    seed: int = 2020,
    params: EaseParams | None = None,
    rating_strength: bool = True,
    ials: IalsParams | None = None,
) -> ProtocolResult:
    """Fit time-local EASE on train, score validation and test exactly as the protocol says.

    ``rating_strength`` weights each interaction by its rating (stars / 5) in the Gram and
    in the history being scored; the metrics still count every held-out rating as positive.
    With ``ials``, the model scored is the z-scored EASE + iALS blend (offline only: the
    served artifact is still EASE; the serving-form figure stays EASE's).
    """
    params = params or EaseParams()
    split = movielens_split(seed=seed)
    train_rows = split.part == TRAIN
    weights = split.data.ratings[split.perm] / 5.0
    started = time.perf_counter()
    model = ease_fit(
        users=split.user_index[train_rows],
        items=split.item_index[train_rows],
        times=split.data.timestamps[split.perm][train_rows],
        strengths=weights[train_rows] if rating_strength else None,
        n_users=split.n_users,
        n_items=split.n_items,
        params=params,
    )
    strength_matrix = sp.csr_matrix(
        (weights[train_rows], (split.user_index[train_rows], split.item_index[train_rows])),
        shape=(split.n_users, split.n_items),
    )
    factors = ials_fit(matrix=strength_matrix, params=ials) if ials is not None else None
    train_s = time.perf_counter() - started
    history = split.matrix(TRAIN)
    if rating_strength:
        history = history.multiply(0).tocsr() + sp.csr_matrix(
            (weights[train_rows], (split.user_index[train_rows], split.item_index[train_rows])),
            shape=history.shape,
        )
    history = history[:, model.item_index]

    def ease_full(users: np.ndarray) -> np.ndarray:
        out = np.zeros((len(users), split.n_items), dtype=np.float32)
        out[:, model.item_index] = scores_from_history(history[users], model.weights)
        return out

    train_seen = split.matrix(TRAIN)

    def full(users: np.ndarray) -> np.ndarray:
        if factors is None:
            return ease_full(users)
        ials_scores = factors.user_factors[users] @ factors.item_factors.T
        seen = train_seen[users].toarray() > 0
        return blend_collaborative(ease_full(users), ials_scores, seen)

    sparse_b = ease_sparsify(model, params.neighbours)

    def serving(users: np.ndarray) -> np.ndarray:
        out = np.zeros((len(users), split.n_items), dtype=np.float32)
        out[:, model.item_index] = scores_from_history(history[users], sparse_b)
        return out

    counts = np.asarray(split.matrix(TRAIN).sum(axis=0)).ravel()

    def popular(users: np.ndarray) -> np.ndarray:
        return np.tile(counts, (len(users), 1))

    n_train = np.diff(split.matrix(TRAIN).indptr)
    light = n_train <= np.percentile(n_train, 25)
    segments: dict[str, dict[str, float]] = {}
    for name, members in (("light users (bottom 25% by history)", light), ("heavy users (rest)", ~light)):
        segments[name] = {
            "model": evaluate_scores(full, split, TEST, users=np.flatnonzero(members))["ndcg10"],
            "popularity": evaluate_scores(popular, split, TEST, users=np.flatnonzero(members))["ndcg10"],
        }
    return ProtocolResult(
        seed=seed,
        valid=evaluate_scores(full, split, VALID),
        test=evaluate_scores(full, split, TEST),
        serving_test=evaluate_scores(serving, split, TEST),
        popularity_test=evaluate_scores(popular, split, TEST),
        segments=segments,
        train_s=train_s,
    )
