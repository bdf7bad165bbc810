"""Normalise and merge >100,000 source records into PostgreSQL, then do it again.

Records: the 58,788 real ggplot2 films and 1,682 MovieLens films as those data sets
write them ("Matrix, The"), the same ggplot2 films as TMDB would name them ("The Matrix",
"Rocky 4", accents dropped, some a year off) with offers of every monetisation type, 5,879
TMDB series (``tv:<id>``, seasons and episodes), a Lotte Cinema view of a 30% sample (upper
case, dashed subtitles), and ~100 real Korean films seen by Megabox, Lotte Cinema and KOBIS
(spacing, numerals, subtitles; KOBIS on its nationwide-cinemas provider). Every source is
merged by ``apps.movies.services.ingestion.source_records_ingest`` into a database this
script creates and drops.

Then watchlist alerts: 10,000 users hold 100,000 watchlist entries; a TMDB run opens 5,000
new offers and ``apps.social.services.watch_alerts.watch_alerts_create`` computes, stores,
notifies (and broadcasts, after commit) the alerts they cause.

Targets: first run < 60 s on 2 cores; a re-run < 20 s that changes zero rows; alerts for
100k watchlist entries after a run opening 5,000 offers < 10 s.
Run from the repo root: ``.venv/bin/python benchmarks/ingest.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = f"moochu_bench_ingest_{os.getpid()}"
os.environ["DATABASE_URL"] = f"{SERVER_URL}/{BENCH_DB}"
os.environ.pop("REDIS_URL", None)
os.environ.pop("MONGO_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"

import psycopg  # noqa: E402

# Real Korean films (title, year, director): what Korean cinemas and the film council list.
KOREAN_FILMS = [
    ("기생충", 2019, "봉준호"),
    ("살인의 추억", 2003, "봉준호"),
    ("괴물", 2006, "봉준호"),
    ("마더", 2009, "봉준호"),
    ("설국열차", 2013, "봉준호"),
    ("옥자", 2017, "봉준호"),
    ("올드보이", 2003, "박찬욱"),
    ("친절한 금자씨", 2005, "박찬욱"),
    ("복수는 나의 것", 2002, "박찬욱"),
    ("박쥐", 2009, "박찬욱"),
    ("아가씨", 2016, "박찬욱"),
    ("헤어질 결심", 2022, "박찬욱"),
    ("공동경비구역 JSA", 2000, "박찬욱"),
    ("부산행", 2016, "연상호"),
    ("반도", 2020, "연상호"),
    ("곡성", 2016, "나홍진"),
    ("추격자", 2008, "나홍진"),
    ("황해", 2010, "나홍진"),
    ("버닝", 2018, "이창동"),
    ("시", 2010, "이창동"),
    ("밀양", 2007, "이창동"),
    ("오아시스", 2002, "이창동"),
    ("박하사탕", 2000, "이창동"),
    ("명량", 2014, "김한민"),
    ("한산: 용의 출현", 2022, "김한민"),
    ("노량: 죽음의 바다", 2023, "김한민"),
    ("최종병기 활", 2011, "김한민"),
    ("극한직업", 2019, "이병헌"),
    ("신과함께-죄와 벌", 2017, "김용화"),
    ("신과함께-인과 연", 2018, "김용화"),
    ("국제시장", 2014, "윤제균"),
    ("해운대", 2009, "윤제균"),
    ("베테랑", 2015, "류승완"),
    ("베테랑2", 2024, "류승완"),
    ("모가디슈", 2021, "류승완"),
    ("밀수", 2023, "류승완"),
    ("군함도", 2017, "류승완"),
    ("부당거래", 2010, "류승완"),
    ("베를린", 2013, "류승완"),
    ("도둑들", 2012, "최동훈"),
    ("암살", 2015, "최동훈"),
    ("전우치", 2009, "최동훈"),
    ("타짜", 2006, "최동훈"),
    ("외계+인 1부", 2022, "최동훈"),
    ("외계+인 2부", 2024, "최동훈"),
    ("범죄도시", 2017, "강윤성"),
    ("범죄도시2", 2022, "이상용"),
    ("범죄도시3", 2023, "이상용"),
    ("범죄도시4", 2024, "허명행"),
    ("서울의 봄", 2023, "김성수"),
    ("아수라", 2016, "김성수"),
    ("감기", 2013, "김성수"),
    ("파묘", 2024, "장재현"),
    ("검은 사제들", 2015, "장재현"),
    ("사바하", 2019, "장재현"),
    ("택시운전사", 2017, "장훈"),
    ("고지전", 2011, "장훈"),
    ("1987", 2017, "장준환"),
    ("지구를 지켜라!", 2003, "장준환"),
    ("변호인", 2013, "양우석"),
    ("강철비", 2017, "양우석"),
    ("왕의 남자", 2005, "이준익"),
    ("사도", 2015, "이준익"),
    ("동주", 2016, "이준익"),
    ("광해, 왕이 된 남자", 2012, "추창민"),
    ("7번방의 선물", 2013, "이환경"),
    ("태극기 휘날리며", 2004, "강제규"),
    ("쉬리", 1999, "강제규"),
    ("실미도", 2003, "강우석"),
    ("관상", 2013, "한재림"),
    ("더 킹", 2017, "한재림"),
    ("비상선언", 2022, "한재림"),
    ("내부자들", 2015, "우민호"),
    ("남산의 부장들", 2020, "우민호"),
    ("하얼빈", 2024, "우민호"),
    ("마약왕", 2018, "우민호"),
    ("엑시트", 2019, "이상근"),
    ("늑대소년", 2012, "조성희"),
    ("승리호", 2021, "조성희"),
    ("써니", 2011, "강형철"),
    ("과속스캔들", 2008, "강형철"),
    ("스윙키즈", 2018, "강형철"),
    ("건축학개론", 2012, "이용주"),
    ("신세계", 2013, "박훈정"),
    ("마녀", 2018, "박훈정"),
    ("악마를 보았다", 2010, "김지운"),
    ("좋은 놈, 나쁜 놈, 이상한 놈", 2008, "김지운"),
    ("달콤한 인생", 2005, "김지운"),
    ("장화, 홍련", 2003, "김지운"),
    ("밀정", 2016, "김지운"),
    ("엽기적인 그녀", 2001, "곽재용"),
    ("클래식", 2003, "곽재용"),
    ("친구", 2001, "곽경택"),
    ("말아톤", 2005, "정윤철"),
    ("헌트", 2022, "이정재"),
    ("콘크리트 유토피아", 2023, "엄태화"),
    ("해적: 바다로 간 산적", 2014, "이석훈"),
    ("터널", 2016, "김성훈"),
    ("끝까지 간다", 2014, "김성훈"),
    ("끝까지 간다", 2023, "Mert Baykal"),  # the Turkish remake: same name, a year later
]

_ROMAN = {"II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6"}
_TRAILING_THE = re.compile(r"^(.*), (The|A|An)$")
_HANGUL_ROMAN = {"2": " II", "3": " 3편", "4": " Ⅳ"}


def _second_source_name(title: str) -> str:
    """How a second source writes an English catalog title."""
    match = _TRAILING_THE.match(title)
    if match:
        title = f"{match.group(2)} {match.group(1)}"
    words = title.split(" ")
    if len(words) > 1 and words[-1] in _ROMAN:
        words[-1] = _ROMAN[words[-1]]
    title = " ".join(words).replace(" & ", " and ")
    return "".join(c for c in unicodedata.normalize("NFKD", title) if unicodedata.category(c) != "Mn")


def _third_source_name(title: str) -> str:
    match = _TRAILING_THE.match(title)
    if match:
        title = f"{match.group(2)} {match.group(1)}"
    return title.upper().replace(": ", " - ")


def build_records() -> dict[str, list]:
    from apps.movies.crawlers.base import SourceOfferRecord
    from apps.movies.crawlers.base import SourcePerson
    from apps.movies.crawlers.base import SourceTitle
    from apps.movies.datasets import MovieLens100K
    from apps.movies.datasets import ggplot2_movies

    rng = random.Random(20261124)
    sources: dict[str, list[SourceTitle]] = {name: [] for name in ("ggplot2", "movielens", "tmdb", "lotte")}
    kinds = ("stream", "stream", "ads", "rent", "buy")
    for number, film in enumerate(ggplot2_movies()):
        runtime = film.length if film.length and 0 < film.length < 2000 else None
        sources["ggplot2"].append(
            SourceTitle(
                source="ggplot2",
                external_id=str(number),
                title_en=film.title,
                year=film.year,
                runtime_minutes=runtime,
                genres=film.genres,
            )
        )
        # A second source knows every film; 10% of them a year off (festival vs release).
        year = film.year + 1 if rng.random() < 0.10 else film.year
        offers = (
            (SourceOfferRecord(provider="netflix", offer_type=kinds[number // 5 % len(kinds)]),)
            if number % 5 == 0
            else ()
        )
        sources["tmdb"].append(
            SourceTitle(
                source="tmdb",
                external_id=f"t{number}",
                title_en=_second_source_name(film.title),
                title_original=_second_source_name(film.title),
                year=year,
                offers=offers,
            )
        )
        if rng.random() < 0.30:
            sources["lotte"].append(
                SourceTitle(
                    source="lotte",
                    external_id=f"l{number}",
                    title_en=_third_source_name(film.title),
                    year=film.year,
                    offers=(SourceOfferRecord(provider="lotte-cinema", offer_type="coming_soon"),),
                )
            )
        if number % 10 == 3:
            # Series: TMDB's TV side (K-dramas and variety in production; here, volume).
            sources["tmdb"].append(
                SourceTitle(
                    source="tmdb",
                    external_id=f"tv:{number}",
                    media_type="tv",
                    title_en=_second_source_name(film.title),
                    title_original=_second_source_name(film.title),
                    year=film.year,
                    season_count=1 + number % 4,
                    episode_count=8 + number % 12,
                    offers=(SourceOfferRecord(provider="tving", offer_type="stream"),),
                    tmdb_id=number,
                )
            )
    for movie in MovieLens100K().movies():
        sources["movielens"].append(
            SourceTitle(
                source="movielens",
                external_id=str(movie.item_id),
                title_en=movie.title,
                year=movie.year,
                genres=movie.genres,
            )
        )
    for source, provider, offer_type in (
        ("megabox", "megabox", "now_showing"),
        ("lotte", "lotte-cinema", "now_showing"),
        ("kobis", "kr-cinemas", "now_showing"),
    ):
        sources.setdefault(source, [])
        for number, (title, year, director) in enumerate(KOREAN_FILMS):
            name = title
            if source == "lotte":
                name = title.replace(" ", "")  # "서울의봄"
                for digit, spelled in _HANGUL_ROMAN.items():
                    if name.endswith(digit):
                        name = name[:-1] + spelled
            elif source == "kobis":
                name = title.replace(": ", " : ")
            sources[source].append(
                SourceTitle(
                    source=source,
                    external_id=f"{source}-{number}",
                    title_ko=name,
                    year=year,
                    people=(SourcePerson(name=director, role="director"),),
                    offers=(SourceOfferRecord(provider=provider, offer_type=offer_type),) if provider else (),
                    kobis_code=f"2000{number:04d}" if source == "kobis" else None,
                )
            )
    return sources


TABLES = (
    "movies_title",
    "movies_titlematchkey",
    "movies_sourcerecord",
    "movies_sourceoffer",
    "movies_availability",
    "movies_title_genres",
    "movies_credit",
    "movies_person",
    "movies_genre",
    "movies_provider",
)


def snapshot() -> dict[str, dict[int, str]]:
    """Every row of the catalog tables, hashed, by table and id."""
    from django.db import connection

    rows: dict[str, dict[int, str]] = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT id, md5(t::text) FROM {table} t")
            rows[table] = dict(cursor.fetchall())
    return rows


def rows_changed(before: dict[str, dict[int, str]], after: dict[str, dict[int, str]]) -> int:
    changed = 0
    for table in TABLES:
        old, new = before[table], after[table]
        changed += len(old.keys() ^ new.keys())
        changed += sum(1 for key in old.keys() & new.keys() if old[key] != new[key])
    return changed


def _limited(sources: dict[str, list]) -> dict[str, list]:
    # BENCH_LIMIT=N keeps the first N records per source (for profiling runs).
    limit = int(os.environ.get("BENCH_LIMIT", "0"))
    return {name: batch[:limit] for name, batch in sources.items()} if limit else sources


def ingest_all(sources: dict[str, list]) -> tuple[float, int]:
    from apps.movies.services.ingestion import source_records_ingest

    started = time.perf_counter()
    reported = 0
    for source, records in sources.items():
        t0 = time.perf_counter()
        report = source_records_ingest(source=source, records=records)
        reported += report.rows_changed
        print(
            f"  {source:<10} {len(records):>7} records  {time.perf_counter() - t0:6.2f} s  "
            f"new {report.new}, updated {report.updated}, unchanged {report.unchanged}, "
            f"closed {report.closed}, failed {report.failed}",
            flush=True,
        )
    return time.perf_counter() - started, reported


ALERT_USERS = 10_000
WATCHLIST_PER_USER = 10
OPENED_OFFERS = 5_000


def alerts_benchmark(rng: random.Random) -> tuple[float, int, int, int]:
    """100k watchlist entries; a TMDB run opens 5,000 offers; time the alerts they cause.

    Returns (seconds, watchlist entries, offers opened, alerts created).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from apps.movies.crawlers.base import SourceOfferRecord
    from apps.movies.models import Provider
    from apps.movies.models import SourceRecord
    from apps.movies.services.ingestion import source_records_ingest
    from apps.social.models import WatchlistItem
    from apps.social.services.watch_alerts import watch_alerts_create

    user_model = get_user_model()
    # Films TMDB knows without a Disney+ offer: the next run brings it to 5,000 of them.
    film_records = list(
        SourceRecord.objects.filter(source="tmdb")
        .exclude(external_id__startswith="tv:")
        .values_list("external_id", "title_id")[: OPENED_OFFERS * 3]
    )
    # One record per title: two TMDB records merged into one title would open one offer.
    distinct: dict[int, str] = {}
    for external_id, title_id in film_records:
        distinct.setdefault(title_id, external_id)
    pairs = [(external_id, title_id) for title_id, external_id in distinct.items()]
    chosen = pairs[:OPENED_OFFERS]
    chosen_titles = [title_id for _, title_id in chosen]
    other_titles = [title_id for _, title_id in pairs[OPENED_OFFERS:]]
    user_model.objects.bulk_create(
        [user_model(username=f"bench{n}", password=UNUSABLE_PASSWORD_PREFIX) for n in range(ALERT_USERS)],
        batch_size=5000,
    )
    users = list(user_model.objects.filter(username__startswith="bench").values_list("id", flat=True))
    providers = dict(Provider.objects.values_list("slug", "id"))
    disney = providers.get("disney-plus")
    if disney is None:
        from apps.movies.services.ingestion import providers_ensure

        disney = providers_ensure(slugs=["disney-plus"])["disney-plus"]
    through = user_model.my_services.through
    # Half the users subscribe to Disney+; everyone has Netflix.
    rows = [through(user_id=u, provider_id=providers["netflix"]) for u in users]
    rows += [through(user_id=u, provider_id=disney) for u in users[::2]]
    through.objects.bulk_create(rows, batch_size=10_000)
    entries = []
    for user_id in users:
        # Three of ten watchlist titles are among the 5,000 about to arrive on Disney+.
        picks = rng.sample(chosen_titles, 3) + rng.sample(other_titles, WATCHLIST_PER_USER - 3)
        entries += [WatchlistItem(user_id=user_id, title_id=title_id) for title_id in picks]
    WatchlistItem.objects.bulk_create(entries, batch_size=10_000)
    # A live database has planner statistics (autovacuum analyzes a table once a tenth of it
    # changed); freshly bulk-loaded tables have none, and without them PostgreSQL joins
    # 100k watchlist rows by nested loops (166 s instead of well under a second).
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (WatchlistItem, through, user_model):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')

    # The run: the same TMDB records, 5,000 of them now also on Disney+.
    by_id = {record.external_id: record for record in build_records()["tmdb"]}
    changed = []
    for external_id, _title_id in chosen:
        record = by_id[external_id]
        record.offers = (*record.offers, SourceOfferRecord(provider="disney-plus", offer_type="stream"))
        changed.append(record)
    report = source_records_ingest(source="tmdb", records=changed, complete=False)
    opened = sorted(report.opened_availability_ids)

    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE_ALERTS"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        alerts = profiler.runcall(watch_alerts_create, availability_ids=opened)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    else:
        alerts = watch_alerts_create(availability_ids=opened)
    seconds = time.perf_counter() - started
    return seconds, len(entries), len(opened), len(alerts)


def main() -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{BENCH_DB}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from apps.movies.models import SourceRecord
        from apps.movies.models import Title

        call_command("migrate", verbosity=0)
        sources = _limited(build_records())
        records = sum(len(batch) for batch in sources.values())
        print(f"{records} source records from {len(sources)} sources into {BENCH_DB}", flush=True)

        print("first run:", flush=True)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            first_s, _ = ingest_all(sources)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        else:
            first_s, _ = ingest_all(sources)
        titles = Title.objects.count()
        print(f"  → {titles} titles, {SourceRecord.objects.count()} source records", flush=True)

        # Second run on records built afresh, as a re-crawl would produce them.
        sources = _limited(build_records())
        before = snapshot()
        print("re-run:", flush=True)
        rerun_s, reported = ingest_all(sources)
        changed = rows_changed(before, snapshot())
        print(f"  → rows changed {changed} (service reported {reported})", flush=True)

        print("watchlist alerts:", flush=True)
        alerts_s, watchlist, opened, alerts = alerts_benchmark(random.Random(7))
        print(
            f"  {watchlist} watchlist entries, {opened} offers opened → {alerts} alerts in {alerts_s:.2f} s",
            flush=True,
        )
        connection.close()
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    print(
        json.dumps(
            {
                "first_run_s": round(first_s, 2),
                "rerun_s": round(rerun_s, 2),
                "rerun_rows_changed": changed,
                "records": records,
                "alerts_s": round(alerts_s, 2),
                "alerts_watchlist_entries": watchlist,
                "alerts_offers_opened": opened,
                "alerts_created": alerts,
            }
        )
    )


if __name__ == "__main__":
    main()
