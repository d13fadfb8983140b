"""A writer SIGKILLed mid-batch leaves an intact database with no half batch, and a rerun of the
same batches completes with nothing lost and nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core import storage as store_module
from core.models import FeedConfig
from core.storage import PollOutcome, Store
from tests.fixtures_db import analysed, assert_rollup_consistent

BATCHES = 8
PER_BATCH = 120
FEED = FeedConfig("https://crash.example/feed", "TASS", "russian-state")
REPO = Path(__file__).resolve().parents[1]


def write_batches(url: str, *, announce: bool) -> None:
    """Poll-shaped writes: one record_poll per batch, as the poller does."""
    store = Store.open(url)
    store.sync_feeds([FEED])
    feed = store.get_feed(FEED.url)
    assert feed is not None
    for batch in range(BATCHES):
        items = [
            analysed(
                f"b{batch}-{i}",
                day=date(2026, 3, 1) + timedelta(days=i % 20),
                themes={"sanctions": ["sanctions"], "diplomacy": ["talks"]},
                actors=[("Putin", "russia")],
                feed_url=FEED.url,
                tone=(i % 7 - 3) / 10,
            )
            for i in range(PER_BATCH)
        ]
        if announce:
            print(f"writing {batch}", flush=True)
        store.record_poll(
            feed.id,
            PollOutcome(
                status=200, error=None, etag=f'"{batch}"', last_modified=None,
                next_check_at=datetime.now(UTC), articles=items, not_modified=False,
                at=datetime.now(UTC),
            ),
        )  # fmt: skip
    store.close()


def test_sigkill_mid_batch_leaves_an_intact_database(db_url: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", f"from tests.test_store_crash import write_batches as w; "
         f"w({db_url!r}, announce=True)"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert child.stdout is not None
    line = ""
    for line in child.stdout:  # kill while batch 3 is being written (after 0-2 committed)
        if line.strip() == "writing 3":
            break
    assert line.strip() == "writing 3", child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    store = Store.open(db_url)
    try:
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        count = store.count_articles()
        assert count % PER_BATCH == 0 and 3 * PER_BATCH <= count <= 4 * PER_BATCH  # no half batch
        a, t = store_module.articles.c, store_module.article_themes.c
        with store.engine.connect() as conn:
            themeless = conn.execute(
                sa.select(sa.func.count())
                .select_from(store_module.articles)
                .where(~sa.exists().where(t.article_id == a.id))
            ).scalar_one()
        assert themeless == 0
        feed = store.get_feed(FEED.url)
        assert feed is not None and feed.etag == f'"{count // PER_BATCH - 1}"'
        assert_rollup_consistent(store)
    finally:
        store.close()

    write_batches(db_url, announce=False)  # the next run: every batch again
    store = Store.open(db_url)
    try:
        assert store.count_articles() == BATCHES * PER_BATCH
        assert_rollup_consistent(store)
    finally:
        store.close()


if __name__ == "__main__":  # pragma: no cover - manual runs
    pytest.main([__file__])
