"""Alternatives to the served recommender, scored on validation: the evidence for its settings.

    .venv/bin/python benchmarks/recs_alternatives.py [--seeds 2020,2021,2022]

The served collaborative model (time-local EASE z-blended with iALS, ``benchmarks/recs.py``)
sits on a validation plateau. This script re-runs the model families tried against it on
the shared protocol (shared/recs-eval/README.md) and prints each one's validation NDCG@10
per seed and its mean gain over the served model. Settings are chosen on validation only;
test NDCG@10 is printed beside it for the record, never used to choose.

Families: a penalty on titles first rated after the person's last train rating (release
timing); the "same page" co-occurrence of titles rated in one submission (one timestamp);
an infinitely wide autoencoder (∞-AE, Sachdeva et al. 2022: ridge regression over users
with the one-layer ReLU neural tangent kernel); iALS on a BM25-weighted matrix; and a
gradient-boosted reranker over the top 50 (13 features, trained on validation labels,
scored on validation by 5-fold cross-validation over people).
Last line: one JSON object with the mean validation NDCG@10 of the served model and of the
best alternative, and each family's mean gain.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

from apps.recs.ml.blend import blend_collaborative  # noqa: E402
from apps.recs.ml.blend import zscore_rows  # noqa: E402
from apps.recs.ml.collaborative import EaseParams  # noqa: E402
from apps.recs.ml.collaborative import IalsParams  # noqa: E402
from apps.recs.ml.collaborative import ials_fit  # noqa: E402
from apps.recs.ml.evaluation import TEST  # noqa: E402
from apps.recs.ml.evaluation import TRAIN  # noqa: E402
from apps.recs.ml.evaluation import VALID  # noqa: E402
from apps.recs.ml.evaluation import Split  # noqa: E402
from apps.recs.ml.evaluation import evaluate_scores  # noqa: E402
from apps.recs.ml.evaluation import top_k  # noqa: E402
from apps.recs.offline import collaborative_fit  # noqa: E402
from apps.recs.offline import movielens_split  # noqa: E402

DAY_S = 86_400.0
RERANK_CANDIDATES = 50


@dataclass
class Fitted:
    """One seed's split and the served models' full score matrices (people × titles)."""

    split: Split
    ease: np.ndarray
    ials: np.ndarray
    train_seen: np.ndarray  # bool, train only (what validation masks)
    train_valid_seen: np.ndarray  # bool, train + valid (what test masks)
    strengths: sp.csr_matrix  # train ratings / 5

    def served(self, seen: np.ndarray) -> np.ndarray:
        return blend_collaborative(self.ease, self.ials, seen, settings.RECS_IALS_WEIGHT)

    def for_both(self, score: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """``score(seen)`` for validation (train seen) and for test (train + valid seen)."""
        return score(self.train_seen), score(self.train_valid_seen)

    def served_with(self, other: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
        """The served scores z-blended with ``other`` at ``share``, for validation and test."""
        return self.for_both(lambda seen: (1 - share) * self.served(seen) + share * zscore_rows(other, seen))


def fit_served(seed: int) -> Fitted:
    split = movielens_split(seed=seed)
    fit = collaborative_fit(
        split, params=EaseParams(**settings.RECS_EASE_PARAMS), ials=IalsParams(**settings.RECS_IALS_PARAMS)
    )
    everyone = np.arange(split.n_users)
    return Fitted(
        split=split,
        ease=fit.ease_scores(everyone),
        ials=fit.ials_scores(everyone),
        train_seen=split.matrix(TRAIN).toarray() > 0,
        train_valid_seen=split.matrix([TRAIN, VALID]).toarray() > 0,
        strengths=fit.history,
    )


def ndcg(split: Split, scores: np.ndarray, part: int) -> float:
    return evaluate_scores(lambda batch: scores[batch], split, part)["ndcg10"]


# Each family: fitted → {setting: (validation scores, test scores)}. Scores for validation
# may only use train; scores for test are built the same way with train + valid masked.
Family = Callable[[Fitted], dict[str, tuple[np.ndarray, np.ndarray]]]


def _train_column(f: Fitted, values: np.ndarray, reducer: np.ufunc, fill: float, by_item: bool) -> np.ndarray:
    train = f.split.part == TRAIN
    index = (f.split.item_index if by_item else f.split.user_index)[train]
    out = np.full(f.split.n_items if by_item else f.split.n_users, fill)
    reducer.at(out, index, values[train])
    return out


def release_timing(f: Fitted) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Push down titles nobody rated (in train) until after the person's last train rating."""
    times = f.split.data.timestamps[f.split.perm].astype(np.float64)
    first_rated = _train_column(f, times, np.minimum, np.inf, by_item=True)
    last_active = _train_column(f, times, np.maximum, -np.inf, by_item=False)
    out = {}
    for slack_days in (0, 7):
        late = first_rated[None, :] > last_active[:, None] + slack_days * DAY_S
        out[f"slack {slack_days} d"] = f.for_both(lambda seen, late=late: f.served(seen) - 100 * late)
    return out


def same_page(f: Fitted) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Co-occurrence of titles one person rated in one submission (same timestamp), as kNN."""
    split = f.split
    train = split.part == TRAIN
    keys = split.user_index[train] * 10**10 + split.data.timestamps[split.perm][train]
    _, basket = np.unique(keys, return_inverse=True)
    baskets = sp.csr_matrix(
        (np.ones(len(basket)), (basket, split.item_index[train])), shape=(basket.max() + 1, split.n_items)
    )
    together = (baskets.T @ baskets).toarray()
    np.fill_diagonal(together, 0.0)
    counts = np.maximum(np.asarray(baskets.sum(axis=0)).ravel(), 1.0)
    knn = np.asarray(split.matrix(TRAIN) @ (together / np.sqrt(np.outer(counts, counts))))
    out = {}
    for share in (0.1, 0.2):
        out[f"share {share}"] = f.served_with(knn, share)
    return out


def relu_ntk(x: np.ndarray) -> np.ndarray:
    """Neural tangent kernel of a one-hidden-layer ReLU network between the rows of ``x``."""
    gram = x @ x.T / x.shape[1]
    norms = np.sqrt(np.diag(gram))
    outer = np.outer(norms, norms)
    cosine = np.clip(gram / np.where(outer > 0, outer, 1.0), -1.0, 1.0)
    angle = np.arccos(cosine)
    return outer * (2 * cosine * (np.pi - angle) + np.sin(angle)) / (2 * np.pi)


def infinite_autoencoder(f: Fitted) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """∞-AE: ridge regression over people with the ReLU NTK; λ relative to the mean diagonal."""
    x = f.split.matrix(TRAIN).toarray().astype(np.float64)
    kernel = relu_ntk(x)
    mean_diagonal = float(np.trace(kernel)) / len(kernel)
    out = {}
    for relative_l2 in (1.0, 3.0):
        scores = kernel @ np.linalg.solve(kernel + relative_l2 * mean_diagonal * np.eye(len(kernel)), x)
        out[f"alone λ {relative_l2}"] = (scores, scores)
        out[f"0.2 share λ {relative_l2}"] = f.served_with(scores, 0.2)
    return out


def bm25_weighted(matrix: sp.csr_matrix, k1: float = 100.0, b: float = 0.8) -> sp.csr_matrix:
    """BM25 weights: rare titles count more, long histories a little less (scaled to max 1)."""
    coo = matrix.tocoo()
    n_users, n_items = matrix.shape
    idf = np.maximum(np.log(n_users) - np.log1p(np.bincount(coo.col, minlength=n_items)), 0.1)
    lengths = np.bincount(coo.row, minlength=n_users)
    norm = (1 - b) + b * lengths / lengths.mean()
    data = coo.data * (k1 + 1) / (k1 * norm[coo.row] + coo.data) * idf[coo.col]
    return sp.csr_matrix((data / data.max(), (coo.row, coo.col)), shape=matrix.shape)


def ials_bm25(f: Fitted) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out = {}
    weighted = bm25_weighted(f.strengths)
    for alpha in (30.0, 60.0):
        params = IalsParams(**{**settings.RECS_IALS_PARAMS, "alpha": alpha})
        fitted = ials_fit(matrix=weighted, params=params)
        scores = fitted.user_factors @ fitted.item_factors.T
        out[f"α {alpha:g}, blended"] = f.for_both(
            lambda seen, scores=scores: blend_collaborative(f.ease, scores, seen, settings.RECS_IALS_WEIGHT)
        )
    return out


def _rerank_features(f: Fitted, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates (the served top 50) and their features: scores, ranks, popularity, timing."""
    split = f.split
    train = split.part == TRAIN
    times = split.data.timestamps[split.perm].astype(np.float64)
    ratings = split.data.ratings[split.perm].astype(np.float64)
    item_count = np.bincount(split.item_index[train], minlength=split.n_items).astype(np.float64)
    item_mean = np.bincount(split.item_index[train], weights=ratings[train], minlength=split.n_items)
    item_mean /= np.maximum(item_count, 1.0)
    user_count = np.bincount(split.user_index[train], minlength=split.n_users).astype(np.float64)
    user_mean = (
        np.bincount(split.user_index[train], weights=ratings[train], minlength=split.n_users) / user_count
    )
    first_rated = _train_column(f, times, np.minimum, times.max(), by_item=True)
    last_active = _train_column(f, times, np.maximum, -np.inf, by_item=False)
    first_active = _train_column(f, times, np.minimum, np.inf, by_item=False)
    z_ease, z_ials = zscore_rows(f.ease, seen), zscore_rows(f.ials, seen)
    served = f.served(seen)
    masked = np.where(seen, -np.inf, served)
    candidates = top_k(masked, RERANK_CANDIDATES)
    rows = np.repeat(np.arange(split.n_users), RERANK_CANDIDATES)
    cols = candidates.ravel()

    def rank(z: np.ndarray) -> np.ndarray:
        order = np.argsort(-np.where(seen, -np.inf, z), axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.broadcast_to(np.arange(split.n_items), order.shape), axis=1)
        return ranks[rows, cols]

    features = np.column_stack(
        [
            served[rows, cols],
            z_ease[rows, cols],
            z_ials[rows, cols],
            np.tile(np.arange(RERANK_CANDIDATES), split.n_users),
            np.log1p(rank(z_ease)),
            np.log1p(rank(z_ials)),
            np.log1p(item_count[cols]),
            item_mean[cols],
            np.log1p(user_count[rows]),
            user_mean[rows],
            (first_rated[cols] - last_active[rows]) / DAY_S,
            (last_active[rows] - first_active[rows]) / DAY_S,
            (first_rated[cols] - first_active[rows]) / DAY_S,
        ]
    )
    return features, rows, cols


def reranker(f: Fitted) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Gradient boosting on validation labels; validation scored by 5-fold CV over people."""
    split = f.split
    features, rows, cols = _rerank_features(f, f.train_seen)
    labels = np.asarray(split.matrix(VALID)[rows, cols]).ravel() > 0
    folds = np.random.default_rng(0).integers(0, 5, split.n_users)[rows]

    def model() -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=100, random_state=0
        )

    valid_scores = np.full((split.n_users, split.n_items), -1e9)
    for fold in range(5):
        held = folds == fold
        fitted = model().fit(features[~held], labels[~held])
        valid_scores[rows[held], cols[held]] = fitted.predict_proba(features[held])[:, 1]
    test_features, test_rows, test_cols = _rerank_features(f, f.train_valid_seen)
    fitted = model().fit(features, labels)
    test_scores = np.full((split.n_users, split.n_items), -1e9)
    test_scores[test_rows, test_cols] = fitted.predict_proba(test_features)[:, 1]
    return {"top 50, 13 features": (valid_scores, test_scores)}


FAMILIES: dict[str, Family] = {
    "release timing": release_timing,
    "same-page co-occurrence": same_page,
    "∞-AE (ReLU NTK over people)": infinite_autoencoder,
    "iALS on BM25 weights": ials_bm25,
    "gradient-boosted reranker": reranker,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="2020,2021,2022")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    started = time.perf_counter()
    served_valid: list[float] = []
    gains: dict[str, dict[str, list[float]]] = {}
    for seed in seeds:
        fitted = fit_served(seed)
        base_valid = ndcg(fitted.split, fitted.served(fitted.train_seen), VALID)
        base_test = ndcg(fitted.split, fitted.served(fitted.train_valid_seen), TEST)
        served_valid.append(base_valid)
        print(f"seed {seed}: served model  valid NDCG@10 {base_valid:.4f}  (test {base_test:.4f})")
        for family, run in FAMILIES.items():
            for setting, (valid_scores, test_scores) in run(fitted).items():
                valid = ndcg(fitted.split, valid_scores, VALID)
                test = ndcg(fitted.split, test_scores, TEST)
                gain = valid - base_valid
                gains.setdefault(family, {}).setdefault(setting, []).append(gain)
                print(f"  {family:30s} {setting:22s} valid {valid:.4f} ({gain:+.4f})  (test {test:.4f})")
    print(f"mean gain in validation NDCG@10 over the served model, seeds {args.seeds}:")
    best: dict[str, float] = {}
    for family, settings_gains in gains.items():
        setting, values = max(settings_gains.items(), key=lambda kv: float(np.mean(kv[1])))
        best[family] = round(float(np.mean(values)), 4)
        print(f"  {family:30s} best setting {setting:22s} {best[family]:+.4f}")
    served_mean = float(np.mean(served_valid))
    top_family = max(best, key=lambda name: best[name])
    print(f"{time.perf_counter() - started:.0f}s")
    print(
        json.dumps(
            {
                "served_valid_ndcg10": round(served_mean, 4),
                "best_alternative": top_family,
                "best_alternative_valid_ndcg10": round(served_mean + best[top_family], 4),
                "mean_gain_by_family": best,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
