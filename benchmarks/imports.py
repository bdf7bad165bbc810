"""Import-my-history benchmark (#19): a 10,000-row Letterboxd export, end to end, then again.

    .venv/bin/python benchmarks/imports.py [--rows N]

In a fresh PostgreSQL database holding ggplot2's 58,788 films (with the catalog's match keys),
a Letterboxd ZIP is built from catalog films with a fixed seed: 40% ratings.csv, 40% diary.csv,
15% watchlist.csv, 5% reviews.csv, plus 2% names no catalog holds. Timed, as the person meets it:

1. ``import_s``: upload → read and match (the task) → the person picks the first candidate of each
   ambiguous film (not timed: a person's clicks) → apply (the task). Goal: < 30 s.
2. ``reimport_s``: the same file again, read, matched and applied. Goal: < 10 s with 0 rows changed,
   counted both from the rows' outcomes and from a snapshot of the person's tables.

``BENCH_PROFILE=apply`` / ``BENCH_PROFILE=reimport`` print a cProfile of the first apply / the
whole re-import.

Measured 2026-12-05 on the shared 2-core machine, load average ~1 (quiet), after reviews were
written in bulk and links by COPY: import 5.54 s (read+match 2.78 s, apply 2.76 s), re-import
2.16 s with 0 rows changed. Before those changes, at load ~4: import 21.07 s (apply 17.12 s),
re-import 7.28 s.

Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import bench_database  # noqa: E402
from benchmarks.common import django_setup  # noqa: E402
from benchmarks.common import log  # noqa: E402
from benchmarks.common import migrate  # noqa: E402

SEED = 20261205


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # Letterboxd writes CRLF
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def export_build(films: list[tuple[str, int]], rows: int, rng: random.Random) -> bytes:
    """A Letterboxd export ZIP of ``rows`` rows over ``films`` (name, year)."""
    n_ratings, n_diary, n_watch = int(rows * 0.4), int(rows * 0.4), int(rows * 0.15)
    n_reviews = rows - n_ratings - n_diary - n_watch
    picked = rng.sample(films, n_ratings + n_watch)
    missing = [(f"Uncatalogued Film {i}", 1990 + i % 30) for i in range(rows // 50)]
    stars = ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"]

    def uri(prefix: str, i: int) -> str:
        return f"https://boxd.it/{prefix}{i:06d}"

    # The uncatalogued films come first so they are rated, logged and reviewed too.
    rated = missing + picked[: n_ratings - len(missing)]
    ratings = [
        ["2024-01-01", name, str(year), uri("f", i), rng.choice(stars)]
        for i, (name, year) in enumerate(rated)
    ]
    watch = [
        ["2024-01-02", name, str(year), uri("w", i)] for i, (name, year) in enumerate(picked[n_ratings:])
    ]
    diary = []
    for i in range(n_diary):
        name, year = rated[i % len(rated)]
        day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        diary.append(
            [day, name, str(year), uri("d", i), rng.choice(stars), "Yes" if i % 7 == 0 else "", "", day]
        )
    reviews = []
    for i in range(n_reviews):
        name, year = rated[i]
        body = f"Review {i}: quoted, with a newline\nand a comma."
        reviews.append(["2024-01-03", name, str(year), uri("r", i), "4", "", body, "", "2023-06-01"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", _csv(["Date", "Name", "Year", "Letterboxd URI", "Rating"], ratings))
        diary_cols = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
        archive.writestr("diary.csv", _csv(diary_cols, diary))
        archive.writestr("watchlist.csv", _csv(["Date", "Name", "Year", "Letterboxd URI"], watch))
        review_cols = [*diary_cols[:6], "Review", "Tags", "Watched Date"]
        archive.writestr("reviews.csv", _csv(review_cols, reviews))
    return buffer.getvalue()


def catalog_load() -> int:
    """ggplot2's films as titles (names and years are all the matcher reads)."""
    from apps.movies.datasets import ggplot2_movies
    from apps.movies.models import Title

    titles = [
        Title(title_en=m.title, title_original=m.title, year=m.year, popularity=float(m.votes))
        for m in ggplot2_movies()
    ]
    Title.objects.bulk_create(titles, batch_size=2000)
    return len(titles)


def snapshot(user_id: int) -> tuple[object, ...]:
    from django.db.models import Max
    from django.db.models import Sum

    from apps.social.models import DiaryEntry
    from apps.social.models import Rating
    from apps.social.models import Review
    from apps.social.models import WatchlistItem

    return (
        Rating.objects.filter(user_id=user_id).aggregate(n=Sum("half_stars"), t=Max("updated_at")),
        Rating.objects.filter(user_id=user_id).count(),
        DiaryEntry.objects.filter(user_id=user_id).count(),
        DiaryEntry.objects.filter(user_id=user_id).aggregate(n=Sum("half_stars"), m=Max("id")),
        WatchlistItem.objects.filter(user_id=user_id).count(),
        Review.objects.filter(user_id=user_id).aggregate(n=Max("updated_at"), c=Max("id")),
    )


def import_run(user, data: bytes, *, choose: bool) -> tuple[float, float, dict[str, int], int]:
    """(seconds, of which choosing, row counts, batch id) of one upload read, reviewed and applied."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.imports.models import RowStatus
    from apps.imports.selectors import import_row_counts
    from apps.imports.services import import_batch_apply_request
    from apps.imports.services import import_batch_create
    from apps.imports.services import import_row_choose
    from apps.imports.tasks import import_batch_apply_task
    from apps.imports.tasks import import_batch_read_task

    started = time.perf_counter()
    # Autocommit: on_commit runs the (eager) read task at once, as a worker would pick it up.
    batch = import_batch_create(
        user=user,
        upload=SimpleUploadedFile("letterboxd-export.zip", data),
        enqueue_read=import_batch_read_task.delay,
    )
    read_s = time.perf_counter() - started
    choose_s = 0.0
    if choose:
        t0 = time.perf_counter()
        seen: set[tuple[str, int | None]] = set()
        for row in batch.rows.filter(status=RowStatus.AMBIGUOUS).order_by("id"):
            if (row.name, row.year) not in seen:
                seen.add((row.name, row.year))
                import_row_choose(user=user, row_id=row.pk, title_id=row.candidate_ids[0])
        choose_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE") == "apply":
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        import_batch_apply_request(user=user, batch_id=batch.pk, enqueue_apply=import_batch_apply_task.delay)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    else:
        import_batch_apply_request(user=user, batch_id=batch.pk, enqueue_apply=import_batch_apply_task.delay)
    apply_s = time.perf_counter() - t0
    batch.refresh_from_db()
    counts = import_row_counts(batch=batch)
    log(f"  read+match {read_s:.2f} s, choose {choose_s:.2f} s, apply {apply_s:.2f} s; status {batch.status}")
    return read_s + apply_s, choose_s, counts, batch.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with bench_database("moochu_bench_imports") as url:
        django_setup(url)
        migrate()
        from django.db import connections

        from apps.movies.models import Title
        from apps.movies.services.ingestion import title_match_keys_backfill
        from tests.factories import UserFactory

        t0 = time.perf_counter()
        titles = catalog_load()
        keys = title_match_keys_backfill()
        log(f"catalog: {titles} titles, {keys} match keys in {time.perf_counter() - t0:.1f} s")
        films = list(
            Title.objects.exclude(title_en="").filter(year__isnull=False).values_list("title_en", "year")
        )
        data = export_build(films, args.rows, random.Random(SEED))
        log(f"export: {args.rows} rows, {len(data) / 1e6:.2f} MB zipped")
        user = UserFactory()

        log("import:")
        first_s, choose_s, first, _ = import_run(user, data, choose=True)
        log(f"  {first}")
        before = snapshot(user.pk)
        log("re-import:")
        if os.environ.get("BENCH_PROFILE") == "reimport":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            again_s, _choose, again, _ = import_run(user, data, choose=False)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        else:
            again_s, _choose, again, _ = import_run(user, data, choose=False)
        log(f"  {again}")
        changed_tables = int(before != snapshot(user.pk))
        connections.close_all()
    print(
        json.dumps(
            {
                "rows": args.rows,
                "import_s": round(first_s, 2),
                "import_choose_s": round(choose_s, 2),
                "matched": first.get("matched", 0),
                "ambiguous": first.get("ambiguous", 0),
                "unmatched": first.get("unmatched", 0),
                "invalid": first.get("invalid", 0),
                "import_rows_changed": first.get("changed", 0),
                "reimport_s": round(again_s, 2),
                "reimport_rows_changed": again.get("changed", 0),
                "reimport_tables_changed": changed_tables,
                "reimport_ambiguous": again.get("ambiguous", 0),
            }
        )
    )


if __name__ == "__main__":
    main()
