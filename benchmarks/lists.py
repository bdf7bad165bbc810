"""Lists benchmark: a list at the cap (10,000 entries) co-edited by its owner and a 일촌.

1. The list page (first and last of its 209 pages) as the collaborator: server time p50/p99
   (in-process Django test client) and the SQL query count, which must not depend on the size.
2. The entries API page (limit 100, the last offset): p50/p99.
3. Moves through the service: last → first (shifts 9,999 rows in one UPDATE) and one step
   down (up/down buttons), each under the list's row lock: p50/p99 per move.

Uses config.settings.test (PostgreSQL + Redis) with its own throw-away database.
Last line: {"list_page_p99_ms": …, "list_page_queries": …, "entries_api_p99_ms": …,
"move_far_p99_ms": …, "move_step_p99_ms": …}
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
os.environ["MOOCHU_REDIS_PREFIX"] = f"moochu-bench-lists-{os.getpid()}"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ENTRIES = 10_000
RENDERS = int(os.environ.get("BENCH_RENDERS", 100))
MOVES = int(os.environ.get("BENCH_MOVES", 50))


def _pct(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def build() -> tuple[object, object, object]:
    from apps.lists import services
    from apps.lists.models import ListEntry
    from apps.movies.models import Title
    from apps.social.models import Friendship
    from apps.social.models import User

    owner = User.objects.create_user(username="owner", email="o@example.com", password=None, nickname="주인")
    friend = User.objects.create_user(
        username="friend", email="f@example.com", password=None, nickname="일촌"
    )
    Friendship.objects.bulk_create(
        [Friendship(user=owner, friend=friend), Friendship(user=friend, friend=owner)]
    )
    user_list = services.list_create(owner=owner, name="만 편의 영화", visibility="friends")
    services.list_collaborator_invite(user=owner, list_id=user_list.pk, invitee=friend)
    titles = Title.objects.bulk_create(
        Title(title_ko=f"영화 {i}", title_en=f"Film {i}", year=1950 + i % 75, popularity=float(i))
        for i in range(ENTRIES)
    )
    ListEntry.objects.bulk_create(
        ListEntry(list=user_list, title=t, position=i, note=f"메모 {i}" if i % 3 else "", added_by=owner)
        for i, t in enumerate(titles)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return owner, friend, user_list


def bench_page(friend: object, user_list: object) -> tuple[float, float, int]:
    from django.test import Client

    client = Client()
    client.force_login(friend)
    url = f"/lists/{user_list.pk}/"
    assert client.get(url).status_code == 200
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, {"page": "last"})
    timings = []
    for i in range(RENDERS):
        start = time.perf_counter()
        response = client.get(url, {"page": "last"} if i % 2 else {})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return (*_pct(timings), len(executed))


def bench_api(friend: object, user_list: object) -> tuple[float, float]:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(friend)
    url = f"/api/lists/{user_list.pk}/entries/"
    timings = []
    for _ in range(RENDERS):
        start = time.perf_counter()
        response = client.get(url, {"limit": 100, "offset": ENTRIES - 100})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 100
    return _pct(timings)


def bench_moves(friend: object, user_list: object) -> tuple[float, float, float, float]:
    from apps.lists import services
    from apps.lists.models import ListEntry

    far, step = [], []
    for _ in range(MOVES):
        last = ListEntry.objects.get(list=user_list, position=ENTRIES - 1)
        start = time.perf_counter()
        services.list_entry_move(user=friend, entry_id=last.pk, position=0, expected_position=ENTRIES - 1)
        far.append((time.perf_counter() - start) * 1000)
        middle = ListEntry.objects.get(list=user_list, position=ENTRIES // 2)
        start = time.perf_counter()
        services.list_entry_move(
            user=friend, entry_id=middle.pk, position=ENTRIES // 2 + 1, expected_position=ENTRIES // 2
        )
        step.append((time.perf_counter() - start) * 1000)
    positions = list(
        ListEntry.objects.filter(list=user_list).order_by("position").values_list("position", flat=True)
    )
    assert positions == list(range(ENTRIES)), "the order lost its shape"
    return (*_pct(far), *_pct(step))


def main() -> None:
    setup_test_environment()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = f"bench_moochu_lists_{os.getpid()}"
    settings_dict["CONN_MAX_AGE"] = 60  # as production (base.py), not a new backend per request
    old_name = settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        t0 = time.perf_counter()
        _owner, friend, user_list = build()
        print(f"built a list of {ENTRIES:,} entries in {time.perf_counter() - t0:.1f}s")
        page_p50, page_p99, queries = bench_page(friend, user_list)
        print(f"list page (first/last page): p50 {page_p50:.1f} ms, p99 {page_p99:.1f} ms, {queries} queries")
        api_p50, api_p99 = bench_api(friend, user_list)
        print(f"entries API (limit 100, last offset): p50 {api_p50:.1f} ms, p99 {api_p99:.1f} ms")
        far_p50, far_p99, step_p50, step_p99 = bench_moves(friend, user_list)
        print(f"move last→first: p50 {far_p50:.1f} ms, p99 {far_p99:.1f} ms")
        print(f"move one step: p50 {step_p50:.1f} ms, p99 {step_p99:.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        json.dumps(
            {
                "list_page_p99_ms": round(page_p99, 1),
                "list_page_queries": queries,
                "entries_api_p99_ms": round(api_p99, 1),
                "move_far_p99_ms": round(far_p99, 1),
                "move_step_p99_ms": round(step_p99, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
