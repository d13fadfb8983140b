"""The tables, in SQLAlchemy Core: feeds and their attempts, articles and their evidence, and the
rollups the write path keeps beside them.

Charts read rollups kept by the write path in the same transaction as the articles, so a chart
costs about the same at a million articles as at ten thousand: `daily_rollup` (day × outlet ×
bloc × theme × relevant: articles and tone sums; theme '' counts every article), `bloc_rollup`
(the same without outlet), `actor_rollup`, `term_rollup`, `pair_rollup` (day × bloc × relevant ×
actor / theme+term / theme pair), `tone_rollup` (day × outlet × bloc × relevant × tone bin),
`relations_rollup` and `event_rollup` (relations events by direction, and by category). The
theme rollups say whether a theme was central to the article or a passing mention (`central`,
migration 7). Every rollup also has the article's language (`lang`, as detected by the analyzer)
as its last key, so a language filter is answered from the rollups too (migration 6 rebuilt them
with it).
Every rollup is made by `rollup_table`. Which read may use which rollup is decided in
core/storage/plan.py.

An article belongs to the outlet that first published it (its primary outlet and bloc); the same
canonical URL seen in another feed is remembered in `article_outlets` but not counted twice, so
syndicated wire copy does not pass for independent coverage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

ALL = ""
"""The theme key of rollup rows that count every article, whatever its themes."""

__all__ = [
    "ALL",
    "AUX_ROLLUPS",
    "DIRECTIONS",
    "FACT_COLUMNS",
    "RELATIONS_ROLLUPS",
    "STORY_TABLES",
    "THEME_ROLLUPS",
    "WATCH_TABLES",
    "actor_rollup",
    "alerts",
    "article_actors",
    "article_events",
    "article_facts",
    "article_lines",
    "article_outlets",
    "article_stories",
    "article_terms",
    "article_themes",
    "articles",
    "bloc_rollup",
    "daily_rollup",
    "event_rollup",
    "feed_attempts",
    "feeds",
    "metadata",
    "pair_rollup",
    "relations_rollup",
    "schema_migrations",
    "stories",
    "term_rollup",
    "tone_rollup",
    "watches",
]
"""What `from core.storage import …` reaches: every table under its name, and the groups of
them the migrations and tests walk."""

metadata = sa.MetaData()
TS = sa.DateTime(timezone=True)


def _required(name: str, kind: Any = sa.Text, **options: Any) -> sa.Column[Any]:
    """A column that is never null (text unless `kind` says otherwise)."""
    return sa.Column(name, kind, nullable=False, **options)


def _text(name: str, default: str = "") -> sa.Column[Any]:
    """Text that is never null, `default` (empty) until written."""
    return _required(name, default=default)


def _flag(name: str, default: bool = False) -> sa.Column[Any]:
    """A yes/no that is never null."""
    return _required(name, sa.Boolean, default=default)


def _count(name: str) -> sa.Column[Any]:
    """A count that starts at zero."""
    return _required(name, sa.Integer, default=0)


def _entity(name: str, *columns: Any) -> sa.Table:
    """A table whose rows are things of their own, numbered by the database (`id`)."""
    return sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True), *columns)


def _numbered(name: str, key: str, *columns: Any) -> sa.Table:
    """A table whose rows carry a number we give them (`key`), never one the database picks."""
    key_column = sa.Column(key, sa.Integer, primary_key=True, autoincrement=False)
    return sa.Table(name, metadata, key_column, *columns)


feeds = _entity(
    "feeds",
    _required("url", unique=True),
    _required("outlet"),
    _required("bloc"),
    _text("country"),
    _text("language", "en"),
    _flag("enabled", True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_check_at", TS),
    sa.Column("lease_until", TS),
    sa.Column("lease_owner", sa.Text),
    sa.Column("last_attempt_at", TS),
    sa.Column("last_success_at", TS),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    _count("consecutive_errors"),
    _required("created_at", TS),
)
feed_attempts = _entity(
    "feed_attempts",
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    _required("at", TS),
    sa.Column("status", sa.Integer),
    sa.Column("error", sa.Text),
    _count("new"),
    _count("updated"),
    sa.Index("ix_feed_attempts_feed_at", "feed_id", "at"),
)
articles = _entity(
    "articles",
    _required("uid", unique=True),
    _text("url"),
    sa.Column("guid", sa.Text),
    _required("title"),
    _text("summary"),
    _text("content"),
    _text("fulltext"),
    # The text the analysis offsets index; "" means "the same as content" (the usual case), so
    # the archive does not hold every article body twice. Read it with rows.analyzed_text().
    _text("analyzed_text"),
    _required("published_at", TS),
    _required("published_day", sa.Date),
    _flag("published_estimated"),
    _required("fetched_at", TS),
    _text("feed_url"),
    _required("outlet"),
    _required("bloc"),
    _text("lang", "und"),
    sa.Column("tone", sa.Float),
    _text("tone_label", "n/a"),
    _required("relevance", sa.Float, default=0.0),
    _flag("relevant"),
    _text("theme_list"),
    _text("actor_list"),
    _text("evidence", "{}"),
    _text("lexicon_version"),
    _text("analyzer_version"),
    _text("content_hash"),
    _flag("is_demo"),
    # The relations reading (core/analysis/relations.py): null when the text holds no event.
    sa.Column("relations_score", sa.Float),
    sa.Column("relations_label", sa.Text),
    sa.Index("ix_articles_day", "published_day"),
    sa.Index("ix_articles_published", "published_at"),
    sa.Index("ix_articles_relevant_published", "relevant", "published_at"),
    sa.Index("ix_articles_outlet_day", "outlet", "published_day"),
    sa.Index("ix_articles_bloc_day", "bloc", "published_day"),
    sa.Index("ix_articles_tone", "tone"),
    sa.Index("ix_articles_demo", "is_demo"),
    sa.Index("ix_articles_url", "url"),
    sa.Index("ix_articles_versions", "lexicon_version", "analyzer_version"),
)


def _child(
    name: str, *columns: sa.Column[Any], index: tuple[str, ...] = (), also: tuple[str, ...] = ()
) -> sa.Table:
    """A table of what one article holds (keyed by article_id, deleted with it); `index` and
    `also` are indexes named after their first column."""
    article_id = sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    indexes = [sa.Index(f"ix_{name}_{on[0]}", *on) for on in (index, also) if on]
    return sa.Table(name, metadata, article_id, *columns, *indexes)


article_outlets = _child(
    "article_outlets",
    sa.Column("outlet", sa.Text, primary_key=True),
    _required("bloc"),
    _text("feed_url"),
)
article_themes = _child(
    "article_themes",
    sa.Column("theme", sa.Text, primary_key=True),
    _required("hits", sa.Integer),
    _flag("in_title"),
    # Central: the theme's salience reaches the analyzer's threshold (core/analysis/themes.py);
    # an analysis without salience (older than it) counts every theme it names as central.
    _flag("central", True),
    sa.Column("salience", sa.Float),
    index=("theme", "article_id"),
)
article_terms = _child(
    "article_terms",
    sa.Column("theme", sa.Text, primary_key=True),
    sa.Column("term", sa.Text, primary_key=True),
    _required("hits", sa.Integer),
)
article_events = _child(
    "article_events",
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    _required("category"),
    _text("quad"),
    _required("direction"),
    _required("source"),
    _required("target"),
    _flag("negated"),
    _flag("hypothetical"),
    _required("weight", sa.Float),
    _text("field", "text"),
    index=("category", "article_id"),
    also=("quad", "article_id"),
)
"""The relations events of an article (headline and text, core/analysis/relations.py), one row
each, `weight` the effective weight (negation and hypotheticals applied) and `direction` one of
DIRECTIONS: the event-category filter and the counts by category read them."""
article_stories = _child(
    "article_stories",
    _required("story_id", sa.Integer),
    sa.Column("copy_of", sa.Integer),
    index=("story_id", "article_id"),
)
"""The story an article joined (core/stories/clustering.py) and, for syndicated wire copy, the
id of the original it copies (null for an independent report). A narrow table of its own rather
than two columns of `articles`: the poll round writes it after the articles, and rewriting a wide
article row (text and evidence) for two integers would cost more than inserting this one."""
article_actors = _child(
    "article_actors",
    sa.Column("actor", sa.Text, primary_key=True),
    _required("side"),
    _required("mentions", sa.Integer),
    index=("actor", "article_id"),
)
article_facts = sa.Table(
    "article_facts",
    metadata,
    sa.Column("id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    _required("published_day", sa.Date),
    _required("outlet"),
    _required("bloc"),
    _flag("relevant"),
    _text("lang", "und"),
    sa.Column("tone", sa.Float),
)
"""What a filtered chart counts an article by, one narrow row per article (migration 13): its
columns are named as in `articles`, so a read planned on the articles runs on this table
unchanged (core/storage/plan.py). A text or actor filter gives the ids of its articles from
their own index; the read then looks each one up here (cost in proportion to the matches) rather
than walking every article of the range. Written with the article, in the same transaction
(core/storage/writes.py)."""
FACT_COLUMNS = tuple(c.name for c in article_facts.columns)
article_lines = sa.Table(
    "article_lines",
    metadata,
    sa.Column("id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    _text("line"),
    _text("terms"),
)
"""An article as one line of a filtered page's match frame (its day, outlet, bloc, relevance,
tone, themes, actors and events) and its terms, as text (migration 14,
core/storage/match_lines.py): a page under a filter no rollup answers reads its matches' lines
in one pass (core/storage/matches.py). A table of its own, not columns of article_facts, whose
other readers would walk rows six times as wide (+0.08 s a read at 1M). Written with the
article, in the same transaction (core/storage/writes.py)."""


_KEY_TYPES: dict[str, Any] = {
    "day": sa.Date,
    "relevant": sa.Boolean,
    "central": sa.Boolean,
    "bin": sa.Integer,
}
"""The type of a rollup key column; any other key is text."""
_KEY_DEFAULTS: dict[str, Any] = {"central": True}
"""A key's value where older rows had none (migrations fill them with it)."""
COUNTS = {"articles": sa.Integer}
TONE_SUMS = {"articles": sa.Integer, "tone_sum": sa.Float, "tone_count": sa.Integer}


def rollup_table(
    name: str,
    keys: Sequence[str],
    measures: Mapping[str, Any],
    *,
    indexes: Mapping[str, Sequence[str]] | None = None,
) -> sa.Table:
    """A rollup kept by the write path: one row per combination of `keys` (its primary key, in
    this order), holding `measures` that start at zero; `indexes` maps a name to its columns.

    A rollup without an outlet key is several times smaller (so is every scan of it); a read
    filtered by outlet then uses one with outlets, or the articles (core/storage/plan.py)."""
    columns = [
        sa.Column(
            key, _KEY_TYPES.get(key, sa.Text), primary_key=True, default=_KEY_DEFAULTS.get(key)
        )
        for key in keys
    ]
    columns += [
        sa.Column(measure, kind, nullable=False, default=0.0 if kind is sa.Float else 0)
        for measure, kind in measures.items()
    ]
    extra = [sa.Index(index, *on) for index, on in (indexes or {}).items()]
    return sa.Table(name, metadata, *columns, *extra)


daily_rollup = rollup_table(
    "daily_rollup",
    ("day", "outlet", "bloc", "theme", "relevant", "central", "lang"),
    TONE_SUMS,
    indexes={"ix_rollup_theme_day": ("theme", "day")},
)
_BASE = ("day", "bloc", "relevant")
"""The keys every bloc-level rollup starts with."""
actor_rollup = rollup_table(
    "actor_rollup",
    (*_BASE, "actor", "side", "lang"),
    {"articles": sa.Integer, "mentions": sa.Integer},
)
term_rollup = rollup_table(
    "term_rollup",
    (*_BASE, "theme", "term", "central", "lang"),
    {"hits": sa.Integer, "articles": sa.Integer},
)
pair_rollup = rollup_table("pair_rollup", (*_BASE, "theme_a", "theme_b", "central", "lang"), COUNTS)
tone_rollup = rollup_table(
    "tone_rollup", ("day", "outlet", "bloc", "relevant", "bin", "lang"), COUNTS
)
AUX_ROLLUPS = (actor_rollup, term_rollup, pair_rollup, tone_rollup)
bloc_rollup = rollup_table(
    "bloc_rollup",
    ("day", "bloc", "theme", "relevant", "central", "lang"),
    TONE_SUMS,
    indexes={"ix_bloc_rollup_theme_day": ("theme", "day")},
)
"""daily_rollup without the outlet: a third of the rows, for the reads not by or for outlet."""
THEME_ROLLUPS = (daily_rollup, bloc_rollup, term_rollup, pair_rollup)
"""The rollups with a `central` key: true where the theme is central to the article (for a
pair: both themes), false where it is a passing mention; rows of theme ALL are central."""

DIRECTIONS: tuple[str, ...] = ("us-russia", "russia-us", "mutual")
"""Who acts on whom in a relations event: the US on Russia, Russia on the US, or both."""
relations_rollup = rollup_table(
    "relations_rollup",
    ("day", "outlet", "bloc", "relevant", "direction", "lang"),
    {
        "articles": sa.Integer,
        "events": sa.Integer,
        "weight_sum": sa.Float,
        "cooperation": sa.Integer,
        "conflict": sa.Integer,
    },
)
"""Relations events per day × outlet × bloc × relevance × direction (DIRECTIONS; ALL counts
every event of an article once): articles with such an event, events, the sum of their
effective weights, and the events weighing more (cooperation) or less (conflict) than 0."""
event_rollup = rollup_table(
    "event_rollup",
    ("day", "bloc", "relevant", "category", "quad", "lang"),
    {"articles": sa.Integer, "events": sa.Integer, "weight_sum": sa.Float},
)
"""Relations events per day × bloc × relevance × category (with its quad class)."""
RELATIONS_ROLLUPS = (relations_rollup, event_rollup)

stories = _numbered(
    "stories",
    "id",
    _required("headline"),
    _required("first_seen", TS),
    _required("last_seen", TS),
    _required("first_day", sa.Date),
    _required("last_day", sa.Date),
    _required("articles", sa.Integer),
    _required("reports", sa.Integer),
    _count("relevant"),
    _text("outlets"),
    _text("blocs"),
    _text("themes"),
    _text("langs"),
    _text("coverage", "[]"),
    _text("blindspot"),
    _text("blindspot_kind"),
    sa.Column("gap", sa.Float),
    _required("updated_at", TS),
    sa.Index("ix_stories_last_seen", "last_seen"),
    sa.Index("ix_stories_first_day", "first_day"),
    sa.Index("ix_stories_articles", "articles"),
    sa.Index("ix_stories_gap", "gap"),
)
"""One story per row (core/storage/story_store.py): its id is the id of the article that started
it. `outlets`, `blocs`, `themes` (every theme of its articles) and `langs` are keys written
`|a|b|` so a filter is one LIKE per value; `coverage` is the per-bloc summary as JSON
(core/stories/summary.py BlocCoverage); `blindspot` the messages ("; "-joined, "" for none) and
`blindspot_kind` "only", "missing" or both ("only,missing"); `gap` the spread of the blocs' mean
tone (highest − lowest, null below two blocs with a tone): the framing gap the list sorts by."""
STORY_TABLES = (article_stories, stories)

watches = _entity(
    "watches",
    _required("name", unique=True),
    _text("filters", "{}"),
    _text("sensitivity", "normal"),
    _required("created_at", TS),
)
"""Saved views the desk checks after every poll round (core/storage/watch_store.py)."""
alerts = _entity(
    "alerts",
    _required("key", unique=True),
    _required("watch"),
    _required("kind"),
    _required("day", sa.Date),
    _required("fired_at", TS),
    _required("summary"),
    _text("detail", "{}"),
    _count("attempts"),
    sa.Column("last_error", sa.Text),
    sa.Column("delivered_at", TS),
    _text("delivered_to", "[]"),
    sa.Index("ix_alerts_fired", "fired_at"),
    sa.Index("ix_alerts_undelivered", "delivered_at", "attempts"),
)
"""Alerts fired by watches (and the daily briefing sent), once per key, with their evidence
(JSON `detail`) and delivery state. `watch` is the watch's name: the record outlives it."""
WATCH_TABLES = (watches, alerts)


def analysed_with(
    lexicon_version: str, analyzer_versions: str | Sequence[str]
) -> sa.ColumnElement[bool]:
    """Articles read with these lexicons and one of these analyzer versions: the current
    analyzer's English and Russian ones (Analyzer.analyzer_versions in
    core/analysis/analyzer.py; a Russian reading carries its libraries and theme model too)."""
    versions = (analyzer_versions,) if isinstance(analyzer_versions, str) else analyzer_versions
    a = articles.c
    return sa.and_(a.lexicon_version == lexicon_version, a.analyzer_version.in_(list(versions)))


schema_migrations = _numbered(
    "schema_migrations",
    "version",
    _required("name"),
    _required("applied_at", TS),
)
"""The migrations this database has applied (core/storage/migrations.py), one row each."""
