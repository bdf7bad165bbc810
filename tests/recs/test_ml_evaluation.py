from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from apps.recs.ml.evaluation import SEED_2020_FINGERPRINT
from apps.recs.ml.evaluation import TEST
from apps.recs.ml.evaluation import TRAIN
from apps.recs.ml.evaluation import VALID
from apps.recs.ml.evaluation import Interactions
from apps.recs.ml.evaluation import metrics_at_k
from apps.recs.ml.evaluation import split_by_user
from apps.recs.ml.evaluation import top_k
from apps.recs.offline import _with_time_order
from apps.recs.offline import movielens_split


def _held(rows: list[list[int]], n_items: int = 20) -> sp.csr_matrix:
    r = [u for u, items in enumerate(rows) for _ in items]
    c = [i for items in rows for i in items]
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), n_items))


def test_metrics_single_hit_at_rank_one():
    ranked = np.array([[3, 4, 5, 6, 7, 8, 9, 10, 11, 12]])
    m = metrics_at_k(ranked, _held([[3, 15]]))
    assert m["recall10"] == pytest.approx(0.5)
    assert m["precision10"] == pytest.approx(0.1)
    assert m["hit10"] == 1.0
    assert m["mrr10"] == 1.0
    # DCG = 1, IDCG over min(2, 10) positions = 1 + 1/log2(3)
    assert m["ndcg10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_metrics_hit_at_rank_three_and_a_miss_user_averaged():
    ranked = np.array([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    m = metrics_at_k(ranked, _held([[2], [19]]))
    assert m["mrr10"] == pytest.approx((1 / 3 + 0) / 2)
    assert m["hit10"] == pytest.approx(0.5)
    assert m["ndcg10"] == pytest.approx((1 / math.log2(4)) / 2)
    assert m["recall10"] == pytest.approx(0.5)


def test_metrics_skip_users_without_held_out_items():
    ranked = np.array([[0] * 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]])
    m = metrics_at_k(ranked, _held([[], [1]]))
    assert m["hit10"] == 1.0


def test_idcg_caps_at_ten_positions():
    ranked = np.arange(10)[None, :]
    m = metrics_at_k(ranked, _held([list(range(15))]))
    assert m["ndcg10"] == pytest.approx(1.0)
    assert m["recall10"] == pytest.approx(10 / 15)


def test_top_k_orders_best_first_and_breaks_ties_by_index():
    scores = np.array([[0.1, 0.9, 0.5, 0.9, -1.0]])
    assert top_k(scores, 3).tolist() == [[1, 3, 2]]


def test_split_cuts_each_user_8_1_1_in_permuted_order():
    users = np.array([1] * 20 + [2] * 10)
    data = Interactions(users, np.arange(30), np.ones(30, np.float32), np.zeros(30, np.int64))
    perm = np.arange(30)[::-1].copy()
    split = split_by_user(data, perm)
    parts_user1 = split.part[data.users[perm] == 1]
    assert parts_user1.tolist() == [TRAIN] * 16 + [VALID] * 2 + [TEST] * 2
    parts_user2 = split.part[data.users[perm] == 2]
    assert parts_user2.tolist() == [TRAIN] * 8 + [VALID] + [TEST]


def test_split_rejects_a_non_permutation():
    data = Interactions(np.zeros(3, np.int64), np.arange(3), np.ones(3, np.float32), np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="permutation"):
        split_by_user(data, np.array([0, 0, 1]))


def test_movielens_seed_2020_split_matches_the_protocol_fingerprint():
    split = movielens_split(seed=2020)
    assert [(split.part == p).sum() for p in (TRAIN, VALID, TEST)] == [80808, 9596, 9596]
    assert split.fingerprint() == SEED_2020_FINGERPRINT


def test_other_seeds_give_a_different_split_of_the_same_sizes():
    split = movielens_split(seed=2021)
    assert [(split.part == p).sum() for p in (TRAIN, VALID, TEST)] == [80808, 9596, 9596]
    assert split.fingerprint() != SEED_2020_FINGERPRINT


def test_new_user_history_keeps_only_the_first_titles_rated():
    # given: one person who rated titles 0..19 at decreasing times (title 19 first)
    users = np.ones(20, np.int64)
    data = Interactions(users, np.arange(20), np.ones(20, np.float32), np.arange(20)[::-1].copy() * 100)
    split = split_by_user(data, np.arange(20))
    train = split.part == TRAIN
    history = sp.csr_matrix(
        (np.ones(train.sum()), (split.user_index[train], split.item_index[train])), shape=(1, 20)
    )
    # when
    row = _with_time_order(split, history)(0, 3)
    # then: the three earliest train titles, and nothing stored for the rest
    first = sorted(np.flatnonzero(train)[-3:].tolist())  # train rows are 0..15, latest index = earliest
    assert row.nnz == 3
    assert sorted(row.indices.tolist()) == first
    assert _with_time_order(split, history)(0).nnz == train.sum()
