"""The database: SQLAlchemy Core schema, migrations, writes and reads. The only module with SQL.

One small gateway object (`Store`) in the manner of sqlite-utils: every write goes through one
path, in one transaction, and on SQLite starts with BEGIN IMMEDIATE (a deferred transaction that
reads then writes can fail with "database is locked" whatever the busy timeout). Reads use a
separate engine with ordinary deferred transactions, so the dashboard never takes the write lock.

Charts read rollups kept by the write path in the same transaction as the articles, so a chart
costs about the same at a million articles as at ten thousand: `daily_rollup` (day × outlet ×
bloc × theme × relevant: articles and tone sums; theme '' counts every article), `actor_rollup`,
`term_rollup`, `pair_rollup` (day × bloc × relevant × actor / theme+term / theme pair) and
`tone_rollup` (day × outlet × bloc × relevant × tone bin). Filters a rollup cannot answer (actors,
text query, a narrowed tone range, several themes for totals, an outlet for the bloc-level
rollups) fall back to indexed queries over the articles. A theme filter on a by-theme read shows
the selected themes only.

An article belongs to the outlet that first published it (its primary outlet and bloc); the same
canonical URL seen in another feed is remembered in `article_outlets` but not counted twice, so
syndicated wire copy does not pass for independent coverage.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import os
import socket
import sqlite3
import time as _time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from types import TracebackType
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from core.config import DATA_DIR
from core.models import (
    ActorMention,
    Analysis,
    AnalyzedArticle,
    FeedConfig,
    Filters,
    SentenceTone,
    ThemeMatch,
)

DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'detente.db'}"
ALL = ""
"""The theme key of rollup rows that count every article, whatever its themes."""

metadata = sa.MetaData()
TS = sa.DateTime(timezone=True)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", TS, nullable=False),
)
feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("bloc", sa.Text, nullable=False),
    sa.Column("country", sa.Text, nullable=False, default=""),
    sa.Column("language", sa.Text, nullable=False, default="en"),
    sa.Column("enabled", sa.Boolean, nullable=False, default=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_check_at", TS),
    sa.Column("lease_until", TS),
    sa.Column("lease_owner", sa.Text),
    sa.Column("last_attempt_at", TS),
    sa.Column("last_success_at", TS),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("consecutive_errors", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", TS, nullable=False),
)
feed_attempts = sa.Table(
    "feed_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at", TS, nullable=False),
    sa.Column("status", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Index("ix_feed_attempts_feed_at", "feed_id", "at"),
)
articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.Text, nullable=False, unique=True),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("guid", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("content", sa.Text, nullable=False, default=""),
    sa.Column("fulltext", sa.Text, nullable=False, default=""),
    # The text the analysis offsets index; "" means "the same as content" (the usual case), so
    # the archive does not hold every article body twice. Read it with _analyzed_text().
    sa.Column("analyzed_text", sa.Text, nullable=False, default=""),
    sa.Column("published_at", TS, nullable=False),
    sa.Column("published_day", sa.Date, nullable=False),
    sa.Column("published_estimated", sa.Boolean, nullable=False, default=False),
    sa.Column("fetched_at", TS, nullable=False),
    sa.Column("feed_url", sa.Text, nullable=False, default=""),
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("bloc", sa.Text, nullable=False),
    sa.Column("lang", sa.Text, nullable=False, default="und"),
    sa.Column("tone", sa.Float),
    sa.Column("tone_label", sa.Text, nullable=False, default="n/a"),
    sa.Column("relevance", sa.Float, nullable=False, default=0.0),
    sa.Column("relevant", sa.Boolean, nullable=False, default=False),
    sa.Column("theme_list", sa.Text, nullable=False, default=""),
    sa.Column("actor_list", sa.Text, nullable=False, default=""),
    sa.Column("evidence", sa.Text, nullable=False, default="{}"),
    sa.Column("lexicon_version", sa.Text, nullable=False, default=""),
    sa.Column("analyzer_version", sa.Text, nullable=False, default=""),
    sa.Column("content_hash", sa.Text, nullable=False, default=""),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_articles_day", "published_day"),
    sa.Index("ix_articles_published", "published_at"),
    sa.Index("ix_articles_relevant_published", "relevant", "published_at"),
    sa.Index("ix_articles_outlet_day", "outlet", "published_day"),
    sa.Index("ix_articles_bloc_day", "bloc", "published_day"),
    sa.Index("ix_articles_tone", "tone"),
    sa.Index("ix_articles_demo", "is_demo"),
    sa.Index("ix_articles_url", "url"),
)
article_outlets = sa.Table(
    "article_outlets",
    metadata,
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("outlet", sa.Text, primary_key=True),
    sa.Column("bloc", sa.Text, nullable=False),
    sa.Column("feed_url", sa.Text, nullable=False, default=""),
)
article_themes = sa.Table(
    "article_themes",
    metadata,
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("theme", sa.Text, primary_key=True),
    sa.Column("hits", sa.Integer, nullable=False),
    sa.Column("in_title", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_article_themes_theme", "theme", "article_id"),
)
article_terms = sa.Table(
    "article_terms",
    metadata,
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("theme", sa.Text, primary_key=True),
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("hits", sa.Integer, nullable=False),
)
article_actors = sa.Table(
    "article_actors",
    metadata,
    sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("actor", sa.Text, primary_key=True),
    sa.Column("side", sa.Text, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.Index("ix_article_actors_actor", "actor", "article_id"),
)
daily_rollup = sa.Table(
    "daily_rollup",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("outlet", sa.Text, primary_key=True),
    sa.Column("bloc", sa.Text, primary_key=True),
    sa.Column("theme", sa.Text, primary_key=True),
    sa.Column("relevant", sa.Boolean, primary_key=True),
    sa.Column("articles", sa.Integer, nullable=False, default=0),
    sa.Column("tone_sum", sa.Float, nullable=False, default=0.0),
    sa.Column("tone_count", sa.Integer, nullable=False, default=0),
    sa.Index("ix_rollup_theme_day", "theme", "day"),
)


def _rollup_table(
    name: str, keys: list[sa.Column[Any]], measures: list[str], *, outlet: bool = False
) -> sa.Table:
    """A rollup: counts per day × [outlet ×] bloc × relevant × `keys`, kept by the write path.

    Without outlet the table is several times smaller (so is every scan of it); a read filtered
    by outlet then aggregates the articles instead."""
    return sa.Table(
        name,
        metadata,
        sa.Column("day", sa.Date, primary_key=True),
        *([sa.Column("outlet", sa.Text, primary_key=True)] if outlet else []),
        sa.Column("bloc", sa.Text, primary_key=True),
        sa.Column("relevant", sa.Boolean, primary_key=True),
        *keys,
        *(sa.Column(m, sa.Integer, nullable=False, default=0) for m in measures),
    )


actor_rollup = _rollup_table(
    "actor_rollup",
    [sa.Column("actor", sa.Text, primary_key=True), sa.Column("side", sa.Text, primary_key=True)],
    ["articles", "mentions"],
)
term_rollup = _rollup_table(
    "term_rollup",
    [sa.Column("theme", sa.Text, primary_key=True), sa.Column("term", sa.Text, primary_key=True)],
    ["hits", "articles"],
)
pair_rollup = _rollup_table(
    "pair_rollup",
    [
        sa.Column("theme_a", sa.Text, primary_key=True),
        sa.Column("theme_b", sa.Text, primary_key=True),
    ],
    ["articles"],
)
tone_rollup = _rollup_table(
    "tone_rollup", [sa.Column("bin", sa.Integer, primary_key=True)], ["articles"], outlet=True
)
TONE_BINS = 20
"""tone_rollup counts articles in 20 bins of width 0.1 over [-1, 1]; histograms with a number
of bins dividing 20 are read from it."""
AUX_ROLLUPS = (actor_rollup, term_rollup, pair_rollup, tone_rollup)


def _initial_schema(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def _lookup_indexes(conn: Connection) -> None:
    """Dedupe by canonical URL and the demo notice look articles up by url and is_demo."""
    for name, column in (("ix_articles_url", "url"), ("ix_articles_demo", "is_demo")):
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles ({column})")


bloc_rollup = sa.Table(
    "bloc_rollup",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("bloc", sa.Text, primary_key=True),
    sa.Column("theme", sa.Text, primary_key=True),
    sa.Column("relevant", sa.Boolean, primary_key=True),
    sa.Column("articles", sa.Integer, nullable=False, default=0),
    sa.Column("tone_sum", sa.Float, nullable=False, default=0.0),
    sa.Column("tone_count", sa.Integer, nullable=False, default=0),
    sa.Index("ix_bloc_rollup_theme_day", "theme", "day"),
)
"""daily_rollup without the outlet: a third of the rows, for the reads not by or for outlet."""


def _backfill_bloc_rollup(conn: Connection) -> None:
    """Migration 5: bloc_rollup from daily_rollup."""
    bloc_rollup.create(conn, checkfirst=True)
    conn.execute(bloc_rollup.delete())
    r = daily_rollup.c
    keys = [r.day, r.bloc, r.theme, r.relevant]
    conn.execute(
        bloc_rollup.insert().from_select(
            [c.name for c in bloc_rollup.columns],
            sa.select(
                *keys, sa.func.sum(r.articles), sa.func.sum(r.tone_sum), sa.func.sum(r.tone_count)
            ).group_by(*keys),
        )
    )


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _initial_schema),
    (2, "indexes on articles.url and articles.is_demo", _lookup_indexes),
    (3, "actor, term, theme-pair and tone rollups", lambda conn: _backfill_aux_rollups(conn)),
    (4, "actor, term and pair rollups without outlet", lambda conn: _rebuild_aux_rollups(conn)),
    (5, "daily rollup per bloc (without outlet)", _backfill_bloc_rollup),
)
"""Numbered, applied in order, each recorded in schema_migrations. Never edit a released one:
append. (Migration 1 creates the current metadata, so later ones must be idempotent.)"""


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    url: str
    outlet: str
    bloc: str
    country: str
    language: str
    enabled: bool
    etag: str | None
    last_modified: str | None
    next_check_at: datetime | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_errors: int


@dataclass(frozen=True, slots=True)
class PollOutcome:
    status: int | None
    error: str | None
    etag: str | None
    last_modified: str | None
    next_check_at: datetime
    articles: Sequence[AnalyzedArticle]
    not_modified: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class SaveCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    id: int
    uid: str
    title: str
    url: str
    summary: str
    content: str
    fulltext: str
    published: datetime
    published_estimated: bool
    outlets: tuple[str, ...]
    blocs: tuple[str, ...]
    lang: str
    tone: float | None
    tone_label: str
    relevance: float
    relevant: bool
    lexicon_version: str
    analyzer_version: str
    is_demo: bool
    analysis: Analysis
    analyzed_text: str


def _utc(value: Any) -> Any:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _feed_row(row: Any) -> FeedRow:
    return FeedRow(
        id=row.id,
        url=row.url,
        outlet=row.outlet,
        bloc=row.bloc,
        country=row.country,
        language=row.language,
        enabled=bool(row.enabled),
        etag=row.etag,
        last_modified=row.last_modified,
        next_check_at=_utc(row.next_check_at),
        last_attempt_at=_utc(row.last_attempt_at),
        last_success_at=_utc(row.last_success_at),
        last_status=row.last_status,
        last_error=row.last_error,
        consecutive_errors=row.consecutive_errors,
    )


def content_hash(article: Any) -> str:
    parts = (article.title, article.summary, article.content, article.fulltext)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def evidence_json(analysis: Analysis) -> str:
    """Compact evidence for the annotated view: sentences, theme matches, actor mentions."""
    return json.dumps(
        {
            "s": [[s.field, s.start, s.end, s.tone] for s in analysis.sentences],
            "t": [[m.theme, m.term, m.field, m.start, m.end] for m in analysis.themes],
            "a": [[a.actor, a.side, a.field, a.start, a.end] for a in analysis.actors],
            "names": list(analysis.theme_names),
            "lang": analysis.lang,
        },
        separators=(",", ":"),
    )


def analysis_from_row(row: Any) -> Analysis:
    data = json.loads(row.evidence or "{}")
    return Analysis(
        tone=row.tone,
        tone_label=row.tone_label,
        sentences=tuple(SentenceTone(s, e, t, f) for f, s, e, t in data.get("s", [])),
        themes=tuple(ThemeMatch(th, te, s, e, f) for th, te, f, s, e in data.get("t", [])),
        theme_names=tuple(data.get("names", [])),
        actors=tuple(ActorMention(ac, si, s, e, f) for ac, si, f, s, e in data.get("a", [])),
        relevance=row.relevance,
        relevant=bool(row.relevant),
        lang=row.lang,
        lexicon_version=row.lexicon_version,
        analyzer_version=row.analyzer_version,
    )


# --- the gateway --------------------------------------------------------------------------------


class Store:
    """The database, opened and migrated. Writes: one transaction each. Reads: DataFrames."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = sa.engine.make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, immediate=False)
            self._writer = _sqlite_engine(url, immediate=True)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, future=True)
            self._writer = self.engine
        self._compiled: dict[tuple[str, tuple[str, ...]], Any] = {}
        """Bulk statements compiled once per store (see _bulk)."""

    @classmethod
    def open(cls, url: str | None = None) -> Store:
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

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen; returns the versions applied.

        A read first: an up-to-date database (every open after the first) costs no write lock,
        so opening the dashboard never waits for a poller's transaction."""
        wanted = {version for version, _, _ in MIGRATIONS}
        try:
            if wanted <= set(self.schema_versions()):
                return []
        except sa.exc.DBAPIError:
            pass  # no schema_migrations table yet
        with self._writer.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7275001)"))
            schema_migrations.create(conn, checkfirst=True)
            done = set(conn.execute(sa.select(schema_migrations.c.version)).scalars())
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

    def schema_versions(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(schema_migrations.c.version).order_by(schema_migrations.c.version)
                ).scalars()
            )

    # --- feeds --------------------------------------------------------------------------------

    def sync_feeds(self, configs: Sequence[FeedConfig]) -> tuple[int, int]:
        added = updated = 0
        now = datetime.now(UTC)
        with self._writer.begin() as conn:
            existing = {row.url: row for row in conn.execute(sa.select(feeds))}
            for feed in configs:
                row = existing.get(feed.url)
                values: dict[str, Any] = {
                    "outlet": feed.outlet,
                    "bloc": feed.bloc,
                    "country": feed.country,
                    "language": feed.language,
                }
                # The file can disable a feed; it never re-enables one disabled with
                # `detente feeds disable` (every poll syncs the file).
                if row is None or not feed.enabled:
                    values["enabled"] = feed.enabled
                if row is None:
                    conn.execute(
                        feeds.insert().values(
                            url=feed.url, created_at=now, next_check_at=now, **values
                        )
                    )
                    added += 1
                elif any(getattr(row, key) != value for key, value in values.items()):
                    conn.execute(feeds.update().where(feeds.c.id == row.id).values(**values))
                    updated += 1
        return added, updated

    def add_feed(self, feed: FeedConfig) -> FeedRow:
        self.sync_feeds([feed])
        row = self.get_feed(feed.url)
        assert row is not None
        return row

    def get_feed(self, url: str) -> FeedRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(feeds).where(feeds.c.url == url)).first()
        return _feed_row(row) if row else None

    def remove_feed(self, url: str) -> bool:
        with self._writer.begin() as conn:
            ids = list(conn.execute(sa.select(feeds.c.id).where(feeds.c.url == url)).scalars())
            if not ids:
                return False
            conn.execute(feed_attempts.delete().where(feed_attempts.c.feed_id.in_(ids)))
            conn.execute(feeds.delete().where(feeds.c.id.in_(ids)))
        return True

    def set_feed_enabled(self, url: str, enabled: bool) -> bool:
        with self._writer.begin() as conn:
            result = conn.execute(feeds.update().where(feeds.c.url == url).values(enabled=enabled))
        return result.rowcount > 0

    def list_feeds(self) -> list[FeedRow]:
        with self.engine.connect() as conn:
            return [
                _feed_row(r)
                for r in conn.execute(sa.select(feeds).order_by(feeds.c.outlet, feeds.c.url))
            ]

    def claim_due_feeds(
        self,
        now: datetime,
        *,
        lease: timedelta,
        include_not_due: bool = False,
        limit: int | None = None,
    ) -> list[FeedRow]:
        """Take the due feeds for this poller: no other poller gets them until the lease ends.

        A lease held by a poller on this machine that no longer runs (killed mid-round) is void
        at once, so the next run picks its feeds up instead of waiting for the lease to end.
        """
        owner = _lease_owner()
        with self.engine.connect() as conn:
            held = conn.execute(
                sa.select(feeds.c.id, feeds.c.lease_owner).where(
                    feeds.c.lease_until >= now,
                    feeds.c.lease_owner.like(f"{socket.gethostname()}:%"),
                )
            ).all()
        orphaned = [row.id for row in held if not _process_alive(row.lease_owner)]
        free = sa.or_(
            feeds.c.lease_until.is_(None), feeds.c.lease_until < now, feeds.c.id.in_(orphaned)
        )
        due = sa.and_(feeds.c.enabled.is_(True), free)
        if not include_not_due:
            due = sa.and_(
                due, sa.or_(feeds.c.next_check_at.is_(None), feeds.c.next_check_at <= now)
            )
        pick = sa.select(feeds.c.id).where(due).order_by(feeds.c.next_check_at, feeds.c.id)
        if limit is not None:
            pick = pick.limit(limit)
        if self.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        with self._writer.begin() as conn:
            ids = list(conn.execute(pick).scalars())
            if not ids:
                return []
            conn.execute(
                feeds.update()
                .where(feeds.c.id.in_(ids))
                .values(lease_until=now + lease, lease_owner=owner)
            )
            rows = conn.execute(sa.select(feeds).where(feeds.c.id.in_(ids)).order_by(feeds.c.id))
            return [_feed_row(r) for r in rows]

    def record_poll(self, feed_id: int, outcome: PollOutcome) -> SaveCounts:
        """Articles, then the feed's state and validators, then the attempt: one transaction."""
        return self.record_polls([(feed_id, outcome)])[0]

    def record_polls(self, polls: Sequence[tuple[int, PollOutcome]]) -> list[SaveCounts]:
        """Several feeds' polls in one transaction: the poller writes together what queued up
        while its previous write ran (one commit and one rollup upsert per table instead of one
        per feed). Each feed's articles, state and validators still commit together, or not."""
        with self._writer.begin() as conn:
            self._lock_articles(conn, [item for _, o in polls for item in o.articles])
            rollup = _Deltas()
            counts = [
                self._record_one(conn, feed_id, outcome, rollup) for feed_id, outcome in polls
            ]
            self._apply_rollup(conn, rollup)
        return counts

    def _record_one(
        self, conn: Connection, feed_id: int, outcome: PollOutcome, rollup: _Deltas
    ) -> SaveCounts:
        counts = self._save(conn, outcome.articles, rollup) if outcome.articles else SaveCounts()
        values: dict[str, Any] = {
            "last_attempt_at": outcome.at,
            "last_status": outcome.status,
            "next_check_at": outcome.next_check_at,
            "lease_until": None,
            "lease_owner": None,
        }
        if outcome.error is None:
            values.update(
                last_error=None,
                consecutive_errors=0,
                last_success_at=outcome.at,
                etag=outcome.etag,
                last_modified=outcome.last_modified,
            )
        else:
            values.update(
                last_error=outcome.error, consecutive_errors=feeds.c.consecutive_errors + 1
            )
        found = conn.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))
        if found.rowcount == 0:
            return counts  # the feed was removed while it was being polled
        conn.execute(
            feed_attempts.insert().values(
                feed_id=feed_id,
                at=outcome.at,
                status=outcome.status,
                error=outcome.error,
                new=counts.new,
                updated=counts.updated,
            )
        )
        return counts

    def _lock_articles(self, conn: Connection, items: Sequence[AnalyzedArticle]) -> None:
        """PostgreSQL: two pollers may bring the same article at once. Serialise on its uid,
        for every article of the transaction at once and in sorted order, so that two
        transactions never wait on each other in opposite orders. (SQLite: BEGIN IMMEDIATE
        already made this transaction the only writer.)"""
        if self.dialect != "postgresql" or not items:
            return
        keys = sorted({_lock_key(item.article.uid) for item in items})
        conn.execute(
            sa.text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(:keys) AS k"),
            {"keys": keys},
        )

    # --- articles -----------------------------------------------------------------------------

    def save_articles(self, items: Sequence[AnalyzedArticle]) -> SaveCounts:
        with self._writer.begin() as conn:
            self._lock_articles(conn, items)
            rollup = _Deltas()
            counts = self._save(conn, items, rollup)
            self._apply_rollup(conn, rollup)
            return counts

    def _save(
        self, conn: Connection, items: Sequence[AnalyzedArticle], rollup: _Deltas
    ) -> SaveCounts:
        """Insert new articles, rewrite changed ones, remember extra outlets; what this changes
        in the rollups is added to `rollup` (the caller applies it once per transaction, after
        taking the articles' locks with _lock_articles)."""
        by_uid: dict[str, AnalyzedArticle] = {}
        for item in items:
            by_uid.setdefault(item.article.uid, item)
        if not by_uid:
            return SaveCounts()
        existing = self._existing(conn, by_uid)
        fresh: list[AnalyzedArticle] = []
        changed: list[tuple[int, AnalyzedArticle]] = []
        outlet_rows: list[dict[str, Any]] = []  # every outlet that brought each article
        unchanged = 0
        for uid, item in by_uid.items():
            row = existing.get(uid)
            if row is None:
                fresh.append(item)
                continue
            outlet_rows.append(_outlet_row(row.id, item))
            same_source = row.feed_url == item.article.feed_url
            if same_source and (
                row.content_hash != content_hash(item.article)
                or row.lexicon_version != item.analysis.lexicon_version
                or row.analyzer_version != item.analysis.analyzer_version
            ):
                changed.append((row.id, item))
            else:
                unchanged += 1
        if fresh:
            ids = self._allocate_ids(conn, len(fresh))
            counted = [_counts(item.analysis) for item in fresh]
            self._bulk(
                conn,
                "insert articles",
                articles.insert,
                [{"id": i, **_article_row(item)} for i, item in zip(ids, fresh, strict=True)],
            )
            self._write_children(conn, list(zip(ids, counted, strict=True)))
            outlet_rows += [_outlet_row(i, item) for i, item in zip(ids, fresh, strict=True)]
            for item, counts in zip(fresh, counted, strict=True):
                rollup.add(_footprint(item, counts), +1)
        if changed:
            self._drop_evidence(conn, [article_id for article_id, _ in changed], rollup)
            rewritten = []
            for article_id, item in changed:
                counts = _counts(item.analysis)
                conn.execute(
                    articles.update()
                    .where(articles.c.id == article_id)
                    .values(**_article_row(item))
                )
                rollup.add(_footprint(item, counts), +1)
                rewritten.append((article_id, counts))
            self._write_children(conn, rewritten)
        if outlet_rows:
            self._bulk(
                conn,
                "ignore article_outlets",
                lambda: self._insert_ignore(article_outlets),
                outlet_rows,
            )
        return SaveCounts(new=len(fresh), updated=len(changed), unchanged=unchanged)

    def _existing(self, conn: Connection, by_uid: dict[str, AnalyzedArticle]) -> dict[str, Any]:
        """Stored articles for these uids; an article stored under another uid but the same
        canonical URL (two feeds, two GUIDs) counts as the same article."""
        columns = (
            articles.c.id,
            articles.c.uid,
            articles.c.url,
            articles.c.content_hash,
            articles.c.feed_url,
            articles.c.lexicon_version,
            articles.c.analyzer_version,
        )
        found: dict[str, Any] = {}
        uids = list(by_uid)
        for chunk in _chunks(uids, 500):
            for row in conn.execute(sa.select(*columns).where(articles.c.uid.in_(chunk))):
                found[row.uid] = row
        by_url = {
            item.article.url: uid
            for uid, item in by_uid.items()
            if uid not in found and item.article.url
        }
        for chunk in _chunks(list(by_url), 500):
            for row in conn.execute(sa.select(*columns).where(articles.c.url.in_(chunk))):
                if row.url in by_url:
                    found[by_url.pop(row.url)] = row
        return found

    def _allocate_ids(self, conn: Connection, n: int) -> list[int]:
        """Ids for new articles, so children can be bulk-inserted without RETURNING per row.

        SQLite: we hold the write lock (BEGIN IMMEDIATE), so max(id) is ours. PostgreSQL: the
        sequence hands out ids no other transaction will get."""
        if self.dialect == "postgresql":
            return list(
                conn.execute(
                    sa.text(
                        "SELECT nextval(pg_get_serial_sequence('articles', 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"n": n},
                ).scalars()
            )
        top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.id), 0))).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + n))

    def _write_children(self, conn: Connection, rows: list[tuple[int, _Counted]]) -> None:
        """The themes, terms and actors of new or rewritten articles, from their counts (the
        same counts that went into the rollup)."""
        themes: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        actors: list[dict[str, Any]] = []
        for article_id, counted in rows:
            themes.extend(
                {"article_id": article_id, "theme": theme, "hits": hits, "in_title": in_title}
                for theme, hits, in_title in counted.themes
            )
            terms.extend(
                {"article_id": article_id, "theme": theme, "term": term, "hits": n}
                for theme, term, n in counted.terms
            )
            actors.extend(
                {"article_id": article_id, "actor": actor, "side": side, "mentions": n}
                for actor, side, n in counted.actors
            )
        for table, values in (
            (article_themes, themes),
            (article_terms, terms),
            (article_actors, actors),
        ):
            if values:
                self._bulk(
                    conn, f"ignore {table.name}", partial(self._insert_ignore, table), values
                )

    def _drop_evidence(
        self, conn: Connection, ids: list[int], rollup: _Deltas
    ) -> dict[int, _Footprint]:
        """Before stored articles are read anew: take what they added out of the rollups and
        delete their themes, terms and actors. Returns what they had added."""
        old = self._footprints(conn, ids)
        for footprint in old.values():
            rollup.add(footprint, -1)
        for table in (article_themes, article_terms, article_actors):
            conn.execute(table.delete().where(table.c.article_id.in_(ids)))
        return old

    def _footprints(self, conn: Connection, ids: list[int]) -> dict[int, _Footprint]:
        """What these stored articles contribute to the rollups (to take it out again)."""
        themes: defaultdict[int, list[str]] = defaultdict(list)
        terms: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
        actors: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
        found: dict[int, _Footprint] = {}
        for chunk in _chunks(ids, 500):
            t, m, x = article_themes.c, article_terms.c, article_actors.c
            for row in conn.execute(
                sa.select(t.article_id, t.theme).where(t.article_id.in_(chunk))
            ):
                themes[row.article_id].append(row.theme)
            for term_row in conn.execute(
                sa.select(m.article_id, m.theme, m.term, m.hits).where(m.article_id.in_(chunk))
            ):
                terms[term_row.article_id].append((term_row.theme, term_row.term, term_row.hits))
            for actor_row in conn.execute(
                sa.select(x.article_id, x.actor, x.side, x.mentions).where(x.article_id.in_(chunk))
            ):
                actors[actor_row.article_id].append(
                    (actor_row.actor, actor_row.side, actor_row.mentions)
                )
            a = articles.c
            for r in conn.execute(
                sa.select(a.id, a.published_day, a.outlet, a.bloc, a.relevant, a.tone).where(
                    a.id.in_(chunk)
                )
            ):
                found[r.id] = _Footprint(
                    _day(r.published_day) or date.min, r.outlet, r.bloc, bool(r.relevant),
                    r.tone, tuple(themes[r.id]), tuple(terms[r.id]), tuple(actors[r.id]),
                )  # fmt: skip
        return found

    def _apply_rollup(self, conn: Connection, deltas: _Deltas) -> None:
        """Add the deltas to every rollup table (insert or add), in key order so that two
        PostgreSQL transactions never lock the same rows in opposite orders."""
        for table, cells in deltas.tables():
            names = [c.name for c in table.columns]
            measures = [c.name for c in table.columns if not c.primary_key]
            keys = [c.name for c in table.columns if c.primary_key]
            values = [
                dict(zip(names, (*key, *cell), strict=True))
                for key, cell in sorted(cells.items())
                if any(cell)
            ]
            if not values:
                continue
            self._bulk(
                conn, f"rollup {table.name}", partial(self._add_to, table, keys, measures), values
            )

    def _add_to(self, table: sa.Table, keys: list[str], measures: list[str]) -> Any:
        """INSERT … ON CONFLICT (keys) DO UPDATE adding the measures: a rollup upsert."""
        insert = self._insert_dialect()(table)
        return insert.on_conflict_do_update(
            index_elements=keys,
            set_={m: table.c[m] + getattr(insert.excluded, m) for m in measures},
        )

    def _bulk(
        self, conn: Connection, key: str, statement: Callable[[], Any], rows: list[dict[str, Any]]
    ) -> None:
        """executemany straight to the driver: SQLAlchemy's per-row parameter processing costs
        more than SQLite's insert itself. Values go through each column type's bind processor,
        so what is stored is exactly what `conn.execute(statement, rows)` would store. `key`
        names the statement, built by `statement()` and compiled only the first time (building and
        compiling cost more than inserting)."""
        if not rows:
            return
        names = list(rows[0])
        cache_key = (key, tuple(names))
        prepared = self._compiled.get(cache_key)
        if prepared is None:
            prepared = self._compiled[cache_key] = self._prepare(conn, statement(), names)
        sql, order, processors, positional = prepared
        params: list[Any]
        if positional:
            getter = operator.itemgetter(*order)
            tuples = (
                [getter(row) for row in rows] if len(order) > 1 else [(r[order[0]],) for r in rows]
            )
            if processors:
                params = []
                for values in tuples:
                    listed = list(values)
                    for index, proc in processors:
                        listed[index] = proc(listed[index])
                    params.append(tuple(listed))
            else:
                params = tuples
        else:
            params = []
            for row in rows:
                copied = dict(row)
                for index, proc in processors:
                    copied[order[index]] = proc(copied[order[index]])
                params.append(copied)
        conn.exec_driver_sql(sql, params)

    @staticmethod
    def _prepare(
        conn: Connection, statement: Any, names: list[str]
    ) -> tuple[str, list[str], list[tuple[int, Any]], bool]:
        """A bulk statement compiled for these column names: SQL, parameter order, the bind
        processors that apply, and whether parameters are positional."""
        table = statement.table
        compiled = statement.values({name: sa.bindparam(name) for name in names}).compile(
            dialect=conn.dialect
        )
        positional = compiled.positiontup is not None
        order = list(compiled.positiontup) if positional else names
        processors = [
            (index, proc)
            for index, name in enumerate(order)
            if (proc := table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))
        ]
        return compiled.string, order, processors, positional

    def _insert_dialect(self) -> Any:
        return postgresql.insert if self.dialect == "postgresql" else sqlite.insert

    def _insert_ignore(self, table: sa.Table) -> Any:
        return self._insert_dialect()(table).on_conflict_do_nothing()

    def count_articles(self) -> int:
        """Every stored article, from the rollup (a count(*) reads the whole table at 1M)."""
        b = bloc_rollup.c
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(b.articles), 0)).where(b.theme == ALL)
                ).scalar_one()
            )

    def has_demo_data(self) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(articles.c.id).where(articles.c.is_demo.is_(True)).limit(1)
            )
            return found.first() is not None

    def iter_articles_for_retag(self, batch: int = 500) -> Iterator[list[tuple[int, str, str]]]:
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(
                        articles.c.id,
                        articles.c.title,
                        articles.c.analyzed_text,
                        articles.c.content,
                    )
                    .where(articles.c.id > last)
                    .order_by(articles.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1].id
            yield [(r.id, r.title, _analyzed_text(r)) for r in rows]

    def update_analyses(self, rows: Sequence[tuple[int, Analysis]]) -> int:
        """Replace the analysis of stored articles (after a lexicon edit), rollup included."""
        if not rows:
            return 0
        ids = [article_id for article_id, _ in rows]
        with self._writer.begin() as conn:
            rollup = _Deltas()
            old = self._drop_evidence(conn, ids, rollup)
            rewritten = []
            for article_id, analysis in rows:
                counts = _counts(analysis)
                conn.execute(
                    articles.update()
                    .where(articles.c.id == article_id)
                    .values(**_analysis_values(analysis))
                )
                was = old[article_id]
                rollup.add(_footprint_of(analysis, was.day, was.outlet, was.bloc, counts), +1)
                rewritten.append((article_id, counts))
            self._write_children(conn, rewritten)
            self._apply_rollup(conn, rollup)
        return len(rows)

    # --- reads: filters -------------------------------------------------------------------------

    def _rollup_themed_ok(self, f: Filters) -> bool:
        """Can the rollup's per-theme rows answer (any number of selected themes)?"""
        return not f.actors and not f.query.strip() and _full_tone(f)

    def _rollup_ok(self, f: Filters) -> bool:
        return not f.actors and not f.query.strip() and len(f.themes) <= 1 and _full_tone(f)

    def _daily_table(self, f: Filters, by: str = "bloc") -> sa.Table:
        """bloc_rollup (a third of the rows) unless the read is by or for outlets."""
        return daily_rollup if f.outlets or by == "outlet" else bloc_rollup

    def _plain_rollup_ok(self, f: Filters, table: sa.Table) -> bool:
        """Can this rollup without a theme key answer (no theme, actor, query or tone filter;
        no outlet filter unless it has outlets)?"""
        outlets_ok = not f.outlets or "outlet" in table.c
        return outlets_ok and not f.themes and self._rollup_themed_ok(f)

    def _rollup_where(
        self, f: Filters, theme: str | None = ALL, *, table: sa.Table = daily_rollup
    ) -> list[Any]:
        r = table.c
        where: list[Any] = []
        if theme is not None:
            where.append(r.theme == (f.themes[0] if f.themes else theme))
        if f.date_from:
            where.append(r.day >= f.date_from)
        if f.date_to:
            where.append(r.day <= f.date_to)
        if f.outlets:
            where.append(r.outlet.in_(f.outlets))  # callers check the table has outlets
        if f.blocs:
            where.append(r.bloc.in_(f.blocs))
        if f.relevant_only:
            where.append(r.relevant.is_(True))
        return where

    def _article_where(self, f: Filters, *, relevant: bool | None = None) -> list[Any]:
        a = articles.c
        where: list[Any] = []
        if f.date_from:
            where.append(a.published_day >= f.date_from)
        if f.date_to:
            where.append(a.published_day <= f.date_to)
        if f.outlets:
            where.append(a.outlet.in_(f.outlets))
        if f.blocs:
            where.append(a.bloc.in_(f.blocs))
        if f.themes:
            tagged = article_themes.alias("tagged")  # an alias: reads join article_themes too
            where.append(
                sa.exists().where(tagged.c.article_id == a.id, tagged.c.theme.in_(f.themes))
            )
        if f.actors:
            named = article_actors.alias("named")
            where.append(sa.exists().where(named.c.article_id == a.id, named.c.actor.in_(f.actors)))
        if not _full_tone(f):
            where.append(a.tone.between(f.tone_min, f.tone_max))
        query = f.query.strip()
        if query:
            pattern = (
                "%"
                + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            where.append(
                sa.or_(
                    sa.func.lower(a.title).like(pattern, escape="\\"),
                    sa.func.lower(a.summary).like(pattern, escape="\\"),
                )
            )
        if relevant if relevant is not None else f.relevant_only:
            where.append(a.relevant.is_(True))
        return where

    def _frame(self, statement: Any, columns: list[str]) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        if "day" in frame:
            frame["day"] = frame["day"].map(_day)
        return frame

    # --- reads: figures and series ----------------------------------------------------------------

    def filter_options(self) -> dict[str, Any]:
        """Everything the sidebar can offer. Each list is read by skipping along an index
        (one seek per distinct value), so it costs the same at 1M articles as at 1k."""
        a = articles.c
        with self.engine.connect() as conn:
            outlets_ = set(_distinct(conn, "articles", "outlet"))
            outlets_ |= set(conn.execute(sa.select(feeds.c.outlet).distinct()).scalars())
            low = conn.execute(sa.select(sa.func.min(a.published_day))).scalar()
            high = conn.execute(sa.select(sa.func.max(a.published_day))).scalar()
            return {
                "outlets": sorted(outlets_),
                "blocs": _distinct(conn, "articles", "bloc"),
                "themes": _distinct(conn, "article_themes", "theme"),
                "actors": _distinct(conn, "article_actors", "actor"),
                "date_min": _day(low),
                "date_max": _day(high),
            }

    def overview_figures(self, f: Filters) -> dict[str, Any]:
        everything = Filters(**{**_as_dict(f), "relevant_only": False})
        if self._rollup_ok(f):
            r = daily_rollup.c
            statement = sa.select(
                sa.func.coalesce(sa.func.sum(r.articles), 0),
                sa.func.coalesce(
                    sa.func.sum(sa.case((r.relevant.is_(True), r.articles), else_=0)), 0
                ),
            ).where(*self._rollup_where(everything), r.articles > 0)
            with self.engine.connect() as conn:
                total, relevant = conn.execute(statement).one()
                relevant_tone = conn.execute(
                    sa.select(
                        sa.func.sum(r.tone_sum),
                        sa.func.sum(r.tone_count),
                        sa.func.count(sa.distinct(r.outlet)),
                    ).where(*self._rollup_where(f), r.articles > 0)
                ).one()
            shown_tone_sum, shown_tone_n, outlets_ = relevant_tone
        else:
            a = articles.c
            statement = sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(sa.case((a.relevant.is_(True), 1), else_=0)), 0),
            ).where(*self._article_where(everything))
            shown = sa.select(
                sa.func.sum(a.tone), sa.func.count(a.tone), sa.func.count(sa.distinct(a.outlet))
            ).where(*self._article_where(f))
            with self.engine.connect() as conn:
                total, relevant = conn.execute(statement).one()
                shown_tone_sum, shown_tone_n, outlets_ = conn.execute(shown).one()
        shown_articles = relevant if f.relevant_only else total
        with self.engine.connect() as conn:
            last_poll, failing, feed_count = conn.execute(
                sa.select(
                    sa.func.max(feeds.c.last_attempt_at),
                    sa.func.coalesce(
                        sa.func.sum(sa.case((feeds.c.consecutive_errors > 0, 1), else_=0)), 0
                    ),
                    sa.func.count(feeds.c.id),
                )
            ).one()
            demo = conn.execute(
                sa.select(articles.c.id).where(articles.c.is_demo.is_(True)).limit(1)
            ).first()
        return {
            "articles": int(shown_articles or 0),
            "all_articles": int(total or 0),
            "relevant_share": (relevant / total) if total else 0.0,
            "mean_tone": (shown_tone_sum / shown_tone_n) if shown_tone_n else None,
            "active_outlets": int(outlets_ or 0),
            "last_poll": _utc(last_poll),
            "failing_feeds": int(failing or 0),
            "feeds": int(feed_count or 0),
            "demo": demo is not None,
        }

    def volume_by_day(
        self, f: Filters, by: Literal["bloc", "theme", "outlet", "total"]
    ) -> pd.DataFrame:
        """Articles per day and key, with the day's total under the same filters."""
        if by == "theme":
            frame = self._theme_series(f, value="articles")
        elif self._rollup_ok(f):
            table = self._daily_table(f, by)
            r = table.c
            key = sa.literal("all") if by == "total" else getattr(r, by)
            statement = (
                sa.select(r.day, key.label("key"), sa.func.sum(r.articles))
                .where(*self._rollup_where(f, table=table))
                .group_by(r.day, key)
                .order_by(r.day)
            )
            frame = self._frame(statement, ["day", "key", "articles"])
        else:
            a = articles.c
            key = sa.literal("all") if by == "total" else getattr(a, by)
            statement = (
                sa.select(a.published_day, key.label("key"), sa.func.count())
                .where(*self._article_where(f))
                .group_by(a.published_day, key)
                .order_by(a.published_day)
            )
            frame = self._frame(statement, ["day", "key", "articles"])
        totals = self._day_totals(f)
        frame = frame[frame["articles"] > 0] if len(frame) else frame
        return frame.merge(totals, on="day", how="left") if len(frame) else frame.assign(total=[])

    def _day_totals(self, f: Filters) -> pd.DataFrame:
        if self._rollup_ok(f):
            table = self._daily_table(f)
            r = table.c
            statement = (
                sa.select(r.day, sa.func.sum(r.articles))
                .where(*self._rollup_where(f, table=table))
                .group_by(r.day)
            )
        else:
            a = articles.c
            statement = (
                sa.select(a.published_day, sa.func.count())
                .where(*self._article_where(f))
                .group_by(a.published_day)
            )
        return self._frame(statement, ["day", "total"])

    def _theme_series(
        self, f: Filters, *, value: Literal["articles", "tone"], by_bloc: bool = False
    ) -> pd.DataFrame:
        """Per day and theme (and bloc): articles, or mean tone. A theme filter shows only the
        selected themes, so the rollup's theme rows answer it exactly."""
        if self._rollup_themed_ok(f):
            table = self._daily_table(f)
            r = table.c
            keys = [r.day, r.theme] + ([r.bloc] if by_bloc else [])
            measures: list[Any] = (
                [sa.func.sum(r.articles)]
                if value == "articles"
                else [
                    sa.func.sum(r.tone_sum) / sa.func.nullif(sa.func.sum(r.tone_count), 0),
                    sa.func.sum(r.tone_count),
                ]
            )
            statement = (
                sa.select(*keys, *measures)
                .where(
                    *self._rollup_where(f, theme=None, table=table),
                    r.theme != ALL,
                    *([r.theme.in_(f.themes)] if f.themes else []),
                )
                .group_by(*keys)
                .order_by(r.day)
            )
        else:
            a, t = articles.c, article_themes.c
            keys = [a.published_day, t.theme] + ([a.bloc] if by_bloc else [])
            measures = (
                [sa.func.count()]
                if value == "articles"
                else [sa.func.avg(a.tone), sa.func.count(a.tone)]
            )
            where = self._article_where(f)
            if f.themes:
                where.append(t.theme.in_(f.themes))
            statement = (
                sa.select(*keys, *measures)
                .select_from(articles.join(article_themes, t.article_id == a.id))
                .where(*where)
                .group_by(*keys)
                .order_by(a.published_day)
            )
        columns = ["day", "key"] + (["bloc"] if by_bloc else [])
        columns += ["articles"] if value == "articles" else ["mean_tone", "articles"]
        frame = self._frame(statement, columns)
        if value == "tone" and len(frame):
            frame = frame[frame["articles"] > 0].dropna(subset=["mean_tone"])
        return frame

    def tone_by_day(self, f: Filters, by: Literal["bloc", "theme", "outlet"]) -> pd.DataFrame:
        if by == "theme":
            return self._theme_series(f, value="tone")
        if self._rollup_ok(f):
            table = self._daily_table(f, by)
            r = table.c
            key = getattr(r, by)
            statement = (
                sa.select(
                    r.day,
                    key,
                    sa.func.sum(r.tone_sum) / sa.func.nullif(sa.func.sum(r.tone_count), 0),
                    sa.func.sum(r.tone_count),
                )
                .where(*self._rollup_where(f, table=table))
                .group_by(r.day, key)
                .order_by(r.day)
            )
        else:
            a = articles.c
            key = getattr(a, by)
            statement = (
                sa.select(a.published_day, key, sa.func.avg(a.tone), sa.func.count(a.tone))
                .where(*self._article_where(f))
                .group_by(a.published_day, key)
                .order_by(a.published_day)
            )
        frame = self._frame(statement, ["day", "key", "mean_tone", "articles"])
        return frame[frame["articles"] > 0].dropna(subset=["mean_tone"]) if len(frame) else frame

    def theme_tone_by_bloc_day(self, f: Filters) -> pd.DataFrame:
        """The framing gap: per day, theme and bloc, the mean tone."""
        return self._theme_series(f, value="tone", by_bloc=True)

    def _theme_by(self, f: Filters, by: Literal["bloc", "outlet"]) -> pd.DataFrame:
        if self._rollup_ok(f):  # one selected theme: its rows are both the rows and the totals
            table = self._daily_table(f, by)
            r = table.c
            key = getattr(r, by)
            themed = self._frame(
                sa.select(key, r.theme, sa.func.sum(r.articles))
                .where(
                    *self._rollup_where(f, theme=None, table=table),
                    r.theme != ALL,
                    *([r.theme.in_(f.themes)] if f.themes else []),
                )
                .group_by(key, r.theme),
                [by, "theme", "articles"],
            )
            totals = self._frame(
                sa.select(key, sa.func.sum(r.articles))
                .where(*self._rollup_where(f, table=table))
                .group_by(key),
                [by, f"{by}_articles"],
            )
        else:
            a, t = articles.c, article_themes.c
            key = getattr(a, by)
            where = self._article_where(f)
            themed = self._frame(
                sa.select(key, t.theme, sa.func.count())
                .select_from(articles.join(article_themes, t.article_id == a.id))
                .where(*where, *([t.theme.in_(f.themes)] if f.themes else []))
                .group_by(key, t.theme),
                [by, "theme", "articles"],
            )
            totals = self._frame(
                sa.select(key, sa.func.count()).where(*where).group_by(key), [by, f"{by}_articles"]
            )
        frame = themed.merge(totals, on=by, how="left")
        frame = frame[frame["articles"] > 0] if len(frame) else frame
        frame["share"] = frame["articles"] / frame[f"{by}_articles"].where(
            frame[f"{by}_articles"] > 0
        )
        return frame.reset_index(drop=True)

    def theme_by_bloc(self, f: Filters) -> pd.DataFrame:
        return self._theme_by(f, "bloc")

    def theme_by_outlet(self, f: Filters) -> pd.DataFrame:
        frame = self._theme_by(f, "outlet")
        r = daily_rollup.c
        blocs = (
            self._frame(
                sa.select(r.outlet, sa.func.min(r.bloc))
                .where(r.theme == ALL, *([r.outlet.in_(f.outlets)] if f.outlets else []))
                .group_by(r.outlet),
                ["outlet", "bloc"],
            )
            if len(frame)
            else pd.DataFrame(columns=["outlet", "bloc"])
        )
        return frame.merge(blocs, on="outlet", how="left")

    def theme_cooccurrence(self, f: Filters) -> pd.DataFrame:
        """Pairs of themes tagged on the same article (theme_a < theme_b)."""
        if self._plain_rollup_ok(f, pair_rollup):
            p = pair_rollup.c
            statement = (
                sa.select(p.theme_a, p.theme_b, sa.func.sum(p.articles))
                .where(*self._rollup_where(f, theme=None, table=pair_rollup))
                .group_by(p.theme_a, p.theme_b)
                .having(sa.func.sum(p.articles) > 0)
                .order_by(p.theme_a, p.theme_b)
            )
        else:
            one, two, a = article_themes.alias("one"), article_themes.alias("two"), articles.c
            statement = (
                sa.select(one.c.theme, two.c.theme, sa.func.count())
                .select_from(
                    articles.join(one, one.c.article_id == a.id).join(
                        two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                    )
                )
                .where(*self._article_where(f))
                .group_by(one.c.theme, two.c.theme)
                .order_by(one.c.theme, two.c.theme)
            )
        return self._frame(statement, ["theme_a", "theme_b", "articles"])

    def top_terms(self, f: Filters, limit_per_theme: int = 10) -> pd.DataFrame:
        """The terms that tagged each theme most (hits), with the articles they appear in."""
        if self._rollup_themed_ok(f) and not f.outlets:
            t = term_rollup.c
            where = self._rollup_where(f, theme=None, table=term_rollup)
            source: Any = term_rollup
            measures: list[Any] = [sa.func.sum(t.hits), sa.func.sum(t.articles)]
        else:
            t = article_terms.c
            where = self._article_where(f)
            source = articles.join(article_terms, t.article_id == articles.c.id)
            measures = [sa.func.sum(t.hits), sa.func.count()]
        if f.themes:
            where.append(t.theme.in_(f.themes))
        statement = (
            sa.select(t.theme, t.term, *measures)
            .select_from(source)
            .where(*where)
            .group_by(t.theme, t.term)
        )
        frame = self._frame(statement, ["theme", "term", "hits", "articles"])
        if not len(frame):
            return frame
        frame = frame[frame["articles"] > 0]
        frame = frame.sort_values(["theme", "hits", "term"], ascending=[True, False, True])
        return frame.groupby("theme", sort=True).head(limit_per_theme).reset_index(drop=True)

    def top_actors(self, f: Filters, limit: int = 15) -> pd.DataFrame:
        """The actors mentioned in the most articles."""
        if self._plain_rollup_ok(f, actor_rollup):
            x = actor_rollup.c
            articles_n: Any = sa.func.sum(x.articles)
            mentions: Any = sa.func.sum(x.mentions)
            statement = (
                sa.select(x.actor, x.side, articles_n, mentions)
                .where(*self._rollup_where(f, theme=None, table=actor_rollup))
                .group_by(x.actor, x.side)
                .having(articles_n > 0)
            )
        else:
            a, c = articles.c, article_actors.c
            articles_n, mentions = sa.func.count(), sa.func.sum(c.mentions)
            statement = (
                sa.select(c.actor, c.side, articles_n, mentions)
                .select_from(articles.join(article_actors, c.article_id == a.id))
                .where(*self._article_where(f))
                .group_by(c.actor, c.side)
            )
        statement = statement.order_by(articles_n.desc(), statement.selected_columns[0]).limit(
            limit
        )
        return self._frame(statement, ["actor", "side", "articles", "mentions"])

    def tone_histogram(
        self, f: Filters, by: Literal["outlet", "bloc"] = "outlet", bins: int = 20
    ) -> pd.DataFrame:
        """Articles per tone bin (of width 2/bins over [-1, 1]) per outlet or bloc; null tone
        (non-English) is left out."""
        width = 2.0 / bins
        if self._plain_rollup_ok(f, tone_rollup) and TONE_BINS % bins == 0:
            h = tone_rollup.c
            key = getattr(h, by)
            bucket: Any = h.bin
            if bins != TONE_BINS:
                bucket = _floor(h.bin / float(TONE_BINS // bins), self.dialect)
            statement = (
                sa.select(key, bucket, sa.func.sum(h.articles))
                .where(*self._rollup_where(f, theme=None, table=tone_rollup))
                .group_by(key, bucket)
            )
        else:
            a = articles.c
            raw = _floor((a.tone + 1.0) * (bins / 2.0), self.dialect)
            bucket = sa.case((raw >= bins, bins - 1), else_=raw)
            key = getattr(a, by)
            statement = (
                sa.select(key, bucket, sa.func.count())
                .where(*self._article_where(f), a.tone.is_not(None))
                .group_by(key, bucket)
            )
        frame = self._frame(statement, ["key", "bin", "articles"])
        frame = frame[frame["articles"] > 0]
        frame["bin_start"] = (-1.0 + frame["bin"].astype(float) * width).round(6)
        frame["bin_end"] = (frame["bin_start"] + width).round(6)
        return (
            frame[["key", "bin_start", "bin_end", "articles"]]
            .sort_values(["key", "bin_start"])
            .reset_index(drop=True)
        )

    # --- reads: articles ------------------------------------------------------------------------

    SORTABLE = ("published", "tone", "relevance", "outlet", "title")

    def list_articles(
        self,
        f: Filters,
        *,
        limit: int = 200,
        offset: int = 0,
        sort: str = "published",
        descending: bool = True,
    ) -> pd.DataFrame:
        a = articles.c
        column = {
            "published": a.published_at,
            "tone": a.tone,
            "relevance": a.relevance,
            "outlet": a.outlet,
            "title": a.title,
        }.get(sort, a.published_at)
        order = (column.desc() if descending else column.asc()).nulls_last()
        statement = (
            sa.select(
                a.id,
                a.published_at,
                a.outlet,
                a.bloc,
                a.title,
                a.theme_list,
                a.actor_list,
                a.tone,
                a.tone_label,
                a.relevance,
                a.lang,
                a.url,
            )
            .where(*self._article_where(f))
            .order_by(order, a.id.desc())
            .limit(limit)
            .offset(offset)
        )
        frame = self._frame(
            statement,
            [
                "id",
                "published",
                "outlet",
                "bloc",
                "title",
                "themes",
                "actors",
                "tone",
                "tone_label",
                "relevance",
                "lang",
                "url",
            ],
        )
        if len(frame):
            frame["published"] = frame["published"].map(_utc)
            extra = self._other_outlets([int(i) for i in frame["id"]])
            outlets_, blocs_ = [], []
            for article_id, outlet, bloc in zip(
                frame["id"], frame["outlet"], frame["bloc"], strict=True
            ):
                others = extra.get(int(article_id), [])
                outlets_.append(", ".join([outlet] + [o for o, _ in others if o != outlet]))
                blocs_.append(", ".join(dict.fromkeys([bloc] + [b for _, b in others])))
            frame["outlets"] = outlets_
            frame["blocs"] = blocs_
        else:
            frame["outlets"] = []
            frame["blocs"] = []
        return frame

    def _other_outlets(self, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """Every outlet (and its bloc) that carried each article, primary or not."""
        found: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
        if not ids:
            return found
        with self.engine.connect() as conn:
            for chunk in _chunks(ids, 500):
                rows = conn.execute(
                    sa.select(
                        article_outlets.c.article_id,
                        article_outlets.c.outlet,
                        article_outlets.c.bloc,
                    )
                    .where(article_outlets.c.article_id.in_(chunk))
                    .order_by(article_outlets.c.outlet)
                )
                for row in rows:
                    found[row.article_id].append((row.outlet, row.bloc))
        return found

    def count_matching(self, f: Filters) -> int:
        """How many articles the filters match (from the rollup when it can answer)."""
        if self._rollup_ok(f):
            table = self._daily_table(f)
            statement = sa.select(sa.func.coalesce(sa.func.sum(table.c.articles), 0)).where(
                *self._rollup_where(f, table=table)
            )
        else:
            statement = (
                sa.select(sa.func.count()).select_from(articles).where(*self._article_where(f))
            )
        with self.engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())

    def get_article(self, article_id: int) -> ArticleDetail | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
            if row is None:
                return None
            others = conn.execute(
                sa.select(article_outlets.c.outlet, article_outlets.c.bloc)
                .where(article_outlets.c.article_id == article_id)
                .order_by(article_outlets.c.outlet)
            ).all()
        outlets_ = [row.outlet] + [o.outlet for o in others if o.outlet != row.outlet]
        blocs = list(dict.fromkeys([row.bloc] + [o.bloc for o in others]))
        return ArticleDetail(
            id=row.id,
            uid=row.uid,
            title=row.title,
            url=row.url,
            summary=row.summary,
            content=row.content,
            fulltext=row.fulltext,
            published=_utc(row.published_at),
            published_estimated=bool(row.published_estimated),
            outlets=tuple(outlets_),
            blocs=tuple(blocs),
            lang=row.lang,
            tone=row.tone,
            tone_label=row.tone_label,
            relevance=row.relevance,
            relevant=bool(row.relevant),
            lexicon_version=row.lexicon_version,
            analyzer_version=row.analyzer_version,
            is_demo=bool(row.is_demo),
            analysis=analysis_from_row(row),
            analyzed_text=_analyzed_text(row),
        )

    EXPORT_COLUMNS = (
        "id", "published", "title", "outlets", "blocs", "themes", "actors", "tone",
        "tone_label", "relevance", "relevant", "lang", "url", "lexicon_version",
        "analyzer_version",
    )  # fmt: skip

    def export_articles(self, f: Filters) -> pd.DataFrame:
        """Every matching article, newest first, one row each (see iter_export_articles)."""
        frames = list(self.iter_export_articles(f))
        if not frames:
            return pd.DataFrame(columns=list(self.EXPORT_COLUMNS))
        return pd.concat(frames, ignore_index=True)

    def iter_export_articles(self, f: Filters, chunk: int = 5000) -> Iterator[pd.DataFrame]:
        """Every matching article, newest first, in chunks: memory stays bounded at any size.

        Keyset pagination on (published_at, id), so chunk k costs the same as chunk 1."""
        a = articles.c
        after: tuple[Any, int] | None = None
        while True:
            where = self._article_where(f)
            if after is not None:
                where.append(
                    sa.or_(
                        a.published_at < after[0],
                        sa.and_(a.published_at == after[0], a.id < after[1]),
                    )
                )
            statement = (
                sa.select(
                    a.id,
                    a.published_at,
                    a.title,
                    a.outlet,
                    a.bloc,
                    a.theme_list,
                    a.actor_list,
                    a.tone,
                    a.tone_label,
                    a.relevance,
                    a.relevant,
                    a.lang,
                    a.url,
                    a.lexicon_version,
                    a.analyzer_version,
                )
                .where(*where)
                .order_by(a.published_at.desc(), a.id.desc())
                .limit(chunk)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(statement).all()
            if not rows:
                return
            after = (rows[-1].published_at, rows[-1].id)
            extra = self._other_outlets([r.id for r in rows])
            records = []
            for r in rows:
                others = extra.get(r.id, [])
                records.append(
                    (
                        r.id,
                        _utc(r.published_at),
                        r.title,
                        ", ".join([r.outlet] + [o for o, _ in others if o != r.outlet]),
                        ", ".join(dict.fromkeys([r.bloc] + [b for _, b in others])),
                        r.theme_list,
                        r.actor_list,
                        r.tone,
                        r.tone_label,
                        r.relevance,
                        bool(r.relevant),
                        r.lang,
                        r.url,
                        r.lexicon_version,
                        r.analyzer_version,
                    )
                )
            yield pd.DataFrame(records, columns=list(self.EXPORT_COLUMNS))
            if len(rows) < chunk:
                return

    def analysis_versions(self) -> tuple[str, str]:
        """The lexicon and analyzer versions of the stored articles ('; '-joined when mixed)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(articles.c.lexicon_version, articles.c.analyzer_version).distinct()
            ).all()
        lexicons = sorted({r.lexicon_version for r in rows})
        analyzers = sorted({r.analyzer_version for r in rows})
        return "; ".join(lexicons), "; ".join(analyzers)

    def daily_summary(self, f: Filters) -> pd.DataFrame:
        """Per day × outlet × theme: articles, the share of the outlet's articles that day, tone."""
        if self._rollup_ok(f):
            r = daily_rollup.c
            themed = self._frame(
                sa.select(
                    r.day,
                    r.outlet,
                    r.bloc,
                    r.theme,
                    sa.func.sum(r.articles),
                    sa.func.sum(r.tone_sum),
                    sa.func.sum(r.tone_count),
                )
                .where(
                    *self._rollup_where(f, theme=None),
                    r.theme != ALL,
                    *([r.theme.in_(f.themes)] if f.themes else []),
                )
                .group_by(r.day, r.outlet, r.bloc, r.theme),
                ["day", "outlet", "bloc", "theme", "articles", "tone_sum", "tone_count"],
            )
            totals = self._frame(
                sa.select(r.day, r.outlet, sa.func.sum(r.articles))
                .where(*self._rollup_where(Filters(**{**_as_dict(f), "themes": ()})))
                .group_by(r.day, r.outlet),
                ["day", "outlet", "outlet_articles"],
            )
        else:
            a, t = articles.c, article_themes.c
            where = self._article_where(f)
            themed = self._frame(
                sa.select(
                    a.published_day,
                    a.outlet,
                    a.bloc,
                    t.theme,
                    sa.func.count(),
                    sa.func.sum(a.tone),
                    sa.func.count(a.tone),
                )
                .select_from(articles.join(article_themes, t.article_id == a.id))
                .where(*where, *([t.theme.in_(f.themes)] if f.themes else []))
                .group_by(a.published_day, a.outlet, a.bloc, t.theme),
                ["day", "outlet", "bloc", "theme", "articles", "tone_sum", "tone_count"],
            )
            totals = self._frame(
                sa.select(a.published_day, a.outlet, sa.func.count())
                .where(*self._article_where(Filters(**{**_as_dict(f), "themes": ()})))
                .group_by(a.published_day, a.outlet),
                ["day", "outlet", "outlet_articles"],
            )
        frame = themed[themed["articles"] > 0] if len(themed) else themed
        frame = frame.merge(totals, on=["day", "outlet"], how="left")
        frame["share"] = frame["articles"] / frame["outlet_articles"]
        frame["mean_tone"] = frame["tone_sum"] / frame["tone_count"].where(frame["tone_count"] > 0)
        frame = frame.rename(columns={"day": "date"})
        columns = [
            "date",
            "outlet",
            "bloc",
            "theme",
            "articles",
            "outlet_articles",
            "share",
            "mean_tone",
        ]
        return frame[columns].sort_values(["date", "outlet", "theme"]).reset_index(drop=True)

    # --- reads: feeds ---------------------------------------------------------------------------

    def feed_health(self, now: datetime | None = None) -> pd.DataFrame:
        now = now or datetime.now(UTC)
        since = (now - timedelta(days=30)).date()
        per_day = (
            sa.select(articles.c.feed_url, (sa.func.count() / 30.0).label("per_day"))
            .where(articles.c.published_day >= since)
            .group_by(articles.c.feed_url)
            .subquery()
        )
        statement = (
            sa.select(
                feeds.c.id,
                feeds.c.outlet,
                feeds.c.bloc,
                feeds.c.url,
                feeds.c.enabled,
                feeds.c.last_success_at,
                feeds.c.last_attempt_at,
                feeds.c.last_status,
                feeds.c.last_error,
                feeds.c.consecutive_errors,
                feeds.c.next_check_at,
                sa.func.coalesce(per_day.c.per_day, 0.0),
            )
            .select_from(feeds.outerjoin(per_day, per_day.c.feed_url == feeds.c.url))
            .order_by(feeds.c.consecutive_errors.desc(), feeds.c.outlet)
        )
        frame = self._frame(
            statement,
            [
                "id",
                "outlet",
                "bloc",
                "url",
                "enabled",
                "last_success_at",
                "last_attempt_at",
                "last_status",
                "last_error",
                "consecutive_errors",
                "next_check_at",
                "articles_per_day",
            ],
        )
        for column in ("last_success_at", "last_attempt_at", "next_check_at"):
            frame[column] = frame[column].map(_utc)
        return frame

    def coverage_gaps(self, f: Filters) -> pd.DataFrame:
        """Periods when a feed kept failing: from its first failed attempt to the next success."""
        where = []
        if f.outlets:
            where.append(feeds.c.outlet.in_(f.outlets))
        if f.blocs:
            where.append(feeds.c.bloc.in_(f.blocs))
        statement = (
            sa.select(
                feeds.c.outlet, feeds.c.bloc, feeds.c.url, feed_attempts.c.at, feed_attempts.c.error
            )
            .select_from(feeds.join(feed_attempts, feed_attempts.c.feed_id == feeds.c.id))
            .where(*where)
            .order_by(feeds.c.url, feed_attempts.c.at)
        )
        gaps: list[dict[str, Any]] = []
        open_gap: dict[str, Any] | None = None
        last_url = None
        with self.engine.connect() as conn:
            for row in conn.execute(statement):
                if row.url != last_url:
                    if open_gap:
                        gaps.append(open_gap)
                    open_gap, last_url = None, row.url
                at = _utc(row.at)
                if row.error is not None:
                    if open_gap is None:
                        open_gap = {
                            "outlet": row.outlet,
                            "bloc": row.bloc,
                            "url": row.url,
                            "start": at,
                            "end": at,
                            "error": row.error,
                        }
                    else:
                        open_gap["end"], open_gap["error"] = at, row.error
                elif open_gap is not None:
                    open_gap["end"] = at
                    gaps.append(open_gap)
                    open_gap = None
        if open_gap:
            open_gap["end"] = max(open_gap["end"], datetime.now(UTC))
            gaps.append(open_gap)
        frame = pd.DataFrame(gaps, columns=["outlet", "bloc", "url", "start", "end", "error"])
        if f.date_from is not None and len(frame):
            frame = frame[frame["end"].map(lambda d: d.date() >= f.date_from)]
        if f.date_to is not None and len(frame):
            frame = frame[frame["start"].map(lambda d: d.date() <= f.date_to)]
        return frame.reset_index(drop=True)


# --- helpers ------------------------------------------------------------------------------------


def _lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(owner: str) -> bool:
    """Is the poller named `host:pid` (on this host) still running?"""
    try:
        pid = int(owner.rsplit(":", 1)[1])
        os.kill(pid, 0)
    except (ValueError, IndexError):
        return True  # not ours to judge
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _full_tone(f: Filters) -> bool:
    return f.tone_min <= -1.0 and f.tone_max >= 1.0


def _as_dict(f: Filters) -> dict[str, Any]:
    return {field.name: getattr(f, field.name) for field in dataclasses.fields(f)}


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _floor(value: Any, dialect: str) -> Any:
    """floor() of a non-negative number; SQLite has no floor() unless built with math functions,
    and a CAST truncates, which is floor for values >= 0."""
    if dialect == "sqlite":
        return sa.cast(value, sa.Integer)
    return sa.cast(sa.func.floor(value), sa.Integer)


def _distinct(conn: Connection, table: str, column: str) -> list[str]:
    """The distinct values of an indexed column, in order, by a recursive index skip-scan
    (table and column are our own constants, never user input)."""
    statement = sa.text(
        f"WITH RECURSIVE seen(value) AS ("
        f" SELECT min({column}) FROM {table}"
        f" UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {column} > seen.value)"
        f" FROM seen WHERE seen.value IS NOT NULL)"
        f" SELECT value FROM seen WHERE value IS NOT NULL"
    )
    return [str(value) for value in conn.execute(statement).scalars()]


def _analyzed_text(row: Any) -> str:
    return str(row.analyzed_text or row.content)


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _lock_key(uid: str) -> int:
    """A signed 64-bit advisory-lock key for an article uid."""
    return int.from_bytes(
        hashlib.blake2b(uid.encode("utf-8"), digest_size=8).digest(), "big", signed=True
    )


def _outlet_row(article_id: int, item: AnalyzedArticle) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "outlet": item.article.outlet,
        "bloc": item.article.bloc,
        "feed_url": item.article.feed_url,
    }


def _analysis_values(analysis: Analysis) -> dict[str, Any]:
    return {
        "lang": analysis.lang,
        "tone": analysis.tone,
        "tone_label": analysis.tone_label,
        "relevance": analysis.relevance,
        "relevant": analysis.relevant,
        "theme_list": ", ".join(analysis.theme_names),
        "actor_list": ", ".join(dict.fromkeys(a.actor for a in analysis.actors)),
        "evidence": evidence_json(analysis),
        "lexicon_version": analysis.lexicon_version,
        "analyzer_version": analysis.analyzer_version,
    }


def _article_row(item: AnalyzedArticle) -> dict[str, Any]:
    article = item.article
    published = article.published.astimezone(UTC)
    return {
        "uid": article.uid,
        "url": article.url,
        "guid": article.guid,
        "title": article.title,
        "summary": article.summary,
        "content": article.content,
        "fulltext": article.fulltext,
        "analyzed_text": "" if article.body == article.content else article.body,
        "published_at": published,
        "published_day": published.date(),
        "published_estimated": article.published_estimated,
        "fetched_at": article.fetched.astimezone(UTC),
        "feed_url": article.feed_url,
        "outlet": article.outlet,
        "bloc": article.bloc,
        "content_hash": content_hash(article),
        "is_demo": article.is_demo,
        **_analysis_values(item.analysis),
    }


@dataclass(frozen=True, slots=True)
class _Counted:
    themes: tuple[tuple[str, int, bool], ...]  # theme, hits, in title
    terms: tuple[tuple[str, str, int], ...]  # theme, term, hits
    actors: tuple[tuple[str, str, int], ...]  # actor, side, mentions


def _counts(analysis: Analysis) -> _Counted:
    """Per-article counts from the evidence: hits of the themes the article is tagged with (the
    terms of untagged themes do not count), mentions per actor."""
    hits: defaultdict[str, int] = defaultdict(int)
    titled: set[str] = set()
    term_hits: defaultdict[tuple[str, str], int] = defaultdict(int)
    tagged = set(analysis.theme_names)
    for match in analysis.themes:
        if match.theme in tagged:
            hits[match.theme] += 1
            term_hits[(match.theme, match.term)] += 1
            if match.field == "title":
                titled.add(match.theme)
    mentions: defaultdict[tuple[str, str], int] = defaultdict(int)
    for mention in analysis.actors:
        mentions[(mention.actor, mention.side)] += 1
    return _Counted(
        themes=tuple((t, hits[t], t in titled) for t in analysis.theme_names),
        terms=tuple((theme, term, n) for (theme, term), n in term_hits.items()),
        actors=tuple((actor, side, n) for (actor, side), n in mentions.items()),
    )


@dataclass(frozen=True, slots=True)
class _Footprint:
    """What one article adds to the rollups."""

    day: date
    outlet: str
    bloc: str
    relevant: bool
    tone: float | None
    themes: tuple[str, ...]
    terms: tuple[tuple[str, str, int], ...]
    actors: tuple[tuple[str, str, int], ...]


def _footprint_of(
    analysis: Analysis, day: date, outlet: str, bloc: str, counted: _Counted
) -> _Footprint:
    return _Footprint(
        day, outlet, bloc, bool(analysis.relevant), analysis.tone,
        tuple(analysis.theme_names), counted.terms, counted.actors,
    )  # fmt: skip


def _footprint(item: AnalyzedArticle, counted: _Counted) -> _Footprint:
    article = item.article
    day = article.published.astimezone(UTC).date()
    return _footprint_of(item.analysis, day, article.outlet, article.bloc, counted)


def tone_bin(tone: float, bins: int = TONE_BINS) -> int:
    """The histogram bin of a tone in [-1, 1] (the last bin includes 1.0). SQL computes the
    same expression, (tone + 1) * (bins / 2), so both sides agree at the edges."""
    return min(bins - 1, int((tone + 1.0) * (bins / 2.0)))


class _Deltas:
    """Changes to every rollup from a batch of writes: +footprint for new, -old +new for changed."""

    def __init__(self) -> None:
        self.daily: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.blocs: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.actors: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.terms: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.pairs: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0])
        self.tones: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0])

    def add(self, fp: _Footprint, sign: int) -> None:
        base = (fp.day, fp.bloc, fp.relevant)
        for theme in (ALL, *fp.themes):
            for cell in (
                self.daily[(fp.day, fp.outlet, fp.bloc, theme, fp.relevant)],
                self.blocs[(fp.day, fp.bloc, theme, fp.relevant)],
            ):
                cell[0] += sign
                if fp.tone is not None:
                    cell[1] += sign * fp.tone
                    cell[2] += sign
        for actor, side, mentions in fp.actors:
            counts = self.actors[(*base, actor, side)]
            counts[0] += sign
            counts[1] += sign * mentions
        for theme, term, hits in fp.terms:
            counts = self.terms[(*base, theme, term)]
            counts[0] += sign * hits
            counts[1] += sign
        ordered = sorted(set(fp.themes))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                self.pairs[(*base, first, second)][0] += sign
        if fp.tone is not None:
            self.tones[(fp.day, fp.outlet, fp.bloc, fp.relevant, tone_bin(fp.tone))][0] += sign

    def tables(self) -> list[tuple[sa.Table, dict[tuple[Any, ...], list[Any]]]]:
        return [
            (daily_rollup, dict(self.daily)),
            (bloc_rollup, dict(self.blocs)),
            (actor_rollup, dict(self.actors)),
            (term_rollup, dict(self.terms)),
            (pair_rollup, dict(self.pairs)),
            (tone_rollup, dict(self.tones)),
        ]


def _rebuild_aux_rollups(conn: Connection) -> None:
    """Migration 4: the rollups of migration 3 had an outlet key; drop them and rebuild."""
    for table in AUX_ROLLUPS:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
    _backfill_aux_rollups(conn)


def _backfill_aux_rollups(conn: Connection) -> None:
    """Migration 3: create the actor/term/pair/tone rollups and fill them from the articles."""
    for table in AUX_ROLLUPS:
        table.create(conn, checkfirst=True)
        conn.execute(table.delete())
    a = articles.c
    base = [a.published_day, a.bloc, a.relevant]
    x, m = article_actors.c, article_terms.c
    one, two = article_themes.alias("one"), article_themes.alias("two")
    bucket = sa.case(
        (_floor((a.tone + 1.0) * (TONE_BINS / 2.0), conn.dialect.name) >= TONE_BINS, TONE_BINS - 1),
        else_=_floor((a.tone + 1.0) * (TONE_BINS / 2.0), conn.dialect.name),
    )
    selects: list[tuple[sa.Table, Any]] = [
        (
            actor_rollup,
            sa.select(*base, x.actor, x.side, sa.func.count(), sa.func.sum(x.mentions))
            .select_from(articles.join(article_actors, x.article_id == a.id))
            .group_by(*base, x.actor, x.side),
        ),
        (
            term_rollup,
            sa.select(*base, m.theme, m.term, sa.func.sum(m.hits), sa.func.count())
            .select_from(articles.join(article_terms, m.article_id == a.id))
            .group_by(*base, m.theme, m.term),
        ),
        (
            pair_rollup,
            sa.select(*base, one.c.theme, two.c.theme, sa.func.count())
            .select_from(
                articles.join(one, one.c.article_id == a.id).join(
                    two, sa.and_(two.c.article_id == a.id, one.c.theme < two.c.theme)
                )
            )
            .group_by(*base, one.c.theme, two.c.theme),
        ),
        (
            tone_rollup,
            sa.select(a.published_day, a.outlet, a.bloc, a.relevant, bucket, sa.func.count())
            .where(a.tone.is_not(None))
            .group_by(a.published_day, a.outlet, a.bloc, a.relevant, bucket),
        ),
    ]
    for table, select in selects:
        conn.execute(table.insert().from_select([c.name for c in table.columns], select))


def _ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL (persistent, so usually a no-op). Switching needs an exclusive lock
    and SQLite reports "database is locked" at once rather than calling the busy handler when
    another connection holds it (several processes opening a new file), so retry briefly."""
    deadline = _time.monotonic() + 30
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or _time.monotonic() > deadline:
                raise
            _time.sleep(0.02)


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _ensure_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: index pages of a big archive
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
