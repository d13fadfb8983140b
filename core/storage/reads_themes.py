"""Reads by theme, term and actor: themes per day, per bloc and per outlet with their shares,
theme pairs, the terms that tagged each theme, the actors named most, and the daily summary the
CSV export writes. Each source is chosen by core/storage/plan.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ACTORS, ARTICLES, PAIRS, TERMS, THEMES, Plan
from core.storage.reads_relations import relations_by_outlet_day


def articles_by(
    store: StoreBase, p: Plan, keys: Sequence[str], counted: str = "articles"
) -> pd.DataFrame:
    """The articles per combination of `keys` under the plan, in a column named `counted`."""
    columns = [p.col(key) for key in keys]
    statement = (
        sa.select(*columns, p.articles()).select_from(p.source).where(*p.where).group_by(*columns)
    )
    return store._frame(statement, [*keys, counted])


def theme_shares(store: StoreBase, totals: Plan, key: str, total: str) -> pd.DataFrame:
    """Articles per `key` and theme, and the key's share: a theme's articles over all the key's
    articles (column `total`) under the same filters; themes without articles left out."""
    per_theme = articles_by(store, totals.by_theme(), [key, "theme"])
    frame = per_theme.merge(articles_by(store, totals, [key], total), on=key, how="left")
    frame = frame[frame["articles"] > 0] if len(frame) else frame
    frame["share"] = frame["articles"] / frame[total].where(frame[total] > 0)
    return frame


def theme_series(
    store: StoreBase, f: Filters, *, value: Literal["articles", "tone"], by_bloc: bool = False
) -> pd.DataFrame:
    """Per day and theme (and bloc): articles, or mean tone. A theme filter shows only the
    selected themes, so the rollup's theme rows answer it exactly."""
    p = store.plan(f, THEMES, needs={"bloc"} if by_bloc else ())
    keys = [p.col("day"), p.col("theme")] + ([p.col("bloc")] if by_bloc else [])
    measures = [p.articles()] if value == "articles" else [p.mean_tone(), p.tone_count()]
    statement = (
        sa.select(*keys, *measures)
        .select_from(p.source)
        .where(*p.where)
        .group_by(*keys)
        .order_by(keys[0])
    )
    columns = ["day", "key"] + (["bloc"] if by_bloc else [])
    columns += ["articles"] if value == "articles" else ["mean_tone", "articles"]
    frame = store._frame(statement, columns)
    if value == "tone" and len(frame):
        frame = frame[frame["articles"] > 0].dropna(subset=["mean_tone"])
    return frame


def with_blocs(frame: pd.DataFrame, blocs: pd.DataFrame) -> pd.DataFrame:
    """A frame by outlet with each outlet's bloc (Store.outlet_blocs)."""
    if not len(frame):
        return frame.merge(pd.DataFrame(columns=["outlet", "bloc"]), on="outlet", how="left")
    return frame.merge(blocs, on="outlet", how="left")


class ThemeReads(StoreBase):
    def theme_by_bloc(self, f: Filters) -> pd.DataFrame:
        return self._theme_by(f, "bloc")

    def theme_by_outlet(self, f: Filters) -> pd.DataFrame:
        return with_blocs(self._theme_by(f, "outlet"), self.outlet_blocs(f))

    def outlet_blocs(self, f: Filters) -> pd.DataFrame:
        """Each outlet of `f.outlets` (every outlet when none) with its bloc (the first by name,
        should it have had several), over every day: from a rollup."""
        every_day = self.plan(
            Filters(outlets=f.outlets, relevant_only=False), ARTICLES, needs={"outlet"}
        )
        outlet = every_day.col("outlet")
        return self._frame(
            sa.select(outlet, sa.func.min(every_day.col("bloc")))
            .select_from(every_day.source)
            .where(*every_day.where)
            .group_by(outlet),
            ["outlet", "bloc"],
        )

    def _theme_by(self, f: Filters, by: Literal["bloc", "outlet"]) -> pd.DataFrame:
        """Articles per key and theme, and the key's share (`theme_shares`)."""
        totals = self.plan(f, ARTICLES, needs={by})
        return theme_shares(self, totals, by, f"{by}_articles").reset_index(drop=True)

    def theme_cooccurrence(self, f: Filters) -> pd.DataFrame:
        """Pairs of themes tagged on the same article (theme_a < theme_b)."""
        p = self.plan(f, PAIRS)
        first, second = p.col("theme_a"), p.col("theme_b")
        statement = (
            sa.select(first, second, p.articles())
            .select_from(p.source)
            .where(*p.where)
            .group_by(first, second)
            .having(p.articles() > 0)
            .order_by(first, second)
        )
        return self._frame(statement, ["theme_a", "theme_b", "articles"])

    def top_terms(self, f: Filters, limit_per_theme: int = 10) -> pd.DataFrame:
        """The terms that tagged each theme most (hits), with the articles they appear in."""
        p = self.plan(f, TERMS)
        theme, term = p.col("theme"), p.col("term")
        statement = (
            sa.select(theme, term, p.total("hits"), p.articles())
            .select_from(p.source)
            .where(*p.where)
            .group_by(theme, term)
        )
        frame = self._frame(statement, ["theme", "term", "hits", "articles"])
        if not len(frame):
            return frame
        frame = frame[frame["articles"] > 0]
        frame = frame.sort_values(["theme", "hits", "term"], ascending=[True, False, True])
        return frame.groupby("theme", sort=True).head(limit_per_theme).reset_index(drop=True)

    def top_actors(self, f: Filters, limit: int = 15) -> pd.DataFrame:
        """The actors mentioned in the most articles."""
        p = self.plan(f, ACTORS)
        actor, side, named = p.col("actor"), p.col("side"), p.articles()
        statement = (
            sa.select(actor, side, named, p.total("mentions"))
            .select_from(p.source)
            .where(*p.where)
            .group_by(actor, side)
            .having(named > 0)
            .order_by(named.desc(), actor)
            .limit(limit)
        )
        return self._frame(statement, ["actor", "side", "articles", "mentions"])

    def daily_summary(self, f: Filters) -> pd.DataFrame:
        """Per day × outlet × theme: articles, the share of the outlet's articles that day, tone;
        and the outlet's relations that day (every theme): the index (`relations_score`, empty
        without an event), its events, those weighing more (`cooperation_events`) and less
        (`conflict_events`) than 0."""
        totals = self.plan(f, ARTICLES, needs={"outlet"})
        themed = totals.by_theme()
        keys = [themed.col(c) for c in ("day", "outlet", "bloc", "theme")]
        per_theme = self._frame(
            sa.select(*keys, themed.articles(), themed.tone_sum(), themed.tone_count())
            .select_from(themed.source)
            .where(*themed.where)
            .group_by(*keys),
            ["day", "outlet", "bloc", "theme", "articles", "tone_sum", "tone_count"],
        )
        every_theme = totals.with_filters(dataclasses.replace(f, themes=()))
        per_outlet = articles_by(self, every_theme, ["day", "outlet"], "outlet_articles")
        frame = per_theme[per_theme["articles"] > 0] if len(per_theme) else per_theme
        frame = frame.merge(per_outlet, on=["day", "outlet"], how="left")
        frame["share"] = frame["articles"] / frame["outlet_articles"]
        frame["mean_tone"] = frame["tone_sum"] / frame["tone_count"].where(frame["tone_count"] > 0)
        relations = relations_by_outlet_day(self, dataclasses.replace(f, themes=())).rename(
            columns={
                "score": "relations_score", "events": "relations_events",
                "cooperation": "cooperation_events", "conflict": "conflict_events",
            }
        )  # fmt: skip
        counts = ["relations_events", "cooperation_events", "conflict_events"]
        relations = relations[["day", "outlet", "relations_score", *counts]]
        frame = frame.merge(relations, on=["day", "outlet"], how="left")
        frame[counts] = frame[counts].fillna(0).astype(int)
        frame = frame.rename(columns={"day": "date"})
        columns: list[Any] = [
            "date", "outlet", "bloc", "theme", "articles", "outlet_articles", "share", "mean_tone",
            "relations_score", *counts,
        ]  # fmt: skip
        return frame[columns].sort_values(["date", "outlet", "theme"]).reset_index(drop=True)
