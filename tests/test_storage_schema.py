"""The storage package keeps the schema of the single-module store it replaced: a database made
by that code (its schema is kept in tests/schema/, dumped from commit 9c67bd6) opens without a
migration and without a change but migrations 6 and 7 (the full-text index, the covering index
for filtered reads), and a new database gets exactly the same tables and indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from core import storage
from core.models import Filters
from core.storage import Store
from core.storage.migrations import FACTS_INDEXES
from core.storage.search import FTS_TABLE, SEARCH_COLUMN
from tests.fixtures_db import analysed

FACTS_INDEX = "ix_articles_facts"
FACTS_COLUMNS = FACTS_INDEXES[FACTS_INDEX]

SCHEMA = Path(__file__).parent / "schema"
VERSIONS = [1, 2, 3, 4, 5]


def sqlite_schema(path: Path) -> str:
    """sqlite_master as text, in the format of tests/schema/v5_sqlite.sql."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    return "".join(
        f"-- {kind} {name} on {table}\n{sql};\n\n"
        if sql
        else f"-- {kind} {name} on {table} (automatic)\n\n"
        for kind, name, table, sql in rows
    )


def postgresql_ddl() -> str:
    """The metadata as PostgreSQL DDL, in the format of tests/schema/v5_postgresql.sql."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    parts = []
    for table in sorted(storage.metadata.tables.values(), key=lambda t: t.name):
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n\n")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";\n\n")
    return "".join(parts)


ADDED = (FTS_TABLE, FACTS_INDEX)
"""What migrations 6 and 7 add to a v5 SQLite schema (and the FTS5 table's shadow tables)."""


def _without_text_index(dump: str) -> str:
    """A schema dump without the objects of migrations 6 and 7."""
    blocks = dump.split("\n\n")
    return "\n\n".join(b for b in blocks if not any(n in b.split("\n")[0] for n in ADDED))


def test_a_new_sqlite_database_has_the_previous_schema(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'new.db'}").close()
    dump = sqlite_schema(tmp_path / "new.db")
    assert _without_text_index(dump) == (SCHEMA / "v5_sqlite.sql").read_text()
    assert f"-- table {FTS_TABLE} on {FTS_TABLE}" in dump
    assert f"-- index {FACTS_INDEX} on articles" in dump
    for event in ("insert", "update", "delete"):
        assert f"-- trigger {FTS_TABLE}_{event} on articles" in dump


def test_the_postgresql_ddl_is_the_previous_one() -> None:
    assert postgresql_ddl() == (SCHEMA / "v5_postgresql.sql").read_text()


def _statements(path: Path) -> list[str]:
    """The dump's statements, tables first (referenced before referencing), then indexes."""
    text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("--"))
    statements = [s.strip() for s in text.split(";") if s.strip()]
    order = [t.name for t in storage.metadata.sorted_tables]

    def rank(statement: str) -> tuple[int, int]:
        words = statement.split()
        if words[:2] == ["CREATE", "TABLE"]:
            return 0, order.index(words[2])
        return 1, 0

    return sorted(statements, key=rank)


def _catalog(engine: sa.Engine) -> object:
    """Every table's columns and every index, as the database itself reports them."""
    inspector = sa.inspect(engine)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_a_database_made_by_the_previous_code_gains_only_the_search_indexes(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    dialect = engine.dialect.name
    ddl = SCHEMA / ("v5_sqlite.sql" if dialect == "sqlite" else "v5_postgresql.sql")
    with engine.begin() as conn:
        for statement in _statements(ddl):
            conn.exec_driver_sql(statement)
        for version in VERSIONS:
            conn.execute(
                sa.text(
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (:v, 'by 9c67bd6', CURRENT_TIMESTAMP)"
                ),
                {"v": version},
            )
    before = _catalog(engine)
    try:
        with Store.open(db_url) as store:
            assert store.migrate() == []
            assert store.schema_versions() == [*VERSIONS, 6, 7]
            store.save_articles([analysed("old-db", themes={"sanctions": ["sanctions"]})])
            assert store.count_matching(Filters(relevant_only=False)) == 1
        after = _catalog(engine)
        assert isinstance(before, dict) and isinstance(after, dict)
        columns, key, indexes = after["articles"]
        assert (FACTS_INDEX, FACTS_COLUMNS) in indexes
        added = {*FACTS_INDEXES, "ix_articles_search"}
        stripped = (
            [c for c in columns if c[0] != SEARCH_COLUMN],
            key,
            [i for i in indexes if i[0] not in added],
        )
        if dialect == "sqlite":  # new tables: the FTS5 table and its shadow tables only
            assert {t for t in after if t not in before} >= {FTS_TABLE}
            assert all(t.startswith(FTS_TABLE) for t in after if t not in before)
            assert {**{t: after[t] for t in before}, "articles": stripped} == before
        else:  # a generated column and its GIN index on articles, nothing else
            assert [c for c in columns if c[0] == SEARCH_COLUMN]
            assert ("ix_articles_search", (SEARCH_COLUMN,)) in indexes
            assert {**after, "articles": stripped} == before
    finally:
        engine.dispose()


def test_the_package_exports_each_table_under_its_name() -> None:
    """`from core import storage` reaches the tables (no module of the package shadows one)."""
    for name, table in storage.metadata.tables.items():
        assert getattr(storage, name) is table
    assert set(storage.__all__) >= set(storage.metadata.tables)
