from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from apps.recs.ml.blend import BlendParams
from apps.recs.ml.blend import blend
from apps.recs.ml.blend import blend_collaborative
from apps.recs.ml.blend import standardise
from apps.recs.ml.blend import zscore_rows
from apps.recs.ml.collaborative import EaseModel
from apps.recs.ml.collaborative import EaseParams
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ease_fit
from apps.recs.ml.collaborative import ease_sparsify
from apps.recs.ml.collaborative import ials_fit
from apps.recs.ml.collaborative import ials_fold_in
from apps.recs.ml.collaborative import ials_gram
from apps.recs.ml.collaborative import time_local_gram
from apps.recs.ml.content import TitleText
from apps.recs.ml.content import content_matrix
from apps.recs.ml.content import similar_items
from apps.recs.ml.runtime import REASON_LIKED
from apps.recs.ml.runtime import Factors
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


def _binary_ease(
    users: np.ndarray, items: np.ndarray, *, n_users: int, n_items: int, **params: float
) -> EaseModel:
    """EASE on unweighted interactions with the time-local term off (λ = 1 unless given)."""
    return ease_fit(
        users=users,
        items=items,
        times=np.zeros(len(users), np.int64),
        strengths=None,
        n_users=n_users,
        n_items=n_items,
        params=EaseParams(**{"l2": 1.0, "time_weight": 0.0, **params}),
    )


def test_ease_links_items_of_the_same_cluster():
    users, items = _two_clusters()
    model = _binary_ease(users, items, n_users=10, n_items=10)
    b = model.weights
    assert np.allclose(np.diag(b), 0)
    assert b[0, 1:5].mean() > b[0, 5:].mean()


def test_ease_keeps_only_the_most_interacted_items_when_capped():
    users, items = _two_clusters()
    items = np.where(items == 9, 9, items)
    model = _binary_ease(users, items, n_users=10, n_items=12, max_items=6)  # items 10 and 11 never seen
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


def test_blend_lets_popularity_lead_a_short_history_and_collaborative_a_long_one():
    # given: the collaborative model's favourite (0) is the least popular title
    collaborative = np.array([5.0, 1.0, 0.5, 0.2, 0.1])
    popularity = np.array([1.0, 5000.0, 40.0, 30.0, 20.0])
    content = np.zeros(5)
    seen = np.zeros(5, dtype=bool)

    def best(n_history: int) -> int:
        scores = blend(
            collaborative=collaborative,
            collaborative_known=np.ones(5, dtype=bool),
            content=content,
            popularity=popularity,
            n_history=n_history,
            seen=seen,
        )
        return int(np.argmax(scores))

    # then
    assert best(1) == 1
    assert best(200) == 0
    assert BlendParams().popularity_weight(1) > BlendParams().popularity_weight(50)


def test_blend_keeps_the_collaborative_top_ahead_of_a_content_tie_breaker():
    # Rank-normalised blending let 10% of content outvote the collaborative favourite.
    collaborative = np.array([10.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    content = np.array([0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    scores = blend(
        collaborative=collaborative,
        collaborative_known=np.ones(8, dtype=bool),
        content=content,
        popularity=np.ones(8),
        n_history=100,
        seen=np.zeros(8, dtype=bool),
    )
    assert int(np.argmax(scores)) == 0


def test_blend_without_collaborative_signal_ranks_by_popularity():
    scores = blend(
        collaborative=None,
        collaborative_known=None,
        content=np.zeros(3),
        popularity=np.array([1.0, 9.0, 3.0]),
        n_history=0,
        seen=np.zeros(3, dtype=bool),
    )
    assert np.argsort(-scores).tolist() == [1, 2, 0]


def test_standardise_scores_candidates_and_puts_the_rest_at_their_minimum():
    out = standardise(np.array([1.0, 2.0, 3.0, 100.0]), np.array([True, True, True, False]))
    assert out[:3].mean() == pytest.approx(0.0)
    assert out[:3].std() == pytest.approx(1.0)
    assert out[3] == pytest.approx(out[:3].min())


def _runtime_model(factors: Factors | None = None) -> RecModel:
    n = 4
    item_item = sp.csr_matrix(
        np.array([[0, 0.9, 0, 0], [0.9, 0, 0, 0], [0, 0, 0, 0.5], [0, 0, 0.5, 0]], np.float32)
    )
    content = sp.csr_matrix((n, n), dtype=np.float32)
    popularity = np.ones(n, np.float32)  # flat: a one-title history would otherwise follow it
    return RecModel(np.array([10, 11, 12, 13]), item_item, content, popularity, factors=factors)


def test_runtime_model_round_trips_through_bytes_and_explains_picks():
    model = RecModel.from_bytes(_runtime_model().to_bytes())
    picks = model.score({10: 1.0}, exclude={13}, k=3)
    assert picks[0][0] == 11
    assert picks[0][2] == REASON_LIKED
    assert picks[0][3] == 10
    assert 10 not in [p[0] for p in picks]
    assert 13 not in [p[0] for p in picks]
    assert model.similar(10, 2)[0][0] == 11


def _factors() -> Factors:
    # titles 10, 11 share one taste direction, 12, 13 the other
    items = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], np.float32)
    return Factors(items=items, gram=ials_gram(items, 0.1), alpha=10.0, weight=0.5)


def test_runtime_model_with_factors_round_trips_and_scores_the_same():
    original = _runtime_model(_factors())
    loaded = RecModel.from_bytes(original.to_bytes())
    assert loaded.factors is not None
    assert np.array_equal(loaded.factors.items, _factors().items)
    assert loaded.factors.weight == 0.5
    assert loaded.score({12: 1.0, 10: 0.4}, exclude=set(), k=4) == original.score(
        {12: 1.0, 10: 0.4}, exclude=set(), k=4
    )


def test_runtime_model_with_factors_ranks_the_own_taste_title_first_from_ials_alone():
    # no EASE link from 12 to 13: only the folded-in factors know they go together
    empty = sp.csr_matrix((4, 4), dtype=np.float32)
    popularity = np.ones(4, np.float32)
    model = RecModel(np.array([10, 11, 12, 13]), empty, empty.copy(), popularity, factors=_factors())
    picks = model.score({12: 1.0}, exclude=set(), k=3)
    assert picks[0][0] == 13


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


def test_ials_fold_in_gives_a_new_person_their_cluster():
    users, items = _two_clusters()
    matrix = sp.csr_matrix((np.ones(len(users)), (users, items)), shape=(10, 10))
    params = IalsParams(dim=4, alpha=10.0, l2=0.1, iterations=10, chunk=3)
    model = ials_fit(matrix=matrix, params=params)
    newcomer = sp.csr_matrix((np.ones(2), ([0, 0], [6, 7])), shape=(1, 10))
    factors = ials_fold_in(
        history=newcomer,
        item_factors=model.item_factors,
        gram=ials_gram(model.item_factors, params.l2),
        params=params,
    )
    scores = (model.item_factors @ factors[0]).tolist()
    unseen = [i for i in range(10) if i not in (6, 7)]
    assert max(unseen, key=lambda i: scores[i]) >= 5  # the second block, like their two titles


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


def test_ease_diagonal_power_below_one_lifts_much_seen_titles_less():
    # given: everyone saw title 0; titles 1-4 were each seen by two people
    users = np.repeat(np.arange(8), 2)
    items = np.array([[0, 1 + u % 4] for u in range(8)]).ravel()
    # when
    fit = {
        power: _binary_ease(users, items, n_users=8, n_items=5, diagonal_power=power).weights
        for power in (1.0, 0.5)
    }
    # then: the same weights up to one factor per column, smallest for the much-seen title
    popular = fit[0.5][1:, 0] / fit[1.0][1:, 0]
    rarer = fit[0.5][0, 1:] / fit[1.0][0, 1:]
    assert np.allclose(popular, popular[0])
    assert np.allclose(rarer, rarer[0])
    assert popular[0] < rarer[0]
