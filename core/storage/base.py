"""The part of the store every other part stands on: its engines, opening and migrating the
database, closing it, and turning a read's rows into a DataFrame."""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import pandas as pd
from sqlalchemy.dialects import postgresql, sqlite

from core.config import DATA_DIR
from core.storage import migrations
from core.storage.engine import engines
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
        url = url or os.environ.get("DETENTE_DB") or DEFAULT_DB_URL
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = url.removeprefix("sqlite:///")
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        store = cls(url)
        store.migrate()
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
        return migrations.migrate(self.engine, self._writer)

    def schema_versions(self) -> list[int]:
        return migrations.recorded_versions(self.engine)

    def _frame(self, statement: Any, columns: list[str]) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        if "day" in frame:
            frame["day"] = frame["day"].map(as_day)
        return frame

    def _insert_dialect(self) -> Any:
        return postgresql.insert if self.dialect == "postgresql" else sqlite.insert


def chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    """`values` in lists of at most `size` (an IN list the database accepts)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
