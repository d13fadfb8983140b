"""The articles of the days a round's checks look at, held in memory as arrays, so a thousand
watches are counted after a poll round with a few reads instead of a thousand queries
(core/alerts/runner.py; bench/bench_alerts.py).

`WatchWindow.daily_counts(f)` answers what `WatchStore.daily_counts` answers from SQL — articles,
tone sum and tone count per day under the filters — and `relations_by_day(f)` what
`RelationsReads.relations_by_day(f, "direction")` answers, summed over the directions: both with
the meaning of core/storage/plan.py's `article_where` (any of the outlets, blocs, languages,
themes — central ones unless `mentions` —, event categories or actors; the tone range, leaving
out articles without a tone when narrowed; an event-category filter also narrows the events
counted). A text filter is asked of the full-text index once per distinct text.

Only what the watches need is read: the articles' day, outlet, bloc, relevance flag and tone
first (a covering index on SQLite, migration 9); their themes, actors, languages, relations
events, text matches and evidence (relevance score, title) on first use. Each part of a filter
(an outlet set, a theme set, an actor…) becomes a boolean array once and is shared by every
watch that names it. Tables keyed by article are read by the range of the window's ids, so the
cost follows the window's size, not the database's (tests/test_alerts_grouped.py checks the
results against the store's own reads)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa

from core.models import Filters
from core.storage.plan import article_where, full_tone
from core.storage.schema import (
    ALL,
    DIRECTIONS,
    article_actors,
    article_events,
    article_themes,
    articles,
    daily_rollup,
)
from core.storage.search import FTS_TABLE, fts5_query, parse_query
from core.storage.values import as_day

_a = articles.c
SPARSE = 3
"""Read an article table by the range of the window's ids while that range holds at most this
many ids per article of the window (articles are stored about as they are published)."""


@dataclass
class Labels:
    """A column of text values as small integer codes (one per article or row)."""

    codes: np.ndarray
    names: dict[str, int]

    @classmethod
    def of(cls, values: Iterable[Any]) -> Labels:
        names: dict[str, int] = {}
        codes = [names.setdefault(str(v), len(names)) for v in values]
        return cls(np.array(codes, dtype=np.int32), names)

    def any_of(self, wanted: Iterable[str]) -> np.ndarray:
        """Which rows hold one of `wanted`."""
        known = [self.names[w] for w in wanted if w in self.names]
        if not known:
            return np.zeros(len(self.codes), dtype=bool)
        if len(known) == 1:
            return self.codes == known[0]  # type: ignore[no-any-return]
        table = np.zeros(len(self.names) + 1, dtype=bool)  # the last: an unknown value (-1)
        table[known] = True
        found: np.ndarray = table[self.codes]
        return found


@dataclass
class Tags:
    """Rows (article position, name) of a one-to-many table: an article's themes or actors."""

    positions: np.ndarray
    labels: Labels
    size: int
    """Articles in the window."""

    def articles_with(self, wanted: Iterable[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Which articles have one of `wanted` (among the rows `rows` only, when given)."""
        hit = self.labels.any_of(wanted)
        if rows is not None:
            hit &= rows
        found = np.zeros(self.size, dtype=bool)
        found[self.positions[hit]] = True
        return found


@dataclass
class Events:
    """The relations events of the window's articles: article position, whether the direction
    is one of DIRECTIONS, effective weight, category and quad class."""

    positions: np.ndarray
    directed: np.ndarray
    weight: np.ndarray
    category: Labels
    quad: Labels

    def of_kinds(self, kinds: Iterable[str]) -> np.ndarray:
        """Events of these categories or quad classes (plan._event_kind)."""
        kinds = tuple(kinds)
        found: np.ndarray = self.category.any_of(kinds) | self.quad.any_of(kinds)
        return found


@dataclass
class WatchWindow:
    """Articles published from `start` to `end`, as arrays (one entry per article)."""

    start: date
    end: date
    ids: np.ndarray
    day: np.ndarray
    """Day index (0 = start) of each article."""
    relevant: np.ndarray
    tone: np.ndarray
    """NaN for an article without a tone."""
    outlets: Labels
    blocs: Labels
    engine: Any = None
    """Asked, on first use, for themes, actors, languages, events, text matches and evidence
    (None: the window has no such articles)."""
    _parts: dict[Hashable, np.ndarray] = field(default_factory=dict)
    _lazy: dict[str, Any] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def _in_window(self) -> tuple[Any, ...]:
        return (_a.published_day >= self.start, _a.published_day <= self.end)

    def _id_range(self) -> tuple[int, int] | None:
        """(lowest, highest) id of the window's articles, when that range is dense enough to
        read by (SPARSE), else None."""
        if not len(self.ids):
            return None
        low, high = int(self.ids.min()), int(self.ids.max())
        return (low, high) if high - low < SPARSE * len(self.ids) else None

    def _part(self, key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in self._parts:
            self._parts[key] = make()
        return self._parts[key]

    def _positions(self, article_ids: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
        """(positions, kept): where each id is in the window; `kept` marks ids found there (an
        id of the range outside the window's days, or an article written since, is left out)."""
        wanted = np.fromiter(article_ids, dtype=np.int64)
        if not len(self.ids) or not len(wanted):
            return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
        if "order" not in self._lazy:
            order = np.argsort(self.ids, kind="stable")
            self._lazy["order"] = (order, self.ids[order])
        order, ordered = self._lazy["order"]
        positions = order[np.searchsorted(ordered, wanted).clip(0, len(self.ids) - 1)]
        return positions, self.ids[positions] == wanted

    def _read(self, statement: Any) -> list[Any]:
        if self.engine is None or not len(self.ids):
            return []
        with self.engine.connect() as conn:
            return fetch(conn, statement)

    def _rows_of(self, table: sa.Table, *columns: str) -> list[Any]:
        """The rows of a table keyed by article (themes, actors, events) for the window's
        articles: by a scan of their ids' range, else through the articles of its days."""
        key = table.c.article_id
        statement = sa.select(key, *(table.c[c] for c in columns))
        span = self._id_range()
        if span is not None:
            return self._read(statement.where(key.between(*span)))
        joined = table.join(articles, _a.id == key)
        return self._read(statement.select_from(joined).where(*self._in_window()))

    def _tags(self, table: sa.Table, *columns: str) -> tuple[Tags, list[np.ndarray]]:
        """The rows of the window's articles as Tags (by their first column), and the other
        columns of those rows."""
        found = as_columns(self._rows_of(table, *columns), len(columns) + 1)
        at, kept = self._positions(found[:, 0])
        labels = Labels.of(found[:, 1])
        tags = Tags(at[kept], Labels(labels.codes[kept], labels.names), len(self.ids))
        return tags, [found[kept, i] for i in range(2, len(columns) + 1)]

    def _themes(self) -> tuple[Tags, np.ndarray]:
        """The themes of the window's articles, and which of those rows are central."""
        if "themes" not in self._lazy:
            tags, (central,) = self._tags(article_themes, "theme", "central")
            self._lazy["themes"] = (tags, central.astype(bool))
        return self._lazy["themes"]  # type: ignore[no-any-return]

    def _actors(self) -> Tags:
        if "actors" not in self._lazy:
            self._lazy["actors"] = self._tags(article_actors, "actor")[0]
        return self._lazy["actors"]  # type: ignore[no-any-return]

    def _languages(self) -> Labels:
        """Each article's language. Most come from the day's rollup (core/storage/schema.py):
        an outlet's articles of a day are usually all in one language, and where the rollup
        counts a cell's articles in one language only, and as many as the window holds, that
        is each one's language; the articles of the other cells are read one by one."""
        if "lang" not in self._lazy:
            r = daily_rollup.c
            cells = self._read(
                sa.select(r.day, r.outlet, r.bloc, r.relevant, r.lang, r.articles).where(
                    r.theme == ALL, r.day >= self.start, r.day <= self.end, r.articles > 0
                )
            )
            cell = self._cells()
            names: dict[str, int] = {}
            langs: dict[int, list[tuple[int, int]]] = {}
            for day, outlet, bloc, relevant, lang, count in cells:
                key = self._cell(as_day(day), outlet, bloc, relevant)
                if key is not None:
                    langs.setdefault(key, []).append((names.setdefault(lang, len(names)), count))
            held = dict(zip(*np.unique(cell, return_counts=True), strict=True))
            found = np.full(len(self.ids), -1, dtype=np.int32)
            for key, counted in langs.items():
                if len(counted) == 1 and counted[0][1] == held.get(key):
                    found[cell == key] = counted[0][0]
            unknown = self.ids[found < 0]
            if len(unknown):
                statement = sa.select(_a.id, _a.lang)
                if len(unknown) > len(self.ids) // 4:
                    rows = self._read(statement.where(*self._in_window()))
                else:
                    rows = [
                        row
                        for part in np.array_split(unknown, len(unknown) // 500 + 1)
                        for row in self._read(statement.where(_a.id.in_(part.tolist())))
                    ]
                at, kept = self._positions(row[0] for row in rows)
                codes = [names.setdefault(row[1], len(names)) for row in rows]
                found[at[kept]] = np.array(codes, dtype=np.int32)[kept]
            self._lazy["lang"] = Labels(found, names)
        return self._lazy["lang"]  # type: ignore[no-any-return]

    def _cells(self) -> np.ndarray:
        """Each article's (day, outlet, bloc, relevance flag) as one number (see _cell)."""
        outlets, blocs = len(self.outlets.names), len(self.blocs.names)
        at = self.day * outlets + self.outlets.codes
        cell: np.ndarray = (at * blocs + self.blocs.codes) * 2 + self.relevant
        return cell

    def _cell(self, day: date | None, outlet: str, bloc: str, relevant: Any) -> int | None:
        """The number _cells gives articles of this cell (None: the window has none such)."""
        if day is None or outlet not in self.outlets.names or bloc not in self.blocs.names:
            return None
        outlets, blocs = len(self.outlets.names), len(self.blocs.names)
        at = (day - self.start).days * outlets + self.outlets.names[outlet]
        return (at * blocs + self.blocs.names[bloc]) * 2 + bool(relevant)

    def _events(self) -> Events:
        if "events" not in self._lazy:
            tags, (weight, category, quad) = self._tags(
                article_events, "direction", "weight", "category", "quad"
            )
            self._lazy["events"] = Events(
                positions=tags.positions,
                directed=tags.labels.any_of(DIRECTIONS),
                weight=weight.astype(float),
                category=Labels.of(category),
                quad=Labels.of(quad),
            )
        return self._lazy["events"]  # type: ignore[no-any-return]

    def _text(self, query: str) -> np.ndarray:
        """The articles matching a text query (core/storage/search.py): on SQLite the full-text
        index is asked for the range of the window's ids only, so the cost follows the window,
        not the database; elsewhere (and when the window's ids are scattered) the articles of
        the window's days are matched with article_where's own clause."""
        terms = parse_query(query)
        if not terms:
            return np.ones(len(self.ids), dtype=bool)
        span = self._id_range()
        dialect = getattr(getattr(self.engine, "dialect", None), "name", "")
        if dialect == "sqlite" and span is not None:
            index = sa.table(FTS_TABLE, sa.column("rowid"))
            statement = sa.select(index.c.rowid).where(
                sa.text(f"{FTS_TABLE} MATCH :terms").bindparams(terms=fts5_query(terms)),
                index.c.rowid.between(*span),
            )
        else:
            text = Filters(query=query, relevant_only=False)
            statement = sa.select(_a.id).where(*self._in_window(), *article_where(text))
        at, kept = self._positions(r[0] for r in self._read(statement))
        found = np.zeros(len(self.ids), dtype=bool)
        found[at[kept]] = True
        return found

    def _mask(self, f: Filters) -> np.ndarray:
        """Which of the window's articles `f` keeps (plan.article_where); the last one asked is
        kept, as the counts and the relations of the same filters are asked one after the
        other."""
        last = self._lazy.get("last mask")
        if last is not None and last[0] == f:
            return last[1]  # type: ignore[no-any-return]
        mask = self._combined(f)
        self._lazy["last mask"] = (f, mask)
        return mask

    def _combined(self, f: Filters) -> np.ndarray:
        parts: list[np.ndarray] = []
        if f.date_from:
            parts.append(self.day >= (f.date_from - self.start).days)
        if f.date_to:
            parts.append(self.day <= (f.date_to - self.start).days)
        if f.relevant_only:
            parts.append(self.relevant)
        if f.outlets:
            outlets = f.outlets
            parts.append(self._part(("outlet", outlets), lambda: self.outlets.any_of(outlets)))
        if f.blocs:
            blocs = f.blocs
            parts.append(self._part(("bloc", blocs), lambda: self.blocs.any_of(blocs)))
        if f.languages:
            langs = f.languages
            parts.append(self._part(("lang", langs), lambda: self._languages().any_of(langs)))
        if f.themes:
            themes = ("theme", f.themes, f.mentions)
            parts.append(self._part(themes, lambda: self._with_themes(f.themes, f.mentions)))
        if f.event_categories:
            kinds = f.event_categories
            parts.append(self._part(("event", kinds), lambda: self._with_events(kinds)))
        if f.actors:
            actors = f.actors
            named = ("actor", actors)
            parts.append(self._part(named, lambda: self._actors().articles_with(actors)))
        if not full_tone(f):
            low, high = f.tone_min, f.tone_max

            def in_range() -> np.ndarray:
                with np.errstate(invalid="ignore"):
                    return (self.tone >= low) & (self.tone <= high)

            parts.append(self._part(("tone", low, high), in_range))
        query = f.query.strip()
        if query:
            parts.append(self._part(("text", query), lambda: self._text(query)))
        if not parts:
            return np.ones(len(self.ids), dtype=bool)
        mask = parts[0].copy()
        for part in parts[1:]:
            mask &= part
        return mask

    def _with_themes(self, themes: tuple[str, ...], mentions: bool) -> np.ndarray:
        tags, central = self._themes()
        return tags.articles_with(themes, None if mentions else central)

    def _with_events(self, kinds: tuple[str, ...]) -> np.ndarray:
        events = self._events()
        found = np.zeros(len(self.ids), dtype=bool)
        found[events.positions[events.of_kinds(kinds)]] = True
        return found

    def _dates(self, indexes: Iterable[int]) -> list[date]:
        return [self.start + timedelta(days=int(i)) for i in indexes]

    def daily_counts(self, f: Filters) -> dict[date, tuple[int, float, int]]:
        """day → (articles, tone sum, articles with a tone) under `f` (days without articles
        left out), as WatchStore.daily_counts over this window."""
        mask = self._mask(f)
        days = self.day[mask]
        tones = self.tone[mask]
        toned = ~np.isnan(tones)
        counts = np.bincount(days, minlength=self.days)
        sums = np.bincount(days[toned], weights=tones[toned], minlength=self.days)
        toned_counts = np.bincount(days[toned], minlength=self.days)
        have = np.flatnonzero(counts)
        return {
            day: (int(counts[i]), float(sums[i]), int(toned_counts[i]))
            for day, i in zip(self._dates(have), have, strict=True)
        }

    def relations_by_day(self, f: Filters) -> dict[date, tuple[float, int]]:
        """day → (weight sum, events) of the relations events of every direction (DIRECTIONS) in
        the articles `f` keeps — of the selected categories only, with an event filter — as
        RelationsReads.relations_by_day(f, "direction") summed per day (days without events
        left out)."""
        events = self._events()
        directed = self._part("directed", lambda: np.flatnonzero(events.directed))
        at = self._part("directed at", lambda: events.positions[directed])
        chosen = self._mask(f)[at]
        if f.event_categories:
            kinds = f.event_categories
            chosen &= self._part(("event rows", kinds), lambda: events.of_kinds(kinds)[directed])
        days = self._part("directed days", lambda: self.day[at])[chosen]
        weights = self._part("directed weights", lambda: events.weight[directed])[chosen]
        counts = np.bincount(days, minlength=self.days)
        sums = np.bincount(days, weights=weights, minlength=self.days)
        have = np.flatnonzero(counts)
        return {
            day: (float(sums[i]), int(counts[i]))
            for day, i in zip(self._dates(have), have, strict=True)
        }

    def articles(self, f: Filters, day: date, limit: int) -> list[dict[str, Any]]:
        """The most relevant articles of `day` under `f` (as list_articles(sort="relevance")
        orders them: relevance, then the newest id): id, title, outlet, bloc."""
        chosen = np.flatnonzero(self._mask(f) & (self.day == (day - self.start).days))
        if not len(chosen):
            return []
        relevance = self._relevance(day)
        order = np.lexsort((-self.ids[chosen], -relevance[chosen]))[:limit]
        picked = [int(self.ids[i]) for i in chosen[order]]
        statement = sa.select(_a.id, _a.title, _a.outlet, _a.bloc).where(_a.id.in_(picked))
        found = {r[0]: r for r in self._read(statement)}
        return [
            {"id": i, "title": found[i][1], "outlet": found[i][2], "bloc": found[i][3]}
            for i in picked
            if i in found
        ]

    def _relevance(self, day: date) -> np.ndarray:
        """The relevance score of the window's articles of `day` (NaN for the other days)."""
        key = f"relevance {day}"
        if key not in self._lazy:
            rows = self._read(sa.select(_a.id, _a.relevance).where(_a.published_day == day))
            found = np.full(len(self.ids), np.nan)
            at, kept = self._positions(r[0] for r in rows)
            found[at[kept]] = np.array([r[1] for r in rows], dtype=float)[kept]
            self._lazy[key] = found
        return self._lazy[key]  # type: ignore[no-any-return]


def fetch(conn: Any, statement: Any) -> list[Any]:
    """The rows of `statement` as the driver's plain tuples (a SQLite day as its ISO text, a
    flag as 0 or 1): tens of thousands of rows come in at a fraction of the cost of building
    a Row for each."""
    result = conn.execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def as_columns(rows: list[Any], width: int) -> np.ndarray:
    """Rows as a 2-D array of objects (`width` columns, also when there are no rows)."""
    found = np.empty((len(rows), width), dtype=object)
    if rows:
        found[:] = rows
    return found


def read_window(conn: Any, start: date, end: date, engine: Any = None) -> WatchWindow:
    """One read of the articles published from `start` to `end` (day, relevance flag, tone,
    outlet, bloc: a covering index on SQLite); the rest is asked of `engine` when first
    needed."""
    rows = fetch(
        conn,
        sa.select(_a.id, _a.published_day, _a.relevant, _a.tone, _a.outlet, _a.bloc).where(
            _a.published_day >= start, _a.published_day <= end
        ),
    )
    columns = as_columns(rows, 6)
    days = Labels.of(columns[:, 1])
    offsets = np.array([(as_day(raw) - start).days for raw in days.names], dtype=np.int64)  # type: ignore[operator]
    return WatchWindow(
        start=start,
        end=end,
        ids=columns[:, 0].astype(np.int64),
        day=offsets[days.codes] if len(offsets) else np.zeros(0, dtype=np.int64),
        relevant=columns[:, 2].astype(bool),
        tone=np.array(columns[:, 3].tolist(), dtype=float),  # None: NaN
        outlets=Labels.of(columns[:, 4]),
        blocs=Labels.of(columns[:, 5]),
        engine=engine,
    )
