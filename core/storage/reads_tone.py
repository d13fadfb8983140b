"""Reads of tone: mean tone per day by key, per theme and bloc (the framing gap), and tone
histograms. Each source is chosen by core/storage/plan.py."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.plan import ARTICLES, TONES
from core.storage.reads_themes import theme_series
from core.storage.tone_bins import TONE_BINS


def histogram(counted: pd.DataFrame, bins: int) -> pd.DataFrame:
    """Articles per key and tone bin (`counted`: key, bin, articles) as a histogram's rows:
    key, bin_start, bin_end, articles."""
    width = 2.0 / bins
    frame = counted[counted["articles"] > 0]
    frame = frame.assign(bin_start=(-1.0 + frame["bin"].astype(float) * width).round(6))
    frame = frame.assign(bin_end=(frame["bin_start"] + width).round(6))
    return (
        frame[["key", "bin_start", "bin_end", "articles"]]
        .sort_values(["key", "bin_start"])
        .reset_index(drop=True)
    )


class ToneReads(StoreBase):
    def tone_by_day(self, f: Filters, by: Literal["bloc", "theme", "outlet"]) -> pd.DataFrame:
        if by == "theme":
            return theme_series(self, f, value="tone")
        p = self.plan(f, ARTICLES, needs={by})
        day, key = p.col("day"), p.col(by)
        statement = (
            sa.select(day, key, p.mean_tone(), p.tone_count())
            .select_from(p.source)
            .where(*p.where)
            .group_by(day, key)
            .order_by(day)
        )
        frame = self._frame(statement, ["day", "key", "mean_tone", "articles"])
        return frame[frame["articles"] > 0].dropna(subset=["mean_tone"]) if len(frame) else frame

    def theme_tone_by_bloc_day(self, f: Filters) -> pd.DataFrame:
        """The framing gap: per day, theme and bloc, the mean tone."""
        return theme_series(self, f, value="tone", by_bloc=True)

    def tone_histogram(
        self, f: Filters, by: Literal["outlet", "bloc"] = "outlet", bins: int = 20
    ) -> pd.DataFrame:
        """Articles per tone bin (of width 2/bins over [-1, 1]) per outlet or bloc; null tone
        (non-English) is left out."""
        p = self.plan(f, TONES, rollups=TONE_BINS % bins == 0)
        key, bucket = p.col(by), p.tone_bin(bins, self.dialect)
        statement = (
            sa.select(key, bucket, p.articles())
            .select_from(p.source)
            .where(*p.where)
            .group_by(key, bucket)
        )
        return histogram(self._frame(statement, ["key", "bin", "articles"]), bins)
