"""Numbered schema migrations, each recorded in `schema_migrations` when applied.

Never edit a released one: append. Migration 1 creates the current metadata, so later ones must
be idempotent (a new database gets their tables from migration 1 and then runs them anyway)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.storage import schema
from core.storage.errors import SchemaTooNew
from core.storage.match_lines import line_of, terms_of
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
    lang = a.lang  # the last key of every rollup since migration 6 (articles always had it)
    x, m = schema.article_actors.c, schema.article_terms.c
    one, two = schema.article_themes.alias("one"), schema.article_themes.alias("two")
    bucket = tone_bin_sql(a.tone, TONE_BINS, conn.dialect.name)
    selects: list[tuple[sa.Table, Any]] = [
        (
            schema.actor_rollup,
            sa.select(*base, x.actor, x.side, lang, sa.func.count(), sa.func.sum(x.mentions))
            .select_from(articles.join(schema.article_actors, x.article_id == a.id))
            .group_by(*base, x.actor, x.side, lang),
        ),
        (
            schema.term_rollup,
            sa.select(*base, m.theme, m.term, lang, sa.func.sum(m.hits), sa.func.count())
            .select_from(articles.join(schema.article_terms, m.article_id == a.id))
            .group_by(*base, m.theme, m.term, lang),
        ),
        (
            schema.pair_rollup,
            sa.select(*base, one.c.theme, two.c.theme, lang, sa.func.count())
            .select_from(
                articles.join(one, one.c.article_id == a.id).join(
                    two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                )
            )
            .group_by(*base, one.c.theme, two.c.theme, lang),
        ),
        (
            schema.tone_rollup,
            sa.select(a.published_day, a.outlet, a.bloc, a.relevant, bucket, lang, sa.func.count())
            .where(a.tone.is_not(None))
            .group_by(a.published_day, a.outlet, a.bloc, a.relevant, bucket, lang),
        ),
    ]
    for table, select in selects:
        conn.execute(table.insert().from_select(_named(table), select))


def _named(table: sa.Table) -> list[str]:
    """The columns of `table` the backfills of migrations 3 to 6 fill: all but `central`, added
    by migration 7, which takes its default (true) there and is recounted by migration 7."""
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
    keys: list[Any] = [r.day, r.bloc, r.theme, r.relevant]
    # A database from before migration 6 has no language in daily_rollup: 'und' until 6 rebuilds.
    stored = {c["name"] for c in sa.inspect(conn).get_columns("daily_rollup")}
    keys.append(r.lang if "lang" in stored else sa.literal("und"))
    conn.execute(
        schema.bloc_rollup.insert().from_select(
            _named(schema.bloc_rollup),
            sa.select(
                *keys, sa.func.sum(r.articles), sa.func.sum(r.tone_sum), sa.func.sum(r.tone_count)
            ).group_by(*keys),
        )
    )


ROLLUPS = (schema.daily_rollup, schema.bloc_rollup, *AUX_ROLLUPS)


def _rollups_per_language(conn: Connection) -> None:
    """Migration 6: every rollup gets the article's language as a key (a language filter is then
    answered from the rollups, not from a scan of the articles): drop them, create them anew and
    fill them from the articles."""
    for table in ROLLUPS:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
    schema.daily_rollup.create(conn)
    a, t = articles.c, schema.article_themes.c
    measures = [sa.func.count(), sa.func.coalesce(sa.func.sum(a.tone), 0.0), sa.func.count(a.tone)]
    every = [a.published_day, a.outlet, a.bloc, sa.literal(schema.ALL), a.relevant, a.lang]
    themed = [a.published_day, a.outlet, a.bloc, t.theme, a.relevant, a.lang]
    names = _named(schema.daily_rollup)
    conn.execute(
        schema.daily_rollup.insert().from_select(
            names,
            sa.select(*every, *measures).group_by(
                a.published_day, a.outlet, a.bloc, a.relevant, a.lang
            ),
        )
    )
    conn.execute(
        schema.daily_rollup.insert().from_select(
            names,
            sa.select(*themed, *measures)
            .select_from(articles.join(schema.article_themes, t.article_id == a.id))
            .group_by(*themed),
        )
    )
    _backfill_bloc_rollup(conn)
    _backfill_aux_rollups(conn)


def _add_column(conn: Connection, table: sa.Table, column: str, ddl: str) -> None:
    """ALTER TABLE … ADD COLUMN, unless migration 1 already made the table with it."""
    present = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    if column not in present:
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column} {ddl}")


def _relations_and_central_themes(conn: Connection) -> None:
    """Migration 7: the relations reading (article columns, article_events, the relations
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
    """Empty these rollups (of THEME_ROLLUPS and RELATIONS_ROLLUPS) and count them anew from the
    stored articles, each with the article's language as its last key."""
    a, t, m, e = articles.c, article_themes.c, article_terms.c, article_events.c
    one, two = article_themes.alias("one"), article_themes.alias("two")
    lang = a.lang
    base = [a.published_day, a.bloc, a.relevant]
    per_outlet = [a.published_day, a.outlet, a.bloc]
    tone = [sa.func.count(), sa.func.coalesce(sa.func.sum(a.tone), 0.0), sa.func.count(a.tone)]
    every = sa.literal(True)
    both = sa.and_(one.c.central, two.c.central)
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
            sa.select(*per_outlet, sa.literal(ALL), a.relevant, every, lang, *tone).group_by(
                *per_outlet, a.relevant, lang
            ),
            sa.select(*per_outlet, t.theme, a.relevant, t.central, lang, *tone)
            .select_from(themed)
            .group_by(*per_outlet, t.theme, a.relevant, t.central, lang),
        ],
        "bloc_rollup": [
            sa.select(
                a.published_day, a.bloc, sa.literal(ALL), a.relevant, every, lang, *tone
            ).group_by(a.published_day, a.bloc, a.relevant, lang),
            sa.select(a.published_day, a.bloc, t.theme, a.relevant, t.central, lang, *tone)
            .select_from(themed)
            .group_by(a.published_day, a.bloc, t.theme, a.relevant, t.central, lang),
        ],
        "term_rollup": [
            sa.select(*base, m.theme, m.term, t.central, lang, sa.func.sum(m.hits), sa.func.count())
            .select_from(
                articles.join(article_terms, m.article_id == a.id).join(
                    article_themes, sa.and_(t.article_id == a.id, t.theme == m.theme)
                )
            )
            .group_by(*base, m.theme, m.term, t.central, lang)
        ],
        "pair_rollup": [
            sa.select(*base, one.c.theme, two.c.theme, both, lang, sa.func.count())
            .select_from(
                articles.join(one, one.c.article_id == a.id).join(
                    two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                )
            )
            .group_by(*base, one.c.theme, two.c.theme, both, lang)
        ],
        "relations_rollup": [
            sa.select(*per_outlet, a.relevant, sa.literal(ALL), lang, *relations)
            .select_from(with_events)
            .group_by(*per_outlet, a.relevant, lang),
            sa.select(*per_outlet, a.relevant, e.direction, lang, *relations)
            .select_from(with_events)
            .group_by(*per_outlet, a.relevant, e.direction, lang),
        ],
        "event_rollup": [
            sa.select(*base, e.category, e.quad, lang, *relations[:3])
            .select_from(with_events)
            .group_by(*base, e.category, e.quad, lang)
        ],
    }
    for table in tables:
        conn.execute(table.delete())
        for select in selects[table.name]:
            conn.execute(table.insert().from_select([c.name for c in table.columns], select))


def _watches_and_alerts(conn: Connection) -> None:
    """Migration 10: watches and the alerts they fire (core/storage/watch_store.py)."""
    for table in schema.WATCH_TABLES:
        table.create(conn, checkfirst=True)


def _stories(conn: Connection) -> None:
    """Migration 11: stories and the story (and original) of each article
    (core/storage/story_store.py). Stored articles get theirs from `detente stories rebuild`."""
    for table in schema.STORY_TABLES:
        table.create(conn, checkfirst=True)


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
    """Migration 8: the full-text index over title and summary (core/storage/search.py),
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
    """Migration 9: indexes holding every column a filtered read counts by (the row id comes with
    them). A read the rollups cannot answer (actor, text or tone filters: core/storage/plan.py)
    then walks one of these narrow indexes, checking each article against the id set the
    filter's own index gave, and never reads the article rows, which hold whole texts and
    evidence (a row read costs more than a hundred index entries)."""
    for name, columns in FACTS_INDEXES.items():
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles ({', '.join(columns)})"
        )


COVERING_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ix_article_themes_covering": ("article_themes", ("article_id", "theme", "central")),
    "ix_article_terms_covering": ("article_terms", ("article_id", "theme", "term", "hits")),
    "ix_article_actors_covering": ("article_actors", ("article_id", "actor", "side", "mentions")),
    "ix_article_events_covering": (
        "article_events",
        ("article_id", "direction", "category", "quad", "weight"),
    ),
}
"""An article's themes, terms, actors and events with every column a chart reads (migration 13):
a filtered read joins them to the matching ids from these indexes alone, never their rows."""


def _article_facts(conn: Connection) -> None:
    """Migration 13: the narrow per-article table filtered reads look their matches up in
    (schema.article_facts), filled from the stored articles, and covering indexes over an
    article's themes, terms, actors and events (COVERING_INDEXES)."""
    schema.article_facts.create(conn, checkfirst=True)
    conn.execute(schema.article_facts.delete())
    columns = list(schema.FACT_COLUMNS)
    conn.execute(
        schema.article_facts.insert().from_select(
            columns, sa.select(*(articles.c[name] for name in columns))
        )
    )
    for name, (table, on) in COVERING_INDEXES.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(on)})")


LINES_BATCH = 20_000
"""Articles (by id range) whose lines migration 14 writes at a time."""


def facts_lines(conn: Connection, low: int, high: int) -> list[dict[str, Any]]:
    """The article_lines rows (core/storage/match_lines.py) of the articles with ids in
    low…high, from their facts row and their stored themes, actors, events and terms."""
    f, t, x = schema.article_facts.c, article_themes.c, schema.article_actors.c
    e, m = article_events.c, article_terms.c
    themes: defaultdict[int, list[tuple[str, bool]]] = defaultdict(list)
    actors: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
    events: defaultdict[int, list[tuple[str, str, str, float]]] = defaultdict(list)
    terms: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
    reads: list[tuple[Any, Any, Callable[[Any], None]]] = [
        (sa.select(t.article_id, t.theme, t.central), t.article_id,
         lambda r: themes[r[0]].append((r[1], bool(r[2])))),
        (sa.select(x.article_id, x.actor, x.side, x.mentions), x.article_id,
         lambda r: actors[r[0]].append((r[1], r[2], r[3]))),
        (sa.select(e.article_id, e.direction, e.category, e.quad, e.weight).order_by(e.seq),
         e.article_id, lambda r: events[r[0]].append((r[1], r[2], r[3], r[4]))),
        (sa.select(m.article_id, m.theme, m.term, m.hits), m.article_id,
         lambda r: terms[r[0]].append((r[1], r[2], r[3]))),
    ]  # fmt: skip
    for statement, article_id, add in reads:
        for row in conn.execute(statement.where(article_id.between(low, high))):
            add(row)
    rows = conn.execute(
        sa.select(f.id, f.published_day, f.outlet, f.bloc, f.relevant, f.tone).where(
            f.id.between(low, high)
        )
    )
    return [
        {
            "id": r.id,
            "line": line_of(
                r.published_day, r.outlet, r.bloc, bool(r.relevant), r.tone,
                themes[r.id], actors[r.id], events[r.id],
            ),
            "terms": terms_of(terms[r.id], [n for n, central in themes[r.id] if central]),
        }
        for r in rows
    ]  # fmt: skip


def _article_lines(conn: Connection) -> None:
    """Migration 14: each article as one line of a filtered page's match frame, and its terms
    (schema.article_lines, core/storage/match_lines.py), written from its facts row and stored
    evidence a range of ids at a time."""
    schema.article_lines.create(conn, checkfirst=True)
    conn.execute(schema.article_lines.delete())
    f = schema.article_facts.c
    low, top = conn.execute(sa.select(sa.func.min(f.id), sa.func.max(f.id))).one()
    while low is not None and low <= top:
        values = facts_lines(conn, low, low + LINES_BATCH - 1)
        if values:
            conn.execute(schema.article_lines.insert(), values)
        low += LINES_BATCH


STORY_SPAN_INDEX = ("first_day", "last_day", "relevant", "articles", "reports")
"""The columns the Stories page's totals and count read (core/storage/reads_stories.py
`story_totals`, `count_stories`) under the default filters (a date range, relevant only)."""


def _story_span_index(conn: Connection) -> None:
    """Migration 12: a covering index for the story totals: the page counts and sums the stories
    of its date range from this narrow index and never reads the story rows, which hold their
    coverage as JSON (SQLite, 1M articles in 250k stories: ~25 ms instead of 100–300 ms)."""
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_stories_span ON stories ({', '.join(STORY_SPAN_INDEX)})"
    )


TONE_FACTS_INDEX = ("tone", "relevant", "published_day", "bloc", "outlet", "lang")
"""article_facts by tone, with every key a count under a tone range filters on besides
(core/storage/tone_count.py)."""


def _tone_facts_index(conn: Connection) -> None:
    """Migration 15: a covering index of article_facts led by tone: a count under a tone range
    reads only the articles at the range's two ends, from this index, never their rows (1M
    articles: 28,000 lookups of the rows cost 0.4-1.4 s)."""
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_article_facts_tone "
        f"ON article_facts ({', '.join(TONE_FACTS_INDEX)})"
    )


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _initial_schema),
    (2, "indexes on articles.url and articles.is_demo", _lookup_indexes),
    (3, "actor, term, theme-pair and tone rollups", _backfill_aux_rollups),
    (4, "actor, term and pair rollups without outlet", _rebuild_aux_rollups),
    (5, "daily rollup per bloc (without outlet)", _backfill_bloc_rollup),
    (6, "every rollup per language", _rollups_per_language),
    (7, "relations events and rollups; central themes in the theme rollups",
     _relations_and_central_themes),
    (8, "full-text index over title and summary", _text_search),
    (9, "covering indexes for filtered reads", _facts_indexes),
    (10, "watches and alerts", _watches_and_alerts),
    (11, "stories and the story of each article", _stories),
    (12, "covering index for the story totals", _story_span_index),
    (13, "per-article facts and covering indexes for filtered reads", _article_facts),
    (14, "each article's line of a filtered page's match frame", _article_lines),
    (15, "covering index of the facts by tone", _tone_facts_index),
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
