"""The query plan: which rows a read counts — a rollup, or the articles — and its WHERE clauses.

This is where the store decides, for every chart and count, whether to answer from a rollup
(cheap at any size: core/storage/schema.py) or from the articles (indexed queries, exact for any
filter). The rule is `rollup_can_answer`: a rollup counts articles by its keys only, so it can
answer filters on those keys and nothing else. A read names its `Subject` (what it counts),
calls `plan()`, and writes its SQL once with the plan's columns, measures and WHERE clauses;
the same statement then runs on whichever source the plan chose.

Every rollup has the article's language as a key (migration 6), so a language filter is
answered from a rollup like a bloc filter: at a million articles a page filtered to Russian costs
what an unfiltered one does, where a read from the articles would scan them. The relations
rollups have it too, so the relations barometer follows the language filter.

A theme filter on a read by theme shows the selected themes only. Themes count where they are
central to the article unless `Filters.mentions` asks for every theme named (the theme rollups
keep both: their `central` key, migration 7; from the articles: article_themes.central). An
event-category filter keeps the articles with such an event, and on a relations read counts
those events only.

A read from the articles under a filter that gives its ids from an index of its own (an actor;
a text search on SQLite) runs on article_facts instead (`Plan.facts`, `on_facts`: the same
statement with the narrow table's columns of the same names), driven from those ids (`driver`),
so it costs in proportion to the matches rather than to the articles of the range (migration
13). The store passes the engine's choice for text (StoreBase.plan).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.visitors import ExternallyTraversible, replacement_traverse

from core.models import Filters
from core.storage.schema import (
    ALL,
    actor_rollup,
    article_actors,
    article_events,
    article_facts,
    article_stories,
    article_terms,
    article_themes,
    articles,
    bloc_rollup,
    daily_rollup,
    event_rollup,
    pair_rollup,
    relations_rollup,
    term_rollup,
    tone_rollup,
)
from core.storage.search import (
    FTS_TABLE,
    Scanned,
    fts5_query,
    has_text_search,
    matches,
    parse_query,
)
from core.storage.tone_bins import TONE_BINS, floor_int, tone_bin_sql

_a = articles.c
_e = article_events.c
_one, _two = article_themes.alias("one"), article_themes.alias("two")
_term_theme = article_themes.alias("term_theme")


@dataclass(frozen=True)
class Subject:
    """What a read counts: the rollups that count it (smallest first) and, to count it from the
    articles instead, the join and the names the rollups' columns take there."""

    rollups: tuple[sa.Table, ...]
    article_source: Any = articles
    article_columns: Mapping[str, Any] = field(default_factory=dict)
    article_where: tuple[Any, ...] = ()
    per_theme: bool = False
    """Rows per theme: a theme filter keeps the selected themes' rows (any number of them)."""
    article_central: Any = None
    """On the articles: the condition that the joined theme (or pair) is central."""
    article_measures: Mapping[str, Any] = field(default_factory=dict)
    """On the articles: the aggregate a rollup's measure sums (`articles` among them when an
    article has several rows in the join)."""
    per_event: bool = False
    """Rows per relations event: an event-category filter keeps the selected events only."""
    per_direction: bool = False
    """Rows per direction (a rollup's rows of every direction, ALL, are left out)."""


ARTICLES = Subject(rollups=(bloc_rollup, daily_rollup))
"""Articles and their tone, per day, bloc or outlet."""
THEMES = Subject(
    rollups=(bloc_rollup, daily_rollup),
    article_source=articles.join(article_themes, article_themes.c.article_id == _a.id),
    article_columns={"theme": article_themes.c.theme, "central": article_themes.c.central},
    per_theme=True,
    article_central=article_themes.c.central.is_(True),
)
"""Articles and their tone per theme."""
_copy = article_stories.c
COPIES = Subject(
    rollups=(),
    article_source=articles.join(article_stories, _copy.article_id == _a.id),
    article_where=(_copy.copy_of.is_not(None),),
)
"""Syndicated copies (article_stories.copy_of set), per day, bloc or outlet: no rollup counts
them, and they are few, so they are counted from the articles; an independent count is the
articles' count less this (core/storage/reads_volume.py)."""
COPY_THEMES = dataclasses.replace(
    THEMES,
    rollups=(),
    article_source=THEMES.article_source.join(article_stories, _copy.article_id == _a.id),
    article_where=(_copy.copy_of.is_not(None),),
)
"""Syndicated copies per theme."""
TERMS = Subject(
    rollups=(term_rollup,),
    article_source=articles.join(article_terms, article_terms.c.article_id == _a.id).join(
        _term_theme,
        # the theme checked on the article's few themes in their covering index (migration 13),
        # not looked up in the primary key, which would read each theme's row for `central`
        sa.and_(
            _term_theme.c.article_id == _a.id,
            Scanned(_term_theme.c.theme) == article_terms.c.theme,
        ),
    ),
    article_columns={c: article_terms.c[c] for c in ("theme", "term", "hits")},
    per_theme=True,
    article_central=_term_theme.c.central.is_(True),
)
ACTORS = Subject(
    rollups=(actor_rollup,),
    article_source=articles.join(article_actors, article_actors.c.article_id == _a.id),
    article_columns={c: article_actors.c[c] for c in ("actor", "side", "mentions")},
)
PAIRS = Subject(
    rollups=(pair_rollup,),
    article_source=articles.join(_one, _one.c.article_id == _a.id).join(
        _two, sa.and_(_two.c.article_id == _a.id, _one.c.theme < _two.c.theme)
    ),
    article_columns={"theme_a": _one.c.theme, "theme_b": _two.c.theme},
    article_central=sa.and_(_one.c.central.is_(True), _two.c.central.is_(True)),
)
"""Pairs of themes tagged on the same article (theme_a < theme_b)."""
TONES = Subject(rollups=(tone_rollup,), article_where=(_a.tone.is_not(None),))
"""Articles with a tone (non-English articles have none), for histograms."""
_WITH_EVENTS = articles.join(article_events, _e.article_id == _a.id)
_EVENT_MEASURES = {
    "articles": sa.func.count(sa.distinct(_a.id)),
    "events": sa.func.count(),
    "weight_sum": sa.func.sum(_e.weight),
    "cooperation": sa.func.sum(sa.case((_e.weight > 0, 1), else_=0)),
    "conflict": sa.func.sum(sa.case((_e.weight < 0, 1), else_=0)),
}
RELATIONS = Subject(
    rollups=(relations_rollup,),
    article_source=_WITH_EVENTS,
    article_measures=_EVENT_MEASURES,
    per_event=True,
)
"""Relations events (and the articles that hold them) per day, bloc or outlet."""
BY_DIRECTION = dataclasses.replace(
    RELATIONS, article_columns={"direction": _e.direction}, per_direction=True
)
"""Relations events per direction (us-russia, russia-us, mutual)."""
CATEGORIES = Subject(
    rollups=(event_rollup,),
    article_source=_WITH_EVENTS,
    article_columns={"category": _e.category, "quad": _e.quad},
    article_measures=_EVENT_MEASURES,
    per_event=True,
)
"""Relations events per category and quad class."""


def full_tone(f: Filters) -> bool:
    return f.tone_min <= -1.0 and f.tone_max >= 1.0


def needs_articles(f: Filters) -> bool:
    """A filter no rollup has a key for: an actor, a text search or a narrowed tone range."""
    return bool(f.actors) or has_text_search(f.query) or not full_tone(f)


def rollup_can_answer(table: sa.Table, f: Filters, *, per_theme: bool) -> bool:
    """Can this rollup answer these filters? A rollup counts articles per day, bloc and
    relevance and its other keys, so: no actor, text or narrowed tone filter (no rollup has
    those keys); an outlet filter only if it has outlets; a theme filter only if it has themes,
    and, unless the read is per theme, a single theme (the rows of theme X count the articles
    tagged X; no rows count the articles tagged X or Y); an event-category filter only if it
    has categories."""
    if needs_articles(f):
        return False
    if f.event_categories and "category" not in table.c:
        return False
    if f.outlets and "outlet" not in table.c:
        return False
    if f.languages and "lang" not in table.c:
        return False
    if f.themes:
        return "theme" in table.c and (per_theme or len(f.themes) == 1)
    return True


def actor_count_where(f: Filters) -> list[Any] | None:
    """The WHERE clauses over actor_rollup that count the articles of `f`, when it can: one
    actor and otherwise filters a rollup of day, bloc, relevance and language answers. An
    article names an actor once (article_actors' key), so the actor's rows sum to its articles
    (of every side); at 1M articles ~5,000 rows rather than a lookup of each of its ~220,000
    articles. None: the articles are counted."""
    if len(f.actors) != 1:
        return None
    rest = dataclasses.replace(f, actors=())
    if not rollup_can_answer(actor_rollup, rest, per_theme=False):
        return None
    where = rollup_where(actor_rollup, rest, per_theme=False)
    return [*where, actor_rollup.c.actor == f.actors[0]]


def plan(
    f: Filters,
    subject: Subject,
    *,
    needs: Collection[str] = (),
    rollups: bool = True,
    text_ids: bool = False,
    facts: bool = False,
) -> Plan:
    """The source for a read of `subject` under `f`: the smallest of its rollups that has the
    columns the read groups by (`needs`) and can answer the filters, else the articles.
    `rollups=False` reads the articles whatever the filters. `text_ids`: the engine's text
    index hands out the ids of its matches (SQLite's: see `by_ids`; Store.plan says).
    `facts`: read the articles through article_facts whatever the filters (a match frame
    joins its lines to them by id: core/storage/matches.py)."""
    if facts:
        return Plan(f, subject, None, text_ids, through_facts=True)
    for table in subject.rollups if rollups else ():
        if set(needs) <= set(table.c.keys()) and rollup_can_answer(
            table, f, per_theme=subject.per_theme
        ):
            return Plan(f, subject, table, text_ids)
    return Plan(f, subject, None, text_ids, by_language="lang" in needs)


def _key_where(f: Filters, column: Callable[[str], Any]) -> list[Any]:
    """The filters on what every source has: day, outlet, bloc, relevance, language."""
    where: list[Any] = []
    if f.date_from:
        where.append(column("day") >= f.date_from)
    if f.date_to:
        where.append(column("day") <= f.date_to)
    if f.outlets:
        where.append(column("outlet").in_(f.outlets))
    if f.blocs:
        where.append(column("bloc").in_(f.blocs))
    if f.relevant_only:
        where.append(column("relevant").is_(True))
    if f.languages:
        where.append(column("lang").in_(f.languages))
    return where


def _article_column(name: str) -> Any:
    return _a.published_day if name == "day" else _a[name]


def article_where(f: Filters) -> list[Any]:
    """The filters as WHERE clauses over `articles`."""
    where = _key_where(f, _article_column)
    if f.themes:
        tagged = article_themes.alias("tagged")  # an alias: reads join article_themes too
        central = () if f.mentions else (tagged.c.central.is_(True),)
        where.append(
            sa.exists().where(tagged.c.article_id == _a.id, tagged.c.theme.in_(f.themes), *central)
        )
    if f.event_categories:
        held = article_events.alias("held")
        where.append(
            sa.exists().where(held.c.article_id == _a.id, _event_kind(held.c, f.event_categories))
        )
    if f.actors:  # the articles that name them, from the index on (actor, article_id)
        named = article_actors.alias("named")
        named_ids = sa.select(named.c.article_id).where(named.c.actor.in_(f.actors))
        where.append(Scanned(_a.id).in_(named_ids))
    if not full_tone(f):
        where.append(_a.tone.between(f.tone_min, f.tone_max))
    text = matches(f.query, Scanned(_a.id))
    if text is not None:
        where.append(text)
    return where


def by_ids(f: Filters, text_ids: bool = False) -> bool:
    """Does a filter give its articles' ids from an index of its own? A read from the articles
    then looks those up in article_facts rather than walking the range. Actors: the index on
    article_actors(actor, article_id). Text, where the engine's text index is a list of ids
    (`text_ids`): SQLite's FTS5 table is; PostgreSQL's tsvector lives in the article row, and
    for a common word its planner reads the rows rather than the GIN index, so there a text
    search reads the articles, checking the cheap filters first."""
    return bool(f.actors) or (text_ids and has_text_search(f.query))


_FTS = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer))
_DRIVING = article_actors.alias("driving")
_f = article_facts.c


@dataclass(frozen=True)
class Driver:
    """Where a read through the facts takes its ids from, as the first table of its join
    (SQLite then walks it and looks each id up, rather than first copying the ids into a
    temporary index for an IN): `table`, its id column `ids`, the `condition` that picks them
    and the filters `left` to check."""

    table: Any
    ids: Any
    condition: Any
    left: Filters


def driver(f: Filters, text_ids: bool) -> Driver | None:
    """The id set to drive a read from: the text index's matches (when it lists ids), else a
    single actor's articles (several actors would give an article once per actor named, so
    they stay an IN); None: the ids are checked with an IN."""
    terms = parse_query(f.query) if text_ids else ()
    if terms:
        match = sa.literal_column(FTS_TABLE).op("MATCH", is_comparison=True)
        matched = match(sa.literal(fts5_query(terms), sa.Text))
        return Driver(_FTS, _FTS.c.rowid, matched, dataclasses.replace(f, query=""))
    if len(f.actors) == 1:
        named = _DRIVING.c.actor == f.actors[0]
        return Driver(_DRIVING, _DRIVING.c.article_id, named, dataclasses.replace(f, actors=()))
    return None


def on_facts(clause: Any) -> Any:
    """The same clause over article_facts instead of articles (its columns have the same
    names); an id set checked while walking (Scanned) is looked up by id there instead."""

    def replace(element: Any, **_: Any) -> Any:
        if element is articles:
            return article_facts
        if isinstance(element, Scanned) and next(iter(element.clauses)) is _a.id:
            return article_facts.c.id
        if isinstance(element, sa.Column) and element.table is articles:
            return article_facts.c[element.name]
        return None

    traversable: ExternallyTraversible = clause
    return replacement_traverse(traversable, {}, replace)


def _event_kind(columns: Any, kinds: Collection[str]) -> Any:
    """An event of one of these categories or quad classes."""
    return sa.or_(columns.category.in_(kinds), columns.quad.in_(kinds))


def rollup_where(
    table: sa.Table, f: Filters, *, per_theme: bool, per_direction: bool = False
) -> list[Any]:
    """The filters as WHERE clauses over a rollup that can answer them."""
    r = table.c
    where = _key_where(f, r.__getitem__)
    if "central" in r and not f.mentions:
        where.append(r.central.is_(True))
    if "category" in r and f.event_categories:
        where.append(_event_kind(r, f.event_categories))
    if "direction" in r:
        where.append(r.direction != ALL if per_direction else r.direction == ALL)
    if "theme" in r:
        if not per_theme:  # the rows that count whole articles: every one, or one theme's
            where.append(r.theme == (f.themes[0] if f.themes else ALL))
        else:
            where.append(r.theme != ALL)
            if f.themes:
                where.append(r.theme.in_(f.themes))
    return where


@dataclass(frozen=True)
class Plan:
    """A read's source (`rollup`, or the articles when None) and the vocabulary to query it:
    columns by their rollup names, measures, the FROM and the WHERE clauses."""

    filters: Filters
    subject: Subject
    rollup: sa.Table | None
    text_ids: bool = False
    """The engine's text index gives the ids of its matches (`by_ids`)."""
    by_language: bool = False
    """The read groups by language, which the covering indexes of migration 9 lack."""
    through_facts: bool = False
    """The read joins a table to article_facts' ids (a match frame's lines)."""

    @property
    def facts(self) -> bool:
        """Read from the articles through article_facts: from the ids a filter gave, or, for a
        read by language, instead of the article rows (which hold the language but also whole
        texts and evidence)."""
        return self.rollup is None and (
            self.through_facts or self.by_language or by_ids(self.filters, self.text_ids)
        )

    def _adapt(self, clause: Any) -> Any:
        return on_facts(clause) if self.facts else clause

    @property
    def _driver(self) -> Driver | None:
        return driver(self.filters, self.text_ids) if self.facts else None

    @property
    def source(self) -> Any:
        if self.rollup is not None:
            return self.rollup
        source = self._adapt(self.subject.article_source)
        found = self._driver
        return source if found is None else found.table.join(source, found.ids == _f.id)

    @property
    def where(self) -> list[Any]:
        f, subject = self.filters, self.subject
        if self.rollup is not None:
            return rollup_where(
                self.rollup, f, per_theme=subject.per_theme, per_direction=subject.per_direction
            )
        found = self._driver
        left = f if found is None else found.left
        where = [*article_where(left), *subject.article_where]
        if found is not None:
            where.append(found.condition)
        if subject.per_theme and f.themes:
            where.append(self.col("theme").in_(f.themes))
        if subject.article_central is not None and not f.mentions:
            where.append(subject.article_central)
        if subject.per_event and f.event_categories:
            where.append(_event_kind(_e, f.event_categories))
        return [self._adapt(clause) for clause in where]

    def col(self, name: str) -> Any:
        """A column by its rollup name (day, outlet, bloc, theme, actor …) on this source."""
        if self.rollup is not None:
            return self.rollup.c[name]
        if name in self.subject.article_columns:
            return self._adapt(self.subject.article_columns[name])
        return self._adapt(_article_column(name))

    def articles(self) -> Any:
        """The number of articles."""
        return self.measure("articles")

    def measure(self, name: str) -> Any:
        """The sum of a rollup measure (articles, events, weight_sum …), or what it sums on
        the articles (one row per article unless the subject says otherwise)."""
        if self.rollup is not None:
            return sa.func.sum(self.rollup.c[name])
        found = self.subject.article_measures.get(name)
        return self._adapt(found) if found is not None else sa.func.count()

    def articles_where(self, condition: Any) -> Any:
        """The number of articles for which `condition` holds."""
        counted = self.rollup.c.articles if self.rollup is not None else 1
        return sa.func.sum(sa.case((condition, counted), else_=0))

    def total(self, measure: str) -> Any:
        """The sum of a measure both sources hold (hits, mentions)."""
        return sa.func.sum(self.col(measure))

    def tone_sum(self, when: Any = None) -> Any:
        """The sum of the tones (of the articles for which `when` holds, if given)."""
        value = self.col("tone_sum") if self.rollup is not None else self.col("tone")
        return sa.func.sum(value if when is None else sa.case((when, value)))

    def tone_count(self, when: Any = None) -> Any:
        """The number of articles with a tone (for which `when` holds, if given)."""
        if self.rollup is not None:
            value = self.rollup.c.tone_count
            return sa.func.sum(value if when is None else sa.case((when, value), else_=0))
        value = self.col("tone")
        return sa.func.count(value if when is None else sa.case((when, value)))

    def mean_tone(self) -> Any:
        if self.rollup is not None:
            return self.tone_sum() / sa.func.nullif(self.tone_count(), 0)
        return sa.func.avg(self.col("tone"))

    def nonempty(self) -> list[Any]:
        """Leave out rollup rows whose articles were all rewritten away (they still count as
        distinct keys); articles are never empty."""
        return [self.rollup.c.articles > 0] if self.rollup is not None else []

    def tone_bin(self, bins: int, dialect: str) -> Any:
        """The tone histogram bin (of width 2/bins over [-1, 1]); a rollup's bins are merged."""
        if self.rollup is None:
            return tone_bin_sql(self.col("tone"), bins, dialect)
        stored = self.rollup.c.bin
        if bins == TONE_BINS:
            return stored
        return floor_int(stored / float(TONE_BINS // bins), dialect)

    def by_theme(self) -> Plan:
        """The same source, per theme (for a read that shows themes beside their totals)."""
        return dataclasses.replace(self, subject=THEMES)

    def with_filters(self, f: Filters) -> Plan:
        """The same source under other filters (that it can answer)."""
        return dataclasses.replace(self, filters=f)
