"""The dashboard reads while the poller writes (two processes, SQLite): neither side ever sees
"database is locked" — WAL lets readers in, BEGIN IMMEDIATE makes writers queue properly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.models import FeedConfig, Filters
from core.storage import PollOutcome, Store
from tests.fixtures_db import analysed

SECONDS = 3.0
FEED = FeedConfig("https://busy.example/feed", "TASS", "russian-state")
REPO = Path(__file__).resolve().parents[1]


def writer(url: str) -> None:
    store = Store.open(url)
    store.sync_feeds([FEED])
    feed = store.get_feed(FEED.url)
    assert feed is not None
    print("ready", flush=True)
    deadline, batch = time.monotonic() + SECONDS, 0
    while time.monotonic() < deadline:
        items = [
            analysed(
                f"w{batch}-{i}", day=date(2026, 3, 1) + timedelta(days=i % 30),
                themes={"sanctions": ["sanctions"]}, actors=[("Putin", "russia")],
                feed_url=FEED.url,
            )
            for i in range(50)
        ]  # fmt: skip
        now = datetime.now(UTC)
        store.record_poll(
            feed.id,
            PollOutcome(200, None, None, None, now, items, False, now),
        )
        store.claim_due_feeds(now, lease=timedelta(seconds=1), include_not_due=True)
        batch += 1
    print(f"batches {batch}", flush=True)


def reader(url: str) -> None:
    store = Store.open(url)
    deadline, reads = time.monotonic() + SECONDS, 0
    rollup, articles = Filters(relevant_only=False), Filters(actors=("Putin",), query="story")
    while time.monotonic() < deadline:
        for f in (rollup, articles):
            store.overview_figures(f)
            store.volume_by_day(f, "bloc")
            store.list_articles(f, limit=50)
            store.top_actors(f)
            store.count_matching(f)
        store.feed_health()
        reads += 1
    print(f"reads {reads}", flush=True)


def spawn(role: str, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", f"from tests.test_store_concurrency import {role}; {role}({url!r})"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def test_a_reader_and_a_writer_never_see_database_is_locked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    Store.open(url).close()
    write = spawn("writer", url)
    assert write.stdout is not None
    assert write.stdout.readline().strip() == "ready"
    read = spawn("reader", url)
    read_out, read_err = read.communicate(timeout=120)
    write_out, write_err = write.communicate(timeout=120)
    assert "locked" not in read_err + write_err
    assert (read.returncode, write.returncode) == (0, 0), read_err + write_err
    assert int(read_out.split()[-1]) > 0 and int(write_out.split()[-1]) > 0
    store = Store.open(url)
    try:
        assert store.count_articles() == 50 * int(write_out.split()[-1])
    finally:
        store.close()
