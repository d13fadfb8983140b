"""Engines: on SQLite a reader and a writer over one WAL file, on PostgreSQL one pooled engine.

Every write transaction on SQLite starts with BEGIN IMMEDIATE: a deferred transaction that reads
and then writes can fail with "database is locked" at once, whatever the busy timeout. Reads use
ordinary deferred transactions, so the dashboard never takes the write lock, and WAL lets it read
while the poller writes.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine


def engines(url: str) -> tuple[str, Engine, Engine]:
    """The dialect name, the engine for reads and the engine for writes (the same on PostgreSQL)."""
    dialect = sa.engine.make_url(url).get_backend_name()
    if dialect == "sqlite":
        return dialect, sqlite_engine(url, immediate=False), sqlite_engine(url, immediate=True)
    engine = sa.create_engine(url, pool_pre_ping=True, future=True)
    return dialect, engine, engine


def ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL (persistent, so usually a no-op). Switching needs an exclusive lock
    and SQLite reports "database is locked" at once rather than calling the busy handler when
    another connection holds it (several processes opening a new file), so retry briefly."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        ensure_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: index pages of a big archive
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
