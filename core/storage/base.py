"""The part of the store every other part stands on: its engines, opening and migrating the
database, the one way to start a write, closing, and turning a read's rows into a DataFrame.

Opening and every write turn a failure of the database itself (damaged, full, unreachable, of a
newer schema) into a StorageError naming the database (core/storage/errors.py)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from core.config import DATA_DIR
from core.models import Filters
from core.storage import migrations
from core.storage.engine import engines
from core.storage.errors import StorageError, check_sqlite_file, database_name, refusal
from core.storage.plan import Plan, Subject
from core.storage.plan import plan as plan_for
from core.storage.values import as_day

DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'detente.db'}"


class StoreBase:
    """The database, opened and migrated: `engine` for reads, `_writer` for writes (one
    transaction each; on SQLite it begins IMMEDIATE, see core/storage/engine.py)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect, self.engine, self._writer = engines(url)
        self._compiled: dict[tuple[str, tuple[str, ...]], Any] = {}
        """Bulk statements compiled once per store (see core/storage/bulk.py)."""

    @classmethod
    def open(cls, url: str | None = None) -> Self:
        """The database at `url` (else $DETENTE_DB, else data/detente.db), migrated.

        Raises StorageError (SchemaTooNew for a newer schema) when it cannot be used, and
        leaves the database as it found it."""
        url = url or os.environ.get("DETENTE_DB") or DEFAULT_DB_URL
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = Path(url.removeprefix("sqlite:///")).absolute()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"{database_name(url)}: its folder cannot be created ({exc})."
                ) from exc
            check_sqlite_file(path, url)
        with _refusing(url):
            store = cls(url)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()
        if self._writer is not self.engine:
            self._writer.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen; returns the versions applied."""
        with _refusing(self.url):
            return migrations.migrate(self.engine, self._writer, database_name(self.url))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): committed when the block ends, rolled
        back if it raises; a failure of the database itself becomes a StorageError."""
        with _refusing(self.url), self._writer.begin() as conn:
            yield conn

    def schema_versions(self) -> list[int]:
        return migrations.recorded_versions(self.engine)

    def plan(self, f: Filters, subject: Subject, **options: Any) -> Plan:
        """The plan of a read (core/storage/plan.py) on this engine: SQLite's text index gives
        the ids of its matches, PostgreSQL's does not (`by_ids`)."""
        return plan_for(f, subject, text_ids=self.dialect == "sqlite", **options)

    def _frame(self, statement: Any, columns: list[str]) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        if "day" in frame:
            frame["day"] = frame["day"].map(as_day)
        return frame

    def _insert_dialect(self) -> Any:
        return postgresql.insert if self.dialect == "postgresql" else sqlite.insert


def older_than(time_column: Any, id_column: Any, after: tuple[Any, int]) -> Any:
    """The rows after `after` (a row's time and id) in newest-first order: keyset pagination, so
    the k-th chunk of an export costs what the first does."""
    return sa.or_(time_column < after[0], sa.and_(time_column == after[0], id_column < after[1]))


def newest_first(
    engine: sa.Engine, statement: Any, time_column: Any, id_column: Any, chunk: int
) -> Iterator[Sequence[Any]]:
    """The rows of `statement` newest first (by time, then id), `chunk` at a time, by keyset
    pagination (`older_than`): an export's memory stays bounded at any size. `statement`
    selects both columns."""
    after: tuple[Any, int] | None = None
    while True:
        page = (
            statement
            if after is None
            else statement.where(older_than(time_column, id_column, after))
        )
        with engine.connect() as conn:
            rows = conn.execute(
                page.order_by(time_column.desc(), id_column.desc()).limit(chunk)
            ).all()
        if not rows:
            return
        yield rows
        if len(rows) < chunk:
            return
        last = rows[-1]._mapping
        after = (last[time_column], last[id_column])


def concatenated(frames: Iterable[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    """The chunks of an export as one frame (with `columns` when there is none)."""
    found = list(frames)
    if not found:
        return pd.DataFrame(columns=list(columns))
    return pd.concat(found, ignore_index=True)


def chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    """`values` in lists of at most `size` (an IN list the database accepts)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@contextmanager
def _refusing(url: str) -> Iterator[None]:
    """Re-raise a failure of the database itself as a StorageError naming it."""
    try:
        yield
    except sa.exc.ArgumentError as exc:  # NoSuchModuleError too: not a URL we can open
        raise StorageError(
            f"cannot open database {database_name(url)}: not a URL Détente can open ({exc}); "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        ) from exc
    except (sa.exc.DBAPIError, sqlite3.Error) as exc:
        refused = refusal(exc, url)
        if refused is None:
            raise
        raise refused from exc
