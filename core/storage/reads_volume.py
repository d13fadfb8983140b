"""Reads of how much was published: the Overview's figures, articles per day by key, and counts.
Each source is chosen by core/storage/plan.py."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ARTICLES, COPIES, COPY_THEMES, Plan, actor_count_where
from core.storage.reads_themes import theme_series
from core.storage.schema import actor_rollup, articles, feeds
from core.storage.tone_count import tone_count, tone_count_statements
from core.storage.values import as_utc


def article_figures(
    f: Filters, total: Any, relevant: Any, tone_sum: Any, tone_n: Any, outlets: Any
) -> dict[str, Any]:
    """The headline figures of the articles: from the articles of every relevance (`total`,
    `relevant`), the shown ones' tone sum and count and their outlets."""
    return {
        "articles": int((relevant if f.relevant_only else total) or 0),
        "all_articles": int(total or 0),
        "relevant_share": (relevant / total) if total else 0.0,
        "mean_tone": (tone_sum / tone_n) if tone_n else None,
        "active_outlets": int(outlets or 0),
    }


class VolumeReads(StoreBase):
    def overview_figures(self, f: Filters) -> dict[str, Any]:
        """The headline figures, in one pass over every article of the other filters (relevant
        or not): a filtered read costs in proportion to the articles it reads, so the shown
        (relevant) ones are counted in the same pass rather than in a second."""
        everything = self.plan(
            dataclasses.replace(f, relevant_only=False), ARTICLES, needs={"outlet"}
        )
        is_relevant = everything.col("relevant").is_(True)
        shown = is_relevant if f.relevant_only else None
        outlet = everything.col("outlet")
        figures = sa.select(
            sa.func.coalesce(everything.articles(), 0),
            sa.func.coalesce(everything.articles_where(is_relevant), 0),
            everything.tone_sum(shown),
            everything.tone_count(shown),
            sa.func.count(sa.distinct(outlet if shown is None else sa.case((shown, outlet)))),
        ).select_from(everything.source)
        with self.engine.connect() as conn:
            total, relevant, tone_sum, tone_n, outlets = conn.execute(
                figures.where(*everything.where, *everything.nonempty())
            ).one()
        return {
            **article_figures(f, total, relevant, tone_sum, tone_n, outlets),
            **self.desk_figures(),
        }

    def desk_figures(self) -> dict[str, Any]:
        """The headline figures no filter changes: the last poll, the feeds failing and in
        all, and whether the articles are the demo's."""
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
            "last_poll": as_utc(last_poll),
            "failing_feeds": int(failing or 0),
            "feeds": int(feed_count or 0),
            "demo": demo is not None,
        }

    def volume_by_day(
        self,
        f: Filters,
        by: Literal["bloc", "theme", "outlet", "total"],
        *,
        independent: bool = False,
    ) -> pd.DataFrame:
        """Articles per day and key, with the day's total under the same filters. With
        `independent`, syndicated copies (article_stories.copy_of set) are left out: the
        rollups count every article, so the copies, counted from the articles under the same
        filters (a join of the narrow article_stories), are subtracted per day and key."""
        if by == "theme":
            frame = theme_series(self, f, value="articles")
            totals = self._frame(_per_day(self.plan(f, ARTICLES)), ["day", "total"])
        else:
            p = self.plan(f, ARTICLES, needs=() if by == "total" else {by})
            key = sa.literal("all") if by == "total" else p.col(by)
            frame = self._frame(_per_day(p, key.label("key")), ["day", "key", "articles"])
            # an article has one bloc and one outlet: the day's total is the sum of its keys
            # (a second pass would cost as much again when the read is not from a rollup)
            totals = frame.groupby("day", as_index=False, sort=True)["articles"].sum()
            totals = totals.rename(columns={"articles": "total"})
        if independent:
            frame, totals = self._less_copies(f, by, frame, totals)
        frame = frame[frame["articles"] > 0] if len(frame) else frame
        return frame.merge(totals, on="day", how="left") if len(frame) else frame.assign(total=[])

    def _less_copies(
        self, f: Filters, by: str, frame: pd.DataFrame, totals: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """`frame` (day, key, articles) and `totals` (day, total) less the syndicated copies."""
        copies = self.plan(f, COPY_THEMES if by == "theme" else COPIES)
        key = sa.literal("all") if by == "total" else copies.col(by)
        per_key = self._frame(_per_day(copies, key.label("key")), ["day", "key", "copies"])
        per_day = self._frame(_per_day(self.plan(f, COPIES)), ["day", "copies"])
        if len(frame) and len(per_key):
            frame = frame.merge(per_key, on=["day", "key"], how="left")
            frame["articles"] = frame["articles"] - frame.pop("copies").fillna(0).astype(int)
        if len(totals) and len(per_day):
            totals = totals.merge(per_day, on="day", how="left")
            totals["total"] = totals["total"] - totals.pop("copies").fillna(0).astype(int)
        return frame, totals

    def count_matching(self, f: Filters) -> int:
        """How many articles the filters match (from a rollup when one can answer: under a
        single actor, the actors' rollup; under a narrowed tone range, the tone bins'
        rollup and the articles at the range's ends: core/storage/tone_count.py)."""
        named = actor_count_where(f)
        if named is not None:
            counted = sa.select(sa.func.coalesce(sa.func.sum(actor_rollup.c.articles), 0))
            with self.engine.connect() as conn:
                return int(conn.execute(counted.where(*named)).scalar_one())
        toned = tone_count(f, self.engine.dialect.name)
        if toned is not None:
            with self.engine.connect() as conn:
                parts = tone_count_statements(toned)
                return sum(sign * int(conn.execute(part).scalar_one()) for sign, part in parts)
        p = self.plan(f, ARTICLES)
        statement = sa.select(sa.func.coalesce(p.articles(), 0)).select_from(p.source)
        with self.engine.connect() as conn:
            return int(conn.execute(statement.where(*p.where)).scalar_one())

    def count_articles(self) -> int:
        """Every stored article, from the rollup (a count(*) reads the whole table at 1M)."""
        return self.count_matching(Filters(relevant_only=False))


def _per_day(p: Plan, *keys: Any) -> Any:
    """Articles per day (and keys) under the plan's filters."""
    day = p.col("day")
    return (
        sa.select(day, *keys, p.articles())
        .select_from(p.source)
        .where(*p.where)
        .group_by(day, *keys)
        .order_by(day)
    )
