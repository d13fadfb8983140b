"""What one story looks like, side by side per bloc, and when it is a blindspot.

Pure functions over plain values, so storage can compute the same summary from stored rows
(`StoryMember` per article) as the index does from live ones. Rules:

- **Representative headline**: among the independent reports (copies excluded), the headline
  sharing the most content words with the story's other headlines (summed Jaccard over at most
  HEADLINE_POOL of them); a tie goes to the earliest (published, id).
- **Per bloc**: articles (copies included: each publication is an outlet's choice), independent
  reports, outlets, mean tone and mean relations score over the articles that have one (None
  when none has), central themes (the TOP_THEMES themes tagged on most of the bloc's articles)
  and actors (the TOP_ACTORS actors mentioned in most), ties by name.
- **Blindspot** (`blindspots`): only a story with at least MIN_REPORTS independent reports can
  be one. (a) "covered only by …": all its articles come from one bloc. (b) "no … outlet
  reported it": a side bloc (Russian state, independent Russian, US, European, Ukrainian)
  published nothing on the story although it published at least MIN_THEME_ARTICLES articles on
  one of the story's central themes over the story's period (the caller counts these, e.g. from
  first seen − 1 day to last seen + 1 day); both Russian blocs missing read "no Russian outlet
  reported it". Wire services and "other" are never missing: they are not a side.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.models import BLOCS, Analysis

HEADLINE_POOL = 50
TOP_THEMES = 3
TOP_ACTORS = 5
MIN_REPORTS = 3
MIN_THEME_ARTICLES = 5

BLOC_NAMES: dict[str, str] = {
    "russian-state": "Russian state media",
    "russian-independent": "independent Russian media",
    "us": "US media",
    "european": "European media",
    "ukrainian": "Ukrainian media",
    "wire": "wire services",
    "other": "other outlets",
}
"""How a blindspot names a bloc."""

MISSING_NAMES: dict[tuple[str, ...], str] = {
    ("russian-state", "russian-independent"): "no Russian outlet reported it",
    ("russian-state",): "no Russian state outlet reported it",
    ("russian-independent",): "no independent Russian outlet reported it",
    ("us",): "no US outlet reported it",
    ("european",): "no European outlet reported it",
    ("ukrainian",): "no Ukrainian outlet reported it",
}
SIDE_BLOCS: tuple[str, ...] = (
    "russian-state",
    "russian-independent",
    "us",
    "european",
    "ukrainian",
)

_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True, slots=True)
class StoryMember:
    """What a summary needs of one article of a story."""

    article_id: str
    published: datetime
    outlet: str
    bloc: str
    title: str
    copy_of: str | None = None
    tone: float | None = None
    themes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    relations: float | None = None


def member(
    article_id: str,
    published: datetime,
    outlet: str,
    bloc: str,
    title: str,
    copy_of: str | None = None,
    analysis: Analysis | None = None,
    relations: float | None = None,
) -> StoryMember:
    """A StoryMember from an article's fields and (optional) Analysis."""
    if analysis is None:
        return StoryMember(article_id, published, outlet, bloc, title, copy_of, relations=relations)
    actors = tuple(sorted({mention.actor for mention in analysis.actors}))
    return StoryMember(
        article_id,
        published,
        outlet,
        bloc,
        title,
        copy_of,
        analysis.tone,
        analysis.theme_names,
        actors,
        relations,
    )


@dataclass(frozen=True, slots=True)
class BlocCoverage:
    """One bloc's share of a story, and how it framed it."""

    bloc: str
    articles: int
    reports: int
    outlets: tuple[str, ...]
    mean_tone: float | None
    mean_relations: float | None
    themes: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One story: who covered it, when, how many independent reports, and each bloc's view."""

    story_id: str
    headline: str
    first_seen: datetime
    last_seen: datetime
    articles: int
    reports: int
    outlets: tuple[str, ...]
    blocs: tuple[str, ...]
    themes: tuple[str, ...]
    by_bloc: tuple[BlocCoverage, ...]


@dataclass(frozen=True, slots=True)
class Blindspot:
    """A coverage gap: `kind` "only" (one bloc alone) or "missing" (blocs silent on it)."""

    kind: Literal["only", "missing"]
    blocs: tuple[str, ...]
    message: str


def _top(counts: Counter[str], limit: int) -> tuple[str, ...]:
    return tuple(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def representative_headline(members: Sequence[StoryMember]) -> str:
    """The headline most like the others (see the module docstring)."""
    pool = (
        sorted(
            (m for m in members if m.copy_of is None), key=lambda m: (m.published, m.article_id)
        )[:HEADLINE_POOL]
        or sorted(members, key=lambda m: (m.published, m.article_id))[:1]
    )
    if len(pool) <= 1:
        return pool[0].title if pool else ""
    words = [frozenset(_WORD.findall(m.title.lower())) for m in pool]
    # each pair's Jaccard once (it is symmetric), then each row summed in the pool's order
    similar: list[list[float]] = [[0.0] * len(words) for _ in words]
    for index, mine in enumerate(words):
        row = similar[index]
        for other_index in range(index + 1, len(words)):
            other = words[other_index]
            if mine or other:
                shared = len(mine & other)
                row[other_index] = similar[other_index][index] = shared / (
                    len(mine) + len(other) - shared
                )
    best, best_score = pool[0].title, -1.0
    for index, mine in enumerate(words):
        row = similar[index]
        score = sum(
            [
                row[other_index]
                for other_index, other in enumerate(words)
                if other_index != index and (mine or other)
            ]
        )
        if score > best_score:
            best, best_score = pool[index].title, score
    return best


def summarize(story_id: str, members: Sequence[StoryMember]) -> StorySummary:
    """The summary of a story from its articles (any order; an empty story is allowed)."""
    by_bloc: dict[str, list[StoryMember]] = {}
    for m in members:
        by_bloc.setdefault(m.bloc, []).append(m)
    order = {bloc: index for index, bloc in enumerate(BLOCS)}
    blocs = tuple(sorted(by_bloc, key=lambda bloc: (order.get(bloc, len(order)), bloc)))
    coverage = []
    for bloc in blocs:
        group = by_bloc[bloc]
        coverage.append(
            BlocCoverage(
                bloc=bloc,
                articles=len(group),
                reports=sum(1 for m in group if m.copy_of is None),
                outlets=tuple(sorted({m.outlet for m in group})),
                mean_tone=_mean(m.tone for m in group),
                mean_relations=_mean(m.relations for m in group),
                themes=_top(Counter(t for m in group for t in set(m.themes)), TOP_THEMES),
                actors=_top(Counter(a for m in group for a in set(m.actors)), TOP_ACTORS),
            )
        )
    published = [m.published for m in members]
    return StorySummary(
        story_id=story_id,
        headline=representative_headline(members),
        first_seen=min(published) if published else datetime.min,
        last_seen=max(published) if published else datetime.min,
        articles=len(members),
        reports=sum(1 for m in members if m.copy_of is None),
        outlets=tuple(sorted({m.outlet for m in members})),
        blocs=blocs,
        themes=_top(Counter(t for m in members for t in set(m.themes)), TOP_THEMES),
        by_bloc=tuple(coverage),
    )


def blindspots(
    summary: StorySummary,
    theme_coverage: Mapping[str, Mapping[str, int]],
    *,
    min_reports: int = MIN_REPORTS,
    min_theme_articles: int = MIN_THEME_ARTICLES,
) -> tuple[Blindspot, ...]:
    """The blindspots of a story; `theme_coverage[bloc][theme]` counts the bloc's articles on
    the theme over the story's period (all articles, not only this story's)."""
    if summary.reports < min_reports:
        return ()
    found: list[Blindspot] = []
    if len(summary.blocs) == 1:
        bloc = summary.blocs[0]
        found.append(Blindspot("only", (bloc,), f"covered only by {BLOC_NAMES.get(bloc, bloc)}"))
    missing = [
        bloc
        for bloc in SIDE_BLOCS
        if bloc not in summary.blocs
        and any(
            theme_coverage.get(bloc, {}).get(theme, 0) >= min_theme_articles
            for theme in summary.themes
        )
    ]
    if "russian-state" in missing and "russian-independent" in missing:
        missing.remove("russian-independent")
        missing[missing.index("russian-state")] = "russia"
    for bloc in missing:
        key = ("russian-state", "russian-independent") if bloc == "russia" else (bloc,)
        found.append(Blindspot("missing", key, MISSING_NAMES[key]))
    return tuple(found)
