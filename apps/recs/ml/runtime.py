"""A trained recommender as arrays: pack to / unpack from ``.npz`` bytes, score people.

Everything lives in one item space, the catalog at training time (``title_ids``):
``item_item`` (collaborative, sparse top-k rows of EASE's B) and ``content`` (top-k TF-IDF
neighbours) are sparse titles × titles; ``popularity`` is per title; ``factors`` (optional)
holds iALS item factors, and a person is folded in from their history at request time.
The collaborative score is the z-scored blend of EASE and iALS (``blend_collaborative``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from apps.recs.ml.blend import BlendParams
from apps.recs.ml.blend import blend
from apps.recs.ml.blend import blend_collaborative
from apps.recs.ml.collaborative import IalsParams
from apps.recs.ml.collaborative import ials_fold_in
from apps.recs.ml.collaborative import one_blas_thread

# The artifact layout this code writes and reads. Bump it when arrays are added, renamed or
# change meaning; serving refuses any other version rather than guess (ModelArtifact keeps
# the number too, so the admin shows it).
ARTIFACT_FORMAT_VERSION = 2


class ArtifactVersionError(ValueError):
    """An artifact written in another layout than this code reads."""


REASON_LIKED = "liked"
REASON_SIMILAR = "similar"
REASON_POPULAR = "popular"


@dataclass(frozen=True)
class Factors:
    """iALS item factors and what folding a person in needs."""

    items: np.ndarray  # titles × dim, float32; zero rows for titles nobody interacted with
    gram: np.ndarray  # dim × dim, float64: itemsᵀ·items + λI
    alpha: float  # confidence slope the factors were trained with
    weight: float  # iALS share of the collaborative blend


@dataclass
class RecModel:
    title_ids: np.ndarray  # int64, sorted
    item_item: sp.csr_matrix
    content: sp.csr_matrix
    popularity: np.ndarray  # float32
    factors: Factors | None = None
    blend_params: BlendParams | None = None  # the tuned defaults unless an experiment sets them

    def __post_init__(self) -> None:
        self._pos = {int(t): i for i, t in enumerate(self.title_ids.tolist())}
        self.cf_known = np.asarray((self.item_item != 0).sum(axis=0)).ravel() > 0
        if self.factors is not None:
            self.cf_known |= self.factors.items.any(axis=1)

    def positions(self, title_ids: list[int]) -> np.ndarray:
        return np.array([self._pos[t] for t in title_ids if t in self._pos], dtype=np.int64)

    def position(self, title_id: int) -> int | None:
        return self._pos.get(title_id)

    # -- serialisation ----------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        # Any, not ndarray: numpy's stub types **kwds against savez's allow_pickle flag too.
        arrays: dict[str, Any] = {
            "format_version": np.array([ARTIFACT_FORMAT_VERSION]),
            "title_ids": self.title_ids,
            "popularity": self.popularity,
        }
        for name in ("item_item", "content"):
            m: sp.csr_matrix = getattr(self, name)
            arrays |= {
                f"{name}_data": m.data,
                f"{name}_indices": m.indices,
                f"{name}_indptr": m.indptr,
                f"{name}_shape": np.array(m.shape),
            }
        if self.factors is not None:
            arrays |= {
                "factors_items": self.factors.items,
                "factors_gram": self.factors.gram,
                "factors_alpha_weight": np.array([self.factors.alpha, self.factors.weight]),
            }
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> RecModel:
        with np.load(io.BytesIO(payload), allow_pickle=False) as z:
            version = int(z["format_version"][0]) if "format_version" in z.files else 1
            if version != ARTIFACT_FORMAT_VERSION:
                raise ArtifactVersionError(
                    f"artifact format {version}; this code reads format {ARTIFACT_FORMAT_VERSION}"
                )

            def matrix(name: str) -> sp.csr_matrix:
                return sp.csr_matrix(
                    (z[f"{name}_data"], z[f"{name}_indices"], z[f"{name}_indptr"]),
                    shape=tuple(z[f"{name}_shape"]),
                )

            factors = None
            if "factors_items" in z.files:  # artifacts from before the iALS blend have none
                alpha, weight = z["factors_alpha_weight"].tolist()
                factors = Factors(
                    items=z["factors_items"], gram=z["factors_gram"], alpha=alpha, weight=weight
                )
            model = cls(
                title_ids=z["title_ids"],
                item_item=matrix("item_item"),
                content=matrix("content"),
                popularity=z["popularity"],
                factors=factors,
            )
        n = len(model.title_ids)
        if model.item_item.shape != (n, n) or model.content.shape != (n, n) or len(model.popularity) != n:
            raise ValueError("artifact arrays disagree on the number of titles")
        if factors is not None and (
            len(factors.items) != n or factors.gram.shape != (factors.items.shape[1],) * 2
        ):
            raise ValueError("artifact factors disagree with the catalog")
        return model

    # -- scoring ------------------------------------------------------------------------

    def history_vector(self, history: dict[int, float]) -> sp.csr_matrix:
        pos = [(self._pos[t], w) for t, w in history.items() if t in self._pos]
        cols = np.array([p for p, _ in pos], dtype=np.int64)
        vals = np.array([w for _, w in pos], dtype=np.float32)
        return sp.csr_matrix((vals, (np.zeros(len(cols), np.int64), cols)), shape=(1, len(self.title_ids)))

    def collaborative_scores(self, h: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(scores, known) for one history row: EASE alone, or EASE blended with iALS."""
        ease = np.asarray((h @ self.item_item).todense()).ravel()
        if self.factors is None or h.nnz == 0:
            return ease, (ease != 0) & self.cf_known
        params = IalsParams(dim=self.factors.items.shape[1], alpha=self.factors.alpha)
        user = ials_fold_in(history=h, item_factors=self.factors.items, gram=self.factors.gram, params=params)
        with one_blas_thread():
            ials = self.factors.items @ user[0]
        # Standardise over the titles either model knows, the person's own history left out.
        exclude = ~self.cf_known
        exclude[h.indices] = True
        cf = blend_collaborative(ease[None], ials[None], exclude[None], self.factors.weight)[0]
        return cf, self.cf_known

    def blended_scores(self, h: sp.csr_matrix) -> np.ndarray:
        """Collaborative, content and popularity mixed by history size; history not yet removed."""
        cf, known = self.collaborative_scores(h)
        content = np.asarray((h @ self.content).todense()).ravel()
        seen = np.zeros(len(self.title_ids), dtype=bool)
        seen[h.indices] = True
        total = float(h.data.sum())
        known_share = float(h.data[self.cf_known[h.indices]].sum()) / total if total > 0 else 1.0
        return blend(
            collaborative=cf,
            collaborative_known=known,
            content=content,
            popularity=self.popularity,
            n_history=h.nnz,
            seen=seen,
            params=self.blend_params,
            known_share=known_share,
        )

    def score(
        self, history: dict[int, float], exclude: set[int], k: int
    ) -> list[tuple[int, float, str, int]]:
        """Top-k (title_id, score, reason, reason_title_id) for a person's weighted history."""
        h = self.history_vector(history)
        scores = self.blended_scores(h)
        drop = self.positions(list(exclude | set(history)))
        scores[drop] = -np.inf
        k = min(k, len(scores))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        return self._explain(h, top, scores)

    def _explain(
        self, h: sp.csr_matrix, top: np.ndarray, scores: np.ndarray
    ) -> list[tuple[int, float, str, int]]:
        out: list[tuple[int, float, str, int]] = []
        hist = h.indices
        cf_part = np.asarray(self.item_item[hist][:, top].todense()) * h.data[:, None] if len(hist) else None
        content_part = (
            np.asarray(self.content[hist][:, top].todense()) * h.data[:, None] if len(hist) else None
        )
        for col, j in enumerate(top.tolist()):
            reason, because = REASON_POPULAR, 0
            if cf_part is not None and cf_part[:, col].max() > 0:
                reason, because = REASON_LIKED, int(self.title_ids[hist[int(cf_part[:, col].argmax())]])
            elif content_part is not None and content_part[:, col].max() > 0:
                reason, because = (
                    REASON_SIMILAR,
                    int(self.title_ids[hist[int(content_part[:, col].argmax())]]),
                )
            out.append((int(self.title_ids[j]), round(float(scores[j]), 5), reason, because))
        return out

    def similar(self, title_id: int, k: int) -> list[tuple[int, float]]:
        """Titles like this one: collaborative neighbours first, content fills the rest."""
        i = self._pos.get(title_id)
        if i is None:
            return []
        cf_row = self.item_item.getrow(i)
        content_row = self.content.getrow(i)
        seen: dict[int, float] = {}
        for row, offset in ((cf_row, 1.0), (content_row, 0.0)):
            order = np.argsort(-row.data, kind="stable")
            for j, value in zip(row.indices[order].tolist(), row.data[order].tolist(), strict=True):
                if j != i and value > 0 and j not in seen:
                    seen[j] = offset + float(value)
        ranked = sorted(seen.items(), key=lambda kv: -kv[1])[:k]
        return [(int(self.title_ids[j]), round(v, 5)) for j, v in ranked]
