"""Reads of an outlet's editions: the same outlet (same name) in each language it publishes in,
side by side — articles and tone per edition, the themes each emphasises as a share of its
articles, and the actors each names. An edition is outlet + the article's detected language, so
TASS in English and TASS in Russian are two editions of one outlet.

Every read here keeps the caller's filters except outlet and language, which it sets itself; the
sources are chosen by core/storage/plan.py (daily_rollup has outlet and language as keys, so
counts, tone and themes come from it; actors per outlet come from the articles)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ACTORS, ARTICLES
from core.storage.reads_themes import theme_shares

EDITION_COLUMNS = ["outlet", "lang", "articles", "mean_tone", "scored"]
"""One row per edition: its articles, their mean tone (None when none has a tone) and how many
have one."""


def _every_language(f: Filters, outlets: tuple[str, ...] = ()) -> Filters:
    return dataclasses.replace(f, outlets=outlets, languages=())


class EditionReads(StoreBase):
    def editions(self, f: Filters, *, min_languages: int = 2) -> pd.DataFrame:
        """Every edition of the outlets that publish in at least `min_languages` languages under
        the filters (outlet and language filters aside), largest outlet first."""
        p = self.plan(_every_language(f), ARTICLES, needs={"outlet", "lang"})
        outlet, lang = p.col("outlet"), p.col("lang")
        frame = self._frame(
            sa.select(outlet, lang, p.articles(), p.mean_tone(), p.tone_count())
            .select_from(p.source)
            .where(*p.where, *p.nonempty())
            .group_by(outlet, lang)
            .having(p.articles() > 0),
            EDITION_COLUMNS,
        )
        if not len(frame):
            return frame
        frame["mean_tone"] = frame["mean_tone"].astype(object).where(frame["scored"] > 0, None)
        frame["_total"] = frame.groupby("outlet")["articles"].transform("sum")
        frame = frame[frame.groupby("outlet")["lang"].transform("nunique") >= min_languages]
        frame = frame.sort_values(["_total", "outlet", "articles"], ascending=[False, True, False])
        return frame.drop(columns="_total").reset_index(drop=True)

    def edition_themes(self, f: Filters, outlet: str) -> pd.DataFrame:
        """Per edition of `outlet` and theme: articles tagged, and their share of the edition's
        articles under the same filters."""
        totals = self.plan(_every_language(f, (outlet,)), ARTICLES, needs={"outlet", "lang"})
        frame = theme_shares(self, totals, "lang", "edition_articles")
        frame.insert(0, "outlet", outlet)
        return frame.sort_values(["lang", "share", "theme"], ascending=[True, False, True])[
            ["outlet", "lang", "theme", "articles", "edition_articles", "share"]
        ].reset_index(drop=True)

    def edition_actors(self, f: Filters, outlet: str, limit: int = 10) -> pd.DataFrame:
        """Per edition of `outlet`: the actors named in most of its articles (at most `limit`)."""
        p = self.plan(_every_language(f, (outlet,)), ACTORS, needs={"lang"})
        lang, actor, side, named = p.col("lang"), p.col("actor"), p.col("side"), p.articles()
        frame = self._frame(
            sa.select(lang, actor, side, named, p.total("mentions"))
            .select_from(p.source)
            .where(*p.where)
            .group_by(lang, actor, side)
            .having(named > 0),
            ["lang", "actor", "side", "articles", "mentions"],
        )
        frame = frame.sort_values(["lang", "articles", "actor"], ascending=[True, False, True])
        frame = frame.groupby("lang", sort=True).head(limit)
        frame.insert(0, "outlet", outlet)
        return frame.reset_index(drop=True)
