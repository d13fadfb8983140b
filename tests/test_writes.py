"""The poller's one writer (core.ingest.poller.Writes): feeds that finish while a write runs are
written together, each with its own counts, on a real database; a database error reaches every
feed of its batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from core.ingest.poller import Writes
from core.models import AnalyzedArticle, FeedConfig
from core.storage import PollOutcome, SaveCounts, Store
from tests.fixtures_db import analysed, assert_rollup_consistent

AT = datetime(2026, 11, 25, 12, tzinfo=UTC)


class Spy(Store):
    """A real store that remembers how many feeds each transaction carried."""

    batches: list[int]
    fail: bool = False

    def record_polls(self, polls: Sequence[tuple[int, PollOutcome]]) -> list[SaveCounts]:
        self.batches.append(len(polls))
        if self.fail:
            raise sa.exc.OperationalError("INSERT …", {}, Exception("disk I/O error"))
        return super().record_polls(polls)


def outcome(*articles: AnalyzedArticle) -> PollOutcome:
    return PollOutcome(
        status=200, error=None, etag='"e"', last_modified=None,
        next_check_at=AT + timedelta(minutes=15), articles=articles,
        not_modified=False, at=AT,
    )  # fmt: skip


def spy_with_feeds(url: str, n: int) -> tuple[Spy, list[int]]:
    store = Spy(url)
    store.migrate()
    store.batches = []
    store.sync_feeds(
        [FeedConfig(f"https://f{i}.example/rss", f"Outlet {i}", "wire") for i in range(n)]
    )
    ids = [row.id for row in store.list_feeds()]
    return store, ids


def test_feeds_finishing_together_share_a_transaction_and_keep_their_counts(
    migrated_url: str,
) -> None:
    store, ids = spy_with_feeds(migrated_url, 12)
    # Feed i brings i + 1 articles; feed 11 repeats feed 0's article (one more outlet, not new).
    polls = [
        outcome(*(analysed(f"f{i}-a{k}", outlet=f"Outlet {i}") for k in range(i + 1)))
        for i in range(11)
    ]
    polls.append(outcome(analysed("f0-a0", outlet="Outlet 11", feed_url="https://f11.example/rss")))

    async def write_all() -> list[SaveCounts]:
        writes = Writes(store)
        try:
            return list(
                await asyncio.gather(
                    *(writes.record(i, p) for i, p in zip(ids, polls, strict=True))
                )
            )
        finally:
            await writes.close()

    counts = asyncio.run(write_all())
    assert [c.new for c in counts] == [*range(1, 12), 0]
    assert sum(store.batches) == 12 and len(store.batches) < 12
    assert store.count_articles() == sum(range(1, 12))
    assert {row.etag for row in store.list_feeds()} == {'"e"'}
    assert_rollup_consistent(store)
    store.close()


def test_a_database_error_reaches_every_feed_of_its_batch(migrated_url: str) -> None:
    store, ids = spy_with_feeds(migrated_url, 3)
    store.fail = True

    async def write_all() -> list[object]:
        writes = Writes(store)
        try:
            return list(
                await asyncio.gather(
                    *(writes.record(i, outcome(analysed(f"x{i}"))) for i in ids),
                    return_exceptions=True,
                )
            )
        finally:
            await writes.close()

    results = asyncio.run(write_all())
    assert all(isinstance(r, sa.exc.OperationalError) for r in results), results
    store.fail = False
    assert store.count_articles() == 0
    assert {row.etag for row in store.list_feeds()} == {None}
    store.close()


@pytest.mark.parametrize("queued", [0, 3])
def test_close_cancels_what_never_started(sqlite_db: Store, queued: int) -> None:
    sqlite_db.sync_feeds([FeedConfig("https://f.example/rss", "Outlet", "wire")])
    [feed_id] = [row.id for row in sqlite_db.list_feeds()]

    async def close_early() -> list[bool]:
        writes = Writes(sqlite_db)
        pending = [asyncio.ensure_future(writes.record(feed_id, outcome())) for _ in range(queued)]
        await asyncio.sleep(0)  # one turn of the loop (no waiting): the records are queued
        await writes.close()
        await asyncio.gather(*pending, return_exceptions=True)
        return [task.cancelled() or task.exception() is None for task in pending]

    assert all(asyncio.run(close_early()))
    [row] = sqlite_db.list_feeds()
    assert row.last_attempt_at is None  # nothing was written after the round ended
