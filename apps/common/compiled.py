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
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models import QuerySet

Compiled = tuple[str, tuple[Any, ...]]


def query_compile(queryset: QuerySet[Any], *standins: int | str) -> Compiled:
    """``queryset``'s SQL and parameters, checking each stand-in id is one of the parameters."""
    sql, params = queryset.query.sql_with_params()
    # Every stand-in must be a parameter (not inlined), or the real id would never reach the SQL.
    if not all(standin in params for standin in standins):
        raise RuntimeError(f"a stand-in id is not a parameter of: {sql}")
    return sql, tuple(params)


def query_run(compiled: Compiled, ids: Mapping[Any, int | str | None]) -> list[tuple[Any, ...]]:
    """The rows of ``compiled`` with each stand-in (a key of ``ids``) replaced by its value."""
    sql, params = compiled
    with connection.cursor() as cursor:
        # Only ids and keys are stand-ins (other parameters may be unhashable lists).
        cursor.execute(sql, [ids.get(p, p) if type(p) in (int, str) else p for p in params])
        return cursor.fetchall()


def model_columns(model: type[Model], names: set[str]) -> list[str]:
    """Those of ``model``'s columns in its field order, as ``Model.from_db`` reads a partial row."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]
