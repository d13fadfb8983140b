"""Reads of single articles: the Articles page's list, one article with its evidence, the
export in bounded chunks, the sidebar's options and the versions that produced the analyses."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.models import Filters
from core.storage.base import StoreBase, chunks, concatenated, newest_first
from core.storage.columns import ARTICLE_COLUMNS, ARTICLE_LIST_COLUMNS
from core.storage.plan import article_where
from core.storage.rows import analysis_from_row, analyzed_text
from core.storage.schema import (
    ALL,
    article_actors,
    article_outlets,
    article_stories,
    articles,
    bloc_rollup,
    feeds,
)
from core.storage.search import has_text_search
from core.storage.values import ArticleDetail, as_day, as_utc

_a, _st = articles.c, article_stories.c
_DETAIL_AS_STORED = (
    "id", "uid", "title", "url", "summary", "content", "fulltext", "lang", "tone", "tone_label",
    "relevance", "lexicon_version", "analyzer_version",
)  # fmt: skip
"""The fields of an ArticleDetail that are its row's columns of the same name, as they are."""
_ARTICLE_ORDER: dict[str, Any] = {
    "published": _a.published_at,
    "tone": _a.tone,
    "relevance": _a.relevance,
    "outlet": _a.outlet,
    "title": _a.title,
}
"""The column each of SORTABLE sorts the list by."""
_LISTED = (
    _a.id, _a.published_at, _a.outlet, _a.bloc, _a.title, _a.theme_list, _a.actor_list, _a.tone,
    _a.tone_label, _a.relevance, _a.lang, _a.url,
)  # fmt: skip
"""The list's columns as stored (ARTICLE_LIST_COLUMNS)."""
WALKED = 16
"""Articles walked per listed one under an actor filter before the list is read whole: enough
while the actors are named in one article of 16 (the most named, Putin, in one of 4.5 at 1M)."""
MAX_WALK = 20_000
"""The most articles a page under an actor filter walks (the first 6 pages of 200)."""


def _ordered(column: Any, descending: bool) -> Any:
    """The list's order on `column`: empty values last."""
    return (column.desc() if descending else column.asc()).nulls_last()


class ArticleReads(StoreBase):
    def list_articles(
        self,
        f: Filters,
        *,
        limit: int = 200,
        offset: int = 0,
        sort: str = "published",
        descending: bool = True,
    ) -> pd.DataFrame:
        """A page of the matching articles (ARTICLE_LIST_COLUMNS), sorted by `sort` (one of
        SORTABLE; else by date), empty values last, the newest id first among equals."""
        column = _ARTICLE_ORDER.get(sort, _a.published_at)
        frame = self._named_page(f, limit, offset, descending) if sort == "published" else None
        if frame is None:
            page = self._page(f, column, limit, offset, descending)
            frame = self._frame(page, list(ARTICLE_LIST_COLUMNS))
        frame["published"] = frame["published"].map(as_utc)
        carried = self._outlets_of([int(i) for i in frame["id"]])
        pairs = [
            _carriers(outlet, bloc, carried.get(int(article_id), []))
            for article_id, outlet, bloc in zip(
                frame["id"], frame["outlet"], frame["bloc"], strict=True
            )
        ]
        frame["outlets"] = [", ".join(outlets) for outlets, _ in pairs]
        frame["blocs"] = [", ".join(blocs) for _, blocs in pairs]
        return frame

    def _page(self, f: Filters, column: Any, limit: int, offset: int, descending: bool) -> Any:
        """The statement of a page of the list: every match, sorted."""
        return (
            sa.select(*_LISTED)
            .where(*article_where(f))
            .order_by(_ordered(column, descending), _a.id.desc())
            .limit(limit)
            .offset(offset)
        )

    def _named_page(
        self, f: Filters, limit: int, offset: int, descending: bool
    ) -> pd.DataFrame | None:
        """A page by date under an actor filter, when the first
        `(offset + limit) * WALKED` articles of the other filters in that order hold it: each
        checked against the actors' index by id (their articles are a fifth of all for the most
        named), so a page reads a few thousand index entries, where an IN first copies every id
        the actors have (~220,000 at 1M: 0.05-0.1 s). The first `offset + limit` matches of the
        walk are the first of all (a match beyond it sorts after every article in it), so a full
        page is the page; else None, and the list is read whole (`_page`)."""
        walk = (offset + limit) * WALKED
        if not f.actors or has_text_search(f.query) or walk > MAX_WALK:
            return None
        first = (
            sa.select(_a.id, _a.published_at)
            .where(*article_where(dataclasses.replace(f, actors=())))
            .order_by(_ordered(_a.published_at, descending), _a.id.desc())
            .limit(walk)
            .subquery("walked")
        )
        w = first.c
        named = article_actors.alias("named")
        held = sa.exists().where(named.c.article_id == w.id, named.c.actor.in_(f.actors))
        matched = (
            sa.select(w.id, w.published_at)
            .where(held)
            .order_by(_ordered(w.published_at, descending), w.id.desc())
            .limit(limit)
            .offset(offset)
            .subquery("matched")
        )
        statement = (
            sa.select(*_LISTED)
            .select_from(matched.join(articles, _a.id == matched.c.id))
            .order_by(_ordered(_a.published_at, descending), _a.id.desc())
        )
        frame = self._frame(statement, list(ARTICLE_LIST_COLUMNS))
        return frame if len(frame) == limit else None

    def _outlets_of(self, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """Every outlet (and its bloc) that carried each article, primary or not."""
        found: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
        if not ids:
            return found
        o = article_outlets.c
        with self.engine.connect() as conn:
            for chunk in chunks(ids, 500):
                rows = conn.execute(
                    sa.select(o.article_id, o.outlet, o.bloc)
                    .where(o.article_id.in_(chunk))
                    .order_by(o.outlet)
                )
                for row in rows:
                    found[row.article_id].append((row.outlet, row.bloc))
        return found

    def get_article(self, article_id: int) -> ArticleDetail | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(_a.id == article_id)).first()
            if row is None:
                return None
        outlets, blocs = _carriers(row.outlet, row.bloc, self._outlets_of([article_id])[article_id])
        return ArticleDetail(
            **{name: getattr(row, name) for name in _DETAIL_AS_STORED},
            published=as_utc(row.published_at),
            published_estimated=bool(row.published_estimated),
            relevant=bool(row.relevant),
            is_demo=bool(row.is_demo),
            outlets=tuple(outlets),
            blocs=tuple(blocs),
            analysis=analysis_from_row(row),
            analyzed_text=analyzed_text(row),
        )

    def export_articles(self, f: Filters) -> pd.DataFrame:
        """Every matching article, newest first, one row each (see iter_export_articles)."""
        return concatenated(self.iter_export_articles(f), ARTICLE_COLUMNS)

    def iter_export_articles(self, f: Filters, chunk: int = 5000) -> Iterator[pd.DataFrame]:
        """Every matching article, newest first, in chunks: memory stays bounded at any size.

        Keyset pagination on (published_at, id), so chunk k costs the same as chunk 1."""
        statement = (
            sa.select(
                _a.id, _a.published_at, _a.published_estimated, _a.title, _a.outlet, _a.bloc,
                _a.theme_list, _a.actor_list, _a.tone, _a.tone_label, _a.relations_score,
                _a.relations_label, _a.relevance, _a.relevant, _a.lang, _a.url,
                _a.lexicon_version, _a.analyzer_version, _st.story_id, _st.copy_of,
            )
            .select_from(articles.outerjoin(article_stories, _st.article_id == _a.id))
            .where(*article_where(f))
        )  # fmt: skip
        for rows in newest_first(self.engine, statement, _a.published_at, _a.id, chunk):
            carried = self._outlets_of([r.id for r in rows])
            records = [
                (
                    r.id, as_utc(r.published_at), bool(r.published_estimated), r.title,
                    *(", ".join(names) for names in _carriers(r.outlet, r.bloc, carried[r.id])),
                    r.theme_list, r.actor_list, r.tone, r.tone_label, r.relations_score,
                    r.relations_label, r.relevance, bool(r.relevant), r.lang, r.url,
                    r.lexicon_version, r.analyzer_version, r.story_id, r.copy_of,
                )
                for r in rows
            ]  # fmt: skip
            frame = pd.DataFrame(records, columns=list(ARTICLE_COLUMNS))
            frame["story_id"] = frame["story_id"].astype("Int64")
            frame["copy_of"] = frame["copy_of"].astype("Int64")
            yield frame

    def analysis_versions(self) -> tuple[str, str]:
        """The lexicon and analyzer versions of the stored articles ('; '-joined when mixed)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(_a.lexicon_version, _a.analyzer_version).distinct()).all()
        lexicons = sorted({r.lexicon_version for r in rows})
        analyzers = sorted({r.analyzer_version for r in rows})
        return "; ".join(lexicons), "; ".join(analyzers)

    def has_demo_data(self) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(_a.id).where(_a.is_demo.is_(True)).limit(1))
            return found.first() is not None

    def filter_options(self) -> dict[str, Any]:
        """Everything the sidebar can offer. Each list is read by skipping along an index
        (one seek per distinct value), so it costs the same at 1M articles as at 1k."""
        with self.engine.connect() as conn:
            outlets = set(_distinct(conn, "articles", "outlet"))
            outlets |= set(conn.execute(sa.select(feeds.c.outlet).distinct()).scalars())
            low = conn.execute(sa.select(sa.func.min(_a.published_day))).scalar()
            high = conn.execute(sa.select(sa.func.max(_a.published_day))).scalar()
            return {
                "outlets": sorted(outlets),
                "blocs": _distinct(conn, "articles", "bloc"),
                "themes": _distinct(conn, "article_themes", "theme"),
                "actors": _distinct(conn, "article_actors", "actor"),
                # the quad classes present, then the category ids (Filters.event_categories)
                "event_categories": _distinct(conn, "article_events", "quad")
                + _distinct(conn, "article_events", "category"),
                "languages": _languages(conn),
                "date_min": as_day(low),
                "date_max": as_day(high),
            }


def _carriers(
    outlet: str, bloc: str, carried: list[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """The outlets and the blocs that carried an article, its primary outlet and bloc first."""
    outlets = [outlet] + [o for o, _ in carried if o != outlet]
    return outlets, list(dict.fromkeys([bloc] + [b for _, b in carried]))


def _languages(conn: Connection) -> list[str]:
    """The articles' languages, from bloc_rollup (its rows per day and bloc are few next to the
    articles, and articles.lang has no index of its own)."""
    r = bloc_rollup.c
    found = sa.select(r.lang).where(r.theme == ALL, r.articles > 0).distinct().order_by(r.lang)
    return [str(value) for value in conn.execute(found).scalars()]


def _distinct(conn: Connection, table: str, column: str) -> list[str]:
    """The distinct values of an indexed column, in order, by a recursive index skip-scan
    (table and column are our own constants, never user input)."""
    statement = sa.text(
        f"WITH RECURSIVE seen(value) AS ("
        f" SELECT min({column}) FROM {table}"
        f" UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {column} > seen.value)"
        f" FROM seen WHERE seen.value IS NOT NULL)"
        f" SELECT value FROM seen WHERE value IS NOT NULL"
    )
    return [str(value) for value in conn.execute(statement).scalars()]
