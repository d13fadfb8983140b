"""Rollup arithmetic, without SQL: what one article adds to every rollup (its footprint), and the
sum of the changes a batch of writes makes (+footprint for a new article, -old +new for a
changed one), which the write path adds to the tables in one upsert per table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import sqlalchemy as sa

from core.models import Analysis, AnalyzedArticle, RelationEvent
from core.storage import schema
from core.storage.schema import ALL
from core.storage.tone_bins import tone_bin

Event = tuple[str, str, str, float]
"""What a relations event adds to the rollups: direction, category, quad class, weight."""


@dataclass(frozen=True, slots=True)
class Counted:
    """Per-article counts, written to the article's evidence tables and added to the rollups."""

    themes: tuple[tuple[str, int, bool, bool, float | None], ...]
    """theme, hits, in title, central, salience"""
    terms: tuple[tuple[str, str, int], ...]  # theme, term, hits
    actors: tuple[tuple[str, str, int], ...]  # actor, side, mentions
    events: tuple[Event, ...] = ()


def direction(event: RelationEvent) -> str:
    """us-russia, russia-us or mutual (core/storage/schema.py DIRECTIONS)."""
    if event.source == "mutual" or event.target == "mutual":
        return "mutual"
    return f"{event.source}-{event.target}"


def central_themes(analysis: Analysis) -> set[str]:
    """The themes counted by default: the central ones, or every theme named when the analysis
    has no salience (it predates it), so older analyses keep being counted as they were."""
    if analysis.theme_salience:
        return set(analysis.central_themes)
    return set(analysis.theme_names)


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
    central = central_themes(analysis)
    salience = dict(analysis.theme_salience)
    return Counted(
        themes=tuple(
            (t, hits[t], t in titled, t in central, salience.get(t)) for t in analysis.theme_names
        ),
        terms=tuple((theme, term, n) for (theme, term), n in term_hits.items()),
        actors=tuple((actor, side, n) for (actor, side), n in mentions.items()),
        events=tuple(
            (direction(e), e.category, e.quad, e.weight) for e in analysis.relations.events
        ),
    )


@dataclass(frozen=True, slots=True)
class Footprint:
    """What one article adds to the rollups."""

    day: date
    outlet: str
    bloc: str
    relevant: bool
    tone: float | None
    themes: tuple[tuple[str, bool], ...]  # theme, central
    terms: tuple[tuple[str, str, int], ...]
    actors: tuple[tuple[str, str, int], ...]
    events: tuple[Event, ...] = ()
    lang: str = "und"


def footprint_of(
    analysis: Analysis, day: date, outlet: str, bloc: str, counted: Counted
) -> Footprint:
    themes = tuple((theme, central) for theme, _, _, central, _ in counted.themes)
    return Footprint(
        day, outlet, bloc, bool(analysis.relevant), analysis.tone,
        themes, counted.terms, counted.actors, counted.events, analysis.lang,
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
        self.relations: defaultdict[tuple[Any, ...], list[float]] = defaultdict(
            lambda: [0, 0, 0.0, 0, 0]
        )
        self.events: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0, 0.0])

    def add(self, fp: Footprint, sign: int) -> None:
        base, lang = (fp.day, fp.bloc, fp.relevant), fp.lang
        central = dict(fp.themes)
        for theme, is_central in ((ALL, True), *fp.themes):
            for cell in (
                self.daily[(fp.day, fp.outlet, fp.bloc, theme, fp.relevant, is_central, lang)],
                self.blocs[(fp.day, fp.bloc, theme, fp.relevant, is_central, lang)],
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
            term_cell = self.terms[(*base, theme, term, central.get(theme, True), lang)]
            term_cell[0] += sign * hits
            term_cell[1] += sign
        ordered = sorted(central)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                both = central[first] and central[second]
                self.pairs[(*base, first, second, both, lang)][0] += sign
        if fp.tone is not None:
            key = (fp.day, fp.outlet, fp.bloc, fp.relevant, tone_bin(fp.tone), lang)
            self.tones[key][0] += sign
        if fp.events:
            self._add_events(fp, sign)

    def _add_events(self, fp: Footprint, sign: int) -> None:
        """Per direction (and ALL), and per category: events, weights, and the article once."""
        by_direction: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0])
        by_category: defaultdict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
        for way, category, quad, weight in fp.events:
            for key in (ALL, way):
                cell = by_direction[key]
                cell[0] += 1
                cell[1] += weight
                cell[2] += weight > 0
                cell[3] += weight < 0
            counted = by_category[(category, quad)]
            counted[0] += 1
            counted[1] += weight
        for way, (events, weights, cooperation, conflict) in by_direction.items():
            row = self.relations[(fp.day, fp.outlet, fp.bloc, fp.relevant, way, fp.lang)]
            row[0] += sign
            row[1] += sign * events
            row[2] += sign * weights
            row[3] += sign * cooperation
            row[4] += sign * conflict
        for (category, quad), (events, weights) in by_category.items():
            row = self.events[(fp.day, fp.bloc, fp.relevant, category, quad, fp.lang)]
            row[0] += sign
            row[1] += sign * events
            row[2] += sign * weights

    def tables(self) -> list[tuple[sa.Table, dict[tuple[Any, ...], list[Any]]]]:
        return [
            (schema.daily_rollup, dict(self.daily)),
            (schema.bloc_rollup, dict(self.blocs)),
            (schema.actor_rollup, dict(self.actors)),
            (schema.term_rollup, dict(self.terms)),
            (schema.pair_rollup, dict(self.pairs)),
            (schema.tone_rollup, dict(self.tones)),
            (schema.relations_rollup, dict(self.relations)),
            (schema.event_rollup, dict(self.events)),
        ]
