"""Storage refuses rather than breaks: a database of a newer schema, a damaged or truncated file,
a full disk and an unreachable server each raise StorageError naming the database (never its
password), and nothing committed before is lost or changed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.models import AnalyzedArticle, FeedConfig, Filters
from core.storage import SchemaTooNew, StorageError, Store, schema_migrations
from core.storage.errors import database_name
from core.storage.migrations import LATEST
from tests.fixtures_db import analysed, assert_rollup_consistent
from tests.test_store import outcome


def batch(prefix: str, n: int) -> list[AnalyzedArticle]:
    return [
        analysed(
            f"{prefix}{i}",
            day=date(2026, 3, 1) + timedelta(days=i % 9),
            themes={"sanctions": ["sanctions"]},
            actors=[("Putin", "russia")],
            tone=(i % 5 - 2) / 4,
            title=f"Sanctions talk {prefix} {i} " + "x" * 300,
        )
        for i in range(n)
    ]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_of_a_newer_schema_is_refused_and_left_as_it_is(db_url: str) -> None:
    Store.open(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                schema_migrations.insert().values(
                    version=LATEST + 1, name="from the future", applied_at=sa.func.now()
                )
            )
        with pytest.raises(SchemaTooNew) as refused:
            Store.open(db_url)
        message = str(refused.value)
        assert database_name(db_url) in message
        assert f"version {LATEST + 1}" in message and "newer" in message
        with engine.connect() as conn:
            versions = conn.execute(sa.select(schema_migrations.c.version)).scalars().all()
        assert sorted(versions) == [*range(1, LATEST + 1), LATEST + 1]
    finally:
        engine.dispose()


def test_an_unreachable_server_is_named_without_its_password() -> None:
    url = "postgresql+psycopg://analyst:hunter2@127.0.0.1:1/detente?connect_timeout=5"
    with pytest.raises(StorageError) as refused:
        Store.open(url)
    message = str(refused.value)
    assert "hunter2" not in message
    assert "analyst:***@127.0.0.1:1/detente" in message and "cannot be reached" in message


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A SQLite file with 40 committed articles, closed (its log checkpointed into it)."""
    path = tmp_path / "detente.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        store.save_articles(batch("kept-", 40))
    assert not Path(f"{path}-wal").exists()
    yield path, url


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _garbage_after_the_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"\xa5" * (len(data) - 4096))


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [_garbage, _garbage_after_the_header, _truncated])
def test_a_damaged_sqlite_file_is_refused_and_left_as_it_is(
    stored: tuple[Path, str], damage: Callable[[Path], None]
) -> None:
    path, url = stored
    damage(path)
    before = digest(path)
    with pytest.raises(StorageError) as refused:
        Store.open(url)
    assert str(path) in str(refused.value)
    assert "damaged" in str(refused.value) or "not a SQLite database" in str(refused.value)
    assert digest(path) == before


def test_a_full_disk_is_refused_and_loses_nothing_committed(stored: tuple[Path, str]) -> None:
    path, url = stored
    feed = FeedConfig("https://full.example/feed", "TASS", "russian-state")
    store = Store.open(url)
    try:
        store.sync_feeds([feed])
        row = store.get_feed(feed.url)
        assert row is not None
        store.record_poll(row.id, outcome(*batch("polled-", 5), etag='"1"'))
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

        @sa.event.listens_for(store._writer, "connect")
        def _small_disk(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

        store._writer.dispose()  # the next write connects anew, onto the "small disk"
        with pytest.raises(StorageError) as refused:
            store.record_poll(row.id, outcome(*batch("lost-", 400), etag='"2"'))
        assert str(path) in str(refused.value)
        assert "full" in str(refused.value)
    finally:
        store.close()
    with Store.open(url) as reopened:
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert reopened.count_matching(Filters(relevant_only=False)) == 45
        urls = set(reopened.export_articles(Filters(relevant_only=False))["url"])
        assert not any("lost-" in url for url in urls)
        after = reopened.get_feed(feed.url)
        assert after is not None and after.etag == '"1"'  # validators only with their articles
        assert_rollup_consistent(reopened)
        reopened.save_articles(batch("later-", 3))
        assert reopened.count_matching(Filters(relevant_only=False)) == 48
