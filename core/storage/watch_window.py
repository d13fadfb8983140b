"""The articles of a few days held in memory, so a thousand watches are counted after a poll
round with a few reads instead of a thousand (core/alerts/runner.py; bench/bench_alerts.py).

`WatchWindow.daily_counts(f)` answers what `WatchStore.daily_counts` answers from SQL — articles,
tone sum and tone count per day under the filters — with the meaning of core/storage/plan.py's
`article_where`: any of the outlets, blocs, themes or actors; the tone range (leaving out
articles without a tone when narrowed). A text filter is asked of the database once per
distinct text, with article_where's own clause, so it matches exactly as everywhere else."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa

from core.models import Filters
from core.storage.plan import article_where, full_tone
from core.storage.schema import article_actors, article_themes, articles
from core.storage.values import as_day

_a = articles.c


@dataclass
class WatchWindow:
    """Articles published from `start` to `end`, as arrays (one entry per article), and per
    outlet, bloc, theme and actor the articles that have it."""

    start: date
    end: date
    ids: np.ndarray
    day: np.ndarray
    """Day index (0 = start) of each article."""
    relevant: np.ndarray
    tone: np.ndarray
    """NaN for an article without a tone."""
    relevance: np.ndarray
    titles: list[str]
    outlets: list[str]
    blocs: list[str]
    by: dict[str, dict[str, np.ndarray]]
    """"outlet", "bloc", "theme", "actor" → value → which articles have it."""
    engine: Any = None
    """Asked for the articles matching a text filter (None: a text filter matches nothing)."""
    _queries: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def _any(self, key: str, wanted: Iterable[str]) -> np.ndarray:
        found = np.zeros(len(self.ids), dtype=bool)
        for name in wanted:
            if name in self.by[key]:
                found |= self.by[key][name]
        return found

    def _text(self, query: str) -> np.ndarray:
        if query not in self._queries:
            found = np.zeros(len(self.ids), dtype=bool)
            if self.engine is not None and len(self.ids):
                statement = sa.select(_a.id).where(
                    _a.published_day >= self.start,
                    _a.published_day <= self.end,
                    *article_where(Filters(query=query, relevant_only=False)),
                )
                with self.engine.connect() as conn:
                    matched = np.array(conn.execute(statement).scalars().all(), dtype=np.int64)
                found = np.isin(self.ids, matched)
            self._queries[query] = found
        return self._queries[query]

    def _mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool)
        if f.date_from:
            mask &= self.day >= (f.date_from - self.start).days
        if f.date_to:
            mask &= self.day <= (f.date_to - self.start).days
        if f.relevant_only:
            mask &= self.relevant
        for key, wanted in (("outlet", f.outlets), ("bloc", f.blocs), ("theme", f.themes),
                            ("actor", f.actors)):  # fmt: skip
            if wanted:
                mask &= self._any(key, wanted)
        if not full_tone(f):
            with np.errstate(invalid="ignore"):
                mask &= (self.tone >= f.tone_min) & (self.tone <= f.tone_max)
        if f.query.strip():
            mask &= self._text(f.query.strip())
        return mask

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
        return {
            self.start + timedelta(days=int(i)): (
                int(counts[i]), float(sums[i]), int(toned_counts[i])
            )
            for i in np.flatnonzero(counts)
        }  # fmt: skip

    def articles(self, f: Filters, day: date, limit: int) -> list[dict[str, Any]]:
        """The most relevant articles of `day` under `f` (as list_articles(sort="relevance")
        orders them: relevance, then the newest id): id, title, outlet, bloc."""
        mask = self._mask(f) & (self.day == (day - self.start).days)
        chosen = np.flatnonzero(mask)
        order = np.lexsort((-self.ids[chosen], -self.relevance[chosen]))[:limit]
        return [
            {"id": int(self.ids[i]), "title": self.titles[i], "outlet": self.outlets[i],
             "bloc": self.blocs[i]}
            for i in chosen[order]
        ]  # fmt: skip


def _index(values: Sequence[str]) -> dict[str, np.ndarray]:
    """value → the positions that hold it, as a boolean array."""
    positions: dict[str, list[int]] = defaultdict(list)
    for i, value in enumerate(values):
        positions[value].append(i)
    return _index_positions(positions, len(values))


def _index_positions(positions: dict[str, list[int]], size: int) -> dict[str, np.ndarray]:
    found = {}
    for name, where in positions.items():
        flags = np.zeros(size, dtype=bool)
        flags[where] = True
        found[name] = flags
    return found


def read_window(conn: Any, start: date, end: date, engine: Any = None) -> WatchWindow:
    """Three reads of the articles published from `start` to `end`: the articles, their
    themes and their actors (a text filter asks `engine` later)."""
    in_window = (_a.published_day >= start, _a.published_day <= end)
    rows = conn.execute(
        sa.select(
            _a.id, _a.published_day, _a.outlet, _a.bloc, _a.relevant, _a.tone, _a.relevance,
            _a.title,
        ).where(*in_window)
    ).all()  # fmt: skip
    position = {row[0]: i for i, row in enumerate(rows)}

    def index_of(table: sa.Table, column: str) -> dict[str, np.ndarray]:
        positions: dict[str, list[int]] = defaultdict(list)
        statement = (
            sa.select(table.c.article_id, table.c[column])
            .select_from(table.join(articles, articles.c.id == table.c.article_id))
            .where(*in_window)
        )
        for article_id, name in conn.execute(statement):
            if article_id in position:
                positions[name].append(position[article_id])
        return _index_positions(positions, len(rows))

    outlets, blocs = [r[2] for r in rows], [r[3] for r in rows]
    return WatchWindow(
        start=start,
        end=end,
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        day=np.array([(as_day(r[1]) - start).days for r in rows], dtype=np.int64),  # type: ignore[operator]
        relevant=np.array([bool(r[4]) for r in rows], dtype=bool),
        tone=np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
        relevance=np.array([r[6] for r in rows], dtype=float),
        titles=[r[7] for r in rows],
        outlets=outlets,
        blocs=blocs,
        by={
            "outlet": _index(outlets),
            "bloc": _index(blocs),
            "theme": index_of(article_themes, "theme"),
            "actor": index_of(article_actors, "actor"),
        },
        engine=engine,
    )
