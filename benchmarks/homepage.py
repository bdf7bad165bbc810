"""Mini-homepage benchmark.

1. A homepage with 5,000 guestbook entries, 500 friends and 2,000 ratings: server time
   of GET /@nickname/ (in-process Django test client, a signed-in friend viewing), p50/p99,
   and the SQL query count, which must not depend on those sizes.
2. Visitor counting: visit_record() calls per second into Redis from one process.

Uses config.settings.test (PostgreSQL + Redis) with its own throw-away database and Redis
key prefix. Bounded: ~300 page renders and a time-boxed visit loop.
Last line: {"homepage_p99_ms": …, "homepage_queries": …, "visits_per_s": …}
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MOOCHU_REDIS_PREFIX"] = f"moochu-bench-homepage-{os.getpid()}"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

GUESTBOOK = 5_000
FRIENDS = 500
RATINGS = 2_000
RENDERS = int(os.environ.get("BENCH_RENDERS", 300))
VISIT_SECONDS = 3.0
THREADS = 8


def build() -> tuple[object, object]:
    from django.utils import timezone

    from apps.movies.models import Genre
    from apps.movies.models import Title
    from apps.social.models import Friendship
    from apps.social.models import GuestbookEntry
    from apps.social.models import Rating
    from apps.social.models import User
    from apps.social.services import profile_update
    from apps.social.services import shelf_set
    from apps.social.services import user_nickname_set

    owner = User.objects.create_user(username="owner", email="owner@example.com", password=None)
    user_nickname_set(user=owner, nickname="집주인")
    profile_update(user=owner, data={"mood": "행복", "intro": "영화가 좋아"})
    genres = Genre.objects.bulk_create(
        Genre(slug=f"g{i}", name_en=f"Genre {i}", name_ko=f"장르{i}", bit=i) for i in range(12)
    )
    titles = Title.objects.bulk_create(
        Title(title_ko=f"영화 {i}", year=1950 + i % 75, popularity=float(RATINGS - i)) for i in range(RATINGS)
    )
    through = Title.genres.through
    through.objects.bulk_create(
        through(title_id=t.pk, genre_id=genres[i % len(genres)].pk) for i, t in enumerate(titles)
    )
    now = timezone.now()
    Rating.objects.bulk_create(
        Rating(user=owner, title=t, half_stars=1 + i % 10, created_at=now) for i, t in enumerate(titles)
    )
    friends = User.objects.bulk_create(
        User(username=f"friend{i}", email=f"f{i}@example.com", nickname=f"친구{i}") for i in range(FRIENDS)
    )
    Friendship.objects.bulk_create(
        [Friendship(user=owner, friend=f) for f in friends]
        + [Friendship(user=f, friend=owner) for f in friends]
    )
    GuestbookEntry.objects.bulk_create(
        GuestbookEntry(owner=owner, author=friends[i % FRIENDS], body=f"방명록 {i}", is_secret=i % 7 == 0)
        for i in range(GUESTBOOK)
    )
    shelf_set(user=owner, title_ids=[t.pk for t in titles[:5]])
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics yet (autovacuum would add them).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return owner, friends[0]


def bench_homepage(owner: object, viewer: object) -> tuple[float, float, int]:
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    url = f"/@{owner.nickname}/"
    assert client.get(url).status_code == 200  # warm caches (taste chart) and connections
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    timings = []
    for _ in range(RENDERS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return p50, p99, len(executed)


def bench_visits() -> tuple[float, float]:
    """visit_record() calls per second: one thread, then THREADS threads of one process.

    Each call is one Redis round trip (a Lua script), so the single-thread figure is the
    loopback round-trip rate; a web process serves requests concurrently, which the
    threaded figure reflects.
    """
    from concurrent.futures import ThreadPoolExecutor

    from apps.social.services import visit_record

    class Owner:
        def __init__(self, pk: int) -> None:
            self.pk = pk

    owners = [Owner(pk) for pk in range(1, 51)]

    def run(worker: int) -> int:
        done = 0
        deadline = time.perf_counter() + VISIT_SECONDS
        while time.perf_counter() < deadline:
            for i in range(200):
                visit_record(owner=owners[i % 50], viewer=None, session_key=f"s{worker}-{done + i}")
            done += 200
        return done

    start = time.perf_counter()
    single = run(0) / (time.perf_counter() - start)
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        total = sum(pool.map(run, range(1, THREADS + 1)))
    threaded = total / (time.perf_counter() - start)
    return single, threaded


def main() -> None:
    from apps.social.visitors import visitor_store

    setup_test_environment()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = f"bench_moochu_homepage_{os.getpid()}"
    # Test settings close the connection after every request; production keeps it
    # (base.py: CONN_MAX_AGE 60), and a new PostgreSQL backend per request would dominate.
    settings_dict["CONN_MAX_AGE"] = 60
    old_name = settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        t0 = time.perf_counter()
        owner, viewer = build()
        print(
            f"built {GUESTBOOK} guestbook entries, {FRIENDS} friends, {RATINGS} ratings "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        p50, p99, queries = bench_homepage(owner, viewer)
        print(f"homepage: p50 {p50:.2f} ms, p99 {p99:.2f} ms over {RENDERS} renders, {queries} SQL queries")
        single, visits = bench_visits()
        print(
            f"visitor counting: {single:,.0f} visits/s on one thread, "
            f"{visits:,.0f} visits/s with {THREADS} threads"
        )
    finally:
        visitor_store().clear()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        json.dumps(
            {"homepage_p99_ms": round(p99, 2), "homepage_queries": queries, "visits_per_s": round(visits)}
        )
    )


if __name__ == "__main__":
    if "--profile" in sys.argv:
        import cProfile

        cProfile.run("main()", sort="cumtime")
    else:
        main()
