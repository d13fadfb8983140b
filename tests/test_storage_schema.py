"""The schema, kept as dumps in tests/schema/: a new database gets exactly the tables and indexes
of the current dump (v6), and a database made by the previous code (v5, the schema of the
single-module store, dumped from commit 9c67bd6) is migrated to the same catalog, its stored
articles counted again in the rebuilt rollups."""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from core import storage
from core.models import Filters
from core.storage import Store
from tests.fixtures_db import analysed, make_db_url

SCHEMA = Path(__file__).parent / "schema"
PREVIOUS = [1, 2, 3, 4, 5]
VERSIONS = [*PREVIOUS, 6]


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


def test_a_new_sqlite_database_has_the_current_schema(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'new.db'}").close()
    assert sqlite_schema(tmp_path / "new.db") == (SCHEMA / "v6_sqlite.sql").read_text()


def test_the_postgresql_ddl_is_the_current_one() -> None:
    assert postgresql_ddl() == (SCHEMA / "v6_postgresql.sql").read_text()


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


_OLD_ARTICLE = (
    "INSERT INTO articles (uid, url, title, summary, content, fulltext, analyzed_text,"
    " published_at, published_day, published_estimated, fetched_at, feed_url, outlet, bloc, lang,"
    " tone, tone_label, relevance, relevant, theme_list, actor_list, evidence, lexicon_version,"
    " analyzer_version, content_hash, is_demo) VALUES ('old-1', 'https://old.example/1',"
    " 'Old story', '', 'Sanctions were discussed.', '', '', :at, :day, false, :at, '', 'TASS',"
    " 'russian-state', 'ru', NULL, 'n/a', 0.9, true, 'sanctions', '', '{}', 'themes-old',"
    " 'analyzer-old', '', false)"
)


def test_a_database_made_by_the_previous_code_is_migrated(db_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(db_url)
    dialect = engine.dialect.name
    ddl = SCHEMA / ("v5_sqlite.sql" if dialect == "sqlite" else "v5_postgresql.sql")
    day = "2026-03-10"
    with engine.begin() as conn:
        for statement in _statements(ddl):
            conn.exec_driver_sql(statement)
        for version in PREVIOUS:
            conn.execute(
                sa.text(
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (:v, 'by 9c67bd6', CURRENT_TIMESTAMP)"
                ),
                {"v": version},
            )
        at = f"{day} 12:00:00"
        conn.execute(sa.text(_OLD_ARTICLE), {"at": at, "day": day})
        old_id = conn.exec_driver_sql("SELECT id FROM articles").scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO article_themes (article_id, theme, hits, in_title)"
                " VALUES (:id, 'sanctions', 1, false)"
            ),
            {"id": old_id},
        )
    (tmp_path / "new").mkdir()
    made: Generator[str] = make_db_url(dialect, tmp_path / "new")  # type: ignore[assignment]
    new_url = next(made)
    reference = sa.create_engine(new_url)
    try:
        with Store.open(db_url) as store:
            assert store.schema_versions() == VERSIONS
            assert store.migrate() == []
            # the stored article, counted again: its theme central, as it was counted before
            assert store.count_matching(Filters(relevant_only=False)) == 1
            themes = store.volume_by_day(Filters(), "theme")
            assert list(zip(themes["key"], themes["articles"], strict=True)) == [("sanctions", 1)]
            assert store.stale_analyses("themes-new", "analyzer-old") == 1
            stored = store.get_article(old_id)
            assert stored is not None and stored.analysis.relations.score is None
            store.save_articles([analysed("new-db", themes={"sanctions": ["sanctions"]})])
            assert store.count_matching(Filters(relevant_only=False)) == 2
        Store.open(new_url).close()
        assert _catalog(engine) == _catalog(reference)
    finally:
        engine.dispose()
        reference.dispose()
        made.close()


def test_the_package_exports_each_table_under_its_name() -> None:
    """`from core import storage` reaches the tables (no module of the package shadows one)."""
    for name, table in storage.metadata.tables.items():
        assert getattr(storage, name) is table
    assert set(storage.__all__) >= set(storage.metadata.tables)
