"""A filtered page's article and theme charts derived from two small aggregates of its
matches, instead of one pass over the matches per chart.

A filter no rollup has a key for (an actor, a text search, a narrowed tone: core/storage/plan.py)
makes every chart a pass over the matching articles, which costs in proportion to the matches
(at 1M articles 0.1–0.4 s each), and a page made 7–10 of them. The charts below derive from:

- the article digest: per day, bloc, outlet and relevance, the articles and their tone sums;
- the theme digest: per day, bloc, theme and centrality, the same, over the articles the
  filters select, every theme named (a theme filter and "passing mentions" are applied when
  deriving).

The dashboard counts both from the page's match frame, read once for every chart of the page
(core/storage/matches.py); `article_digest` and `theme_digest` here read them with SQL, the
reference the frame's are tested against (tests/test_match_frames.py). The pure functions below
derive from them exactly what the per-chart reads give (tests/test_digest_reads.py compares
them on SQLite and PostgreSQL); the dashboard's loaders use them when `reads_matches` says the
page reads the articles (core/dashboard/loaders.py), and the per-chart reads when it reads
rollups, which cost little at any size.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ARTICLES, THEMES, Plan, needs_articles

ARTICLE_DIGEST_COLUMNS = [
    "day", "bloc", "outlet", "relevant", "articles", "tone_sum", "tone_count",
]  # fmt: skip
THEME_DIGEST_COLUMNS = [
    "day", "bloc", "theme", "central", "articles", "tone_sum", "tone_count",
]  # fmt: skip


reads_matches = needs_articles
"""Filters no rollup can answer make a page read its matches from the articles; its charts
are then best derived from the digests (core/storage/plan.py decides it for every read)."""


def article_key(f: Filters) -> Filters:
    """The filters an article digest is read under ("passing mentions" matters only to a theme
    filter). Not every article, relevant or not, though the headline figures count both: a
    GROUP BY sorts every row it reads (SQLite has no hash aggregation), which costs more than
    the one-row read of the figures (Store.overview_figures) that need them."""
    return dataclasses.replace(f, mentions=f.mentions and bool(f.themes))


def theme_key(f: Filters) -> Filters:
    """The filters a theme digest is read under: every theme of the selected articles (a theme
    filter keeps its themes' rows when deriving: an article counted under a selected theme is
    one the filter keeps), centrality a key."""
    return dataclasses.replace(f, themes=(), mentions=False)


def _digest(store: StoreBase, p: Plan, keys: list[Any], columns: list[str]) -> pd.DataFrame:
    statement = (
        sa.select(*keys, p.articles(), p.tone_sum(), p.tone_count())
        .select_from(p.source)
        .where(*p.where)
        .group_by(*keys)
    )
    frame = store._frame(statement, columns)
    frame["relevant" if "relevant" in frame else "central"] = frame[columns[3]].astype(bool)
    frame["tone_sum"] = frame["tone_sum"].astype(float).fillna(0.0)
    return frame


class DigestReads(StoreBase):
    def article_digest(self, f: Filters) -> pd.DataFrame:
        """Per day, bloc, outlet and relevance (ARTICLE_DIGEST_COLUMNS): the articles of
        `article_key(f)`, the sum of their tones and how many have one."""
        p = self.plan(article_key(f), ARTICLES, rollups=False)
        keys = [p.col(c) for c in ("day", "bloc", "outlet", "relevant")]
        return _digest(self, p, keys, ARTICLE_DIGEST_COLUMNS)

    def theme_digest(self, f: Filters) -> pd.DataFrame:
        """Per day, bloc, theme and centrality (THEME_DIGEST_COLUMNS): the articles of
        `theme_key(f)` naming the theme, the sum of their tones and how many have one."""
        p = self.plan(dataclasses.replace(theme_key(f), mentions=True), THEMES, rollups=False)
        keys = [p.col(c) for c in ("day", "bloc", "theme", "central")]
        return _digest(self, p, keys, THEME_DIGEST_COLUMNS)


def shown_articles(articles: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The article digest's rows the page shows: the relevant ones unless `f` asks for all."""
    return articles[articles["relevant"]] if f.relevant_only else articles


def counted_themes(themes: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The theme digest's rows a theme chart counts: central themes unless `f.mentions`, the
    selected themes under a theme filter."""
    keep = pd.Series(True, index=themes.index)
    if not f.mentions:
        keep &= themes["central"]
    if f.themes:
        keep &= themes["theme"].isin(f.themes)
    return themes[keep]


def _sum(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    return frame.groupby(keys, as_index=False, sort=True)[columns].sum()


def day_totals(articles: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Articles per day (day, total) under `f`."""
    totals = _sum(shown_articles(articles, f), ["day"], ["articles"])
    return totals.rename(columns={"articles": "total"})


def volume_from(
    articles: pd.DataFrame,
    themes: pd.DataFrame | None,
    f: Filters,
    by: Literal["bloc", "theme", "outlet", "total"],
) -> pd.DataFrame:
    """Store.volume_by_day(f, by) (all articles, copies included); `themes` is read by theme
    only."""
    if by == "theme":
        assert themes is not None, "a volume by theme derives from the theme digest"
        frame = _sum(counted_themes(themes, f), ["day", "theme"], ["articles"])
        frame = frame.rename(columns={"theme": "key"})
    else:
        shown = shown_articles(articles, f)
        shown = shown.assign(key="all") if by == "total" else shown.rename(columns={by: "key"})
        frame = _sum(shown, ["day", "key"], ["articles"])
    frame = frame[frame["articles"] > 0]
    if not len(frame):
        return pd.DataFrame(columns=["day", "key", "articles", "total"])
    return frame.merge(day_totals(articles, f), on="day", how="left").reset_index(drop=True)


def _mean_tone(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    summed = _sum(frame, keys, ["tone_sum", "tone_count"])
    summed = summed[summed["tone_count"] > 0]
    mean = summed["tone_sum"] / summed["tone_count"]
    return summed[keys].assign(mean_tone=mean, articles=summed["tone_count"])


def tone_from(
    articles: pd.DataFrame | None,
    themes: pd.DataFrame | None,
    f: Filters,
    by: Literal["bloc", "theme", "outlet"],
) -> pd.DataFrame:
    """Store.tone_by_day(f, by): per day and key, the mean tone and the articles with a tone
    (from the theme digest by theme, else from the article digest)."""
    if by == "theme":
        assert themes is not None, "a tone by theme derives from the theme digest"
        frame = _mean_tone(counted_themes(themes, f), ["day", "theme"])
    else:
        assert articles is not None, "a tone by bloc or outlet derives from the article digest"
        frame = _mean_tone(shown_articles(articles, f), ["day", by])
    return frame.rename(columns={"theme" if by == "theme" else by: "key"}).reset_index(drop=True)


def theme_tone_by_bloc_day_from(themes: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.theme_tone_by_bloc_day(f): per day, theme and bloc, the mean tone."""
    frame = _mean_tone(counted_themes(themes, f), ["day", "theme", "bloc"])
    return frame.rename(columns={"theme": "key"}).reset_index(drop=True)


def theme_by_bloc_from(articles: pd.DataFrame, themes: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.theme_by_bloc(f): per bloc and theme, the articles and their share of the bloc's."""
    per_theme = _sum(counted_themes(themes, f), ["bloc", "theme"], ["articles"])
    totals = _sum(shown_articles(articles, f), ["bloc"], ["articles"])
    frame = per_theme.merge(totals.rename(columns={"articles": "bloc_articles"}), on="bloc")
    frame = frame[frame["articles"] > 0]
    frame = frame.assign(
        share=frame["articles"] / frame["bloc_articles"].where(frame["bloc_articles"] > 0)
    )
    return frame.reset_index(drop=True)
