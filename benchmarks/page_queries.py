"""Where a page's time goes: per-page SQL queries (count, time, calling code) and timings.

Renders the tour's main pages (tests/browser/tour.py) through Django's test client on
``config.settings.production`` (Redis cache and sessions, pooled PostgreSQL) against a kept
database holding the demo catalog and the tour's world, so repeated runs skip the ~3 min load.

    .venv/bin/python benchmarks/page_queries.py                 # every main page, both personas
    .venv/bin/python benchmarks/page_queries.py title --sql     # each query with its caller
    .venv/bin/python benchmarks/page_queries.py front --profile # + cProfile, top 40 by cumulative
    .venv/bin/python benchmarks/page_queries.py --fresh         # rebuild the kept database

Timings are in-process (no HTTP server): compare runs on the same machine and load (`uptime`).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import statistics
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ADMIN_URL
from benchmarks.common import ROOT

# One kept database per checkout: worktrees profiling side by side must not share a world.
_CHECKOUT = hashlib.blake2s(str(ROOT).encode(), digest_size=4).hexdigest()
DATABASE = f"moochu_bench_page_queries_{_CHECKOUT}"
STATE = ROOT / "var" / "page_queries.json"
REQUESTS = 15


def _database(fresh: bool) -> str:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
        if fresh or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            locale = "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            conn.execute(f"CREATE DATABASE \"{DATABASE}\" TEMPLATE template0 ENCODING 'UTF8' {locale}")
            STATE.unlink(missing_ok=True)
    return f"{ADMIN_URL.rsplit('/', 1)[0]}/{DATABASE}"


def _setup(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "moochu-benchmark-only-key-page-queries",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "MOOCHU_REDIS_PREFIX": f"moochu-bench-page-queries-{_CHECKOUT}",
            "ELASTICSEARCH_URL": "",
        }
    )
    os.environ.pop("MONGO_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the demo load's tasks run inline
    # Production links hashed static names: a fresh checkout has no manifest until collectstatic.
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def _state() -> dict:
    """The kept world's main pages and signed-in user, building them on first use."""
    if STATE.exists():
        return json.loads(STATE.read_text())
    from django.core.management import call_command

    from benchmarks.common import database_settle
    from benchmarks.common import demo_load
    from tests.browser.tour import ANON
    from tests.browser.tour import PAGES
    from tests.browser.tour import USER
    from tests.browser.tour import world_build

    call_command("migrate", verbosity=0, interactive=False)
    world = world_build(catalog=not demo_load())
    database_settle()
    state = {
        "pages": {
            persona: [(p.slug, p.url(world)) for p in PAGES if p.main and persona in p.personas]
            for persona in (ANON, USER)
        },
        "user": world.users[USER].pk,
    }
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(state))
    return state


def _caller() -> str:
    frames = [
        f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}"
        for f in traceback.extract_stack()
        if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename and __file__ not in f.filename
    ]
    return " < ".join(reversed(frames[-3:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="*", help="page labels (front, title, ...); default: all")
    parser.add_argument("--sql", action="store_true", help="print each query with its caller")
    parser.add_argument("--profile", action="store_true", help="cProfile 5 requests per page")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database")
    args = parser.parse_args()
    _setup(_database(args.fresh))
    state = _state()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    user = get_user_model().objects.get(pk=state["user"])
    for persona, listed in state["pages"].items():
        client = Client()
        if persona == "user":
            client.force_login(user)
        for label, path in listed:
            if args.labels and label not in args.labels:
                continue
            assert client.get(path).status_code == 200, path  # warm per-process caches
            # A wrapper, not CaptureQueriesContext: request_started resets connection.queries.
            queries: list[tuple[float, str, str]] = []

            def record(execute, sql, params, many, context, queries=queries):
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    queries.append(((time.perf_counter() - began) * 1000, sql, _caller()))

            with connection.execute_wrapper(record):
                response = client.get(path)
            timings = []
            for _ in range(REQUESTS):
                began = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
            sql_ms = sum(q[0] for q in queries)
            print(
                f"{persona:5} {label:12} {len(queries):3} queries ({sql_ms:6.1f} ms SQL)  "
                f"p50 {statistics.median(timings):6.1f} ms  min {min(timings):6.1f} ms  "
                f"{len(response.content) // 1024} KB"
            )
            if args.sql:
                for ms, sql, caller in queries:
                    print(f"    {ms:6.1f} ms  {sql[:100]}\n               {caller}")
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(5):
                    client.get(path)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
