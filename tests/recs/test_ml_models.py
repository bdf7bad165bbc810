from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from apps.recs.ml.blend import blend_collaborative
from apps.recs.ml.blend import blend_weights
from apps.recs.ml.blend import rank_normalise
from apps.recs.ml.blend import zscore_rows
from apps.recs.ml.collaborative import EaseParams
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ease_fit
from apps.recs.ml.collaborative import ease_sparsify
from apps.recs.ml.collaborative import ials_fit
from apps.recs.ml.collaborative import time_local_gram
from apps.recs.ml.content import TitleText
from apps.recs.ml.content import content_matrix
from apps.recs.ml.content import similar_items
from apps.recs.ml.runtime import REASON_LIKED
from apps.recs.ml.runtime import RecModel


def _two_clusters():
    users, items = [], []
    for u in range(10):
        block = range(0, 5) if u < 5 else range(5, 10)
        for i in block:
            if (u + i) % 5:
                users.append(u)
                items.append(i)
    return np.array(users), np.array(items)


def test_ease_links_items_of_the_same_cluster():
    users, items = _two_clusters()
    model = ease_fit(
        users=users,
        items=items,
        times=np.zeros(len(users), np.int64),
        strengths=None,
        n_users=10,
        n_items=10,
        params=EaseParams(l2=1.0, time_weight=0.0),
    )
    b = model.weights
    assert np.allclose(np.diag(b), 0)
    assert b[0, 1:5].mean() > b[0, 5:].mean()


def test_ease_keeps_only_the_most_interacted_items_when_capped():
    users, items = _two_clusters()
    items = np.where(items == 9, 9, items)
    model = ease_fit(
        users=users,
        items=items,
        times=np.zeros(len(users), np.int64),
        strengths=None,
        n_users=10,
        n_items=12,  # items 10 and 11 never seen
        params=EaseParams(l2=1.0, time_weight=0.0, max_items=6),
    )
    assert len(model.item_index) == 6
    assert model.weights.shape == (6, 6)


def test_time_local_gram_weights_close_pairs_more():
    users = np.array([0, 0, 0])
    items = np.array([0, 1, 2])
    times = np.array([0, 10, 100_000])
    g = time_local_gram(users, items, times, 3, scale_s=60)
    assert g[0, 1] == pytest.approx(np.exp(-10 / 60))
    assert g[0, 2] < 1e-6
    assert g[0, 0] == pytest.approx(1.0)


def test_sparsify_keeps_top_neighbours_per_row():
    from apps.recs.ml.collaborative import EaseModel

    b = np.array([[0, 3, 1, 2], [1, 0, 5, 4], [0, 0, 0, 1], [2, 1, 0, 0]], dtype=np.float32)
    s = ease_sparsify(EaseModel(np.arange(4), b), 2).toarray()
    assert (s != 0).sum(axis=1).tolist() == [2, 2, 1, 2]
    assert s[1, 2] == 5


def test_content_matches_korean_overviews_by_character_ngrams():
    titles = [
        TitleText(genres=("Horror",), overview="귀신이 나오는 오래된 집"),
        TitleText(genres=("Horror",), overview="오래된 집에서 귀신을 만나다"),
        TitleText(genres=("Romance",), overview="바닷가에서 시작된 첫사랑"),
    ]
    idx, _ = similar_items(content_matrix(titles), np.array([0]), 1)
    assert idx.tolist() == [[1]]


def test_content_tags_never_match_overview_words():
    titles = [
        TitleText(genres=("Drama",)),
        TitleText(overview="drama drama"),
        TitleText(genres=("Drama",), people=("Bong Joon-ho",)),
    ]
    m = content_matrix(titles)
    assert (m[0] @ m[1].T).toarray()[0, 0] == 0
    assert (m[0] @ m[2].T).toarray()[0, 0] > 0


def test_blend_shifts_weight_to_collaborative_as_history_grows():
    assert blend_weights(0, True)[0] == 0
    assert blend_weights(3, True)[0] < blend_weights(30, True)[0]
    assert sum(blend_weights(7, True)) == pytest.approx(1.0)
    assert rank_normalise(np.array([0.1, 0.9, 0.5])).tolist() == pytest.approx([1 / 3, 1.0, 2 / 3])


def _runtime_model() -> RecModel:
    n = 4
    item_item = sp.csr_matrix(
        np.array([[0, 0.9, 0, 0], [0.9, 0, 0, 0], [0, 0, 0, 0.5], [0, 0, 0.5, 0]], np.float32)
    )
    content = sp.csr_matrix((n, n), dtype=np.float32)
    return RecModel(np.array([10, 11, 12, 13]), item_item, content, np.array([1, 2, 3, 4], np.float32))


def test_runtime_model_round_trips_through_bytes_and_explains_picks():
    model = RecModel.from_bytes(_runtime_model().to_bytes())
    picks = model.score({10: 1.0}, exclude={13}, k=3)
    assert picks[0][0] == 11
    assert picks[0][2] == REASON_LIKED
    assert picks[0][3] == 10
    assert 10 not in [p[0] for p in picks]
    assert 13 not in [p[0] for p in picks]
    assert model.similar(10, 2)[0][0] == 11


def test_runtime_model_rejects_corrupt_bytes():
    with pytest.raises(Exception):  # noqa: B017, PT011 - numpy raises various errors for garbage
        RecModel.from_bytes(b"not an npz")


def test_ials_ranks_the_missing_title_of_ones_own_cluster_first():
    users, items = _two_clusters()
    matrix = sp.csr_matrix((np.ones(len(users)), (users, items)), shape=(10, 10))
    model = ials_fit(matrix=matrix, params=IalsParams(dim=4, alpha=10.0, l2=0.1, iterations=10, chunk=3))
    scores = model.user_factors @ model.item_factors.T
    assert model.user_factors.shape == (10, 4)
    assert model.item_factors.shape == (10, 4)
    for u in range(10):
        unseen = [i for i in range(10) if matrix[u, i] == 0]
        best = max(unseen, key=lambda i: scores[u, i])
        assert (best < 5) == (u < 5)  # the skipped title of the own block beats the other block


def test_ials_leaves_people_and_titles_without_interactions_at_zero():
    matrix = sp.csr_matrix((np.ones(2), ([0, 1], [0, 1])), shape=(3, 3))
    model = ials_fit(matrix=matrix, params=IalsParams(dim=2, iterations=2))
    assert not model.user_factors[2].any()
    assert not model.item_factors[2].any()


def test_zscore_rows_standardises_unseen_and_sinks_seen():
    scores = np.array([[1.0, 2.0, 3.0, 100.0], [5.0, 5.0, 5.0, 5.0], [1.0, 2.0, 3.0, 4.0]])
    seen = np.array([[False, False, False, True], [False] * 4, [True] * 4])
    z = zscore_rows(scores, seen)
    assert z[0, :3].mean() == pytest.approx(0.0, abs=1e-6)
    assert z[0, :3].std() == pytest.approx(1.0, abs=1e-6)
    assert z[0, 3] < -1e6  # seen: never ranked, however high its raw score
    assert np.all(z[1] == 0.0)  # constant row: no division by zero
    assert np.all(z[2] < -1e6)  # nothing unseen: no NaN, no warning


def test_blend_collaborative_prefers_the_title_both_models_like():
    seen = np.zeros((1, 3), dtype=bool)
    ease = np.array([[3.0, 2.0, 0.0]])  # EASE's favourite: 0
    ials = np.array([[0.0, 2.0, 3.0]])  # iALS's favourite: 2
    assert np.argmax(blend_collaborative(ease, ials, seen, ials_weight=0.0)) == 0
    assert np.argmax(blend_collaborative(ease, ials, seen, ials_weight=1.0)) == 2
    assert np.argmax(blend_collaborative(ease, ials, seen)) == 1  # second for both, first together
