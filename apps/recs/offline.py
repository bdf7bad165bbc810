"""Offline evaluation on MovieLens 100K: load the data set, split it, score a model.

Shared by ``manage.py evaluate_recs`` and ``benchmarks/recs.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from apps.recs.ml.evaluation import Interactions
from apps.recs.ml.evaluation import Split
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
