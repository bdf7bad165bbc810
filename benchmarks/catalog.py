"""Catalog list benchmark: the filtered list API under load, next to its own SQL.

Loads ggplot2's 58,788 films (plus the demo data when ``load_demo`` exists, unless --no-demo)
into a dedicated PostgreSQL database with offers drawn from a fixed seed, serves Moochu with
gunicorn (2 workers) and measures ``/api/titles/`` filtered by two genres (any of) and one
provider, sorted by popularity, first page, rotating over several combinations:

- 32 concurrent keep-alive clients: requests/s and p99;
- 1 client: p50;
- the very SQL the app runs, straight through psycopg: p50.

Targets (issue 2): list_rps >= 400, list_p99_ms <= 150, single_p50_ms <= 10, app_over_sql <= 1.5.
Also reported: the p50 of ``/healthz`` through the same server (no query), the floor any
endpoint pays for HTTP, routing and middleware.
Bounded to about two minutes. Last line: one JSON object.

    .venv/bin/python benchmarks/catalog.py [--duration 20] [--no-demo] [--interface asgi]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database
from benchmarks.common import demo_load
from benchmarks.common import django_setup
from benchmarks.common import ggplot2_load
from benchmarks.common import load_run
from benchmarks.common import log
from benchmarks.common import migrate
from benchmarks.common import p50
from benchmarks.common import serve

DATABASE = "moochu_bench_catalog"
# (genre, genre, provider): two genres any-of on one provider, as people browse.
COMBINATIONS = [
    ("drama", "comedy", "netflix"),
    ("action", "romance", "watcha"),
    ("animation", "documentary", "tving"),
    ("comedy", "romance", "wavve"),
    ("drama", "action", "disney-plus"),
    ("short", "animation", "coupang-play"),
    ("documentary", "drama", "netflix"),
    ("romance", "short", "tving"),
]


def list_urls(base_url: str) -> list[str]:
    return [
        f"{base_url}/api/titles/?genre={a}&genre={b}&provider={p}&sort=popularity" for a, b, p in COMBINATIONS
    ]


def sql_of_combinations() -> list[tuple[str, tuple]]:
    """The SQL (and parameters) the list selector runs for each combination."""
    from apps.movies.selectors import LIST_COLUMNS
    from apps.movies.selectors import CatalogFilters
    from apps.movies.selectors import catalog_vocabulary
    from apps.movies.selectors import title_list_queryset

    vocabulary = catalog_vocabulary()
    statements = []
    for a, b, provider in COMBINATIONS:
        filters = CatalogFilters(genres=(a, b), providers=(provider,), sort="popularity")
        qs = title_list_queryset(filters=filters, vocabulary=vocabulary).values(*LIST_COLUMNS)[:25]
        sql, params = qs.query.sql_with_params()
        statements.append((sql, params))
    return statements


def sql_p50(database_url: str, statements: list[tuple[str, tuple]], *, seconds: float) -> tuple[float, int]:
    """Median wall time of the app's statements through psycopg on one persistent connection."""
    import psycopg

    timings: list[float] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        for sql, params in statements:  # warm the plan and cache
            conn.execute(sql, params).fetchall()
        deadline = time.perf_counter() + seconds
        index = 0
        while time.perf_counter() < deadline:
            sql, params = statements[index % len(statements)]
            index += 1
            began = time.perf_counter()
            conn.execute(sql, params).fetchall()
            timings.append((time.perf_counter() - began) * 1000)
    return p50(timings), len(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load at 32 clients")
    parser.add_argument("--single", type=float, default=10.0, help="seconds of load at 1 client")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per WSGI worker")
    parser.add_argument(
        "--worker-class", default="uvicorn_worker.UvicornWorker", help="worker class with --interface asgi"
    )
    parser.add_argument(
        "--interface",
        choices=["wsgi", "asgi"],
        default="wsgi",
        help="wsgi (production's HTTP tier) or asgi (the WebSocket tier's app, for comparison)",
    )
    parser.add_argument("--no-demo", action="store_true", help="skip load_demo even if it exists")
    args = parser.parse_args()

    with bench_database(DATABASE) as database_url:
        django_setup(database_url)
        migrate()
        if not args.no_demo:
            began = time.perf_counter()
            ran = demo_load()
            outcome = "loaded" if ran else "no load_demo command in this checkout"
            log(f"demo data: {outcome} in {time.perf_counter() - began:.1f}s")
        report = ggplot2_load()
        log(f"ggplot2: {report.titles} films, {report.availabilities} offers in {report.seconds:.1f}s")

        statements = sql_of_combinations()
        log(f"the app's query:\n  {statements[0][0]}\n  params {statements[0][1]}")
        from django.db import connection

        connection.close()

        with serve(
            database_url=database_url,
            workers=args.workers,
            worker_class=args.worker_class,
            interface=args.interface,
            threads=args.threads,
        ) as server:
            urls = list_urls(server.base_url)
            first = load_run(urls, clients=1, duration=60, max_requests=len(urls))
            if first.errors:
                raise SystemExit(f"list API failed on {first.errors} of {len(urls)} combinations")
            load_run(urls, clients=args.clients, duration=3)  # warm every worker's connection and caches
            cpu_before = server.cpu_seconds()
            many = load_run(urls, clients=args.clients, duration=args.duration)
            cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / max(1, len(many.latencies_ms))
            log(
                f"{args.clients} clients: {many.rps:.0f} req/s, p50 {many.percentile(50):.1f} ms, "
                f"p99 {many.percentile(99):.1f} ms, {len(many.latencies_ms)} ok, {many.errors} errors"
            )
            # Noise-robust on a shared machine: CPU the app server spent per request.
            log(
                f"app server CPU per request: {cpu_ms:.2f} ms (2 cores => ~{2000 / cpu_ms:.0f} req/s ceiling)"
            )
            single = load_run(urls, clients=1, duration=args.single)
            log(
                f"1 client: {single.rps:.0f} req/s, p50 {single.percentile(50):.2f} ms, "
                f"p99 {single.percentile(99):.2f} ms, {single.errors} errors"
            )
            # The floor under any endpoint: /healthz runs the same server and middleware, no query.
            floor = load_run([f"{server.base_url}/healthz"], clients=1, duration=min(5.0, args.single))
            log(f"HTTP floor (/healthz, 1 client): p50 {floor.percentile(50):.2f} ms")

        sql_median, sql_runs = sql_p50(database_url, statements, seconds=5)
        log(f"raw SQL via psycopg: p50 {sql_median:.2f} ms over {sql_runs} runs")

    single_p50 = single.percentile(50)
    print(
        json.dumps(
            {
                "list_rps": round(many.rps, 1),
                "list_p99_ms": round(many.percentile(99), 1),
                "single_p50_ms": round(single_p50, 2),
                "sql_p50_ms": round(sql_median, 2),
                "app_over_sql": round(single_p50 / sql_median, 2) if sql_median else None,
                "http_floor_p50_ms": round(floor.percentile(50), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
