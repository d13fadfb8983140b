"""The articles of a few days held in memory, so a thousand watches are counted after a poll
round with one read instead of a thousand (core/alerts/runner.py; bench/bench_alerts.py).

`WatchWindow.daily_counts(f)` answers what `WatchStore.daily_counts` answers from SQL — articles,
tone sum and tone count per day under the filters — with the same meaning as
core/storage/plan.py's `article_where`: any of the outlets, blocs, themes or actors; the tone
range (leaving out articles without a tone when narrowed); the text in the title or summary,
case-insensitive. (SQLite's lower() folds ASCII only; here, as on PostgreSQL, all of Unicode.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa

from core.models import Filters
from core.storage.plan import full_tone
from core.storage.schema import article_actors, article_themes, articles
from core.storage.values import as_day

_a = articles.c


@dataclass
class WatchWindow:
    """Articles published from `start` to `end`, as arrays (one entry per article)."""

    start: date
    end: date
    day: np.ndarray
    """Day index (0 = start) of each article."""
    outlet: np.ndarray
    bloc: np.ndarray
    relevant: np.ndarray
    tone: np.ndarray
    """NaN for an article without a tone."""
    text: list[str]
    """Title and summary, lower-cased, for the text filter."""
    themes: dict[str, np.ndarray]
    actors: dict[str, np.ndarray]
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    relevance: np.ndarray = field(default_factory=lambda: np.zeros(0))
    titles: list[str] = field(default_factory=list)
    _queries: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def _mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(len(self.day), dtype=bool)
        if f.date_from:
            mask &= self.day >= (f.date_from - self.start).days
        if f.date_to:
            mask &= self.day <= (f.date_to - self.start).days
        if f.outlets:
            mask &= np.isin(self.outlet, list(f.outlets))
        if f.blocs:
            mask &= np.isin(self.bloc, list(f.blocs))
        if f.relevant_only:
            mask &= self.relevant
        if f.themes:
            mask &= _any(self.themes, f.themes, len(mask))
        if f.actors:
            mask &= _any(self.actors, f.actors, len(mask))
        if not full_tone(f):
            with np.errstate(invalid="ignore"):
                mask &= (self.tone >= f.tone_min) & (self.tone <= f.tone_max)
        query = f.query.strip().lower()
        if query:
            if query not in self._queries:
                self._queries[query] = np.fromiter(
                    (query in t for t in self.text), dtype=bool, count=len(self.text)
                )
            mask &= self._queries[query]
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
            {"id": int(self.ids[i]), "title": self.titles[i], "outlet": str(self.outlet[i]),
             "bloc": str(self.bloc[i])}
            for i in chosen[order]
        ]  # fmt: skip


def _any(index: dict[str, np.ndarray], wanted: Iterable[str], size: int) -> np.ndarray:
    found = np.zeros(size, dtype=bool)
    for name in wanted:
        if name in index:
            found |= index[name]
    return found


def read_window(conn: Any, start: date, end: date) -> WatchWindow:
    """Three reads of the articles published from `start` to `end`: the articles, their
    themes and their actors."""
    in_window = (_a.published_day >= start, _a.published_day <= end)
    rows = conn.execute(
        sa.select(
            _a.id,
            _a.published_day,
            _a.outlet,
            _a.bloc,
            _a.relevant,
            _a.tone,
            _a.title,
            _a.summary,
            _a.relevance,
        ).where(*in_window)
    ).all()
    position = {row[0]: i for i, row in enumerate(rows)}

    def index_of(table: sa.Table, column: str) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        statement = (
            sa.select(table.c.article_id, table.c[column])
            .select_from(table.join(articles, articles.c.id == table.c.article_id))
            .where(*in_window)
        )
        for article_id, name in conn.execute(statement):
            if article_id in position:
                found.setdefault(name, np.zeros(len(rows), dtype=bool))[position[article_id]] = True
        return found

    return WatchWindow(
        start=start,
        end=end,
        day=np.array([(as_day(r[1]) - start).days for r in rows], dtype=np.int64),  # type: ignore[operator]
        outlet=np.array([r[2] for r in rows], dtype=object),
        bloc=np.array([r[3] for r in rows], dtype=object),
        relevant=np.array([bool(r[4]) for r in rows], dtype=bool),
        tone=np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
        text=[f"{r[6]}\n{r[7]}".lower() for r in rows],
        themes=index_of(article_themes, "theme"),
        actors=index_of(article_actors, "actor"),
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        relevance=np.array([r[8] for r in rows], dtype=float),
        titles=[r[6] for r in rows],
    )
