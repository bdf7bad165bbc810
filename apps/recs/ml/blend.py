"""Blending collaborative, content and popularity scores, and cold start.

Each source is standardised per person over the titles they have not seen (z-scores), then
added with weights: collaborative 1, content a constant share, popularity a share that
shrinks as a person's history grows (w = scale / n^power). Rank-normalising instead (the
earlier blend) squeezed the collaborative model's confident top into a sliver of [0, 1], so
even 10% of content rank outweighed it. Through the served code on seed-2020 validation
(NDCG@10; people cut to their first 1 / 3 / 10 titles, then whole histories), with the same
EASE artifact: rank blend 0.0812 / 0.0791 / 0.0856 / 0.2138, this blend 0.1231 / 0.1383 /
0.1669 / 0.2691; popularity alone 0.1222, EASE alone 0.2674.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BlendParams:
    """Chosen on MovieLens validation (seeds 2020 and 2021) through the served code, with
    people cut to their first 1, 3, 5 and 10 titles as well as whole histories."""

    popularity_scale: float = 40.0
    popularity_power: float = 1.0
    content: float = 0.25

    def popularity_weight(self, n_history: int) -> float:
        return self.popularity_scale / max(n_history, 1) ** self.popularity_power


# Popularity is standardised in log space with at least this spread: MovieLens' log counts
# have sd 1.45 (the floor changes nothing there), but a young catalog whose counts are
# all alike would otherwise have a difference of one rating blown up to a full unit.
LOG_POPULARITY_MIN_STD = 1.0
# Popularity's share (of its usual weight) for history the collaborative model cannot read:
# enough to break ties between equally similar titles, too little to bury them under hits.
POPULARITY_WITHOUT_CF = 0.1


def standardise(scores: np.ndarray, candidates: np.ndarray, min_std: float = 0.0) -> np.ndarray:
    """z-scores over ``candidates`` (sd at least ``min_std``); the rest get their minimum."""
    out = np.zeros(len(scores), dtype=np.float64)
    if not candidates.any():
        return out
    values = scores[candidates].astype(np.float64)
    std = max(float(values.std()), min_std)
    z = (values - values.mean()) / (std if std > 0 else 1.0)
    out[:] = z.min()
    out[candidates] = z
    return out


def blend(
    *,
    collaborative: np.ndarray | None,
    collaborative_known: np.ndarray | None,
    content: np.ndarray,
    popularity: np.ndarray,
    n_history: int,
    seen: np.ndarray,
    params: BlendParams | None = None,
    known_share: float = 1.0,
) -> np.ndarray:
    """One score per title; ``seen`` (the person's history) only leaves the statistics.

    ``known_share`` is the part of the person's history (by strength) on titles the
    collaborative model knows. Where it knows nothing, content carries the ranking: the
    collaborative term shrinks to that share, content stands in for it (for the person and
    for titles the model never saw), and popularity counts far less. A MovieLens person
    (share 1) is ranked exactly as before; someone who rated only Korean titles the model
    never saw (share 0) is ranked by what those titles are like.
    """
    params = params or BlendParams()
    unseen = ~seen
    pop = standardise(np.log1p(np.maximum(popularity, 0.0)), unseen, LOG_POPULARITY_MIN_STD)
    text = standardise(content, unseen)
    has_cf = collaborative is not None and collaborative_known is not None and bool(collaborative_known.any())
    if not has_cf:
        if not n_history:
            return pop
        # No collaborative signal: content leads, popularity breaks its ties.
        return text + POPULARITY_WITHOUT_CF * pop
    share = min(max(known_share, 0.0), 1.0)
    cf = standardise(collaborative, collaborative_known & unseen)  # type: ignore[arg-type, operator]
    if share < 1.0:
        # Titles the model never saw get their content score in place of a collaborative one.
        cf = np.where(collaborative_known, cf, text)  # type: ignore[arg-type]
    pop_weight = params.popularity_weight(n_history) * (share + (1.0 - share) * POPULARITY_WITHOUT_CF)
    return share * cf + (params.content + (1.0 - share)) * text + pop_weight * pop


def zscore_rows(scores: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Standardise each row over its unseen entries; seen entries get a very low score.

    Puts two collaborative models on one scale per person, so a fixed weight means the
    same for everyone whatever each model's raw range.
    """
    s = np.array(scores, dtype=np.float64)
    s[seen] = np.nan
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a row with nothing unseen
        mean = np.nanmean(s, axis=1, keepdims=True)
        std = np.nanstd(s, axis=1, keepdims=True)
        out = (s - mean) / np.where(std > 0, std, 1.0)
    return np.nan_to_num(out, nan=-1e9).astype(np.float32)


def blend_collaborative(
    ease_scores: np.ndarray, ials_scores: np.ndarray, seen: np.ndarray, ials_weight: float = 0.5
) -> np.ndarray:
    """(1 - w)·z(EASE) + w·z(iALS) per person; w = 0.5 chosen on validation (seeds 2020-2022,
    mean valid NDCG@10 0.2743 against 0.2737 at w = 0.4 and 0.2740 at 0.6)."""
    return (1.0 - ials_weight) * zscore_rows(ease_scores, seen) + ials_weight * zscore_rows(ials_scores, seen)
