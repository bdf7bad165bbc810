"""Shared pieces of Moochu's benchmarks.

- ``bench_database(name)``: a dedicated PostgreSQL database, created fresh and dropped after.
- ``django_setup(database_url)``: point Django at it (before anything imports models).
- ``ggplot2_load(seed=...)``: ggplot2's 58,788 films beside whatever the database already
  holds, with where-to-watch offers drawn with a fixed seed (benchmark data only, never demo data),
  and the denormalised filter masks set exactly as ``title_masks_refresh`` would.
- ``serve(...)``: the ASGI app under gunicorn on a free loopback port.
- ``load_run(...)``: a bounded, lean asyncio HTTP/1.1 load generator returning latencies.

Run benchmarks from the repository root: ``.venv/bin/python benchmarks/NAME.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Fixed seed: every run draws the same offers, so figures compare across runs and machines.
AVAILABILITY_SEED = 20261124

# Korean providers the benchmark offers titles on: (slug, name, name_ko, kind, colour).
BENCH_PROVIDERS = [
    ("netflix", "Netflix", "넷플릭스", "ott", "#E50914"),
    ("watcha", "Watcha", "왓챠", "ott", "#FF0558"),
    ("tving", "TVING", "티빙", "ott", "#FF153C"),
    ("wavve", "Wavve", "웨이브", "ott", "#1F4DF5"),
    ("disney-plus", "Disney+", "디즈니+", "ott", "#113CCF"),
    ("coupang-play", "Coupang Play", "쿠팡플레이", "ott", "#5F0080"),
    ("cgv", "CGV", "CGV", "cinema", "#E71A0F"),
    ("lotte-cinema", "Lotte Cinema", "롯데시네마", "cinema", "#ED1C24"),
    ("megabox", "Megabox", "메가박스", "cinema", "#352263"),
]
GGPLOT2_GENRE_NAMES = {
    "Action": "액션",
    "Animation": "애니메이션",
    "Comedy": "코미디",
    "Drama": "드라마",
    "Documentary": "다큐멘터리",
    "Romance": "로맨스",
    "Short": "단편",
}
MPAA_TO_AGE = {"G": "ALL", "PG": "12", "PG-13": "15", "R": "18", "NC-17": "18"}


# Django's logging config puts httpx at INFO: a log line per request would load the client.
logging.getLogger("httpx").setLevel(logging.WARNING)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -----------------------------------------------------------------------------
# Database
# -----------------------------------------------------------------------------


@contextlib.contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Create database ``name`` (dropping a leftover), yield its URL, drop it afterwards."""
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)

    # C.UTF-8 so trigram search of Hangul works like in the app's own databases.
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    locale = "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    admin(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' {locale}")
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(database_url: str) -> None:
    """Configure Django for ``database_url`` with embedded defaults for everything else."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    for variable in ("REDIS_URL", "ELASTICSEARCH_URL", "MONGO_URL"):
        os.environ.pop(variable, None)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def database_settle() -> None:
    """VACUUM ANALYZE the benchmark database, as autovacuum would in production.

    This machine's PostgreSQL runs with autovacuum off: after a bulk load the tables hold
    thousands of dead rows and no planner statistics, and pages are timed on plans no
    production database would choose.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def demo_load() -> bool:
    """Run ``manage.py load_demo`` when this checkout has it; returns whether it ran."""
    from django.core.management import call_command
    from django.core.management import get_commands

    if "load_demo" not in get_commands():
        return False
    call_command("load_demo", verbosity=0)
    return True


# -----------------------------------------------------------------------------
# ggplot2 films with seeded availabilities
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadReport:
    titles: int
    availabilities: int
    seconds: float


def _free_bit(used: set[int]) -> int:
    bit = next(b for b in range(63) if b not in used)
    used.add(bit)
    return bit


def _genres_ensure() -> dict[str, tuple[int, int]]:
    """ggplot2 genre name -> (genre id, bit), reusing genres that already exist by slug."""
    from django.utils.text import slugify

    from apps.movies.models import Genre

    used = set(Genre.objects.values_list("bit", flat=True))
    result = {}
    for name, name_ko in GGPLOT2_GENRE_NAMES.items():
        genre = Genre.objects.filter(slug=slugify(name)).first()
        if genre is None:
            genre = Genre.objects.create(
                slug=slugify(name), name_en=name, name_ko=name_ko, bit=_free_bit(used)
            )
        result[name] = (genre.id, genre.bit)
    return result


def _providers_ensure() -> list[tuple[int, int, str, str]]:
    """(provider id, bit, slug, kind) of the benchmark providers, reusing existing ones."""
    from apps.movies.models import Provider

    used = set(Provider.objects.values_list("bit", flat=True))
    result = []
    for priority, (slug, name, name_ko, kind, color) in enumerate(BENCH_PROVIDERS):
        provider = Provider.objects.filter(slug=slug).first()
        if provider is None:
            provider = Provider.objects.create(
                slug=slug,
                name=name,
                name_ko=name_ko,
                kind=kind,
                color=color,
                display_priority=priority,
                bit=_free_bit(used),
            )
        result.append((provider.id, provider.bit, provider.slug, provider.kind))
    return result


def _copy(cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _title_column_defaults() -> None:
    """Give Title's NOT NULL columns their model defaults in this throw-away database.

    ``ggplot2_load`` COPYs a fixed column list; columns added to Title since (the search
    fields, ``rating_weighted``) have Django-side defaults only, so COPY would insert NULL
    into them and fail.
    """
    from django.db import connection
    from psycopg import sql

    from apps.movies.models import Title

    with connection.cursor() as cursor:
        for field in Title._meta.concrete_fields:
            if field.null or not field.has_default() or callable(field.default):
                continue
            statement = sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                sql.Identifier(Title._meta.db_table), sql.Identifier(field.column), sql.Literal(field.default)
            )
            cursor.execute(statement.as_string(cursor.cursor.connection))


def ggplot2_load(
    *, seed: int = AVAILABILITY_SEED, ott_share: float = 0.12, cinema_share: float = 0.03
) -> LoadReport:
    """Insert ggplot2's films (COPY) with genres, seeded offers and their masks; then ANALYZE.

    Each OTT provider carries a film with probability ``ott_share`` (stream, rent or buy);
    films from 2000 on play at each cinema chain with probability ``cinema_share``.
    Weighted ratings (the "rating" sort) are computed as the app does after a bulk load.
    """
    from django.db import connection

    from apps.movies.datasets import ggplot2_movies
    from apps.movies.models import OFFER_TYPE_BITS
    from apps.movies.models import Title
    from apps.movies.ratings import titles_rating_weighted_refresh_all

    started = time.perf_counter()
    _title_column_defaults()
    genres = _genres_ensure()
    providers = _providers_ensure()
    films = list(ggplot2_movies())
    rng = random.Random(seed)
    now = datetime.datetime.now(tz=datetime.UTC)
    snapshot = datetime.date(2026, 11, 1)

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM movies_title")
        next_id = cursor.fetchone()[0] + 1
        title_rows, genre_rows, offer_rows = [], [], []
        for offset, film in enumerate(films):
            title_id = next_id + offset
            genre_mask = 0
            for name in film.genres:
                genre_id, bit = genres[name]
                genre_mask |= 1 << bit
                genre_rows.append((title_id, genre_id))
            provider_mask = offer_mask = 0
            for provider_id, bit, _slug, kind in providers:
                if kind == "ott" and rng.random() < ott_share:
                    offer = rng.choice(("stream", "stream", "rent", "buy"))
                elif kind == "cinema" and film.year >= 2000 and rng.random() < cinema_share:
                    offer = "now_showing"
                else:
                    continue
                provider_mask |= 1 << bit
                offer_mask |= 1 << OFFER_TYPE_BITS[offer]
                offer_rows.append((now, now, title_id, provider_id, offer, "KR", "", None, None, snapshot))
            title_rows.append(
                (
                    title_id, now, now, "movie", "", film.title[:300], film.title[:300], film.year, None,
                    film.length if film.length and film.length < 32767 else None,
                    MPAA_TO_AGE.get(film.mpaa, "UNKNOWN"), "", "", "",
                    # Votes drive popularity; a tiny jitter keeps ties from lining up by id.
                    film.votes + rng.random() / 10, film.rating / 2, film.votes,
                    genre_mask, provider_mask, offer_mask, False,
                )
            )  # fmt: skip
        _copy(
            cursor,
            Title._meta.db_table,
            [
                "id", "created_at", "updated_at", "media_type", "title_ko", "title_original", "title_en",
                "year", "release_date", "runtime_minutes", "age_rating", "overview", "poster",
                "poster_source_url", "popularity", "rating_avg", "rating_count", "genre_mask",
                "provider_mask", "offer_mask", "search_index_dirty",
            ],
            title_rows,
        )  # fmt: skip
        _copy(cursor, Title.genres.through._meta.db_table, ["title_id", "genre_id"], genre_rows)
        _copy(
            cursor,
            "movies_availability",
            [
                "created_at", "updated_at", "title_id", "provider_id", "offer_type", "region", "link",
                "starts_on", "ends_on", "observed_on",
            ],
            offer_rows,
        )  # fmt: skip
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('movies_title', 'id'), (SELECT MAX(id) FROM movies_title))"
        )
    titles_rating_weighted_refresh_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return LoadReport(
        titles=len(title_rows), availabilities=len(offer_rows), seconds=time.perf_counter() - started
    )


# -----------------------------------------------------------------------------
# Serving and load
# -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    base_url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the gunicorn master and its workers so far (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        pids = [self.pid]
        with contextlib.suppress(OSError):
            pids += [int(c) for c in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
        for pid in pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


@contextlib.contextmanager
def serve(
    *,
    database_url: str,
    workers: int = 2,
    worker_class: str = "uvicorn_worker.UvicornWorker",
    interface: str = "wsgi",
    threads: int = 4,
) -> Iterator[Server]:
    """Serve Moochu under gunicorn on a free loopback port.

    ``interface="wsgi"`` serves ``config.wsgi`` on gunicorn's threaded workers, as production's
    HTTP tier does (``start-http``); ``"asgi"`` serves ``config.asgi`` (the WebSocket tier's
    application) under ``worker_class``, for comparison.
    """
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "moochu-benchmark-only-key-3f1c2b7a9e8d",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Every benchmark client shares one IP: lift the per-IP API limits (429s otherwise).
        "MOOCHU_API_RATE_ANON": "10000000/min",
        "MOOCHU_API_RATE_USER": "10000000/min",
    }
    env["DJANGO_DB_POOL"] = "true"  # as production runs it
    for variable in ("REDIS_URL", "ELASTICSEARCH_URL", "MONGO_URL"):
        env.pop(variable, None)
    app = "config.asgi:application" if interface == "asgi" else "config.wsgi:application"
    worker_options = (
        ["--worker-class", worker_class]
        if interface == "asgi"
        else ["--worker-class", "gthread", "--threads", str(threads)]
    )
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        *worker_options,
        "--log-level", "warning",
        "--access-logfile", "/dev/null",
    ]  # fmt: skip
    # A file, not a pipe: nobody reads a pipe during the run, and a full one stalls the server.
    server_log = ROOT / "var" / "bench-server.log"
    server_log.parent.mkdir(exist_ok=True)
    log_file = server_log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        yield Server(base_url=base_url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def _wait_until_up(base_url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"server exited with {process.returncode}:\n{stderr[-3000:]}")
        try:
            if httpx.get(f"{base_url}/api/genres/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not come up in time")


@dataclass
class LoadResult:
    latencies_ms: list[float]
    seconds: float
    errors: int
    # With cohorts: each cohort's own latencies, by its index in ``cohorts``.
    cohort_latencies_ms: dict[int, list[float]] = field(default_factory=dict)

    def cohort(self, index: int) -> LoadResult:
        latencies = self.cohort_latencies_ms.get(index, [])
        return LoadResult(latencies_ms=latencies, seconds=self.seconds, errors=0)

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for GETs.

    httpx spent about as much CPU per request as the server did, on the same two cores;
    this client spends a tenth of that, so the figures measure the server.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, timeout: float, extra_headers: str = "") -> int:
        """Send a GET for ``target`` (path + query); return the status after reading the body.

        ``extra_headers``: ready-made header lines, each ending in CRLF (e.g. a Cookie).
        """
        return await asyncio.wait_for(self._get(target, extra_headers), timeout)

    async def _get(self, target: str, extra_headers: str = "") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n{extra_headers}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:] if line)
        }
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _load(
    urls: Sequence[str],
    *,
    clients: int,
    duration: float,
    max_requests: int | None,
    cohorts: Sequence[tuple[Sequence[str], dict[str, str]]] = (),
) -> LoadResult:
    from urllib.parse import urlsplit

    latencies: list[float] = []
    by_cohort: dict[int, list[float]] = {}
    errors = 0
    sent = 0

    def targets_of(group: Sequence[str]) -> list[str]:
        parts = [urlsplit(url) for url in group]
        return [f"{part.path}?{part.query}" if part.query else part.path for part in parts]

    # Each client belongs to a cohort (its URLs and headers, e.g. a signed-in Cookie), in turn.
    plans = [
        (targets_of(group), "".join(f"{k}: {v}\r\n" for k, v in headers.items()))
        for group, headers in cohorts
    ]
    plans = plans or [(targets_of(urls), "")]
    first = urlsplit(next(iter(cohorts))[0][0] if cohorts else urls[0])
    host, port = first.hostname or "127.0.0.1", first.port or 80
    deadline = time.perf_counter() + duration

    async def worker(offset: int) -> None:
        nonlocal errors, sent
        connection = _Connection(host, port)
        targets, extra_headers = plans[offset % len(plans)]
        mine = by_cohort.setdefault(offset % len(plans), [])
        index = offset // len(plans)
        while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
            sent += 1
            target = targets[index % len(targets)]
            index += 1
            began = time.perf_counter()
            try:
                ok = await connection.get(target, timeout=10.0, extra_headers=extra_headers) == 200
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
                connection.close()
                ok = False
            if ok:
                latencies.append((time.perf_counter() - began) * 1000)
                mine.append(latencies[-1])
            else:
                errors += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return LoadResult(latencies_ms=latencies, seconds=elapsed, errors=errors, cohort_latencies_ms=by_cohort)


def load_run(
    urls: Sequence[str],
    *,
    clients: int,
    duration: float,
    max_requests: int | None = None,
    cohorts: Sequence[tuple[Sequence[str], dict[str, str]]] = (),
) -> LoadResult:
    """``clients`` concurrent keep-alive clients rotating over ``urls`` for ``duration`` seconds.

    With ``cohorts`` (a list of (urls, headers)), client *i* uses cohort *i mod n* instead.
    """
    return asyncio.run(
        _load(urls, clients=clients, duration=duration, max_requests=max_requests, cohorts=cohorts)
    )


def p50(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
