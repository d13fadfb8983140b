"""Reads of stories: the Stories page's list (the sidebar's filters applied to stories), one
story with its articles, the stories export in bounded chunks, and an article's story.

Which filters apply to a story (core/storage/schema.py `stories`): the date range (the story's
first to last day overlaps it), outlets, blocs, themes and languages (any of its articles has
one of them) and "relevant only" (at least one of its articles is relevant). Actors, tone,
text search and event categories are filters of articles and do not apply to stories."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase, concatenated, newest_first
from core.storage.schema import article_stories, articles, stories
from core.storage.values import as_day, as_utc

STORY_COLUMNS: tuple[str, ...] = (
    "id", "headline", "first_seen", "last_seen", "articles", "reports", "outlets", "blocs",
    "themes", "coverage", "blindspot", "gap",
)  # fmt: skip
"""A listed or exported story. `articles` counts every copy, `reports` the independent reports
(syndicated copies left out); `coverage` is articles per bloc ("us 3, russian-state 2"); `gap`
the spread of the blocs' mean tone (the framing gap), empty below two blocs with a tone."""
STORY_ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "published", "outlet", "bloc", "title", "tone", "relations_score", "themes", "lang",
    "copy_of", "url",
)  # fmt: skip
"""The articles of one story, oldest first; `copy_of` is the id of the original a syndicated
copy reproduces (empty for an independent report)."""
STORY_SORTS: dict[str, str] = {
    "recent": "last seen, newest first",
    "size": "independent reports, most first",
    "gap": "framing gap (tone spread between blocs), widest first",
}
"""What `Store.list_stories` can sort by."""
STORY_DAY_COLUMNS: tuple[str, ...] = (
    "id", "headline", "first_day", "last_day", "articles", "reports", "outlets", "blocs",
    "coverage", "blindspot", "blindspot_kind",
)  # fmt: skip
"""A story seen on a day (`Store.stories_by_day`): `outlets` and `blocs` are tuples, `coverage`
the per-bloc list of core/stories/summary.py BlocCoverage as dicts."""

_t, _a, _s = stories.c, articles.c, article_stories.c
_LISTED = (
    _t.id, _t.headline, _t.first_seen, _t.last_seen, _t.articles, _t.reports, _t.outlets,
    _t.blocs, _t.themes, _t.coverage, _t.blindspot, _t.gap,
)  # fmt: skip
"""The columns of a listed or exported story (read into STORY_COLUMNS by `_story_frame`)."""


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """One story: who covered it (outlets, blocs, per-bloc coverage), when, how much, what its
    coverage lacks, and its articles (`members`, STORY_ARTICLE_COLUMNS)."""

    id: int
    """The id of the article that started the story."""
    headline: str
    outlets: tuple[str, ...]
    blocs: tuple[str, ...]
    coverage: tuple[dict[str, Any], ...]
    """Per bloc: its articles, reports, outlets and framing (core/stories/summary.py
    BlocCoverage, as dicts)."""
    first_seen: Any
    last_seen: Any
    articles: int
    """Every article of the story, syndicated copies included."""
    reports: int
    """The independent reports: the articles less the syndicated copies."""
    blindspot: str
    """What the story's coverage lacks ("; "-joined messages), "" for none."""
    gap: float | None
    """The framing gap: the spread of the blocs' mean tone, None below two blocs with a tone."""
    members: pd.DataFrame


StoryKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]
"""The parts of a set of filters that narrow stories (blocs, outlets, themes, languages,
relevant only): filters equal in these see the same stories of a day."""
_STORY_FILTERS = ("blocs", "outlets", "themes", "langs")


def story_key(f: Filters) -> StoryKey:
    return (f.blocs, f.outlets, f.themes, f.languages, bool(f.relevant_only))


@dataclass(frozen=True)
class StoriesOfDay:
    """The stories seen on one day with their filter keys; `matching` applies the story
    filters of `story_where` (any of the chosen blocs, outlets, themes, languages; relevant)
    in memory. Each chosen set of values is matched once and each story key (`story_key`)
    once, however many filters share them (the alert checks of a round ask for ~1,000)."""

    day: date
    frame: pd.DataFrame
    _found: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def positions(self, f: Filters) -> np.ndarray:
        """Where the stories `f` keeps are in `frame`, in its order."""
        key = story_key(f)
        if key not in self._found:
            keep = np.ones(len(self.frame), dtype=bool)
            for column, chosen in zip(_STORY_FILTERS, key[:4], strict=True):
                if chosen:
                    keep &= self._any_of(column, chosen)
            if f.relevant_only:
                keep &= self.frame["relevant"].to_numpy() > 0
            self._found[key] = np.flatnonzero(keep)
        return self._found[key]  # type: ignore[no-any-return]

    def _any_of(self, column: str, chosen: tuple[str, ...]) -> np.ndarray:
        """Which stories have one of `chosen` in `column` (a tuple of values each)."""
        part = (column, chosen)
        if part not in self._found:
            wanted = frozenset(chosen)
            self._found[part] = np.fromiter(
                (not wanted.isdisjoint(values) for values in self.frame[column]),
                dtype=bool,
                count=len(self.frame),
            )
        return self._found[part]  # type: ignore[no-any-return]

    def matching(self, f: Filters) -> pd.DataFrame:
        chosen = self.frame.iloc[self.positions(f)]
        return chosen.loc[:, list(STORY_DAY_COLUMNS)].reset_index(drop=True)

    def rows(self) -> list[dict[str, Any]]:
        """Every story of the day as `frame.to_dict("records")` (STORY_DAY_COLUMNS), converted
        once (the rows are shared: read them, do not change them)."""
        if "records" not in self._found:
            self._found["records"] = self.frame.loc[:, list(STORY_DAY_COLUMNS)].to_dict("records")
        return self._found["records"]  # type: ignore[no-any-return]

    def records(self, f: Filters) -> list[dict[str, Any]]:
        """`matching(f).to_dict("records")`, picked from `rows`."""
        every = self.rows()
        return [every[i] for i in self.positions(f)]


def unkeyed(text: str) -> tuple[str, ...]:
    """The values of a `|a|b|` key column (core/storage/story_store.py `keys`)."""
    return tuple(part for part in (text or "").split("|") if part)


def story_where(f: Filters) -> list[Any]:
    """The conditions a story meets under the filters (see the module docstring)."""
    where: list[Any] = []
    if f.date_from is not None:
        where.append(_t.last_day >= f.date_from)
    if f.date_to is not None:
        where.append(_t.first_day <= f.date_to)
    for column, chosen in (
        (_t.blocs, f.blocs),
        (_t.outlets, f.outlets),
        (_t.themes, f.themes),
        (_t.langs, f.languages),
    ):
        if chosen:
            where.append(
                sa.or_(*(column.contains(f"|{value}|", autoescape=True) for value in chosen))
            )
    if f.relevant_only:
        where.append(_t.relevant > 0)
    return where


_STORY_ORDER: dict[str, tuple[Any, ...]] = {
    "recent": (_t.last_seen.desc(),),
    "size": (_t.reports.desc(), _t.last_seen.desc()),
    "gap": (_t.gap.desc().nulls_last(), _t.last_seen.desc()),
}
"""The ORDER BY of each of STORY_SORTS (an unknown sort is "recent"); the id breaks ties."""


def _listed_where(f: Filters, blindspots_only: bool) -> list[Any]:
    """The stories the list and its count show: `story_where`, with a blindspot if asked."""
    where = story_where(f)
    if blindspots_only:
        where.append(_t.blindspot != "")
    return where


def _coverage_text(coverage: str) -> str:
    return ", ".join(f"{c['bloc']} {c['articles']}" for c in json.loads(coverage or "[]"))


class StoryReads(StoreBase):
    def list_stories(
        self,
        f: Filters,
        *,
        blindspots_only: bool = False,
        limit: int = 100,
        offset: int = 0,
        sort: str = "recent",
    ) -> pd.DataFrame:
        """The stories under the filters, one row each (STORY_COLUMNS), sorted by `sort`."""
        statement = (
            sa.select(*_LISTED)
            .where(*_listed_where(f, blindspots_only))
            .order_by(*_STORY_ORDER.get(sort, _STORY_ORDER["recent"]), _t.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        return _story_frame(rows)

    def count_stories(self, f: Filters, *, blindspots_only: bool = False) -> int:
        statement = sa.select(sa.func.count()).where(*_listed_where(f, blindspots_only))
        with self.engine.connect() as conn:
            return int(conn.execute(statement.select_from(stories)).scalar() or 0)

    def iter_export_stories(self, f: Filters, chunk: int = 5_000) -> Iterator[pd.DataFrame]:
        """Every matching story, most recently seen first, in chunks (keyset pagination on
        (last_seen, id)): memory stays bounded at any size."""
        statement = sa.select(*_LISTED).where(*story_where(f))
        for rows in newest_first(self.engine, statement, _t.last_seen, _t.id, chunk):
            yield _story_frame(rows)

    def export_stories(self, f: Filters) -> pd.DataFrame:
        return concatenated(self.iter_export_stories(f), STORY_COLUMNS)

    def get_story(self, story_id: int) -> StoryDetail | None:
        """One story with its articles (oldest first), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(stories).where(_t.id == story_id)).first()
            if row is None:
                return None
            members = conn.execute(
                sa.select(
                    _a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _a.tone,
                    _a.relations_score, _a.theme_list, _a.lang, _s.copy_of, _a.url,
                )
                .select_from(articles.join(article_stories, _s.article_id == _a.id))
                .where(_s.story_id == story_id)
                .order_by(_a.published_at, _a.id)
            ).all()  # fmt: skip
        frame = pd.DataFrame([tuple(r) for r in members], columns=list(STORY_ARTICLE_COLUMNS))
        frame["published"] = frame["published"].map(as_utc)
        frame["copy_of"] = frame["copy_of"].astype("Int64")
        return StoryDetail(
            id=int(row.id),
            headline=row.headline,
            first_seen=as_utc(row.first_seen),
            last_seen=as_utc(row.last_seen),
            articles=int(row.articles),
            reports=int(row.reports),
            outlets=unkeyed(row.outlets),
            blocs=unkeyed(row.blocs),
            blindspot=row.blindspot,
            gap=row.gap,
            coverage=tuple(json.loads(row.coverage or "[]")),
            members=frame,
        )

    def story_of_article(self, article_id: int) -> tuple[int, int | None, list[int]] | None:
        """An article's story, the original it copies (or None) and the ids of its copies;
        None when it has no story yet."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(_s.story_id, _s.copy_of).where(_s.article_id == article_id)
            ).first()
            if row is None:
                return None
            copies = conn.execute(
                sa.select(_s.article_id)
                .where(_s.story_id == row.story_id, _s.copy_of == article_id)
                .order_by(_s.article_id)
            ).scalars()
            return int(row.story_id), row.copy_of, [int(c) for c in copies]

    def stories_by_day(self, f: Filters, day: date) -> pd.DataFrame:
        """The stories under the filters seen on `day` (first to last day spans it), newest
        first (STORY_DAY_COLUMNS); which filters apply is as in `story_where`, the filters' own
        dates replaced by `day`."""
        return self.stories_of_day(day).matching(f)

    def stories_of_day(self, day: date) -> StoriesOfDay:
        """Every story seen on `day`, read once, to be matched to many filters in memory: the
        alert checks of a round (core/alerts/checks.py StoryCheck) make one read for all
        watches."""
        statement = (
            sa.select(
                _t.id, _t.headline, _t.first_day, _t.last_day, _t.articles, _t.reports,
                _t.outlets, _t.blocs, _t.coverage, _t.blindspot, _t.blindspot_kind, _t.themes,
                _t.langs, _t.relevant,
            )
            .where(_t.last_day >= day, _t.first_day <= day)
            .order_by(_t.first_day.desc(), _t.id.desc())
        )  # fmt: skip
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        records = [
            (
                int(r.id), r.headline, as_day(r.first_day), as_day(r.last_day), int(r.articles),
                int(r.reports), unkeyed(r.outlets), unkeyed(r.blocs),
                json.loads(r.coverage or "[]"), r.blindspot, r.blindspot_kind, unkeyed(r.themes),
                unkeyed(r.langs), int(r.relevant or 0),
            )
            for r in rows
        ]  # fmt: skip
        columns = [*STORY_DAY_COLUMNS, "themes", "langs", "relevant"]
        return StoriesOfDay(day, pd.DataFrame(records, columns=columns))

    def story_totals(self, f: Filters) -> tuple[int, int, int]:
        """(stories, articles, independent reports) under the filters: all copies counted, and
        syndicated copies left out."""
        statement = sa.select(
            sa.func.count(), sa.func.sum(_t.articles), sa.func.sum(_t.reports)
        ).where(*story_where(f))
        with self.engine.connect() as conn:
            count, total, reports = conn.execute(statement).one()
        return int(count or 0), int(total or 0), int(reports or 0)


def _story_frame(rows: Sequence[Any]) -> pd.DataFrame:
    records = [
        (
            int(r.id), r.headline, as_utc(r.first_seen), as_utc(r.last_seen), int(r.articles),
            int(r.reports), ", ".join(unkeyed(r.outlets)), ", ".join(unkeyed(r.blocs)),
            ", ".join(unkeyed(r.themes)), _coverage_text(r.coverage), r.blindspot, r.gap,
        )
        for r in rows
    ]  # fmt: skip
    return pd.DataFrame(records, columns=list(STORY_COLUMNS))
