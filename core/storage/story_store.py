"""Stories in the database: what the story index reads (articles with the start of their text,
and the stored assignments of the live stories after a restart), the assignments it writes
(`article_stories`), and each touched story's row in `stories`, summarised from its stored
articles by core/stories/summary.py in the same transaction.

A story's summary is always recomputed from the stored rows of all its articles, so a story
reads the same whether it was built by the poll rounds or by `detente stories rebuild`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.storage.base import chunks
from core.storage.bulk import BulkWrites
from core.storage.schema import ALL, article_stories, articles, bloc_rollup, stories
from core.storage.values import as_day, as_utc
from core.stories.summary import StoryMember, StorySummary, blindspots, summarize

TEXT_CHARS = 4_000
"""Only the start of an article's text is read for clustering: the copy detector shingles the
first 4,000 characters and the story vector reads the lead (core/stories/copies.py MAX_CHARS)."""
THEME_MARGIN = timedelta(days=1)
"""A blindspot's "missing" bloc is judged by its articles on the story's themes from first seen
− 1 day to last seen + 1 day (core/stories/summary.py)."""

_a, _s, _t = articles.c, article_stories.c, stories.c


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One stored article as the story index needs it, with its stored assignment (if any)."""

    id: int
    published: datetime
    outlet: str
    bloc: str
    title: str
    text: str
    story_id: int | None = None
    copy_of: int | None = None


@dataclass(frozen=True, slots=True)
class Assigned:
    """An article's story (the id of the article that started it) and its original, if a copy."""

    article_id: int
    story_id: int
    copy_of: int | None = None


def keys(values: Iterable[str]) -> str:
    """Values written `|a|b|` (sorted, "|" removed from each) for a LIKE filter on one column."""
    cleaned = sorted({value.replace("|", "/") for value in values if value})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


def _text() -> Any:
    """The text the analysis read ('' in analyzed_text means: the content), its first
    TEXT_CHARS characters."""
    body = sa.case((_a.analyzed_text == "", _a.content), else_=_a.analyzed_text)
    return sa.func.substr(body, 1, TEXT_CHARS)


class StoryStore(BulkWrites):
    # --- what the index reads ----------------------------------------------------------------

    def newest_published(self) -> datetime | None:
        with self.engine.connect() as conn:
            newest: datetime | None = as_utc(
                conn.execute(sa.select(sa.func.max(_a.published_at))).scalar()
            )
        return newest

    def newest_story_seen(self) -> datetime | None:
        """The publication time of the newest article with a story (the index's clock)."""
        with self.engine.connect() as conn:
            clock: datetime | None = as_utc(
                conn.execute(sa.select(sa.func.max(_t.last_seen))).scalar()
            )
        return clock

    def last_assigned_article(self) -> int:
        """The highest article id with a story (0 when none has): the poll step clusters the
        unassigned articles above it."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(_s.article_id))).scalar() or 0)

    def live_story_articles(self, since: datetime) -> list[StoryArticle]:
        """Every article of the stories last seen at or after `since`, with its assignment, in
        (published, id) order: what `StoryIndex.restore` needs after a restart."""
        live = sa.select(_t.id).where(_t.last_seen >= since).scalar_subquery()
        statement = (
            sa.select(
                _a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _text(), _s.story_id,
                _s.copy_of,
            )
            .select_from(articles.join(article_stories, _s.article_id == _a.id))
            .where(_s.story_id.in_(live))
            .order_by(_a.published_at, _a.id)
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [_story_article(row) for row in conn.execute(statement).all()]

    def unassigned_articles(
        self, *, above: int = 0, since: datetime | None = None, limit: int = 5_000
    ) -> list[StoryArticle]:
        """Articles without a story whose id is above `above` (and, given `since`, published at
        or after it), at most `limit`, in id order (the caller sorts what it clusters)."""
        where = [_a.id > above, _s.article_id.is_(None)]
        if since is not None:
            where.append(_a.published_at >= since)
        statement = (
            sa.select(_a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _text())
            .select_from(articles.outerjoin(article_stories, _s.article_id == _a.id))
            .where(*where)
            .order_by(_a.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_story_article(row) for row in conn.execute(statement).all()]

    def iter_articles_in_order(self, chunk: int = 2_000) -> Iterator[list[StoryArticle]]:
        """Every stored article in (published, id) order, in chunks (keyset pagination):
        `detente stories rebuild` replays them."""
        after: tuple[Any, int] | None = None
        while True:
            where = []
            if after is not None:
                where.append(
                    sa.or_(
                        _a.published_at > after[0],
                        sa.and_(_a.published_at == after[0], _a.id > after[1]),
                    )
                )
            statement = (
                sa.select(_a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _text())
                .where(*where)
                .order_by(_a.published_at, _a.id)
                .limit(chunk)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(statement).all()
            if not rows:
                return
            after = (rows[-1][1], rows[-1][0])
            yield [_story_article(row) for row in rows]
            if len(rows) < chunk:
                return

    # --- writes ------------------------------------------------------------------------------

    def save_stories(self, assigned: Sequence[Assigned]) -> int:
        """Store the assignments and rewrite the row of every story they touch, in one
        transaction; returns how many stories were rewritten. An article already assigned keeps
        its story (an article never moves once stored)."""
        if not assigned:
            return 0
        touched = sorted({item.story_id for item in assigned})
        with self._write() as conn:
            rows = [
                {"article_id": a.article_id, "story_id": a.story_id, "copy_of": a.copy_of}
                for a in assigned
            ]
            self._bulk(conn, "article_stories", lambda: self._insert_ignore(article_stories), rows)
            for chunk in chunks(touched, 500):
                self._summarise(conn, chunk)
        return len(touched)

    def clear_stories(self) -> None:
        """Forget every story and assignment (before a rebuild)."""
        with self._write() as conn:
            conn.execute(article_stories.delete())
            conn.execute(stories.delete())

    def _summarise(self, conn: Connection, story_ids: list[int]) -> None:
        members: defaultdict[int, list[StoryMember]] = defaultdict(list)
        listed: dict[str, tuple[str, ...]] = {}  # theme and actor lists repeat across a story
        langs: defaultdict[int, set[str]] = defaultdict(set)
        relevant: defaultdict[int, int] = defaultdict(int)
        statement = (
            sa.select(
                _s.story_id, _a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _s.copy_of,
                _a.tone, _a.theme_list, _a.actor_list, _a.relations_score, _a.lang, _a.relevant,
            )
            .select_from(articles.join(article_stories, _s.article_id == _a.id))
            .where(_s.story_id.in_(story_ids))
        )  # fmt: skip
        for (
            story_id, article_id, published, outlet, bloc, title, copy_of, tone, themes, actors,
            relations, lang, is_relevant,
        ) in conn.execute(statement).all():  # fmt: skip
            members[story_id].append(
                StoryMember(
                    str(article_id),
                    as_utc(published),
                    outlet,
                    bloc,
                    title,
                    None if copy_of is None else str(copy_of),
                    tone,
                    _listed(themes, listed),
                    _listed(actors, listed),
                    relations,
                )
            )
            langs[story_id].add(lang)
            if is_relevant:
                relevant[story_id] += 1
        summaries = {
            story_id: summarize(str(story_id), found) for story_id, found in members.items()
        }
        coverage = self._theme_coverage(conn, list(summaries.values()))
        now = datetime.now(UTC)
        rows = []
        for story_id, summary in summaries.items():
            theme_counts = coverage(summary)
            spots = blindspots(summary, theme_counts)
            themes = {t for m in members[story_id] for t in m.themes}
            tones = [c.mean_tone for c in summary.by_bloc if c.mean_tone is not None]
            rows.append(
                {
                    "id": story_id,
                    "headline": summary.headline,
                    "first_seen": summary.first_seen,
                    "last_seen": summary.last_seen,
                    "first_day": summary.first_seen.date(),
                    "last_day": summary.last_seen.date(),
                    "articles": summary.articles,
                    "reports": summary.reports,
                    "relevant": relevant[story_id],
                    "outlets": keys(summary.outlets),
                    "blocs": keys(summary.blocs),
                    "themes": keys(themes),
                    "langs": keys(langs[story_id]),
                    "coverage": json.dumps([_coverage(c) for c in summary.by_bloc]),
                    "blindspot": "; ".join(spot.message for spot in spots),
                    "blindspot_kind": ",".join(dict.fromkeys(spot.kind for spot in spots)),
                    "gap": round(max(tones) - min(tones), 6) if len(tones) >= 2 else None,
                    "updated_at": now,
                }
            )
        # an upsert (a second poller's step may write the same story meanwhile), through the
        # driver's executemany like the other bulk writes (core/storage/bulk.py)
        self._bulk(conn, "stories", self._story_upsert, rows)

    def _story_upsert(self) -> Any:
        insert = self._insert_dialect()(stories)
        columns = [c.name for c in stories.columns if c.name != "id"]
        return insert.on_conflict_do_update(
            index_elements=["id"], set_={c: getattr(insert.excluded, c) for c in columns}
        )

    def _theme_coverage(self, conn: Connection, summaries: list[StorySummary]) -> Any:
        """A function giving, for a summary, its period's relevant articles per bloc on each of
        its main themes (central mentions, from bloc_rollup): one query for the whole batch."""
        themed = [s for s in summaries if s.themes]
        counts: defaultdict[tuple[date, str, str], int] = defaultdict(int)
        if themed:
            low = min(s.first_seen for s in themed).date() - THEME_MARGIN
            high = max(s.last_seen for s in themed).date() + THEME_MARGIN
            wanted = sorted({t for s in themed for t in s.themes})
            r = bloc_rollup.c
            statement = (
                sa.select(r.day, r.bloc, r.theme, sa.func.sum(r.articles))
                .where(
                    r.day.between(low, high),
                    r.theme.in_(wanted),
                    r.theme != ALL,
                    r.relevant.is_(True),
                    r.central.is_(True),
                )
                .group_by(r.day, r.bloc, r.theme)
            )
            for day, bloc, theme, total in conn.execute(statement):
                counts[(as_day(day) or low, bloc, theme)] += int(total or 0)

        by_theme: defaultdict[str, list[tuple[date, str, int]]] = defaultdict(list)
        for (day, bloc, theme), total in counts.items():
            by_theme[theme].append((day, bloc, total))

        def coverage(summary: StorySummary) -> dict[str, dict[str, int]]:
            low = summary.first_seen.date() - THEME_MARGIN
            high = summary.last_seen.date() + THEME_MARGIN
            found: defaultdict[str, dict[str, int]] = defaultdict(dict)
            for theme in dict.fromkeys(summary.themes):
                for day, bloc, total in by_theme.get(theme, ()):
                    if low <= day <= high:
                        found[bloc][theme] = found[bloc].get(theme, 0) + total
            return found

        return coverage


def _listed(text: str | None, seen: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A stored comma-separated list as a tuple, memoised in `seen`."""
    text = text or ""
    found = seen.get(text)
    if found is None:
        found = seen[text] = tuple(part.strip() for part in text.split(",") if part.strip())
    return found


def _coverage(c: Any) -> dict[str, Any]:
    return {
        "bloc": c.bloc,
        "articles": c.articles,
        "reports": c.reports,
        "outlets": list(c.outlets),
        "mean_tone": c.mean_tone,
        "mean_relations": c.mean_relations,
        "themes": list(c.themes),
        "actors": list(c.actors),
    }


def _story_article(row: Any) -> StoryArticle:
    assigned = tuple(row[6:8]) if len(row) > 6 else (None, None)
    return StoryArticle(
        int(row[0]), as_utc(row[1]), row[2], row[3], row[4], row[5] or "", *assigned
    )
