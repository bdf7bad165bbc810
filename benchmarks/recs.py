"""Recommender benchmark: offline quality on MovieLens 100K, training time, serving latency.

    .venv/bin/python benchmarks/recs.py [--seed N] [--skip-serving] [--ease-only]

1. The shared protocol (shared/recs-eval/README.md) on split seed N (default 2020): all
   five metrics @10 on validation and test for the served model (time-local EASE blended
   with iALS), the same through the runtime artifact code, beside the reference figures,
   plus per-segment checks (light, heavy and new users) against popularity.
2. Training time: the collaborative fit (EASE + iALS) on all 100K ratings, and on a
   1M-event scale-up (ten copies of MovieLens with shifted users, items spread over 4× the
   titles, jittered times).
3. Serving: a scratch SQLite database with the MovieLens users, titles and ratings; trains
   through ``recs_model_train`` (the nightly path), then times ``recs_for_user`` for random
   users from Redis and from the fallback (Redis entries removed → stored artifact).
Last line: one JSON object with the test metrics and timings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Per run: two copies at once must not share (and delete) each other's scratch data.
SCRATCH_DB = ROOT / "var" / f"bench_recs-{os.getpid()}.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH_DB}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["MOOCHU_REDIS_PREFIX"] = f"moochu-bench-recs-{os.getpid()}"
# Serving is timed as production runs it: DEBUG would record every query (~0.2 ms each).
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from apps.recs.ml.collaborative import EaseParams  # noqa: E402
from apps.recs.ml.collaborative import IalsParams  # noqa: E402
from apps.recs.ml.collaborative import ease_fit  # noqa: E402
from apps.recs.ml.collaborative import ials_fit  # noqa: E402
from apps.recs.ml.collaborative import interaction_matrix  # noqa: E402
from apps.recs.ml.evaluation import METRIC_NAMES  # noqa: E402
from apps.recs.offline import REFERENCE_TEST_2020  # noqa: E402
from apps.recs.offline import evaluate_protocol  # noqa: E402
from apps.recs.offline import movielens_interactions  # noqa: E402


def _fit(users: np.ndarray, items: np.ndarray, times: np.ndarray, n_items: int) -> float:
    """Seconds for the served collaborative fit: time-local EASE, then iALS."""
    _, user_index = np.unique(users, return_inverse=True)
    n_users = int(user_index.max()) + 1
    strengths = np.ones(len(users), dtype=np.float32)
    started = time.perf_counter()
    ease_fit(
        users=user_index,
        items=items,
        times=times,
        strengths=strengths,
        n_users=n_users,
        n_items=n_items,
        params=EaseParams(**settings.RECS_EASE_PARAMS),
    )
    matrix = interaction_matrix(user_index, items, strengths, n_users, n_items)
    ials_fit(matrix=matrix, params=IalsParams(**settings.RECS_IALS_PARAMS))
    return time.perf_counter() - started


def train_times() -> tuple[float, float]:
    data = movielens_interactions()
    items = data.items - 1
    t100k = _fit(data.users, items, data.timestamps, int(items.max()) + 1)
    print(f"train on 100K ratings: {t100k:.1f}s (target < 30 s)")
    rng = np.random.default_rng(0)
    copies = 10
    n_items = 1682 * 4
    users = np.concatenate([data.users + c * 10_000 for c in range(copies)])
    # Each copy maps each film onto one of four catalog slots: the catalog grows 4×.
    items_big = np.concatenate([items + 1682 * ((items * 7 + c) % 4) for c in range(copies)])
    times = np.concatenate([data.timestamps + rng.integers(0, 3600, len(items)) for _ in range(copies)])
    t1m = _fit(users, items_big, times, n_items)
    print(f"train on {len(users):,} events, {n_items:,} titles: {t1m:.1f}s (target < 300 s)")
    return t100k, t1m


def serving_times(n_requests: int = 300) -> tuple[float, float]:
    from django.core.management import call_command
    from django.utils import timezone

    from apps.movies.datasets import MovieLens100K
    from apps.movies.models import Title
    from apps.recs import buffer
    from apps.recs.selectors import recs_for_user
    from apps.recs.services.training import recs_model_train
    from apps.social.models import Rating
    from apps.social.models import User

    if SCRATCH_DB.exists():
        SCRATCH_DB.unlink()
    call_command("migrate", verbosity=0)
    ml = MovieLens100K()
    Title.objects.bulk_create(
        [Title(title_en=m.title, year=m.year, movielens_id=m.item_id) for m in ml.movies()], batch_size=2000
    )
    User.objects.bulk_create(
        [User(username=f"ml{u.user_id}", movielens_id=u.user_id) for u in ml.users()], batch_size=2000
    )
    titles = dict(Title.objects.values_list("movielens_id", "id"))
    users = dict(User.objects.values_list("movielens_id", "id"))
    tz = timezone.get_current_timezone()
    import datetime as dt

    Rating.objects.bulk_create(
        [
            Rating(
                user_id=users[r.user_id],
                title_id=titles[r.item_id],
                half_stars=r.rating * 2,
                created_at=dt.datetime.fromtimestamp(r.timestamp, tz),
            )
            for r in ml.ratings()
        ],
        batch_size=5000,
    )
    started = time.perf_counter()
    artifact = recs_model_train(as_of=timezone.localdate(), progress=lambda m: print(f"  {m}"))
    print(f"nightly path (DB → artifact → top 100 for 943 users): {time.perf_counter() - started:.1f}s")
    print(f"artifact stats: {artifact.stats}")
    user_objs = list(User.objects.all())
    rng = np.random.default_rng(1)
    picks = rng.choice(len(user_objs), n_requests)

    def p99(label: str) -> float:
        for i in range(20):  # warm-up
            recs_for_user(user=user_objs[picks[i]], limit=20)
        times = []
        for i in picks:
            t = time.perf_counter()
            result = recs_for_user(user=user_objs[i], limit=20)
            times.append((time.perf_counter() - t) * 1000)
            assert len(result) == 20
        value = float(np.percentile(times, 99))
        print(f"serve 20 picks {label}: p50 {np.percentile(times, 50):.2f} ms, p99 {value:.2f} ms")
        return value

    redis_p99 = p99("from Redis") if buffer.redis_client() is not None else float("nan")
    client = buffer.redis_client()
    if client is not None:
        keys = list(client.scan_iter(match=buffer.key("*"), count=1000))
        if keys:
            client.delete(*keys)
    fallback_p99 = p99("from the stored artifact (Redis empty)")
    from django.db import connection

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SCRATCH_DB}{suffix}").unlink(missing_ok=True)
    return redis_p99, fallback_p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--skip-serving", action="store_true")
    parser.add_argument("--ease-only", action="store_true", help="score time-local EASE alone")
    args = parser.parse_args()

    result = evaluate_protocol(seed=args.seed, ease_only=args.ease_only)
    print(f"MovieLens 100K, split seed {args.seed} (protocol fit on train only: {result.train_s:.1f}s)")
    for label, metrics in (
        ("valid", result.valid),
        ("test", result.test),
        ("test, serving form (runtime artifact)", result.serving_test),
        ("test, popularity", result.popularity_test),
    ):
        print(f"  {label:40s}" + "  ".join(f"{n} {metrics[n]:.4f}" for n in METRIC_NAMES))
    for segment, values in result.segments.items():
        verdict = "ok" if values["model"] >= values["popularity"] else "BELOW POPULARITY"
        model, pop = values["model"], values["popularity"]
        print(f"  {segment:40s}NDCG@10 model {model:.4f} vs popularity {pop:.4f} {verdict}")
    print("reference figures (test, seed 2020)       Recall@10  NDCG@10")
    for name, (recall, ndcg) in REFERENCE_TEST_2020.items():
        print(f"  {name:40s} {recall:.4f}     {ndcg:.4f}")
    ours = f"{result.test['recall10']:.4f}     {result.test['ndcg10']:.4f}"
    print(f"  {'Moochu ' + result.model + ' (this run)':40s} {ours}")

    t100k, t1m = train_times()
    serve_p99, fallback_p99 = (float("nan"), float("nan")) if args.skip_serving else serving_times()
    print(
        json.dumps(
            {
                "ndcg10": round(result.test["ndcg10"], 4),
                "recall10": round(result.test["recall10"], 4),
                "hit10": round(result.test["hit10"], 4),
                "mrr10": round(result.test["mrr10"], 4),
                "precision10": round(result.test["precision10"], 4),
                "train_s": round(t100k, 2),
                "train_1m_s": round(t1m, 2),
                "serve_p99_ms": round(serve_p99, 2),
                "fallback_p99_ms": round(fallback_p99, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
