"""Tone histogram bins, computed the same way in Python (the write path's rollup deltas) and in
SQL (the migration that backfills tone_rollup, and histograms read from the articles)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

TONE_BINS = 20
"""tone_rollup counts articles in 20 bins of width 0.1 over [-1, 1]; histograms with a number
of bins dividing 20 are read from it."""


def tone_bin(tone: float, bins: int = TONE_BINS) -> int:
    """The histogram bin of a tone in [-1, 1] (the last bin includes 1.0). SQL computes the
    same expression, (tone + 1) * (bins / 2), so both sides agree at the edges."""
    return min(bins - 1, int((tone + 1.0) * (bins / 2.0)))


def floor_int(value: Any, dialect: str) -> Any:
    """floor() of a non-negative number; SQLite has no floor() unless built with math functions,
    and a CAST truncates, which is floor for values >= 0."""
    if dialect == "sqlite":
        return sa.cast(value, sa.Integer)
    return sa.cast(sa.func.floor(value), sa.Integer)


def tone_bin_sql(tone: Any, bins: int, dialect: str) -> Any:
    """tone_bin() in SQL."""
    raw = floor_int((tone + 1.0) * (bins / 2.0), dialect)
    return sa.case((raw >= bins, bins - 1), else_=raw)
