"""``column IN (…)`` for thousands of values, as one array parameter on PostgreSQL.

Django expands ``__in`` into a placeholder per value, prepares each value on its own,
and psycopg then splits and quotes the statement client-side: ~60 ms of CPU per
5,000 ids, a sixth of a 100,000-record import. ``= ANY(%s)`` with one array takes ~5 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import F
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):
    """``lhs IN (values)``; values must already be database values (ints, strings)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*params, *values)

    def as_postgresql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def any_of(field: str, values: Sequence[Any]) -> AnyOf:
    """A filter condition: ``Title.objects.filter(any_of("id", ids))``."""
    return AnyOf(F(field), values)
