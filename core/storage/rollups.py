"""Rollup arithmetic, without SQL: what one article adds to every rollup (its footprint), and the
sum of the changes a batch of writes makes (+footprint for a new article, -old +new for a
changed one), which the write path adds to the tables in one upsert per table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import sqlalchemy as sa

from core.models import Analysis, AnalyzedArticle
from core.storage.schema import (
    ALL,
    actor_rollup,
    bloc_rollup,
    daily_rollup,
    pair_rollup,
    term_rollup,
    tone_rollup,
)
from core.storage.tone_bins import tone_bin


@dataclass(frozen=True, slots=True)
class Counted:
    """Per-article counts, written to the article's evidence tables and added to the rollups."""

    themes: tuple[tuple[str, int, bool], ...]  # theme, hits, in title
    terms: tuple[tuple[str, str, int], ...]  # theme, term, hits
    actors: tuple[tuple[str, str, int], ...]  # actor, side, mentions


def counts(analysis: Analysis) -> Counted:
    """Per-article counts from the evidence: hits of the themes the article is tagged with (the
    terms of untagged themes do not count), mentions per actor."""
    hits: defaultdict[str, int] = defaultdict(int)
    titled: set[str] = set()
    term_hits: defaultdict[tuple[str, str], int] = defaultdict(int)
    tagged = set(analysis.theme_names)
    for match in analysis.themes:
        if match.theme in tagged:
            hits[match.theme] += 1
            term_hits[(match.theme, match.term)] += 1
            if match.field == "title":
                titled.add(match.theme)
    mentions: defaultdict[tuple[str, str], int] = defaultdict(int)
    for mention in analysis.actors:
        mentions[(mention.actor, mention.side)] += 1
    return Counted(
        themes=tuple((t, hits[t], t in titled) for t in analysis.theme_names),
        terms=tuple((theme, term, n) for (theme, term), n in term_hits.items()),
        actors=tuple((actor, side, n) for (actor, side), n in mentions.items()),
    )


@dataclass(frozen=True, slots=True)
class Footprint:
    """What one article adds to the rollups."""

    day: date
    outlet: str
    bloc: str
    relevant: bool
    tone: float | None
    themes: tuple[str, ...]
    terms: tuple[tuple[str, str, int], ...]
    actors: tuple[tuple[str, str, int], ...]
    lang: str = "und"


def footprint_of(
    analysis: Analysis, day: date, outlet: str, bloc: str, counted: Counted
) -> Footprint:
    return Footprint(
        day, outlet, bloc, bool(analysis.relevant), analysis.tone,
        tuple(analysis.theme_names), counted.terms, counted.actors, analysis.lang,
    )  # fmt: skip


def footprint(item: AnalyzedArticle, counted: Counted) -> Footprint:
    article = item.article
    day = article.published.astimezone(UTC).date()
    return footprint_of(item.analysis, day, article.outlet, article.bloc, counted)


class Deltas:
    """Changes to every rollup from a batch of writes: +footprint for new, -old +new for changed."""

    def __init__(self) -> None:
        self.daily: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.blocs: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0])
        self.actors: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.terms: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.pairs: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0])
        self.tones: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0])

    def add(self, fp: Footprint, sign: int) -> None:
        base, lang = (fp.day, fp.bloc, fp.relevant), fp.lang
        for theme in (ALL, *fp.themes):
            for cell in (
                self.daily[(fp.day, fp.outlet, fp.bloc, theme, fp.relevant, lang)],
                self.blocs[(fp.day, fp.bloc, theme, fp.relevant, lang)],
            ):
                cell[0] += sign
                if fp.tone is not None:
                    cell[1] += sign * fp.tone
                    cell[2] += sign
        for actor, side, mentions in fp.actors:
            actor_cell = self.actors[(*base, actor, side, lang)]
            actor_cell[0] += sign
            actor_cell[1] += sign * mentions
        for theme, term, hits in fp.terms:
            term_cell = self.terms[(*base, theme, term, lang)]
            term_cell[0] += sign * hits
            term_cell[1] += sign
        ordered = sorted(set(fp.themes))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                self.pairs[(*base, first, second, lang)][0] += sign
        if fp.tone is not None:
            key = (fp.day, fp.outlet, fp.bloc, fp.relevant, tone_bin(fp.tone), lang)
            self.tones[key][0] += sign

    def tables(self) -> list[tuple[sa.Table, dict[tuple[Any, ...], list[Any]]]]:
        return [
            (daily_rollup, dict(self.daily)),
            (bloc_rollup, dict(self.blocs)),
            (actor_rollup, dict(self.actors)),
            (term_rollup, dict(self.terms)),
            (pair_rollup, dict(self.pairs)),
            (tone_rollup, dict(self.tones)),
        ]
