"""The write path: a poll's articles, the feed's state and the attempt in one transaction; new
articles inserted in bulk, changed ones rewritten, what each changes in the rollups added once
per transaction; a re-analysis after a lexicon edit."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.models import Analysis, AnalyzedArticle
from core.storage.base import chunks
from core.storage.bulk import BulkWrites
from core.storage.match_lines import line_of, terms_of
from core.storage.rollups import (
    Counted,
    Deltas,
    Event,
    Footprint,
    counts,
    direction,
    footprint,
    footprint_of,
)
from core.storage.rows import (
    analysis_values,
    analyzed_text,
    article_row,
    content_hash,
    outlet_row,
)
from core.storage.schema import (
    FACT_COLUMNS,
    analysed_with,
    article_actors,
    article_events,
    article_facts,
    article_lines,
    article_outlets,
    article_terms,
    article_themes,
    articles,
    feed_attempts,
    feeds,
)
from core.storage.values import PollOutcome, SaveCounts, as_day, as_utc

LINE_COLUMNS = ("id", "line", "terms")


class ArticleWrites(BulkWrites):
    def record_poll(self, feed_id: int, outcome: PollOutcome) -> SaveCounts:
        """Articles, then the feed's state and validators, then the attempt: one transaction."""
        return self.record_polls([(feed_id, outcome)])[0]

    def record_polls(self, polls: Sequence[tuple[int, PollOutcome]]) -> list[SaveCounts]:
        """Several feeds' polls in one transaction: the poller writes together what queued up
        while its previous write ran (one commit and one rollup upsert per table instead of one
        per feed). Each feed's articles, state and validators still commit together, or not."""
        with self._write() as conn:
            self._lock_articles(conn, [item for _, o in polls for item in o.articles])
            rollup = Deltas()
            saved = [self._record_one(conn, feed_id, outcome, rollup) for feed_id, outcome in polls]
            self._apply_rollup(conn, rollup)
        return saved

    def _record_one(
        self, conn: Connection, feed_id: int, outcome: PollOutcome, rollup: Deltas
    ) -> SaveCounts:
        saved = self._save(conn, outcome.articles, rollup) if outcome.articles else SaveCounts()
        values: dict[str, Any] = {
            "last_attempt_at": outcome.at,
            "last_status": outcome.status,
            "next_check_at": outcome.next_check_at,
            "lease_until": None,
            "lease_owner": None,
        }
        if outcome.error is None:
            values.update(
                last_error=None,
                consecutive_errors=0,
                last_success_at=outcome.at,
                etag=outcome.etag,
                last_modified=outcome.last_modified,
            )
        else:
            values.update(
                last_error=outcome.error, consecutive_errors=feeds.c.consecutive_errors + 1
            )
        found = conn.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))
        if found.rowcount == 0:
            return saved  # the feed was removed while it was being polled
        conn.execute(
            feed_attempts.insert().values(
                feed_id=feed_id,
                at=outcome.at,
                status=outcome.status,
                error=outcome.error,
                new=saved.new,
                updated=saved.updated,
            )
        )
        return saved

    def _lock_articles(self, conn: Connection, items: Sequence[AnalyzedArticle]) -> None:
        """PostgreSQL: two pollers may bring the same article at once. Serialise on its uid,
        for every article of the transaction at once and in sorted order, so that two
        transactions never wait on each other in opposite orders. (SQLite: BEGIN IMMEDIATE
        already made this transaction the only writer.)"""
        if self.dialect != "postgresql" or not items:
            return
        keys = sorted({_lock_key(item.article.uid) for item in items})
        conn.execute(
            sa.text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(:keys) AS k"),
            {"keys": keys},
        )

    def save_articles(self, items: Sequence[AnalyzedArticle]) -> SaveCounts:
        with self._write() as conn:
            self._lock_articles(conn, items)
            rollup = Deltas()
            saved = self._save(conn, items, rollup)
            self._apply_rollup(conn, rollup)
            return saved

    def _save(
        self, conn: Connection, items: Sequence[AnalyzedArticle], rollup: Deltas
    ) -> SaveCounts:
        """Insert new articles, rewrite changed ones, remember extra outlets; what this changes
        in the rollups is added to `rollup` (the caller applies it once per transaction, after
        taking the articles' locks with _lock_articles)."""
        by_uid: dict[str, AnalyzedArticle] = {}
        for item in items:
            by_uid.setdefault(item.article.uid, item)
        if not by_uid:
            return SaveCounts()
        existing = self._existing(conn, by_uid)
        fresh: list[AnalyzedArticle] = []
        changed: list[tuple[int, AnalyzedArticle]] = []
        outlet_rows: list[dict[str, Any]] = []  # every outlet that brought each article
        unchanged = 0
        for uid, item in by_uid.items():
            row = existing.get(uid)
            if row is None:
                fresh.append(item)
                continue
            outlet_rows.append(outlet_row(row.id, item))
            same_source = row.feed_url == item.article.feed_url
            if same_source and (
                row.content_hash != content_hash(item.article)
                or row.lexicon_version != item.analysis.lexicon_version
                or row.analyzer_version != item.analysis.analyzer_version
            ):
                changed.append((row.id, _keep_first_seen(item, row)))
            else:
                unchanged += 1
        if fresh:
            ids = self._allocate_ids(conn, len(fresh))
            counted = [counts(item.analysis) for item in fresh]
            rows = [{"id": i, **article_row(item)} for i, item in zip(ids, fresh, strict=True)]
            self._bulk(conn, "insert articles", articles.insert, rows)
            facts = [_fact_row(row, c) for row, c in zip(rows, counted, strict=True)]
            self._bulk(conn, "insert article_facts", article_facts.insert, _facts(facts))
            self._bulk(conn, "insert article_lines", article_lines.insert, _lines(facts))
            self._write_children(conn, list(zip(ids, counted, strict=True)))
            self._write_events(conn, list(zip(ids, (i.analysis for i in fresh), strict=True)))
            outlet_rows += [outlet_row(i, item) for i, item in zip(ids, fresh, strict=True)]
            for item, item_counts in zip(fresh, counted, strict=True):
                rollup.add(footprint(item, item_counts), +1)
        if changed:
            self._drop_evidence(conn, [article_id for article_id, _ in changed], rollup)
            rewritten, facts = [], []
            for article_id, item in changed:
                item_counts = counts(item.analysis)
                row = article_row(item)
                conn.execute(articles.update().where(articles.c.id == article_id).values(**row))
                facts.append(_fact_row({"id": article_id, **row}, item_counts))
                rollup.add(footprint(item, item_counts), +1)
                rewritten.append((article_id, item_counts))
            _update_facts(conn, facts)
            self._write_children(conn, rewritten)
            self._write_events(conn, [(article_id, item.analysis) for article_id, item in changed])
        if outlet_rows:
            self._bulk(
                conn,
                "ignore article_outlets",
                lambda: self._insert_ignore(article_outlets),
                outlet_rows,
            )
        return SaveCounts(new=len(fresh), updated=len(changed), unchanged=unchanged)

    def _existing(self, conn: Connection, by_uid: dict[str, AnalyzedArticle]) -> dict[str, Any]:
        """Stored articles for these uids; an article stored under another uid but the same
        canonical URL (two feeds, two GUIDs) counts as the same article."""
        a = articles.c
        columns = (
            a.id, a.uid, a.url, a.content_hash, a.feed_url, a.lexicon_version, a.analyzer_version,
            a.published_at, a.published_estimated,
        )  # fmt: skip
        found: dict[str, Any] = {}
        for chunk in chunks(list(by_uid), 500):
            for row in conn.execute(sa.select(*columns).where(a.uid.in_(chunk))):
                found[row.uid] = row
        by_url = {
            item.article.url: uid
            for uid, item in by_uid.items()
            if uid not in found and item.article.url
        }
        for chunk in chunks(list(by_url), 500):
            for row in conn.execute(sa.select(*columns).where(a.url.in_(chunk))):
                if row.url in by_url:
                    found[by_url.pop(row.url)] = row
        return found

    def _allocate_ids(self, conn: Connection, n: int) -> list[int]:
        """Ids for new articles, so children can be bulk-inserted without RETURNING per row.

        SQLite: we hold the write lock (BEGIN IMMEDIATE), so max(id) is ours. PostgreSQL: the
        sequence hands out ids no other transaction will get."""
        if self.dialect == "postgresql":
            return list(
                conn.execute(
                    sa.text(
                        "SELECT nextval(pg_get_serial_sequence('articles', 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"n": n},
                ).scalars()
            )
        top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.id), 0))).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + n))

    def _write_children(self, conn: Connection, rows: list[tuple[int, Counted]]) -> None:
        """The themes, terms and actors of new or rewritten articles, from their counts (the
        same counts that went into the rollup)."""
        themes: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        actors: list[dict[str, Any]] = []
        for article_id, counted in rows:
            themes.extend(
                {
                    "article_id": article_id, "theme": theme, "hits": hits, "in_title": in_title,
                    "central": central, "salience": salience,
                }
                for theme, hits, in_title, central, salience in counted.themes
            )  # fmt: skip
            terms.extend(
                {"article_id": article_id, "theme": theme, "term": term, "hits": n}
                for theme, term, n in counted.terms
            )
            actors.extend(
                {"article_id": article_id, "actor": actor, "side": side, "mentions": n}
                for actor, side, n in counted.actors
            )
        for table, values in (
            (article_themes, themes),
            (article_terms, terms),
            (article_actors, actors),
        ):
            if values:
                self._bulk(
                    conn, f"ignore {table.name}", partial(self._insert_ignore, table), values
                )

    def _write_events(self, conn: Connection, rows: list[tuple[int, Analysis]]) -> None:
        """The relations events of new or rewritten articles, one row each."""
        values = [
            {
                "article_id": article_id, "seq": seq, "category": e.category, "quad": e.quad,
                "direction": direction(e), "source": e.source, "target": e.target,
                "negated": e.negated, "hypothetical": e.hypothetical, "weight": e.weight,
                "field": e.field,
            }
            for article_id, analysis in rows
            for seq, e in enumerate(analysis.relations.events)
        ]  # fmt: skip
        if values:
            self._bulk(
                conn, "ignore article_events", partial(self._insert_ignore, article_events), values
            )

    def _drop_evidence(
        self, conn: Connection, ids: list[int], rollup: Deltas
    ) -> dict[int, Footprint]:
        """Before stored articles are read anew: take what they added out of the rollups and
        delete their themes, terms and actors. Returns what they had added."""
        old = _footprints(conn, ids)
        for stored in old.values():
            rollup.add(stored, -1)
        for table in (article_themes, article_terms, article_actors, article_events):
            for chunk in chunks(ids, 500):
                conn.execute(table.delete().where(table.c.article_id.in_(chunk)))
        return old

    def iter_articles_for_retag(
        self,
        batch: int = 500,
        *,
        stale_for: tuple[str, str | Sequence[str]] | None = None,
    ) -> Iterator[list[tuple[int, str, str]]]:
        """(id, title, analysed text) of every stored article in batches, by id; with
        `stale_for` (lexicon version, analyzer version or versions), only those analysed
        otherwise."""
        last = 0
        a = articles.c
        stale = [sa.not_(analysed_with(*stale_for))] if stale_for else []
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(a.id, a.title, a.analyzed_text, a.content)
                    .where(a.id > last, *stale)
                    .order_by(a.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1].id
            yield [(r.id, r.title, analyzed_text(r)) for r in rows]

    def update_analyses(self, rows: Sequence[tuple[int, Analysis]]) -> int:
        """Replace the analysis of stored articles (after a lexicon edit), rollup included."""
        if not rows:
            return 0
        ids = [article_id for article_id, _ in rows]
        with self._write() as conn:
            rollup = Deltas()
            old = self._drop_evidence(conn, ids, rollup)
            rewritten, facts = [], []
            for article_id, analysis in rows:
                counted = counts(analysis)
                values = analysis_values(analysis)
                conn.execute(articles.update().where(articles.c.id == article_id).values(**values))
                was = old[article_id]
                facts.append(
                    _fact_row(
                        {"id": article_id, "published_day": was.day, "outlet": was.outlet,
                         "bloc": was.bloc, **values},
                        counted,
                    )
                )  # fmt: skip
                rollup.add(footprint_of(analysis, was.day, was.outlet, was.bloc, counted), +1)
                rewritten.append((article_id, counted))
            _update_facts(conn, facts)
            self._write_children(conn, rewritten)
            self._write_events(conn, list(rows))
            self._apply_rollup(conn, rollup)
        return len(rows)


def _fact_row(row: dict[str, Any], counted: Counted) -> dict[str, Any]:
    """The article_facts and article_lines values of an article row (with its id) and its
    counts: the columns article_facts copies, the line and terms for the match frames
    (core/storage/match_lines.py)."""
    central = [theme for theme, _, _, is_central, _ in counted.themes if is_central]
    line = line_of(
        row["published_day"], row["outlet"], row["bloc"], row["relevant"], row["tone"],
        [(theme, is_central) for theme, _, _, is_central, _ in counted.themes],
        counted.actors,
        counted.events,
    )  # fmt: skip
    return {
        **{name: row[name] for name in FACT_COLUMNS},
        "line": line,
        "terms": terms_of(counted.terms, central),
    }


def _facts(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: row[name] for name in FACT_COLUMNS} for row in rows]


def _lines(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: row[name] for name in LINE_COLUMNS} for row in rows]


def _update_facts(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rewrite the article_facts and article_lines rows of rewritten articles (`rows`:
    `_fact_row` values)."""
    if not rows:
        return
    for table, names in ((article_facts, FACT_COLUMNS), (article_lines, LINE_COLUMNS)):
        kept = names[1:]
        statement = (
            table.update()
            .where(table.c.id == sa.bindparam("fact_id"))
            .values({name: sa.bindparam(f"fact_{name}") for name in kept})
        )
        conn.execute(
            statement,
            [{"fact_id": row["id"], **{f"fact_{n}": row[n] for n in kept}} for row in rows],
        )


def _keep_first_seen(item: AnalyzedArticle, stored: Any) -> AnalyzedArticle:
    """A rewrite whose date is estimated (the feed gave none usable: core/ingest/clean.py) would
    carry this poll's time; the article keeps the date it was stored with instead, the time it
    was first seen (or the feed's real date, if an earlier poll gave one)."""
    if not item.article.published_estimated:
        return item
    kept = dataclasses.replace(
        item.article,
        published=as_utc(stored.published_at) or item.article.published,
        published_estimated=bool(stored.published_estimated),
    )
    return dataclasses.replace(item, article=kept)


def _footprints(conn: Connection, ids: list[int]) -> dict[int, Footprint]:
    """What these stored articles contribute to the rollups (to take it out again)."""
    themes: defaultdict[int, list[tuple[str, bool]]] = defaultdict(list)
    events: defaultdict[int, list[Event]] = defaultdict(list)
    terms: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
    actors: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
    found: dict[int, Footprint] = {}
    t, m, x, a = article_themes.c, article_terms.c, article_actors.c, articles.c
    e = article_events.c
    for chunk in chunks(ids, 500):
        for row in conn.execute(
            sa.select(t.article_id, t.theme, t.central).where(t.article_id.in_(chunk))
        ):
            themes[row.article_id].append((row.theme, bool(row.central)))
        for event in conn.execute(
            sa.select(e.article_id, e.direction, e.category, e.quad, e.weight)
            .where(e.article_id.in_(chunk))
            .order_by(e.article_id, e.seq)
        ):
            events[event.article_id].append(
                (event.direction, event.category, event.quad, event.weight)
            )
        for term_row in conn.execute(
            sa.select(m.article_id, m.theme, m.term, m.hits).where(m.article_id.in_(chunk))
        ):
            terms[term_row.article_id].append((term_row.theme, term_row.term, term_row.hits))
        for actor_row in conn.execute(
            sa.select(x.article_id, x.actor, x.side, x.mentions).where(x.article_id.in_(chunk))
        ):
            actors[actor_row.article_id].append(
                (actor_row.actor, actor_row.side, actor_row.mentions)
            )
        for r in conn.execute(
            sa.select(a.id, a.published_day, a.outlet, a.bloc, a.relevant, a.tone, a.lang).where(
                a.id.in_(chunk)
            )
        ):
            found[r.id] = Footprint(
                as_day(r.published_day) or date.min, r.outlet, r.bloc, bool(r.relevant),
                r.tone, tuple(themes[r.id]), tuple(terms[r.id]), tuple(actors[r.id]),
                tuple(events[r.id]), r.lang,
            )  # fmt: skip
    return found


def _lock_key(uid: str) -> int:
    """A signed 64-bit advisory-lock key for an article uid."""
    return int.from_bytes(
        hashlib.blake2b(uid.encode("utf-8"), digest_size=8).digest(), "big", signed=True
    )
