"""The schema, kept as dumps in tests/schema/: a new database gets exactly the tables and indexes
of the current dump (current_*.sql), and a database made by the single-module store (its schema
kept in tests/schema/v5_*, dumped from commit 9c67bd6) opens with migrations 6 (every rollup per
language) and 7 (relations events, central themes), and then has exactly the catalog of a new
database, its stored articles counted again in the rebuilt rollups."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from core import storage
from core.models import Filters
from core.storage import Store
from core.storage.migrations import MIGRATIONS
from tests.fixtures_db import analysed, make_db_url

SCHEMA = Path(__file__).parent / "schema"
THEME_ROLLUP_NAMES = {t.name for t in storage.THEME_ROLLUPS}
PREVIOUS = [1, 2, 3, 4, 5]
"""The versions of the database made by commit 9c67bd6."""
VERSIONS = [version for version, _, _ in MIGRATIONS]
"""Every migration: a database made by 9c67bd6 gains those after PREVIOUS."""


def sqlite_schema(path: Path) -> str:
    """sqlite_master as text, in the format of tests/schema/current_sqlite.sql."""
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
    """The metadata as PostgreSQL DDL, in the format of tests/schema/current_postgresql.sql."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy: untyped __init__
    parts = []
    for table in sorted(storage.metadata.tables.values(), key=lambda t: t.name):
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n\n")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";\n\n")
    return "".join(parts)


def test_a_new_sqlite_database_has_the_current_schema(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'new.db'}").close()
    assert sqlite_schema(tmp_path / "new.db") == (SCHEMA / "current_sqlite.sql").read_text()


def test_the_postgresql_ddl_is_the_current_one() -> None:
    assert postgresql_ddl() == (SCHEMA / "current_postgresql.sql").read_text()


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


def _catalog(engine: sa.Engine) -> dict[str, Any]:
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


def test_a_database_made_by_the_previous_code_opens_with_the_later_migrations(
    db_url: str, tmp_path: Path
) -> None:
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
    made = make_db_url(dialect, tmp_path / "new")
    new_url = next(made)
    reference = sa.create_engine(new_url)
    try:
        with Store.open(db_url) as store:
            assert store.schema_versions() == VERSIONS
            assert store.migrate() == []
            with store.engine.connect() as conn:
                applied = conn.exec_driver_sql(
                    "SELECT version FROM schema_migrations WHERE name <> 'by 9c67bd6'"
                    " ORDER BY version"
                ).scalars()
                assert list(applied) == [v for v in VERSIONS if v not in PREVIOUS]
            # the stored article, counted again: its theme central, as it was counted before
            assert store.count_matching(Filters(relevant_only=False)) == 1
            themes = store.volume_by_day(Filters(), "theme")
            assert list(zip(themes["key"], themes["articles"], strict=True)) == [("sanctions", 1)]
            assert store.stale_analyses("themes-new", "analyzer-old") == 1
            stored = store.get_article(old_id)
            assert stored is not None and stored.analysis.relations.score is None
            store.save_articles([analysed("new-db", themes={"sanctions": ["sanctions"]})])
            assert store.count_matching(Filters(relevant_only=False)) == 2
            # its language counted in the rebuilt rollups: one article each way
            for lang in ("ru", "en"):
                only = Filters(relevant_only=False, languages=(lang,))
                assert store.count_matching(only) == 1
                themed = store.volume_by_day(dataclasses.replace(only, relevant_only=True), "theme")
                assert list(themed["articles"]) == [1]
        Store.open(new_url).close()
        after = _catalog(engine)
        assert after == _catalog(reference)
        for table, (columns, key, _) in after.items():
            if "rollup" in table:
                assert key[-1] == "lang" and ("lang", "TEXT", False) in columns, table
                assert ("central" in key) == (table in THEME_ROLLUP_NAMES), table
    finally:
        engine.dispose()
        reference.dispose()
        made.close()


def test_the_package_exports_each_table_under_its_name() -> None:
    """`from core import storage` reaches the tables (no module of the package shadows one)."""
    for name, table in storage.metadata.tables.items():
        assert getattr(storage, name) is table
    assert set(storage.__all__) >= set(storage.metadata.tables)
