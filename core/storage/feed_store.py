"""Feeds: the list synced from config/feeds.toml, leases that hand each due feed to one poller,
the liveness of the pollers that hold them, and the health and coverage gaps the Sources page
shows."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa

from core.models import FeedConfig, Filters
from core.storage.base import StoreBase
from core.storage.schema import articles, feed_attempts, feeds
from core.storage.values import FeedRow, as_utc, feed_row


class FeedStore(StoreBase):
    def sync_feeds(self, configs: Sequence[FeedConfig]) -> tuple[int, int]:
        """Add the listed feeds that are new and update the ones whose outlet, bloc, country or
        language changed; never delete. Returns (added, updated).

        A new feed is inserted with INSERT … ON CONFLICT (url) DO NOTHING, so pollers starting
        together on a fresh database never fail on the unique URL: the one that loses the race
        finds the row the other inserted and updates it like any existing feed."""
        added = updated = 0
        now = datetime.now(UTC)
        with self._write() as conn:
            existing = {row.url: row for row in conn.execute(sa.select(feeds))}
            for feed in configs:
                values: dict[str, Any] = {
                    "outlet": feed.outlet,
                    "bloc": feed.bloc,
                    "country": feed.country,
                    "language": feed.language,
                }
                row = existing.get(feed.url)
                if row is None:
                    inserted = conn.execute(
                        self._insert_dialect()(feeds)
                        .values(
                            url=feed.url,
                            created_at=now,
                            next_check_at=now,
                            enabled=feed.enabled,
                            **values,
                        )
                        .on_conflict_do_nothing(index_elements=["url"])
                        .returning(feeds.c.id)
                    )
                    if inserted.first() is not None:
                        added += 1
                        continue
                    row = conn.execute(sa.select(feeds).where(feeds.c.url == feed.url)).one()
                # The file can disable a feed; it never re-enables one disabled with
                # `detente feeds disable` (every poll syncs the file).
                if not feed.enabled:
                    values["enabled"] = False
                if any(getattr(row, key) != value for key, value in values.items()):
                    conn.execute(feeds.update().where(feeds.c.id == row.id).values(**values))
                    updated += 1
        return added, updated

    def add_feed(self, feed: FeedConfig) -> FeedRow:
        self.sync_feeds([feed])
        row = self.get_feed(feed.url)
        assert row is not None
        return row

    def get_feed(self, url: str) -> FeedRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(feeds).where(feeds.c.url == url)).first()
        return feed_row(row) if row else None

    def remove_feed(self, url: str) -> bool:
        with self._write() as conn:
            ids = list(conn.execute(sa.select(feeds.c.id).where(feeds.c.url == url)).scalars())
            if not ids:
                return False
            conn.execute(feed_attempts.delete().where(feed_attempts.c.feed_id.in_(ids)))
            conn.execute(feeds.delete().where(feeds.c.id.in_(ids)))
        return True

    def set_feed_enabled(self, url: str, enabled: bool) -> bool:
        with self._write() as conn:
            result = conn.execute(feeds.update().where(feeds.c.url == url).values(enabled=enabled))
        return result.rowcount > 0

    def list_feeds(self) -> list[FeedRow]:
        with self.engine.connect() as conn:
            return [
                feed_row(r)
                for r in conn.execute(sa.select(feeds).order_by(feeds.c.outlet, feeds.c.url))
            ]

    def claim_due_feeds(
        self,
        now: datetime,
        *,
        lease: timedelta,
        include_not_due: bool = False,
        limit: int | None = None,
    ) -> list[FeedRow]:
        """Take the due feeds for this poller: no other poller gets them until the lease ends.

        A lease held by a poller on this machine that no longer runs (killed mid-round) is void
        at once, so the next run picks its feeds up instead of waiting for the lease to end.
        """
        owner = _lease_owner()
        with self.engine.connect() as conn:
            held = conn.execute(
                sa.select(feeds.c.id, feeds.c.lease_owner).where(
                    feeds.c.lease_until >= now,
                    feeds.c.lease_owner.like(f"{socket.gethostname()}:%"),
                )
            ).all()
        orphaned = [row.id for row in held if not _process_alive(row.lease_owner)]
        free = sa.or_(
            feeds.c.lease_until.is_(None), feeds.c.lease_until < now, feeds.c.id.in_(orphaned)
        )
        due = sa.and_(feeds.c.enabled.is_(True), free)
        if not include_not_due:
            due = sa.and_(
                due, sa.or_(feeds.c.next_check_at.is_(None), feeds.c.next_check_at <= now)
            )
        pick = sa.select(feeds.c.id).where(due).order_by(feeds.c.next_check_at, feeds.c.id)
        if limit is not None:
            pick = pick.limit(limit)
        if self.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        with self._write() as conn:
            ids = list(conn.execute(pick).scalars())
            if not ids:
                return []
            conn.execute(
                feeds.update()
                .where(feeds.c.id.in_(ids))
                .values(lease_until=now + lease, lease_owner=owner)
            )
            rows = conn.execute(sa.select(feeds).where(feeds.c.id.in_(ids)).order_by(feeds.c.id))
            return [feed_row(r) for r in rows]

    def feed_health(self, now: datetime | None = None) -> pd.DataFrame:
        now = now or datetime.now(UTC)
        since = (now - timedelta(days=30)).date()
        per_day = (
            sa.select(articles.c.feed_url, (sa.func.count() / 30.0).label("per_day"))
            .where(articles.c.published_day >= since)
            .group_by(articles.c.feed_url)
            .subquery()
        )
        f = feeds.c
        statement = (
            sa.select(
                f.id, f.outlet, f.bloc, f.url, f.enabled, f.last_success_at, f.last_attempt_at,
                f.last_status, f.last_error, f.consecutive_errors, f.next_check_at,
                sa.func.coalesce(per_day.c.per_day, 0.0),
            )
            .select_from(feeds.outerjoin(per_day, per_day.c.feed_url == f.url))
            .order_by(f.consecutive_errors.desc(), f.outlet)
        )  # fmt: skip
        frame = self._frame(
            statement,
            [
                "id", "outlet", "bloc", "url", "enabled", "last_success_at", "last_attempt_at",
                "last_status", "last_error", "consecutive_errors", "next_check_at",
                "articles_per_day",
            ],
        )  # fmt: skip
        for column in ("last_success_at", "last_attempt_at", "next_check_at"):
            frame[column] = frame[column].map(as_utc)
        return frame

    def coverage_gaps(self, f: Filters) -> pd.DataFrame:
        """Periods when a feed kept failing: from its first failed attempt to the next success."""
        where = []
        if f.outlets:
            where.append(feeds.c.outlet.in_(f.outlets))
        if f.blocs:
            where.append(feeds.c.bloc.in_(f.blocs))
        statement = (
            sa.select(
                feeds.c.outlet, feeds.c.bloc, feeds.c.url, feed_attempts.c.at, feed_attempts.c.error
            )
            .select_from(feeds.join(feed_attempts, feed_attempts.c.feed_id == feeds.c.id))
            .where(*where)
            .order_by(feeds.c.url, feed_attempts.c.at)
        )
        gaps: list[dict[str, Any]] = []
        open_gap: dict[str, Any] | None = None
        last_url = None
        with self.engine.connect() as conn:
            for row in conn.execute(statement):
                if row.url != last_url:
                    if open_gap:
                        gaps.append(open_gap)
                    open_gap, last_url = None, row.url
                at = as_utc(row.at)
                if row.error is not None:
                    if open_gap is None:
                        open_gap = {
                            "outlet": row.outlet,
                            "bloc": row.bloc,
                            "url": row.url,
                            "start": at,
                            "end": at,
                            "error": row.error,
                        }
                    else:
                        open_gap["end"], open_gap["error"] = at, row.error
                elif open_gap is not None:
                    open_gap["end"] = at
                    gaps.append(open_gap)
                    open_gap = None
        if open_gap:
            open_gap["end"] = max(open_gap["end"], datetime.now(UTC))
            gaps.append(open_gap)
        frame = pd.DataFrame(gaps, columns=["outlet", "bloc", "url", "start", "end", "error"])
        if f.date_from is not None and len(frame):
            frame = frame[frame["end"].map(lambda d: d.date() >= f.date_from)]
        if f.date_to is not None and len(frame):
            frame = frame[frame["start"].map(lambda d: d.date() <= f.date_to)]
        return frame.reset_index(drop=True)


def _lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(owner: str) -> bool:
    """Is the poller named `host:pid` (on this host) still running?"""
    try:
        pid = int(owner.rsplit(":", 1)[1])
        os.kill(pid, 0)
    except (ValueError, IndexError):
        return True  # not ours to judge
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
