"""Search benchmark: latency and top-3 accuracy of the search service on ~60,000 titles.

Creates a dedicated PostgreSQL database (C.UTF-8, so Hangul has trigrams), migrates
it, loads the real ggplot2 films (popularity = IMDb votes), MovieLens 100K films
not already there, and the Korean titles in benchmarks/data/korean_titles.json
(merged into a loaded title with the same English or original title and year, else
added), folds their search keys with the service's own indexer code, then runs the
200 hand-labelled queries of benchmarks/data/search_queries.json through
``search_titles`` and drops the database.

    .venv/bin/python benchmarks/search.py [--rounds 3] [--keep-db]

Last line: {"p50_ms": …, "p99_ms": …, "top3_hit_rate": …, "titles": …}
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))

SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"moochu_bench_search_{os.getpid()}"
# Titles outside the data sets have no vote count; give them a middling popularity
# (the median ggplot2 film has ~30 votes, the Korean sample are well-known titles).
ASSUMED_POPULARITY = 5000.0
MOVIELENS_TITLE = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)\s*$")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would record every query
    for name in ("REDIS_URL", "ELASTICSEARCH_URL", "MOOCHU_SEARCH_BACKEND"):
        os.environ.pop(name, None)
    import django

    django.setup()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def load_catalog() -> int:
    from django.db import connection
    from django.db import transaction

    from apps.movies.datasets import MovieLens100K
    from apps.movies.datasets import ggplot2_movies
    from apps.movies.models import Genre
    from apps.movies.models import MediaType
    from apps.movies.models import Title
    from apps.movies.search import text
    from apps.movies.search.indexing import title_search_fields_build

    records: dict[tuple[str, int], dict] = {}
    for movie in ggplot2_movies():
        key = (text.compact(movie.title), movie.year)
        if key in records or not key[0]:
            continue
        records[key] = {
            "title_en": movie.title[:300],
            "title_ko": "",
            "title_original": "",
            "year": movie.year,
            "popularity": float(movie.votes),
            "genres": set(movie.genres),
            "media_type": MediaType.MOVIE,
            "movielens_id": None,
        }
    ggplot2_count = len(records)
    movielens = MovieLens100K()
    rating_counts: dict[int, int] = defaultdict(int)
    for rating in movielens.ratings():
        rating_counts[rating.item_id] += 1
    added_movielens = 0
    for movie in movielens.movies():
        match = MOVIELENS_TITLE.match(movie.title)
        name = match.group("title") if match else movie.title
        year = movie.year or (int(match.group("year")) if match else None)
        if not year:
            continue
        key = (text.compact(name), year)
        if key in records:
            records[key]["movielens_id"] = movie.item_id
            records[key]["genres"].update(movie.genres)
            continue
        records[key] = {
            "title_en": name[:300],
            "title_ko": "",
            "title_original": "",
            "year": year,
            "popularity": float(rating_counts[movie.item_id]),
            "genres": set(movie.genres),
            "media_type": MediaType.MOVIE,
            "movielens_id": movie.item_id,
        }
        added_movielens += 1
    korean = json.loads((DATA / "korean_titles.json").read_text())["titles"]
    merged = added = 0
    for entry in korean:
        existing = None
        for name in (entry["title_en"], entry["title_original"]):
            existing = records.get((text.compact(name), entry["year"])) if name else None
            if existing:
                break
        if existing:
            existing["title_ko"] = entry["title_ko"]
            if entry["title_original"] and text.compact(existing["title_en"]) == text.compact(
                entry["title_original"]
            ):
                # The data set lists the original title; keep it and add the English one.
                existing["title_original"], existing["title_en"] = existing["title_en"], entry["title_en"]
            existing["genres"].update(entry["genres"])
            merged += 1
        else:
            records[(text.compact(entry["title_ko"]), entry["year"], "ko")] = {
                "title_en": entry["title_en"],
                "title_ko": entry["title_ko"],
                "title_original": entry["title_original"],
                "year": entry["year"],
                "popularity": ASSUMED_POPULARITY,
                "genres": set(entry["genres"]),
                "media_type": entry["media_type"],
                "movielens_id": None,
            }
            added += 1
    print(
        f"catalog: {ggplot2_count} ggplot2 + {added_movielens} MovieLens-only + "
        f"{added} Korean-sample titles ({merged} Korean titles merged into loaded films)"
    )

    genre_names = sorted({genre for record in records.values() for genre in record["genres"]})
    genres = Genre.objects.bulk_create(
        [
            Genre(slug=name.lower().replace("'", "").replace(" ", "-"), name_en=name, name_ko=name, bit=index)
            for index, name in enumerate(genre_names)
        ]
    )
    genre_by_name = {genre.name_en: genre for genre in genres}
    started = time.perf_counter()
    titles = []
    for record in records.values():
        fields = title_search_fields_build(
            names=(record["title_ko"], record["title_original"], record["title_en"]),
            genres=sorted(record["genres"]),
        )
        titles.append(
            Title(
                media_type=record["media_type"],
                title_ko=record["title_ko"],
                title_original=record["title_original"],
                title_en=record["title_en"],
                year=record["year"],
                popularity=record["popularity"],
                movielens_id=record["movielens_id"],
                search_index_dirty=False,
                **{name: getattr(fields, name) for name in fields.__dataclass_fields__},
            )
        )
    with transaction.atomic():
        Title.objects.bulk_create(titles, batch_size=2000)
        links = [
            Title.genres.through(title_id=title.pk, genre_id=genre_by_name[name].pk)
            for title, record in zip(titles, records.values(), strict=True)
            for name in record["genres"]
        ]
        Title.genres.through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE movies_title")
    print(f"loaded and folded {len(titles)} titles in {time.perf_counter() - started:.1f} s")
    return len(titles)


def run_queries(rounds: int) -> dict:
    from django.db.models import Q

    from apps.movies.models import Title
    from apps.movies.search import search_titles

    queries = json.loads((DATA / "search_queries.json").read_text())["queries"]
    # Honest labels: every intended title must exist in the loaded catalog.
    intended: list[set[int]] = []
    for query in queries:
        name, year = query["expect"]["title"], query["expect"]["year"]
        ids = set(
            Title.objects.filter(
                Q(title_ko=name) | Q(title_en=name) | Q(title_original=name), year=year
            ).values_list("pk", flat=True)
        )
        if not ids:
            raise SystemExit(f"labelled title not in catalog: {name!r} ({year}) for query {query['q']!r}")
        intended.append(ids)

    for query in queries:  # warm caches and the connection
        search_titles(query=query["q"], limit=10)

    latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
    all_latencies: list[float] = []
    hits = 0
    misses = []
    for round_index in range(rounds):
        for query, ids in zip(queries, intended, strict=True):
            started = time.perf_counter()
            results = search_titles(query=query["q"], limit=10)
            elapsed = (time.perf_counter() - started) * 1000
            latencies[(query["lang"], query["kind"])].append(elapsed)
            all_latencies.append(elapsed)
            if round_index == 0:
                top3 = [hit.title.pk for hit in results.hits[:3]]
                if ids & set(top3):
                    hits += 1
                else:
                    misses.append((query["q"], query["expect"], [str(hit.title) for hit in results.hits[:3]]))

    print(f"\n{'lang':<5}{'kind':<12}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}")
    for (lang, kind), values in sorted(latencies.items()):
        print(
            f"{lang:<5}{kind:<12}{len(values):>5}"
            f"{statistics.median(values):>9.2f}{_percentile(values, 0.99):>9.2f}"
        )
    print(f"\ntop-3 misses ({len(misses)}):")
    for q, expect, top3 in misses:
        print(f"  {q!r} → wanted {expect['title']} ({expect['year']}), got {top3}")
    return {
        "p50_ms": round(statistics.median(all_latencies), 2),
        "p99_ms": round(_percentile(all_latencies, 0.99), 2),
        "top3_hit_rate": round(hits / len(queries), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the 200 queries")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the benchmark database")
    args = parser.parse_args()

    _admin(
        f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8'"
        " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )
    try:
        _setup_django()
        from django.core.management import call_command
        from django.db import connections

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database {DB_NAME} migrated in {time.perf_counter() - started:.1f} s")
        titles = load_catalog()
        figures = run_queries(max(1, args.rounds))
        connections.close_all()
    finally:
        if not args.keep_db:
            _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(json.dumps({**figures, "titles": titles}))


if __name__ == "__main__":
    main()
