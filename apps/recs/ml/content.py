"""Content model: TF-IDF over genres, people (directors twice), keywords, original language,
decade, film or series, and the names and overview (Korean and English).

Words for English and character n-grams within word boundaries for Korean (Hangul has
no spaces between a noun and its particle, so word tokens alone rarely match). Genre and
people tokens are prefixed so "Drama" the genre never matches "drama" in an overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Neighbours kept per title in the served content matrix.
CONTENT_NEIGHBOURS = 30


@dataclass(frozen=True)
class TitleText:
    genres: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    overview: str = ""
    names: tuple[str, ...] = field(default=())
    directors: tuple[str, ...] = ()
    # Where and when it is from: original language ("ko"), decade (1990), series or film.
    language: str = ""
    decade: int | None = None
    media_type: str = ""


def _tags(title: TitleText) -> str:
    def tok(prefix: str, value: str) -> str:
        return prefix + "_".join(value.lower().split())

    tags = [tok("g:", g) for g in title.genres]
    tags += [tok("p:", p) for p in title.people]
    tags += [tok("k:", k) for k in title.keywords]
    # A director's name counts twice: once as a person, once as the director.
    tags += [tok("d:", d) for d in title.directors]
    if title.language:
        tags.append(tok("l:", title.language))
    if title.decade:
        tags.append(f"e:{title.decade}")
    if title.media_type:
        tags.append(tok("m:", title.media_type))
    return " ".join(tags)


def content_matrix(titles: list[TitleText], *, tag_weight: float = 2.0) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows, one per title: tags (weighted) + text char n-grams."""
    if not titles:
        return sp.csr_matrix((0, 0), dtype=np.float32)
    tag_docs = [_tags(t) for t in titles]
    text_docs = [" ".join([*t.names, t.overview]) for t in titles]
    parts = []
    if any(tag_docs):
        tags = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)  # noqa: S106
        parts.append(tags.fit_transform(tag_docs) * tag_weight)
    if any(d.strip() for d in text_docs):
        text = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
        parts.append(text.fit_transform(text_docs))
    if not parts:
        return sp.csr_matrix((len(titles), 1), dtype=np.float32)
    return normalize(sp.hstack(parts).tocsr()).astype(np.float32)


def similar_items(matrix: sp.csr_matrix, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k cosine neighbours (indices, scores) of the given rows, excluding themselves."""
    sims = np.asarray((matrix[rows] @ matrix.T).todense(), dtype=np.float32)
    sims[np.arange(len(rows)), rows] = -np.inf
    k = min(k, max(matrix.shape[0] - 1, 0))
    if k == 0:
        return np.zeros((len(rows), 0), np.int64), np.zeros((len(rows), 0), np.float32)
    idx = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(sims, idx, axis=1)


def profile_scores(matrix: sp.csr_matrix, liked: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Cosine of every title to the (weighted) centroid of the liked titles."""
    if len(liked) == 0:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    w = np.ones(len(liked)) if weights is None else weights
    centroid = sp.csr_matrix(w[None, :]) @ matrix[liked]
    centroid = normalize(centroid)
    return np.asarray((matrix @ centroid.T).todense()).ravel().astype(np.float32)


def content_neighbours(texts: list[TitleText], k: int) -> sp.csr_matrix:
    """Titles × titles, each row keeping its ``k`` most similar titles (cosine, self excluded)."""
    matrix = content_matrix(texts)
    n = matrix.shape[0]
    rows, cols, vals = [], [], []
    for start in range(0, n, 1000):
        block = np.asarray((matrix[start : start + 1000] @ matrix.T).todense(), dtype=np.float32)
        idx = np.arange(start, min(start + 1000, n))
        block[np.arange(len(idx)), idx] = 0.0
        kk = min(k, n - 1)
        if kk <= 0:
            break
        top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        rows.append(np.repeat(idx, kk))
        cols.append(top.ravel())
        vals.append(np.take_along_axis(block, top, axis=1).ravel())
    if not rows:
        return sp.csr_matrix((n, n), dtype=np.float32)
    m = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    m.eliminate_zeros()
    return m.astype(np.float32)
