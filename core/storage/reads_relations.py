"""Reads of the relations reading (core/analysis/relations.py): the cooperation–conflict index
per day by direction or bloc, the events per category, and how many stored analyses are older
than the lexicons. Each source is chosen by core/storage/plan.py.

The index of a set of events is their mean effective weight / 10, in −1 … 1 (the article score
of core/analysis/relations.py over all the events together): negated cooperation weighs −4,
negated conflict 0, a hypothetical half its weight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ARTICLES, BY_DIRECTION, CATEGORIES, RELATIONS
from core.storage.schema import analysed_with

RELATIONS_DAY_COLUMNS = (
    "day", "key", "score", "events", "articles", "weight_sum", "cooperation", "conflict",
)  # fmt: skip
"""`Store.relations_by_day`: per day and key, the index (score), the events, the articles
holding them, the sum of the events' effective weights (to pool days into weeks: the sum over
the events, / 10), and the events that weigh more (cooperation) or less (conflict) than 0."""
RELATIONS_CATEGORY_COLUMNS = ("category", "quad", "events", "articles", "weight_sum", "score")
"""`Store.relations_by_category`: per event category (config/relations.toml) and its quad class."""


def _score(frame: pd.DataFrame) -> pd.Series:
    """Mean effective weight / 10, clipped to −1 … 1."""
    events = frame["events"].where(frame["events"] > 0)
    return (frame["weight_sum"].astype(float) / events / 10.0).clip(-1.0, 1.0).round(6)


def relations_by_outlet_day(store: StoreBase, f: Filters) -> pd.DataFrame:
    """Per day and outlet with an event: the index (score), the events, the sum of their
    weights, cooperation and conflict events."""
    p = store.plan(f, RELATIONS, needs={"outlet"})
    day, outlet = p.col("day"), p.col("outlet")
    statement = (
        sa.select(
            day, outlet, p.measure("events"), p.measure("weight_sum"),
            p.measure("cooperation"), p.measure("conflict"),
        )
        .select_from(p.source)
        .where(*p.where)
        .group_by(day, outlet)
    )  # fmt: skip
    names = ["day", "outlet", "events", "weight_sum", "cooperation", "conflict"]
    frame = store._frame(statement, names)
    frame = frame[frame["events"] > 0] if len(frame) else frame
    return frame.assign(score=_score(frame) if len(frame) else [])


class RelationsReads(StoreBase):
    def relations_by_day(self, f: Filters, by: Literal["direction", "bloc"]) -> pd.DataFrame:
        """The cooperation–conflict index per day, by direction (key us-russia, russia-us or
        mutual: who acts on whom) or by the reporting outlet's bloc; columns
        RELATIONS_DAY_COLUMNS. Days without an event have no row. An event-category filter
        counts the selected events only."""
        p = (
            self.plan(f, BY_DIRECTION, needs={"direction"})
            if by == "direction"
            else self.plan(f, RELATIONS, needs={"bloc"})
        )
        day, key = p.col("day"), p.col(by)
        statement = (
            sa.select(
                day, key, p.measure("events"), p.measure("articles"), p.measure("weight_sum"),
                p.measure("cooperation"), p.measure("conflict"),
            )
            .select_from(p.source)
            .where(*p.where)
            .group_by(day, key)
            .order_by(day, key)
        )  # fmt: skip
        names = ["day", "key", "events", "articles", "weight_sum", "cooperation", "conflict"]
        frame = self._frame(statement, names)
        frame = frame[frame["events"] > 0] if len(frame) else frame
        frame = frame.assign(score=_score(frame) if len(frame) else [])
        return frame[list(RELATIONS_DAY_COLUMNS)].reset_index(drop=True)

    def relations_by_category(self, f: Filters) -> pd.DataFrame:
        """Events per category and quad class, most events first; columns
        RELATIONS_CATEGORY_COLUMNS (score: the category's mean effective weight / 10)."""
        p = self.plan(f, CATEGORIES)
        category, quad = p.col("category"), p.col("quad")
        statement = (
            sa.select(
                category, quad, p.measure("events"), p.measure("articles"), p.measure("weight_sum")
            )
            .select_from(p.source)
            .where(*p.where)
            .group_by(category, quad)
        )
        frame = self._frame(statement, ["category", "quad", "events", "articles", "weight_sum"])
        frame = frame[frame["events"] > 0] if len(frame) else frame
        frame = frame.assign(score=_score(frame) if len(frame) else [])
        frame = frame.sort_values(["events", "category"], ascending=[False, True])
        return frame[list(RELATIONS_CATEGORY_COLUMNS)].reset_index(drop=True)

    def relations_by_outlet_day(self, f: Filters) -> pd.DataFrame:
        """Per day and outlet: columns day, outlet, events, weight_sum, cooperation,
        conflict, score (the daily CSV's relations columns)."""
        return relations_by_outlet_day(self, f)

    def stale_analyses(
        self, current_lexicon_version: str, current_analyzer_versions: str | Sequence[str]
    ) -> int:
        """How many stored articles were analysed with other lexicons or another analyzer than
        these (`detente retag` re-reads them): every article, from the rollup, less the
        current ones, found on ix_articles_versions."""
        every = self.plan(Filters(relevant_only=False), ARTICLES)
        with self.engine.connect() as conn:
            total = conn.execute(
                sa.select(sa.func.coalesce(every.articles(), 0))
                .select_from(every.source)
                .where(*every.where)
            ).scalar_one()
            current = conn.execute(
                sa.select(sa.func.count()).where(
                    analysed_with(current_lexicon_version, current_analyzer_versions)
                )
            ).scalar_one()
        return max(0, int(total) - int(current))
