"""The offline evaluation protocol of ``shared/recs-eval/README.md``, as pure numpy.

RecBole 1.2.1's default ml-100k setup: every rating is a positive, rows permuted ("RO"),
split 8:1:1 per user ("RS"), full ranking over all items, metrics @10 averaged over users
with held-out items. Validation masks train items; test masks train + valid items.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

SEED_2020_FINGERPRINT = "0c1462af3ccb8ae47caf6fdb5337f562b219f11e42d4d6dc94feac73d2ab4219"
METRIC_NAMES = ("recall10", "ndcg10", "hit10", "mrr10", "precision10")
TRAIN, VALID, TEST = 0, 1, 2
_PART_NAMES = ("train", "valid", "test")


@dataclass(frozen=True)
class Interactions:
    """Rating rows in file order; ids are the raw data set ids."""

    users: np.ndarray  # int64
    items: np.ndarray  # int64
    ratings: np.ndarray  # float32
    timestamps: np.ndarray  # int64


@dataclass(frozen=True)
class Split:
    """A per-user 8:1:1 split in permuted order, with contiguous user/item indices."""

    perm: np.ndarray  # row order after permutation
    part: np.ndarray  # TRAIN/VALID/TEST per permuted row
    user_index: np.ndarray  # per permuted row, 0..n_users-1
    item_index: np.ndarray  # per permuted row, 0..n_items-1
    user_ids: np.ndarray  # raw id of each user index
    item_ids: np.ndarray  # raw id of each item index
    data: Interactions

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def rows(self, part: int) -> np.ndarray:
        """Positions (into ``data``'s arrays) of the rows of one part, in permuted order."""
        return self.perm[self.part == part]

    def matrix(self, part: int | Sequence[int]) -> sp.csr_matrix:
        """Binary user × item matrix of one or several parts."""
        parts = [part] if isinstance(part, int) else list(part)
        mask = np.isin(self.part, parts)
        rows, cols = self.user_index[mask], self.item_index[mask]
        m = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(self.n_users, self.n_items)
        )
        m.data[:] = 1.0  # duplicates (none in 100K) stay binary
        return m

    def fingerprint(self) -> str:
        """SHA-256 over ``user\\titem\\tpart\\n`` lines in permuted order."""
        digest = hashlib.sha256()
        users = self.data.users[self.perm]
        items = self.data.items[self.perm]
        rows = zip(users.tolist(), items.tolist(), self.part.tolist(), strict=True)
        lines = "".join(f"{u}\t{i}\t{_PART_NAMES[p]}\n" for u, i, p in rows)
        digest.update(lines.encode())
        return digest.hexdigest()


def permutation_for_seed(seed: int, n_rows: int, seed2020_file: Path | None = None) -> np.ndarray:
    """RecBole's row permutation: the shipped torch permutation for 2020, numpy's for other seeds."""
    if seed == 2020 and seed2020_file is not None:
        perm = np.load(seed2020_file).astype(np.int64)
        if len(perm) != n_rows:
            raise ValueError(f"permutation has {len(perm)} rows, data has {n_rows}")
        return perm
    return np.random.default_rng(seed).permutation(n_rows).astype(np.int64)


def split_by_user(data: Interactions, perm: np.ndarray, ratios: tuple[int, int, int] = (8, 1, 1)) -> Split:
    """Group permuted rows by user (stable) and cut each user's rows train/valid/test."""
    if sorted(perm.tolist()) != list(range(len(data.users))):
        raise ValueError("perm is not a permutation of the rows")
    users_p = data.users[perm]
    # Stable sort keeps permuted order within each user.
    order = np.argsort(users_p, kind="stable")
    sorted_users = users_p[order]
    part_sorted = np.empty(len(order), dtype=np.int8)
    boundaries = np.flatnonzero(np.diff(sorted_users)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(order)]])
    total = sum(ratios)
    for start, end in zip(starts, ends, strict=True):
        n = end - start
        counts = [int(r / total * n) for r in ratios]
        counts[0] = n - counts[1] - counts[2]
        # RecBole gives a part whose share lies strictly in (0, 1) one row, taken from train.
        for k in (1, 2):
            share = ratios[k] / total * n
            if counts[k] == 0 and 0 < share < 1 and counts[0] > 1:
                counts[k] += 1
                counts[0] -= 1
        part_sorted[start : start + counts[0]] = TRAIN
        part_sorted[start + counts[0] : start + counts[0] + counts[1]] = VALID
        part_sorted[start + counts[0] + counts[1] : end] = TEST
    part = np.empty(len(order), dtype=np.int8)
    part[order] = part_sorted
    user_ids, user_index = np.unique(users_p, return_inverse=True)
    item_ids, item_index = np.unique(data.items[perm], return_inverse=True)
    return Split(
        perm=perm,
        part=part,
        user_index=user_index.astype(np.int64),
        item_index=item_index.astype(np.int64),
        user_ids=user_ids,
        item_ids=item_ids,
        data=data,
    )


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores per row, best first (ties broken by lower index)."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    return np.take_along_axis(part, order, axis=1)


def metrics_at_k(ranked: np.ndarray, held_out: sp.csr_matrix, k: int = 10) -> dict[str, float]:
    """Recall, NDCG, Hit, MRR and Precision @k averaged over users with held-out items.

    ``ranked`` holds each user's top-k item indices, best first; ``held_out`` is binary.
    """
    per_user = metrics_per_user(ranked, held_out, k)
    return {name: float(values.mean()) if len(values) else 0.0 for name, values in per_user.items()}


def metrics_per_user(ranked: np.ndarray, held_out: sp.csr_matrix, k: int = 10) -> dict[str, np.ndarray]:
    held_out = held_out.tocsr()
    n_held = np.diff(held_out.indptr)
    users = np.flatnonzero(n_held > 0)
    ranked = ranked[users, :k]
    if not len(users):
        return {name: np.zeros(0) for name in METRIC_NAMES}
    hits = np.asarray(held_out[users[:, None], ranked].todense(), dtype=bool)
    n = n_held[users].astype(np.float64)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits * discounts).sum(axis=1)
    idcg = np.cumsum(discounts)[np.minimum(n, k).astype(int) - 1]
    n_hits = hits.sum(axis=1)
    first = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
    mrr = np.where(first > 0, 1.0 / np.maximum(first, 1), 0.0)
    return {
        "recall10": n_hits / n,
        "ndcg10": dcg / idcg,
        "hit10": (n_hits > 0).astype(np.float64),
        "mrr10": mrr,
        "precision10": n_hits / k,
    }


ScoreFn = Callable[[np.ndarray], np.ndarray]


def evaluate_scores(
    score_users: ScoreFn,
    split: Split,
    part: int,
    k: int = 10,
    batch: int = 1024,
    users: np.ndarray | None = None,
) -> dict[str, float]:
    """Rank all items for every user with ``score_users(user_indices) -> scores`` and score a part.

    Validation masks train items; test masks train and valid items. ``users`` restricts
    the average to a segment.
    """
    seen = split.matrix(TRAIN) if part == VALID else split.matrix([TRAIN, VALID])
    held_out = split.matrix(part)
    ranked = np.zeros((split.n_users, k), dtype=np.int64)
    for start in range(0, split.n_users, batch):
        batch_users = np.arange(start, min(start + batch, split.n_users))
        scores = np.array(score_users(batch_users), dtype=np.float64, copy=True)
        block = seen[batch_users]
        scores[np.repeat(np.arange(len(batch_users)), np.diff(block.indptr)), block.indices] = -np.inf
        ranked[batch_users] = top_k(scores, k)
    if users is not None:
        return metrics_at_k(ranked[users], held_out[users], k)
    return metrics_at_k(ranked, held_out, k)
