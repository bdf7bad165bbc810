"""Reads compiled once per process and run with the real ids swapped into their parameters.

Building and compiling a queryset costs Python several times what PostgreSQL spends running a
small read (the title page's signed-in reviews query: ~5,900 calls to build and compile, ~500
to run and read; a mini-homepage's guestbook page ~0.7 ms of its ~1 ms). When only some ids
change between requests, compile the queryset once with stand-in ids (negative numbers no row
has, or a string no key holds), then run it with the real ids in their place; rows become
model instances holding just the columns a page shows (``Model.from_db``, ``model_columns``).

A stand-in must reach the SQL as a parameter: ``query_compile`` refuses a statement where one
was inlined (slices are, so a limit or offset is fixed at compile time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models import QuerySet


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    # The backend's converters by column, as the queryset would apply them (SQLite hands back
    # datetimes as text or naive values, decimals as floats; PostgreSQL needs almost none).
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


def query_compile(queryset: QuerySet[Any], *standins: int | str) -> Compiled:
    """``queryset``'s SQL and parameters, checking each stand-in id is one of the parameters."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    # Every stand-in must be a parameter (not inlined), or the real id would never reach the SQL.
    if not all(standin in params for standin in standins):
        raise RuntimeError(f"a stand-in id is not a parameter of: {sql}")
    columns = [select[0] for select in compiler.select[: compiler.col_count]]
    converters = tuple((i, tuple(c), e) for i, (c, e) in compiler.get_converters(columns).items())
    return Compiled(sql=sql, params=tuple(params), converters=converters)


def query_run(compiled: Compiled, ids: Mapping[Any, int | str | None]) -> list[tuple[Any, ...]]:
    """The rows of ``compiled`` with each stand-in (a key of ``ids``) replaced by its value."""
    with connection.cursor() as cursor:
        # Only ids and keys are stand-ins (other parameters may be unhashable lists).
        cursor.execute(compiled.sql, [ids.get(p, p) if type(p) in (int, str) else p for p in compiled.params])
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, converters, expression in compiled.converters:
            for convert in converters:
                values[index] = convert(values[index], expression, connection)
        converted.append(tuple(values))
    return converted


def model_columns(model: type[Model], names: set[str]) -> list[str]:
    """Those of ``model``'s columns in its field order, as ``Model.from_db`` reads a partial row."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]
