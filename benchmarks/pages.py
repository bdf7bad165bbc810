"""Page benchmark: what a person waits for, on the production HTTP tier.

The same stack as ``benchmarks/stack.py`` (``benchmarks/production_stack.py``): Debian nginx with
``compose/production/nginx/nginx.conf`` in front of ``start-http`` (gunicorn, threaded WSGI
workers) on ``config.settings.production``, Redis, and a throw-away PostgreSQL database holding
the demo catalog (MovieLens 100K + the Korean sample, when ``load_demo`` can load it) and the
page tour's social world (tests/browser/tour.py: a user with ratings, reviews, friends, a
guestbook; a chat room; board posts).

1. Server time per page at 1 client, logged out and logged in (the tour's main pages, straight
   at the HTTP server's port): p50 and p99.
2. Pages/s at 32 keep-alive clients through nginx over the mix of main pages (half the clients
   signed in), with p99.
3. The front page, logged in, in headless Chromium through nginx with a cold cache:
   DOMContentLoaded and the bytes transferred before images (median of 5 loads).

    .venv/bin/python benchmarks/pages.py            # 2.5 s per page, 2 x 8 s of load
    .venv/bin/python benchmarks/pages.py --quick    # 1 s per page, 2 x 3 s of load

Bounded (a full run takes ~3 minutes plus the demo load). Targets (issue 13): slowest page p50
≤ 20 ms, ≥ 300 pages/s at 32 clients with p99 ≤ 250 ms, front DCL ≤ 300 ms / ≤ 60 KB.
Last line: {"page_p50_ms_max": …, "pages_per_s": …, "front_dcl_ms": …, "front_kb": …}
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import LoadResult
from benchmarks.common import bench_database
from benchmarks.common import database_settle
from benchmarks.common import demo_load
from benchmarks.common import load_run
from benchmarks.common import log
from benchmarks.common import migrate
from benchmarks.production_stack import fd_limit_raise
from benchmarks.production_stack import production_stack_running
from benchmarks.production_stack import redis_clean
from benchmarks.production_stack import server_env
from benchmarks.production_stack import sigterm_to_interrupt

DATABASE = "moochu_bench_pages"
CLIENTS = 32
DCL_LOADS = 5


def _setup(database_url: str) -> None:
    """Django in this process on the benchmark database, signing sessions as the servers do."""
    # Sessions made here must verify on the servers: same secret key (benchmarks/production_stack.py).
    os.environ["DJANGO_SECRET_KEY"] = server_env(database_url)["DJANGO_SECRET_KEY"]
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    for variable in ("REDIS_URL", "ELASTICSEARCH_URL", "MONGO_URL"):
        os.environ.pop(variable, None)
    import django

    django.setup()


def world_fill():
    """Demo catalog + the tour's world; returns (world, the signed-in user's Cookie header)."""
    from django.db import connection

    from tests.browser.tour import USER
    from tests.browser.tour import session_cookie
    from tests.browser.tour import world_build

    began = time.perf_counter()
    loaded = demo_load()
    log(f"demo data: {'loaded' if loaded else 'no load_demo'} in {time.perf_counter() - began:.1f}s")
    world = world_build(catalog=not loaded)
    cookie = session_cookie(world.users[USER])
    database_settle()
    connection.close()
    return world, {"Cookie": f"{cookie['name']}={cookie['value']}"}


def main_pages(world) -> dict[str, list[tuple[str, str]]]:
    """persona -> [(label, path)] of the tour's main pages."""
    from tests.browser.tour import ANON
    from tests.browser.tour import PAGES
    from tests.browser.tour import USER

    return {
        persona: [(page.slug, page.url(world)) for page in PAGES if page.main and persona in page.personas]
        for persona in (ANON, USER)
    }


def _answers_check(base: str, pages, cookie: dict[str, str]) -> None:
    import httpx

    from tests.browser.tour import ANON

    for persona, listed in pages.items():
        for _label, path in listed:
            response = httpx.get(base + path, headers={} if persona == ANON else cookie, timeout=180)
            if response.status_code != 200:
                raise SystemExit(
                    f"GET {path} ({persona}) answered {response.status_code}: {response.text[:500]}"
                )


def per_page(base: str, pages, headers: dict[str, str], seconds: float) -> dict[str, LoadResult]:
    results = {}
    for label, path in pages:
        load_run([base + path], clients=1, duration=0.3, cohorts=[([base + path], headers)])  # warm
        results[label] = load_run(
            [base + path], clients=1, duration=seconds, cohorts=[([base + path], headers)]
        )
    return results


def front_in_chromium(base: str, cookie: dict[str, str]) -> tuple[float, float]:
    """Median DOMContentLoaded (ms) and KB transferred before images, cold cache, signed in."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM
    from tests.conftest import CHROMIUM_ARGS

    name, value = cookie["Cookie"].split("=", 1)
    dcl, kbs = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for attempt in range(DCL_LOADS + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": name, "value": value, "url": base}])
            page = context.new_page()
            page.goto(base + "/", wait_until="load")
            figures = page.evaluate(
                """() => {
                  const nav = performance.getEntriesByType('navigation')[0];
                  const isImage = (e) => e.initiatorType === 'img' || e.initiatorType === 'image' ||
                    /\\.(png|jpe?g|gif|webp|avif|svg)(\\?|$)/.test(e.name);
                  const bytes = performance.getEntriesByType('resource')
                    .filter((e) => !isImage(e)).reduce((sum, e) => sum + e.transferSize, nav.transferSize);
                  return {dcl: nav.domContentLoadedEventEnd - nav.startTime, bytes};
                }"""
            )
            context.close()
            if attempt:  # the first load warms the server's caches, not the browser's
                dcl.append(figures["dcl"])
                kbs.append(figures["bytes"] / 1024)
        browser.close()
    return statistics.median(dcl), statistics.median(kbs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 s per page, 2 x 3 s of load")
    args = parser.parse_args()
    page_seconds, load_seconds = (1.0, 3.0) if args.quick else (2.5, 8.0)
    signal.signal(signal.SIGTERM, sigterm_to_interrupt)
    fd_limit_raise()
    overall = time.perf_counter()
    try:
        with (
            bench_database(DATABASE) as database_url,
            tempfile.TemporaryDirectory(prefix="moochu-pages-") as tmp,
        ):
            _setup(database_url)
            migrate()
            world, cookie = world_fill()
            with production_stack_running(database_url, workdir=Path(tmp), websockets=False) as stack:
                figures = measure(
                    direct=stack.http_url,
                    edge=stack.edge_url,
                    world=world,
                    cookie=cookie,
                    page_seconds=page_seconds,
                    load_seconds=load_seconds,
                )
    finally:
        with contextlib.suppress(Exception):
            redis_clean()
    log(f"total {time.perf_counter() - overall:.0f}s")
    print(json.dumps(figures))


def measure(
    *, direct: str, edge: str, world, cookie: dict[str, str], page_seconds: float, load_seconds: float
) -> dict[str, float]:
    from tests.browser.tour import ANON
    from tests.browser.tour import USER

    pages = main_pages(world)
    _answers_check(direct, pages, cookie)
    p50s = []
    for persona, listed in pages.items():
        headers = {} if persona == ANON else cookie
        for label, result in per_page(direct, listed, headers, page_seconds).items():
            if result.errors or not result.latencies_ms:
                raise SystemExit(f"{label} ({persona}) failed: {result.errors} errors")
            p50s.append(result.percentile(50))
            log(
                f"{persona:5} {label:12} p50 {result.percentile(50):6.1f} ms  "
                f"p99 {result.percentile(99):6.1f} ms  ({len(result.latencies_ms)} requests)"
            )

    cohorts = [
        ([edge + path for _, path in pages[persona]], {} if persona == ANON else cookie) for persona in pages
    ]
    load_run([], clients=CLIENTS, duration=2, cohorts=cohorts)  # warm workers, pools, caches
    cpu_before = time.process_time()
    runs = [load_run([], clients=CLIENTS, duration=load_seconds / 2, cohorts=cohorts) for _ in range(2)]
    # The load generator shares the servers' two cores: say how much of them it took.
    client_cores = (time.process_time() - cpu_before) / sum(run.seconds for run in runs)
    mixed = LoadResult(
        latencies_ms=[ms for run in runs for ms in run.latencies_ms],
        seconds=sum(run.seconds for run in runs),
        errors=sum(run.errors for run in runs),
        cohort_latencies_ms={
            index: [ms for run in runs for ms in run.cohort_latencies_ms.get(index, [])]
            for index in range(len(cohorts))
        },
    )
    log(
        f"mix via nginx, {CLIENTS} clients: {mixed.rps:.0f} pages/s, p50 {mixed.percentile(50):.1f} ms, "
        f"p99 {mixed.percentile(99):.1f} ms, {mixed.errors} errors "
        f"(the load generator itself used {client_cores:.2f} of the cores)"
    )
    # Anonymous pages may come from the edge's five-second page cache; signed-in ones never do.
    # Each half of the clients, on its own:
    for index, persona in enumerate(pages):
        alone = mixed.cohort(index)
        log(
            f"  {persona:5} clients: {alone.rps:.0f} pages/s, p50 {alone.percentile(50):.1f} ms, "
            f"p99 {alone.percentile(99):.1f} ms"
        )
    dcl, kb = front_in_chromium(edge, cookie)
    log(f"front page (signed in, cold cache): DOMContentLoaded {dcl:.0f} ms, {kb:.1f} KB before images")
    signed_in = mixed.cohort(list(pages).index(USER))
    return {
        "page_p50_ms_max": round(max(p50s), 1),
        "pages_per_s": round(mixed.rps, 1),
        "pages_p99_ms": round(mixed.percentile(99), 1),
        "signed_in_pages_per_s": round(signed_in.rps, 1),
        "signed_in_p99_ms": round(signed_in.percentile(99), 1),
        "front_dcl_ms": round(dcl, 1),
        "front_kb": round(kb, 1),
    }


if __name__ == "__main__":
    main()
