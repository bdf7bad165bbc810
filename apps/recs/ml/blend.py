"""Blending collaborative, content and popularity scores, and cold start.

Each source is turned into a rank-based score in [0, 1] over the candidates it knows
(so raw scales never matter), then mixed with weights that move from content and
popularity to the collaborative model as a person's history grows.
"""

from __future__ import annotations

import warnings

import numpy as np

# With this many positive interactions the collaborative model carries most of the weight.
FULL_HISTORY = 20


def rank_normalise(scores: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """Map scores to (0, 1] by rank (best = 1); unknown entries get 0."""
    out = np.zeros(len(scores), dtype=np.float32)
    idx = np.flatnonzero(known) if known is not None else np.arange(len(scores))
    if len(idx) == 0:
        return out
    order = np.argsort(-scores[idx], kind="stable")
    ranks = np.empty(len(idx), dtype=np.float32)
    ranks[order] = np.arange(len(idx), dtype=np.float32)
    out[idx] = 1.0 - ranks / len(idx)
    return out


def blend_weights(n_history: int, has_collaborative: bool) -> tuple[float, float, float]:
    """(collaborative, content, popularity) weights for someone with ``n_history`` positives."""
    if not has_collaborative or n_history == 0:
        return (0.0, 0.6, 0.4) if n_history else (0.0, 0.3, 0.7)
    share = min(n_history, FULL_HISTORY) / FULL_HISTORY
    cf = 0.5 + 0.4 * share
    content = 0.3 - 0.2 * share
    return cf, content, 1.0 - cf - content


def blend(
    *,
    collaborative: np.ndarray | None,
    collaborative_known: np.ndarray | None,
    content: np.ndarray,
    popularity: np.ndarray,
    n_history: int,
) -> np.ndarray:
    has_cf = collaborative is not None and collaborative_known is not None and bool(collaborative_known.any())
    w_cf, w_content, w_pop = blend_weights(n_history, has_cf)
    total = w_content * rank_normalise(content, content > 0) + w_pop * rank_normalise(popularity)
    if has_cf:
        total += w_cf * rank_normalise(collaborative, collaborative_known)  # type: ignore[arg-type]
    return total


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
    """(1 - w)·z(EASE) + w·z(iALS) per person; w = 0.5 chosen on seed-2020 validation."""
    return (1.0 - ials_weight) * zscore_rows(ease_scores, seen) + ials_weight * zscore_rows(ials_scores, seen)
