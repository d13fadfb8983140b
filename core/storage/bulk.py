"""Bulk statements for the write path: executemany straight to the driver, insert-or-ignore, and
the rollup upsert that adds a batch's deltas to every rollup table."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.storage.base import StoreBase
from core.storage.rollups import Deltas


class BulkWrites(StoreBase):
    def _bulk(
        self, conn: Connection, key: str, statement: Callable[[], Any], rows: list[dict[str, Any]]
    ) -> None:
        """executemany straight to the driver: SQLAlchemy's per-row parameter processing costs
        more than SQLite's insert itself. Values go through each column type's bind processor,
        so what is stored is exactly what `conn.execute(statement, rows)` would store. `key`
        names the statement, built by `statement()` and compiled only the first time (building and
        compiling cost more than inserting)."""
        if not rows:
            return
        names = list(rows[0])
        cache_key = (key, tuple(names))
        prepared = self._compiled.get(cache_key)
        if prepared is None:
            prepared = self._compiled[cache_key] = _prepare(conn, statement(), names)
        sql, order, processors, positional = prepared
        params: list[Any]
        if positional:
            getter = operator.itemgetter(*order)
            tuples = (
                [getter(row) for row in rows] if len(order) > 1 else [(r[order[0]],) for r in rows]
            )
            if processors:
                params = []
                for values in tuples:
                    listed = list(values)
                    for index, proc in processors:
                        listed[index] = proc(listed[index])
                    params.append(tuple(listed))
            else:
                params = tuples
        else:
            params = []
            for row in rows:
                copied = dict(row)
                for index, proc in processors:
                    copied[order[index]] = proc(copied[order[index]])
                params.append(copied)
        conn.exec_driver_sql(sql, params)

    def _insert_ignore(self, table: sa.Table) -> Any:
        return self._insert_dialect()(table).on_conflict_do_nothing()

    def _add_to(self, table: sa.Table, keys: list[str], measures: list[str]) -> Any:
        """INSERT … ON CONFLICT (keys) DO UPDATE adding the measures: a rollup upsert."""
        insert = self._insert_dialect()(table)
        return insert.on_conflict_do_update(
            index_elements=keys,
            set_={m: table.c[m] + getattr(insert.excluded, m) for m in measures},
        )

    def _apply_rollup(self, conn: Connection, deltas: Deltas) -> None:
        """Add the deltas to every rollup table (insert or add), in key order so that two
        PostgreSQL transactions never lock the same rows in opposite orders."""
        for table, cells in deltas.tables():
            names = [c.name for c in table.columns]
            measures = [c.name for c in table.columns if not c.primary_key]
            keys = [c.name for c in table.columns if c.primary_key]
            values = [
                dict(zip(names, (*key, *cell), strict=True))
                for key, cell in sorted(cells.items())
                if any(cell)
            ]
            if not values:
                continue
            self._bulk(
                conn, f"rollup {table.name}", partial(self._add_to, table, keys, measures), values
            )


def _prepare(
    conn: Connection, statement: Any, names: list[str]
) -> tuple[str, list[str], list[tuple[int, Any]], bool]:
    """A bulk statement compiled for these column names: SQL, parameter order, the bind
    processors that apply, and whether parameters are positional."""
    table = statement.table
    compiled = statement.values({name: sa.bindparam(name) for name in names}).compile(
        dialect=conn.dialect
    )
    positional = compiled.positiontup is not None
    order = list(compiled.positiontup) if positional else names
    processors = [
        (index, proc)
        for index, name in enumerate(order)
        if (proc := table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))
    ]
    return compiled.string, order, processors, positional
