"""Counting the articles under a narrowed tone range from tone_rollup (core/storage/schema.py).

No rollup has a tone key, but tone_rollup counts articles per tone bin (core/storage/
tone_bins.py): the bins whose edges lie inside the range are summed there, and only the articles
near the range's two ends are read, from a covering index of article_facts led by tone
(migration 15: core/storage/migrations.py). At 1M articles the Articles page under `tone=0,1`
otherwise walks every relevant article of its range.

The count is exact: a bin's edges are nominal (-1 + k * 0.1) while the bin of a tone is computed
in floating point, so a tone within a hair of an edge may sit in the next bin. The articles of
the summed bins just outside the range are taken off and those of the other bins inside it
added, both read from article_facts (`ToneCount.corrections`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.models import Filters
from core.storage.plan import article_where, full_tone, on_facts, rollup_can_answer, rollup_where
from core.storage.schema import article_facts, tone_rollup
from core.storage.tone_bins import TONE_BINS, tone_bin_sql

_f = article_facts.c
HAIR = 1e-6
"""Wider than any floating-point error of a bin's computation near an edge (~1e-15), narrower
than any tone range the sidebar offers (steps of 0.05)."""


def bins_within(low: float, high: float, bins: int = TONE_BINS) -> range:
    """The bins whose nominal edges lie within [low, high] (up to a rounding error)."""
    half = bins / 2.0
    first = max(0, math.ceil((low + 1.0) * half - 1e-9))
    last = min(bins - 1, math.floor((high + 1.0) * half + 1e-9) - 1)
    return range(first, last + 1)


@dataclass(frozen=True)
class ToneCount:
    """The parts of an exact count under a tone range: the rollup's WHERE over the summed bins,
    and the corrections read from article_facts, each a (sign, tone window, other WHERE)."""

    rollup_where: list[Any]
    corrections: list[tuple[int, Any, list[Any]]]


def tone_count(f: Filters, dialect: str) -> ToneCount | None:
    """How to count the articles of `f` from tone_rollup, when its other filters are ones the
    rollup answers (no actor, text, theme or event category); None: count the articles."""
    if full_tone(f) or f.actors:
        return None
    rest = dataclasses.replace(f, tone_min=-1.0, tone_max=1.0)
    if not rollup_can_answer(tone_rollup, rest, per_theme=False):
        return None
    low, high, tone = f.tone_min, f.tone_max, _f.tone
    summed = bins_within(low, high)
    kept = [on_facts(clause) for clause in article_where(rest)]
    if not summed:
        return ToneCount([sa.false()], [(1, tone.between(low, high), kept)])
    in_summed = tone_bin_sql(tone, TONE_BINS, dialect).between(summed.start, summed.stop - 1)
    lo_edge = -1.0 + summed.start * 2.0 / TONE_BINS
    hi_edge = -1.0 + summed.stop * 2.0 / TONE_BINS
    return ToneCount(
        [*rollup_where(tone_rollup, rest, per_theme=False), tone_rollup.c.bin.in_(list(summed))],
        [
            (-1, sa.and_(tone >= low - HAIR, tone < low), [*kept, in_summed]),
            (-1, sa.and_(tone > high, tone <= high + HAIR), [*kept, in_summed]),
            (1, tone.between(low, min(high, lo_edge + HAIR)), [*kept, sa.not_(in_summed)]),
            (1, tone.between(max(low, hi_edge - HAIR), high), [*kept, sa.not_(in_summed)]),
        ],
    )


def tone_count_statements(parts: ToneCount) -> list[tuple[int, Any]]:
    """The count's statements with their signs: the rollup's sum, then each correction, read
    from article_facts' covering index led by tone (migration 15), never from the rows."""
    summed = sa.select(sa.func.coalesce(sa.func.sum(tone_rollup.c.articles), 0))
    statements: list[tuple[int, Any]] = [(1, summed.where(*parts.rollup_where))]
    for sign, window, where in parts.corrections:
        counted = sa.select(sa.func.count()).select_from(article_facts).where(window, *where)
        statements.append((sign, counted))
    return statements
