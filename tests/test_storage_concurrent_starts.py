"""Several pollers starting at once on one database: feed sync is an upsert (no unique-key race
on a fresh PostgreSQL database), and bounded claims hand each poller its own part of the due
feeds. Threads with engines of their own start together at a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar, cast

import sqlalchemy as sa

from core.models import FeedConfig
from core.storage import Store, feeds

LEASE = timedelta(minutes=10)
T = TypeVar("T")


def together(stores: list[Store], work: Callable[[Store], T]) -> list[T]:
    """Run `work` on every store at the same moment; the results, or the first error raised."""
    start = threading.Barrier(len(stores))
    results: list[T | None] = [None] * len(stores)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(stores[index])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return cast("list[T]", results)  # every thread stored its result: no error was raised


def test_pollers_starting_together_sync_each_feed_once(db_url: str) -> None:
    Store.open(db_url).close()  # migrated: the race is in the feed sync, not the migration
    stores = [Store.open(db_url) for _ in range(3)]
    try:
        for round_ in range(5):  # every round brings new URLs, so every round races to insert
            listed = [
                FeedConfig(f"https://r{round_}-f{i}.example/feed", f"O{i}", "us") for i in range(40)
            ]
            counts = together(stores, partial(Store.sync_feeds, configs=listed))
            assert sum(added for added, _ in counts) == len(listed)
            with stores[0].engine.connect() as conn:
                urls = conn.execute(sa.select(feeds.c.url)).scalars().all()
            assert len(urls) == len(set(urls)) == 40 * (round_ + 1)
    finally:
        for store in stores:
            store.close()


def test_two_bounded_claimers_each_take_their_own_part(db_url: str) -> None:
    with Store.open(db_url) as setup:
        setup.sync_feeds([FeedConfig(f"https://c{i}.example/", f"O{i}", "us") for i in range(10)])
    stores = [Store.open(db_url) for _ in range(2)]
    later = datetime.now(UTC) + timedelta(minutes=1)
    try:
        claimed = together(stores, lambda store: store.claim_due_feeds(later, lease=LEASE, limit=5))
        first, second = ({row.id for row in rows} for rows in claimed)
        assert len(first) == len(second) == 5
        assert not first & second
        assert len(first | second) == 10
        assert stores[0].claim_due_feeds(later, lease=LEASE, limit=5) == []
    finally:
        for store in stores:
            store.close()
