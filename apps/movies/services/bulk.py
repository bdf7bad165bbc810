"""Bulk writes for the catalog: the one toolkit ingestion and the demo loader share.

On PostgreSQL rows travel by COPY (psycopg's ``cursor.copy``): at 100,000 records, psycopg
spent most of ``bulk_create``'s time parsing huge INSERT statements and Django's
``bulk_update`` wrote one CASE WHEN per field and row (benchmarks/ingest.py). On SQLite
(the embedded default) the ORM's bulk calls or ``executemany`` do the same job.

Also here: the one payload hash (what "unchanged since the last run" compares) and the one
list of title fields a source can set.
"""

from __future__ import annotations

import enum
import hashlib
import json
import operator
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

from django.db import connection
from django.db import models
from django.utils import timezone
from tqdm import tqdm

T = TypeVar("T")

# Rows per IN (...) lookup and per bulk write; ~5k keeps PostgreSQL plans and
# SQLite's variable limit happy while staying a handful of round trips.
BATCH = 5000

# Title fields a source record can set, in the order they are compared.
TITLE_FIELDS = (
    "title_ko",
    "title_en",
    "title_original",
    "year",
    "release_date",
    "runtime_minutes",
    "season_count",
    "episode_count",
    "box_office_audience",
    "age_rating",
    "overview",
    "poster_source_url",
)


def payload_hash(payload: Any) -> str:
    """SHA-256 of a JSON-ready payload, keys sorted: equal content, equal hash."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(model: type[Any], objs: Sequence[Any], *, ignore_conflicts: bool = False) -> None:
    """bulk_create, but through COPY on PostgreSQL (ids fetched first when rows need them).

    At 100,000 rows, psycopg spent most of bulk_create's time parsing the huge INSERT
    statements; COPY streams rows instead. ``ignore_conflicts`` goes through a temporary
    table and ``INSERT … ON CONFLICT DO NOTHING``.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000, ignore_conflicts=ignore_conflicts)
        return
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor: COPY is not part of the DB-API
        if not ignore_conflicts:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, raw.fetchall(), strict=True):
                obj.pk = new_id
            target, copy_columns = table, f'"{pk.column}", {columns}'
        else:
            raw.execute(f"CREATE TEMP TABLE _moochu_copy AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
            target, copy_columns = "_moochu_copy", columns
        values_of = _column_values(fields)
        with raw.copy(f"COPY {target} ({copy_columns}) FROM STDIN") as copy:
            for obj in objs:
                values = values_of(obj)
                copy.write_row(values if ignore_conflicts else [obj.pk, *values])
        if ignore_conflicts:
            raw.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _moochu_copy "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            raw.execute("DROP TABLE _moochu_copy")
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"


def rows_insert(
    model: type[Any],
    field_names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    skip_existing: bool = False,
    label: str = "",
    progress: bool = False,
) -> int:
    """Insert plain tuples, one value per field as the model field takes it (no instances built).

    ``skip_existing`` skips rows a unique constraint already holds (through a temporary table
    and ``ON CONFLICT DO NOTHING`` on PostgreSQL) and returns how many were inserted (on
    SQLite, how many were given). Otherwise rows go straight in, in batches with an optional
    progress bar: for the demo's 100,000 ratings ~3x faster than ``bulk_create`` on SQLite.
    Rows are not validated: only for data the caller built and checked; constraints apply.
    """
    if not rows:
        return 0
    if skip_existing:
        return _rows_insert_skipping(model, field_names, rows)
    meta = model._meta
    model_fields = [meta.get_field(name) for name in field_names]
    adapters = _column_adapters(model_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from _meta
    bar = tqdm(total=len(rows), desc=label, unit="rows", disable=not progress)
    with bar, connection.cursor() as cursor:
        for batch in chunks(rows):
            if connection.vendor == "postgresql":
                # COPY: one stream instead of a statement per row (measured ~10x faster).
                with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                    for row in _adapt(batch, adapters):
                        copy.write_row(row)
            else:
                cursor.executemany(sql, _adapt(batch, adapters))
            bar.update(len(batch))
    return len(rows)


def _rows_insert_skipping(
    model: type[Any], field_names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> int:
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(field_names, row, strict=True))) for row in rows],
            batch_size=1000,
            ignore_conflicts=True,
        )
        return len(rows)
    meta = model._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in field_names)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"CREATE TEMP TABLE _moochu_rows AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
        with raw.copy(f"COPY _moochu_rows ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _moochu_rows ON CONFLICT DO NOTHING"  # noqa: S608
        )
        inserted = raw.rowcount
        raw.execute("DROP TABLE _moochu_rows")
    return inserted


def _column_adapters(model_fields: Sequence[Any]) -> list[Any]:
    """Per column, the backend adapter the ORM would apply (dates, times) or None."""
    ops = connection.ops
    adapters: list[Any] = []
    for model_field in model_fields:
        if isinstance(model_field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(model_field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    return adapters


def _adapt(rows: Sequence[tuple[Any, ...]], adapters: Sequence[Any]) -> list[tuple[Any, ...]]:
    if not any(adapters):
        return list(rows)
    # Memoised per value: a whole import shares one `updated_at`, and adapting a datetime
    # on SQLite (make_naive + str) is the bulk of the cost of preparing 100,000 ratings.
    memo: dict[Any, Any] = {}

    def adapted(adapt: Any, value: Any) -> Any:
        if adapt is None:
            return value
        if value not in memo:
            memo[value] = adapt(value)
        return memo[value]

    return [tuple(adapted(adapt, value) for adapt, value in zip(adapters, row, strict=True)) for row in rows]


def _is_stamped(f: Any) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _column_values(fields: Sequence[Any]) -> Callable[[Any], list[Any]]:
    """A function giving an object's values of ``fields`` as COPY wants them.

    auto_now stamps are applied (one timestamp for the batch), enums unwrapped, JSON and
    file fields prepared. Built once per batch: asking every field of 60,000 titles what
    it is was a third of an import's COPY time.
    """
    now = timezone.now()
    names = [f.attname for f in fields]
    stamped = [f.attname for f in fields if _is_stamped(f)]
    choices = [i for i, f in enumerate(fields) if f.choices]
    prepared = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField | models.FileField)]
    get = operator.attrgetter(*names)

    def values_of(obj: Any) -> list[Any]:
        for name in stamped:
            setattr(obj, name, now)
        values: list[Any] = list(get(obj)) if len(names) > 1 else [get(obj)]
        for i in choices:
            if isinstance(values[i], enum.Enum):
                values[i] = values[i].value
        for i, f in prepared:
            values[i] = f.get_db_prep_save(values[i], connection)
        return values

    return values_of


def bulk_update(model: type[Any], objs: Sequence[Any], fields: Sequence[str]) -> None:
    """bulk_update, but as COPY into a temporary table and one ``UPDATE … FROM`` on PostgreSQL.

    Django's bulk_update writes one CASE WHEN per field and row; for 50,000 titles that
    took minutes here.
    """
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if any(f.name == "updated_at" for f in meta.concrete_fields) and "updated_at" not in fields:
        # auto_now is not applied by bulk writes: stamp the rows ourselves.
        now = timezone.now()
        for obj in objs:
            obj.updated_at = now
        columns.append(meta.get_field("updated_at"))
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, [c.name for c in columns], batch_size=1000)
        return
    pk = meta.pk
    names = ", ".join([f'"{pk.column}"'] + [f'"{c.column}"' for c in columns])
    assignments = ", ".join(f'"{c.column}" = v."{c.column}"' for c in columns)
    table = f'"{meta.db_table}"'
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"CREATE TEMP TABLE _moochu_update AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
        values_of = _column_values(columns)
        with raw.copy(f"COPY _moochu_update ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *values_of(obj)])
        raw.execute(
            f"UPDATE {table} AS t SET {assignments} FROM _moochu_update AS v "  # noqa: S608
            f'WHERE t."{pk.column}" = v."{pk.column}"'
        )
        raw.execute("DROP TABLE _moochu_update")
