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
from core.storage.schema import (
    ALL,
    AUX_ROLLUPS,
    RELATIONS_ROLLUPS,
    THEME_ROLLUPS,
    article_events,
    article_terms,
    article_themes,
    articles,
    schema_migrations,
)
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
        conn.execute(table.insert().from_select(_named(table, select), select))


def _named(table: sa.Table, select: Any) -> list[str]:
    """The columns of `table` this backfill's select fills: all but `central`, added by
    migration 6, which takes its default here and is recounted by migration 6."""
    return [c.name for c in table.columns if c.name != "central"]


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
            ["day", "bloc", "theme", "relevant", "articles", "tone_sum", "tone_count"],
            sa.select(
                *keys, sa.func.sum(r.articles), sa.func.sum(r.tone_sum), sa.func.sum(r.tone_count)
            ).group_by(*keys),
        )
    )


def _add_column(conn: Connection, table: sa.Table, column: str, ddl: str) -> None:
    """ALTER TABLE … ADD COLUMN, unless migration 1 already made the table with it."""
    present = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    if column not in present:
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column} {ddl}")


def _relations_and_central_themes(conn: Connection) -> None:
    """Migration 6: the relations reading (article columns, article_events, the relations
    rollups), theme salience and central flags (article_themes), and the theme rollups keyed by
    `central`, rebuilt from the stored articles. A theme stored before salience existed is
    central (so charts count it as before); `detente retag` reads it anew."""
    true = "true" if conn.dialect.name == "postgresql" else "1"
    _add_column(conn, articles, "relations_score", "FLOAT")
    _add_column(conn, articles, "relations_label", "TEXT")
    _add_column(conn, article_themes, "central", f"BOOLEAN NOT NULL DEFAULT {true}")
    _add_column(conn, article_themes, "salience", "FLOAT")
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_articles_versions"
        " ON articles (lexicon_version, analyzer_version)"
    )
    article_events.create(conn, checkfirst=True)
    for table in THEME_ROLLUPS:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
        table.create(conn)
    for table in RELATIONS_ROLLUPS:
        table.create(conn, checkfirst=True)
    rebuild_rollups(conn, (*THEME_ROLLUPS, *RELATIONS_ROLLUPS))


def rebuild_rollups(conn: Connection, tables: tuple[sa.Table, ...]) -> None:
    """Empty these rollups and count them anew from the stored articles."""
    a, t, m, e = articles.c, article_themes.c, article_terms.c, article_events.c
    one, two = article_themes.alias("one"), article_themes.alias("two")
    base = [a.published_day, a.bloc, a.relevant]
    per_outlet = [a.published_day, a.outlet, a.bloc]
    tone = [sa.func.count(), sa.func.coalesce(sa.func.sum(a.tone), 0.0), sa.func.count(a.tone)]
    every = sa.literal(True)
    themed = articles.join(article_themes, t.article_id == a.id)
    with_events = articles.join(article_events, e.article_id == a.id)
    relations = [
        sa.func.count(sa.distinct(a.id)),
        sa.func.count(),
        sa.func.sum(e.weight),
        sa.func.sum(sa.case((e.weight > 0, 1), else_=0)),
        sa.func.sum(sa.case((e.weight < 0, 1), else_=0)),
    ]
    selects: dict[str, list[Any]] = {
        "daily_rollup": [
            sa.select(*per_outlet, sa.literal(ALL), a.relevant, every, *tone).group_by(
                *per_outlet, a.relevant
            ),
            sa.select(*per_outlet, t.theme, a.relevant, t.central, *tone)
            .select_from(themed)
            .group_by(*per_outlet, t.theme, a.relevant, t.central),
        ],
        "bloc_rollup": [
            sa.select(a.published_day, a.bloc, sa.literal(ALL), a.relevant, every, *tone).group_by(
                a.published_day, a.bloc, a.relevant
            ),
            sa.select(a.published_day, a.bloc, t.theme, a.relevant, t.central, *tone)
            .select_from(themed)
            .group_by(a.published_day, a.bloc, t.theme, a.relevant, t.central),
        ],
        "term_rollup": [
            sa.select(*base, m.theme, m.term, t.central, sa.func.sum(m.hits), sa.func.count())
            .select_from(
                articles.join(article_terms, m.article_id == a.id).join(
                    article_themes, sa.and_(t.article_id == a.id, t.theme == m.theme)
                )
            )
            .group_by(*base, m.theme, m.term, t.central)
        ],
        "pair_rollup": [
            sa.select(
                *base,
                one.c.theme,
                two.c.theme,
                sa.and_(one.c.central, two.c.central),
                sa.func.count(),
            )
            .select_from(
                articles.join(one, one.c.article_id == a.id).join(
                    two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                )
            )
            .group_by(*base, one.c.theme, two.c.theme, sa.and_(one.c.central, two.c.central))
        ],
        "relations_rollup": [
            sa.select(*per_outlet, a.relevant, sa.literal(ALL), *relations)
            .select_from(with_events)
            .group_by(*per_outlet, a.relevant),
            sa.select(*per_outlet, a.relevant, e.direction, *relations)
            .select_from(with_events)
            .group_by(*per_outlet, a.relevant, e.direction),
        ],
        "event_rollup": [
            sa.select(*base, e.category, e.quad, *relations[:3])
            .select_from(with_events)
            .group_by(*base, e.category, e.quad)
        ],
    }
    for table in tables:
        conn.execute(table.delete())
        for select in selects[table.name]:
            conn.execute(table.insert().from_select([c.name for c in table.columns], select))


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _initial_schema),
    (2, "indexes on articles.url and articles.is_demo", _lookup_indexes),
    (3, "actor, term, theme-pair and tone rollups", _backfill_aux_rollups),
    (4, "actor, term and pair rollups without outlet", _rebuild_aux_rollups),
    (5, "daily rollup per bloc (without outlet)", _backfill_bloc_rollup),
    (6, "relations events and rollups; central themes in the theme rollups",
     _relations_and_central_themes),
)  # fmt: skip
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
