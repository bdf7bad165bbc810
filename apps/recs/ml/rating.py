"""Rating prediction (예상 별점): the stars a person would give a title.

Three parts, blended by a small ridge regression fitted on an inner validation split of the
training ratings (never on what is scored):

1. **Baselines**: global mean + person bias + title bias (regularised alternating means, as
   scikit-surprise's BaselineOnly fits them).
2. **Item kNN on baseline residuals** with shrunk Pearson-baseline similarity (Koren 2010;
   scikit-surprise's KNNBaseline): the person's own ratings of the ``k`` titles most like this
   one, each as a residual from its baseline.
3. **SVD++-style factors** (Koren 2008): r̂ = μ + b_u + b_i + q_iᵀ(p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j),
   fitted full-batch with L-BFGS (vectorised; no per-rating Python loop).

Serving folds a person in from their current ratings (the item side is fixed): a few-dozen-
dimension ridge solve, so a rating counts at once, before any retrain.

Everything is numpy/scipy arrays: ids in, stars out; no ORM.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import TypedDict

import numpy as np
import scipy.sparse as sp

from apps.recs.ml.collaborative import one_blas_thread

# Bumped when the artifact layout changes: serving refuses other versions (and says why).
RATING_FORMAT_VERSION = 1
MIN_STARS = 0.5
# Targets per block of one person's prediction (see ``predict_for_history``).
PREDICT_BLOCK = 1024
MAX_STARS = 5.0


class RatingExplanation(TypedDict):
    """What one prediction rests on (``RatingModel.explain``)."""

    title_mean: float
    person_lean: float
    because: list[tuple[int, float]]  # (title id, the person's stars), most alike first


@dataclass(frozen=True)
class RatingParams:
    """Chosen on an inner validation split of MovieLens 100K training folds (see
    benchmarks/rating.py): 10% of fold 1's training ratings held out, the rest fitted."""

    baseline_reg_user: float = 15.0
    baseline_reg_item: float = 10.0
    baseline_iterations: int = 10
    knn_k: int = 60
    knn_shrink: float = 100.0
    knn_keep: int = 200  # neighbours stored per title (the served matrix stays sparse)
    mf_dim: int = 64
    mf_reg: float = 25.0
    mf_bias_reg: float = 5.0
    mf_iterations: int = 120
    # Blend: fitted on this share of the training ratings, then everything refitted on all.
    valid_share: float = 0.1
    blend_ridge: float = 1.0
    refit_iterations: int = 40  # warm-started from the inner fit
    seed: int = 0


@dataclass
class RatingModel:
    """Item-side arrays of a fitted predictor, in one item space (``item_ids``, sorted)."""

    item_ids: np.ndarray  # int64, sorted
    mu: float
    item_bias_knn: np.ndarray  # baseline title biases (kNN residuals)
    neighbours: sp.csr_matrix  # items × items, shrunk Pearson-baseline similarity (top knn_keep)
    item_bias_mf: np.ndarray
    q: np.ndarray  # items × dim
    y: np.ndarray  # items × dim (implicit part)
    blend_weights: np.ndarray  # over _features()
    params: RatingParams = field(default_factory=RatingParams)
    # Inner-validation figures of the fit (RMSE, MAE, rows); not stored in the payload.
    validation: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pos = {int(t): i for i, t in enumerate(self.item_ids.tolist())}
        # Stored as float32 (half the artifact); served in float64 so a call does no casting:
        # mixed-precision products cost a third of a 24-title prediction.
        self._q64 = np.asarray(self.q, dtype=np.float64)
        self._y64 = np.asarray(self.y, dtype=np.float64)
        self._nb_data = np.asarray(self.neighbours.data, dtype=np.float64)

    # -- serving --------------------------------------------------------------------------

    def knows(self, item_id: int) -> bool:
        return item_id in self._pos

    def predict_for_history(self, history: dict[int, float], item_ids: list[int]) -> dict[int, float]:
        """Predicted stars (unclipped) for ``item_ids`` given one person's ratings (id → stars).

        A title the model never saw gets the person's baseline (mean + their bias); a person
        with no usable ratings gets nothing (no prediction beats a made-up one).
        """
        known = [(self._pos[t], s) for t, s in history.items() if t in self._pos]
        if not known or not item_ids:
            return {}
        j = np.array([p for p, _ in known], dtype=np.int64)
        r = np.array([s for _, s in known], dtype=np.float64)
        target_pos = np.array([self._pos.get(t, -1) for t in item_ids], dtype=np.int64)
        found = target_pos >= 0
        t = np.where(found, target_pos, 0)
        with one_blas_thread():
            # A whole catalog at once (예상 별점순) in blocks: the targets × rated similarity
            # matrix of 10,000 titles and a 700-rating history would be 56 MB.
            feats = np.vstack(
                [
                    self.person_features(j, r, t[k : k + PREDICT_BLOCK])
                    for k in range(0, len(t), PREDICT_BLOCK)
                ]
            )
        pred = feats @ self.blend_weights
        person_base = feats[:, 1] - self.item_bias_knn[t]
        pred = np.where(found, pred, person_base)
        return {tid: float(v) for tid, v in zip(item_ids, pred.tolist(), strict=True)}

    def explain(self, history: dict[int, float], item_id: int, k: int = 3) -> RatingExplanation | None:
        """What a prediction rests on: the title's usual rating (everyone's mean + its bias), the
        person's lean (their bias), and the ``k`` rated titles most like it, with their stars."""
        target = self._pos.get(item_id)
        known = [(self._pos[t], t, s) for t, s in history.items() if t in self._pos]
        if target is None or not known:
            return None
        j = np.array([p for p, _, _ in known], dtype=np.int64)
        r = np.array([s for _, _, s in known], dtype=np.float64)
        bu = float(np.sum(r - self.mu - self.item_bias_knn[j]) / (self.params.baseline_reg_user + len(j)))
        sims = self._similarities(np.array([target]), j).ravel()
        order = [int(x) for x in np.argsort(-sims, kind="stable")[:k] if sims[x] > 0]
        return {
            "title_mean": float(self.mu + self.item_bias_knn[target]),
            "person_lean": bu,
            "because": [(int(known[x][1]), float(r[x])) for x in order],
        }

    def person_features(self, j: np.ndarray, r: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Blend inputs for one person (rated positions ``j`` with stars ``r``) and targets ``t``."""
        p = self.params
        bu = float(np.sum(r - self.mu - self.item_bias_knn[j]) / (p.baseline_reg_user + len(j)))
        base = self.mu + bu + self.item_bias_knn[t]
        resid = r - (self.mu + bu + self.item_bias_knn[j])
        knn, n_neigh = _knn_rows(self._similarities(t, j), resid, p.knn_k)
        mf = self.mu + self._fold_in_predict(j, r, t)
        return _features(base, knn, mf, n_neigh, np.full(len(t), float(len(j))))

    def _similarities(self, t: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Dense targets × rated similarities, read straight from the CSR arrays of the targets'
        rows (scipy's row indexing built a new matrix and cost half of a 24-title call)."""
        n = self.neighbours
        starts, ends = n.indptr[t], n.indptr[t + 1]
        lengths = ends - starts
        # Positions of every stored entry of the target rows, without a Python loop.
        flat = np.arange(int(lengths.sum())) + np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        column = np.full(n.shape[1], -1, dtype=np.int64)
        column[j] = np.arange(len(j))
        out = np.zeros((len(t), len(j)))
        hit = column[n.indices[flat]]
        keep = hit >= 0
        row_of = np.repeat(np.arange(len(t)), lengths)
        out[row_of[keep], hit[keep]] = self._nb_data[flat[keep]]
        return out

    def _fold_in_predict(self, j: np.ndarray, r: np.ndarray, t: np.ndarray) -> np.ndarray:
        """b_i + b_u + q_tᵀ(p_u + implicit) with (b_u, p_u) solved for this person alone."""
        p = self.params
        implicit = self._y64[j].sum(axis=0) / np.sqrt(len(j))
        target = r - self.mu - self.item_bias_mf[j] - self._q64[j] @ implicit
        x = np.hstack([np.ones((len(j), 1)), self._q64[j]])
        reg = np.full(x.shape[1], p.mf_reg)
        reg[0] = p.mf_bias_reg
        w = np.linalg.solve(x.T @ x + np.diag(reg), x.T @ target)
        return self.item_bias_mf[t] + w[0] + self._q64[t] @ (w[1:] + implicit)

    # -- serialisation --------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        n = self.neighbours
        np.savez_compressed(
            buf,
            format_version=np.array([RATING_FORMAT_VERSION]),
            item_ids=self.item_ids,
            mu=np.array([self.mu]),
            item_bias_knn=self.item_bias_knn,
            nb_data=n.data,
            nb_indices=n.indices,
            nb_indptr=n.indptr,
            item_bias_mf=self.item_bias_mf,
            q=self.q,
            y=self.y,
            blend_weights=self.blend_weights,
            params=np.array(list(asdict(self.params).values()), dtype=np.float64),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> RatingModel:
        with np.load(io.BytesIO(payload), allow_pickle=False) as z:
            version = int(z["format_version"][0]) if "format_version" in z.files else 0
            if version != RATING_FORMAT_VERSION:
                raise ValueError(
                    f"rating model format {version}, this code reads format {RATING_FORMAT_VERSION}"
                )
            n = len(z["item_ids"])
            names = list(RatingParams.__dataclass_fields__)
            values = z["params"].tolist()
            kinds = {k: type(v) for k, v in asdict(RatingParams()).items()}
            params = RatingParams(**{k: kinds[k](v) for k, v in zip(names, values, strict=True)})
            model = cls(
                item_ids=z["item_ids"],
                mu=float(z["mu"][0]),
                item_bias_knn=z["item_bias_knn"],
                neighbours=sp.csr_matrix((z["nb_data"], z["nb_indices"], z["nb_indptr"]), shape=(n, n)),
                item_bias_mf=z["item_bias_mf"],
                q=z["q"],
                y=z["y"],
                blend_weights=z["blend_weights"],
                params=params,
            )
        if len(model.item_bias_knn) != n or model.q.shape[0] != n or model.y.shape != model.q.shape:
            raise ValueError("rating model arrays disagree on the number of titles")
        return model


# -- fitting ---------------------------------------------------------------------------------


def _features(
    base: np.ndarray, knn: np.ndarray, mf: np.ndarray, n_neigh: np.ndarray, n_user: np.ndarray
) -> np.ndarray:
    """Blend inputs: the three predictions, and kNN's correction scaled by how much it rests on."""
    support = np.log1p(n_neigh) / np.log1p(40.0)
    return np.column_stack(
        [np.ones_like(base), base, base + knn, mf, knn * support, (mf - base) / np.sqrt(1 + n_user / 50)]
    )


def _knn_rows(sims: np.ndarray, resid: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``sims`` (targets × the person's rated titles): the similarity-weighted mean
    residual over the ``k`` most similar rated titles with positive similarity."""
    if sims.shape[1] > k:
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        sims = np.take_along_axis(sims, top, axis=1)
        res = resid[top]
    else:
        res = np.broadcast_to(resid, sims.shape)
    pos = np.where(sims > 0, sims, 0.0)
    den = pos.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, (pos * res).sum(axis=1) / den, 0.0)
    return out, (sims > 0).sum(axis=1).astype(np.float64)


def _baselines(
    u: np.ndarray, i: np.ndarray, r: np.ndarray, nu: int, ni: int, p: RatingParams
) -> tuple[float, np.ndarray, np.ndarray]:
    mu = float(r.mean())
    bu, bi = np.zeros(nu), np.zeros(ni)
    cu, ci = np.bincount(u, minlength=nu), np.bincount(i, minlength=ni)
    for _ in range(p.baseline_iterations):
        bi = np.bincount(i, weights=r - mu - bu[u], minlength=ni) / (p.baseline_reg_item + ci)
        bu = np.bincount(u, weights=r - mu - bi[i], minlength=nu) / (p.baseline_reg_user + cu)
    return mu, bu, bi


def _neighbours(resid: sp.csr_matrix, p: RatingParams, block: int = 512) -> sp.csr_matrix:
    """Top ``knn_keep`` shrunk Pearson-baseline neighbours per item, computed in row blocks."""
    ni = resid.shape[1]
    rc = resid.tocsc()
    sq = rc.multiply(rc).tocsc()
    # Residuals that happen to be exactly 0 still count as co-rated.
    mask = sp.csc_matrix((np.ones_like(rc.data), rc.indices, rc.indptr), shape=rc.shape)
    rows, cols, vals = [], [], []
    keep = min(p.knn_keep, max(ni - 1, 0))
    for start in range(0, ni, block):
        stop = min(start + block, ni)
        num = (rc[:, start:stop].T @ rc).toarray()
        a = (sq[:, start:stop].T @ mask).toarray()  # Σ r̃_ui² over people who rated both
        b = (mask[:, start:stop].T @ sq).toarray()  # Σ r̃_uj² over the same people
        n = (mask[:, start:stop].T @ mask).toarray()
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where((a > 0) & (b > 0), num / np.sqrt(a * b), 0.0)
        s *= np.maximum(n - 1, 0) / (np.maximum(n - 1, 0) + p.knn_shrink)
        s[np.arange(stop - start), np.arange(start, stop)] = 0.0
        if keep == 0:
            continue
        top = np.argpartition(-s, keep - 1, axis=1)[:, :keep]
        v = np.take_along_axis(s, top, axis=1)
        good = v > 0
        rows.append(np.repeat(np.arange(start, stop), keep)[good.ravel()])
        cols.append(top.ravel()[good.ravel()])
        vals.append(v.ravel()[good.ravel()])
    if not rows:
        return sp.csr_matrix((ni, ni))
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(ni, ni))


def _lbfgs(
    f: Callable[[np.ndarray], tuple[float, np.ndarray]], x: np.ndarray, iterations: int, memory: int = 8
) -> np.ndarray:
    """Plain L-BFGS with Armijo backtracking. SciPy's L-BFGS-B spent more time in its own
    bookkeeping than in our gradient on 400K parameters (0.09 s a step, against 0.05 s here)."""
    loss, g = f(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    first_step = 1e-3 * np.sqrt(len(x)) / max(float(np.linalg.norm(g)), 1e-12)
    for _ in range(iterations):
        q = g.copy()
        alphas = []
        for s, y in zip(reversed(s_hist), reversed(y_hist), strict=True):
            a = (s @ q) / (y @ s)
            alphas.append(a)
            q -= a * y
        q *= (s_hist[-1] @ y_hist[-1]) / (y_hist[-1] @ y_hist[-1]) if s_hist else first_step
        for (s, y), a in zip(zip(s_hist, y_hist, strict=True), reversed(alphas), strict=True):
            q += s * (a - (y @ q) / (y @ s))
        d = -q
        slope = g @ d
        if slope >= 0:  # not a descent direction: restart from the gradient
            d, s_hist, y_hist = -g * first_step, [], []
            slope = g @ d
        step = 1.0
        while True:
            x_new = x + step * d
            loss_new, g_new = f(x_new)
            if loss_new <= loss + 1e-4 * step * slope or step < 1e-8:
                break
            step *= 0.3
        s, y = x_new - x, g_new - g
        if s @ y > 1e-10:
            s_hist.append(s)
            y_hist.append(y)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        converged = abs(loss - loss_new) < 1e-7 * max(abs(loss), 1.0)
        x, loss, g = x_new, loss_new, g_new
        if converged:
            break
    return x


@dataclass
class _Factors:
    mu: float
    bu: np.ndarray
    bi: np.ndarray
    p: np.ndarray
    q: np.ndarray
    y: np.ndarray

    def pack(self) -> np.ndarray:
        return np.concatenate([self.bu, self.bi, self.p.ravel(), self.q.ravel(), self.y.ravel()])


def _svdpp_fit(
    u: np.ndarray,
    i: np.ndarray,
    r: np.ndarray,
    nu: int,
    ni: int,
    p: RatingParams,
    iterations: int,
    start: _Factors | None = None,
) -> _Factors:
    order = np.lexsort((i, u))
    u, i, r = u[order], i[order], r[order]
    mu = float(r.mean())
    dim = p.mf_dim
    f32 = np.float32
    counts = np.bincount(u, minlength=nu)
    # The objective runs in float32 (half the memory traffic of its 80K × dim gathers, which
    # dominate a step); L-BFGS keeps its vectors and the loss in float64.
    errors = sp.csr_matrix((np.ones(len(r), dtype=f32), (u, i)), shape=(nu, ni))
    errors.sort_indices()
    # Where each rating lands in the transposed matrix's data (both stay fixed in shape).
    positions = sp.csr_matrix((np.arange(1, len(r) + 1, dtype=np.float64), (u, i)), shape=(nu, ni)).T.tocsr()
    errors_t = positions.astype(f32)
    to_t = (positions.data - 1).astype(np.int64)
    norm = sp.csr_matrix(((1 / np.sqrt(counts[u])).astype(f32), (u, i)), shape=(nu, ni))
    norm_t = norm.T.tocsr()
    r32 = (r - mu).astype(f32)
    sizes = np.cumsum([0, nu, ni, nu * dim, ni * dim, ni * dim])

    def unpack(x: np.ndarray) -> tuple[np.ndarray, ...]:
        return (
            x[sizes[0] : sizes[1]],
            x[sizes[1] : sizes[2]],
            x[sizes[2] : sizes[3]].reshape(nu, dim),
            x[sizes[3] : sizes[4]].reshape(ni, dim),
            x[sizes[4] : sizes[5]].reshape(ni, dim),
        )

    def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
        bu, bi, pu, qi, yi = unpack(x.astype(f32))
        z = pu + norm @ yi
        # Rows are sorted by person: repeating z per person beats a fancy-indexed gather.
        e = bu[u] + bi[i] + np.einsum("ij,ij->i", np.repeat(z, counts, axis=0), qi.take(i, axis=0)) - r32
        errors.data = e
        errors_t.data = e[to_t]
        gz = errors @ qi
        e64 = e.astype(np.float64)
        loss = 0.5 * float(e64 @ e64) + 0.5 * p.mf_reg * float(
            np.vdot(pu, pu) + np.vdot(qi, qi) + np.vdot(yi, yi)
        )
        loss += 0.5 * p.mf_bias_reg * float(bu @ bu + bi @ bi)
        grad = np.concatenate(
            [
                np.bincount(u, e, nu) + p.mf_bias_reg * bu,
                np.bincount(i, e, ni) + p.mf_bias_reg * bi,
                (gz + p.mf_reg * pu).ravel(),
                (errors_t @ z + p.mf_reg * qi).ravel(),
                (norm_t @ gz + p.mf_reg * yi).ravel(),
            ]
        )
        return loss, grad.astype(np.float64)

    if start is None:
        rng = np.random.default_rng(p.seed)
        x0 = np.concatenate([np.zeros(nu + ni), rng.normal(0, 0.01, (nu + 2 * ni) * dim)])
    else:
        x0 = start.pack()
    bu, bi, pu, qi, yi = unpack(_lbfgs(objective, x0, iterations))
    return _Factors(mu, bu.copy(), bi.copy(), pu.copy(), qi.copy(), yi.copy())


def _parts_fit(
    u: np.ndarray,
    i: np.ndarray,
    r: np.ndarray,
    nu: int,
    item_ids: np.ndarray,
    p: RatingParams,
    start: _Factors | None,
) -> tuple[RatingModel, _Factors]:
    """The three parts fitted on these rows, as a model without blend weights yet."""
    ni = len(item_ids)
    mu, bu, bi = _baselines(u, i, r, nu, ni, p)
    resid = sp.csr_matrix((r - mu - bu[u] - bi[i], (u, i)), shape=(nu, ni))
    neighbours = _neighbours(resid, p)
    iterations = p.mf_iterations if start is None else p.refit_iterations
    factors = _svdpp_fit(u, i, r, nu, ni, p, iterations, start)
    model = RatingModel(
        item_ids=item_ids.astype(np.int64),
        mu=mu,
        item_bias_knn=bi,
        neighbours=neighbours.astype(np.float32).tocsr(),
        item_bias_mf=factors.bi,
        q=factors.q.astype(np.float32),
        y=factors.y.astype(np.float32),
        blend_weights=np.zeros(6),
        params=p,
    )
    return model, factors


def _features_for_pairs(
    model: RatingModel, fit_u: np.ndarray, fit_i: np.ndarray, fit_r: np.ndarray, u: np.ndarray, i: np.ndarray
) -> np.ndarray:
    """Feature rows for (person, title) pairs, each person folded in from their fitted rows,
    through the same code serving uses."""
    out = np.zeros((len(u), 6))
    by_person = np.argsort(fit_u, kind="stable")
    starts = np.searchsorted(fit_u[by_person], np.arange(int(max(u.max(initial=0), fit_u.max())) + 2))
    order = np.argsort(u, kind="stable")
    bounds = np.flatnonzero(np.diff(u[order])) + 1
    for group in np.split(order, bounds):
        if len(group) == 0:
            continue
        person = int(u[group[0]])
        rows = by_person[starts[person] : starts[person + 1]]
        if len(rows) == 0:
            out[group, 0] = 1.0
            out[group, 1:4] = model.mu
            continue
        out[group] = model.person_features(fit_i[rows], fit_r[rows], i[group])
    return out


def rating_model_fit(
    *,
    users: np.ndarray,
    items: np.ndarray,
    stars: np.ndarray,
    params: RatingParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> RatingModel:
    """Fit the predictor on (person id, title id, stars) rows.

    1. Hold out ``valid_share`` of the rows (seeded), fit the parts on the rest, and fit the
       blend weights (ridge) on the held-out rows.
    2. Refit the parts on every row (factors warm-started) and keep the weights.
    """
    p = params or RatingParams()
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    # One rating per (person, title): the last row wins (the sparse algebra assumes it).
    pairs = np.stack([users, items], axis=1)
    _, last = np.unique(pairs[::-1], axis=0, return_index=True)
    keep = np.sort(len(pairs) - 1 - last)
    users, items, stars = users[keep], items[keep], stars[keep]
    item_ids, i = np.unique(items, return_inverse=True)
    _, u = np.unique(users, return_inverse=True)
    r = stars.astype(np.float64)
    nu = int(u.max()) + 1
    with one_blas_thread():
        rng = np.random.default_rng(p.seed)
        held = rng.random(len(r)) < p.valid_share
        fit = ~held
        inner, factors = _parts_fit(u[fit], i[fit], r[fit], nu, item_ids, p, None)
        x = _features_for_pairs(inner, u[fit], i[fit], r[fit], u[held], i[held])
        reg = np.full(x.shape[1], p.blend_ridge)
        reg[0] = 0.0
        weights = np.linalg.solve(x.T @ x + np.diag(reg), x.T @ r[held])
        err = np.clip(x @ weights, MIN_STARS, MAX_STARS) - r[held] if held.any() else np.zeros(0)
        validation = {
            "rmse": round(float(np.sqrt(np.mean(err**2))), 4) if len(err) else 0.0,
            "mae": round(float(np.mean(np.abs(err))), 4) if len(err) else 0.0,
            "rows": int(held.sum()),
        }
        say(f"rating: inner fit and blend in {time.perf_counter() - started:.1f}s")
        model, _ = _parts_fit(u, i, r, nu, item_ids, p, factors)
        say(f"rating: refit on {len(r)} ratings in {time.perf_counter() - started:.1f}s")
    model.blend_weights = weights
    model.validation = validation
    return model


def stars_display(value: float) -> float:
    """A prediction as shown: clipped to ½–5 and rounded to the nearest half star."""
    return float(np.clip(np.round(np.clip(value, MIN_STARS, MAX_STARS) * 2) / 2, MIN_STARS, MAX_STARS))
