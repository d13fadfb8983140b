"""Numbered schema migrations, each recorded in `schema_migrations` when applied.

Never edit a released one: append. Migration 1 creates the current metadata, so later ones must
be idempotent (a new database gets their tables from migration 1 and then runs them anyway)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.storage import schema
from core.storage.errors import SchemaTooNew
from core.storage.schema import AUX_ROLLUPS, articles, schema_migrations
from core.storage.search import FTS_TABLE, PG_DOCUMENT, SEARCH_COLUMN
from core.storage.tone_bins import TONE_BINS, tone_bin_sql


def _initial_schema(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)


def _lookup_indexes(conn: Connection) -> None:
    """Dedupe by canonical URL and the demo notice look articles up by url and is_demo."""
    for name, column in (("ix_articles_url", "url"), ("ix_articles_demo", "is_demo")):
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles ({column})")


def _backfill_aux_rollups(conn: Connection) -> None:
    """Migration 3: create the actor/term/pair/tone rollups and fill them from the articles."""
    for table in AUX_ROLLUPS:
        table.create(conn, checkfirst=True)
        conn.execute(table.delete())
    a = articles.c
    base = [a.published_day, a.bloc, a.relevant]
    x, m = schema.article_actors.c, schema.article_terms.c
    one, two = schema.article_themes.alias("one"), schema.article_themes.alias("two")
    bucket = tone_bin_sql(a.tone, TONE_BINS, conn.dialect.name)
    selects: list[tuple[sa.Table, Any]] = [
        (
            schema.actor_rollup,
            sa.select(*base, x.actor, x.side, sa.func.count(), sa.func.sum(x.mentions))
            .select_from(articles.join(schema.article_actors, x.article_id == a.id))
            .group_by(*base, x.actor, x.side),
        ),
        (
            schema.term_rollup,
            sa.select(*base, m.theme, m.term, sa.func.sum(m.hits), sa.func.count())
            .select_from(articles.join(schema.article_terms, m.article_id == a.id))
            .group_by(*base, m.theme, m.term),
        ),
        (
            schema.pair_rollup,
            sa.select(*base, one.c.theme, two.c.theme, sa.func.count())
            .select_from(
                articles.join(one, one.c.article_id == a.id).join(
                    two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                )
            )
            .group_by(*base, one.c.theme, two.c.theme),
        ),
        (
            schema.tone_rollup,
            sa.select(a.published_day, a.outlet, a.bloc, a.relevant, bucket, sa.func.count())
            .where(a.tone.is_not(None))
            .group_by(a.published_day, a.outlet, a.bloc, a.relevant, bucket),
        ),
    ]
    for table, select in selects:
        conn.execute(table.insert().from_select([c.name for c in table.columns], select))


def _rebuild_aux_rollups(conn: Connection) -> None:
    """Migration 4: the rollups of migration 3 had an outlet key; drop them and rebuild."""
    for table in AUX_ROLLUPS:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
    _backfill_aux_rollups(conn)


def _backfill_bloc_rollup(conn: Connection) -> None:
    """Migration 5: bloc_rollup from daily_rollup."""
    schema.bloc_rollup.create(conn, checkfirst=True)
    conn.execute(schema.bloc_rollup.delete())
    r = schema.daily_rollup.c
    keys = [r.day, r.bloc, r.theme, r.relevant]
    conn.execute(
        schema.bloc_rollup.insert().from_select(
            [c.name for c in schema.bloc_rollup.columns],
            sa.select(
                *keys, sa.func.sum(r.articles), sa.func.sum(r.tone_sum), sa.func.sum(r.tone_count)
            ).group_by(*keys),
        )
    )


_FTS_TRIGGERS = {
    "insert": f"AFTER INSERT ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
    "delete": f"AFTER DELETE ON articles BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, "
    "summary) VALUES ('delete', old.id, old.title, old.summary); END",
    "update": f"AFTER UPDATE OF title, summary ON articles BEGIN INSERT INTO {FTS_TABLE}("
    f"{FTS_TABLE}, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
}
"""SQLite: the triggers that keep the FTS index in step with `articles`, inside the transaction
that writes the article (every article write goes through core/storage/writes.py). A retag
rewrites no title or summary, so the index has nothing to do then."""


def _text_search(conn: Connection) -> None:
    """Migration 6: the full-text index over title and summary (core/storage/search.py),
    filled from the articles already stored. SQLite: an external-content FTS5 table (the text
    is not stored twice) kept by triggers. PostgreSQL: a generated tsvector column with a GIN
    index, computed by the database on every insert and update."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED"
        )
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin ({SEARCH_COLUMN})"
        )
        return
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, summary, "
        "content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    for event, body in _FTS_TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_{event} {body}")
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


FACTS_INDEXES = {
    "ix_articles_facts": ("relevant", "published_at", "published_day", "bloc", "outlet", "tone"),
    "ix_articles_facts_day": ("published_day", "relevant", "bloc", "outlet", "tone"),
}
"""Every column a filtered read counts by: relevant articles first (the dashboard's default; in
publication order, so the Articles page's newest-first list still needs no sort) and all articles
by day (the Overview's totals)."""


def _facts_indexes(conn: Connection) -> None:
    """Migration 7: indexes holding every column a filtered read counts by (the row id comes with
    them). A read the rollups cannot answer (actor, text or tone filters: core/storage/plan.py)
    then walks one of these narrow indexes, checking each article against the id set the
    filter's own index gave, and never reads the article rows, which hold whole texts and
    evidence (a row read costs more than a hundred index entries)."""
    for name, columns in FACTS_INDEXES.items():
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles ({', '.join(columns)})"
        )


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _initial_schema),
    (2, "indexes on articles.url and articles.is_demo", _lookup_indexes),
    (3, "actor, term, theme-pair and tone rollups", _backfill_aux_rollups),
    (4, "actor, term and pair rollups without outlet", _rebuild_aux_rollups),
    (5, "daily rollup per bloc (without outlet)", _backfill_bloc_rollup),
    (6, "full-text index over title and summary", _text_search),
    (7, "covering indexes for filtered reads", _facts_indexes),
)
LATEST = max(version for version, _, _ in MIGRATIONS)


def recorded_versions(reader: Engine) -> list[int]:
    """The migrations this database records, in order."""
    with reader.connect() as conn:
        return list(
            conn.execute(
                sa.select(schema_migrations.c.version).order_by(schema_migrations.c.version)
            ).scalars()
        )


def refuse_newer(versions: Iterable[int], name: str) -> None:
    """A database migrated by a newer Détente: its new columns and tables would fail later,
    one query at a time, so refuse it whole."""
    newer = [version for version in versions if version > LATEST]
    if newer:
        raise SchemaTooNew(
            f"{name}: its schema is version {max(newer)}, newer than this Détente knows "
            f"({LATEST}): it was migrated by a newer Détente. Run that version, or upgrade this "
            "one; the database was left as it is."
        )


def migrate(reader: Engine, writer: Engine, name: str) -> list[int]:
    """Apply the migrations this database has not seen; returns the versions applied. `name`
    names the database in the SchemaTooNew raised for a schema newer than these migrations.

    A read first: an up-to-date database (every open after the first) costs no write lock,
    so opening the dashboard never waits for a poller's transaction."""
    wanted = {version for version, _, _ in MIGRATIONS}
    try:
        recorded = recorded_versions(reader)
    except sa.exc.DBAPIError:
        recorded = []  # no schema_migrations table yet (or unreadable: the write below says)
    refuse_newer(recorded, name)
    if wanted <= set(recorded):
        return []
    with writer.begin() as conn:
        if writer.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7275001)"))
        schema_migrations.create(conn, checkfirst=True)
        done = set(conn.execute(sa.select(schema_migrations.c.version)).scalars())
        refuse_newer(done, name)
        applied = []
        for version, name, apply in MIGRATIONS:
            if version in done:
                continue
            apply(conn)
            conn.execute(
                schema_migrations.insert().values(
                    version=version, name=name, applied_at=datetime.now(UTC)
                )
            )
            applied.append(version)
    return applied
