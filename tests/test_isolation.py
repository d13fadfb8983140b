"""Issue 13, item 1: one bad feed never stops the desk. A chaos round polls good feeds beside
feeds that fail at every stage — a bad item link, a bad port in the feed URL and in a redirect,
a parser exception, an analyzer exception and a worker crash (injected through the test-only
hook $DETENTE_TEST_ONLY_FAULT, core/ingest/read.py), a storage error — against a real loopback
server and real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.ingest.fetch import FetchSettings
from core.ingest.poller import PollSettings, poll_once
from core.ingest.read import FAULT_ENV, Source, read_and_analyze
from core.ingest.workers import WorkerPool
from core.models import FeedConfig, Filters
from core.storage import PollOutcome, SaveCounts, Store
from tests.fixtures_http import RSS_TYPE, FeedServer, Route, rss

FAST = PollSettings(fetch=FetchSettings(total_deadline=20.0, allow_private_networks=True))
"""No server here is slow: the deadline only leaves room for a loaded machine (worker processes
spawned after a crash), never decides a result."""
REPO = Path(__file__).resolve().parents[1]
GOOD = 3
PER_FEED = 4


class StoreThatFailsOneFeed(Store):
    """A real Store whose write of one feed's articles fails, as a full disk or a refused row
    would; recording that feed's failure (no articles) still works."""

    failing_feed = -1

    def record_polls(self, polls: Sequence[tuple[int, PollOutcome]]) -> list[SaveCounts]:
        if any(feed_id == self.failing_feed and outcome.articles for feed_id, outcome in polls):
            raise OSError(28, "No space left on device (injected for one feed)")
        return super().record_polls(polls)


def good_feed(server: FeedServer, index: int) -> FeedConfig:
    items = [
        (f"good{index}-{j}", f"Lavrov and Rubio meet, part {index}-{j}", "Moscow and Washington.")
        for j in range(PER_FEED)
    ]
    body = rss(items)
    return FeedConfig(
        server.add(f"/good{index}", Route(body=body, headers={"Content-Type": RSS_TYPE})),
        f"Good {index}",
        "wire",
    )


BAD_LINKS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Links</title>'
    b"<item><guid>l1</guid><title>Unclosed IPv6 link</title><link>http://[::1</link>"
    b"<description>Kremlin talks.</description></item>"
    b"<item><guid>l2</guid><title>Port 99999 link</title><link>http://example.org:99999/a</link>"
    b"<description>Kremlin talks.</description></item>"
    b"<item><guid>l3</guid><title>Port 65536 link</title><link>http://example.org:65536/a</link>"
    b"<description>Kremlin talks.</description></item>"
    b"<item><guid>l4</guid><title>Relative unclosed link</title><link>//[fe80::1/x</link>"
    b"<description>Kremlin talks.</description></item>"
    b"</channel></rss>"
)


@dataclasses.dataclass
class Chaos:
    good: list[FeedConfig]
    bad_links: FeedConfig
    failing: dict[str, tuple[FeedConfig, tuple[str, ...]]]
    """name → (feed, phrases its recorded error must contain: the class and the message)."""


def chaos_feeds(server: FeedServer, *, crash: bool) -> Chaos:
    ok = {"Content-Type": RSS_TYPE}
    story = rss([("x1", "Sanctions talk", "The Kremlin said sanctions.")])
    port = server.port

    def failing(path: str, route: Route | None = None, url: str | None = None) -> FeedConfig:
        url = url or server.add(path, route or Route(body=story, headers=ok))
        return FeedConfig(url, f"Failing {path or url}", "wire")

    failing_feeds = {
        "port 99999 in the feed URL": (
            failing("", url="http://127.0.0.1:99999/feed"),
            ("ValueError", "Port out of range"),
        ),
        "port 65536 in the feed URL": (
            failing("", url="http://127.0.0.1:65536/feed"),
            ("ValueError", "Port out of range"),
        ),
        "port 0 in the feed URL": (
            failing("", url="http://127.0.0.1:0/feed"),
            ("ValueError", "Port out of range"),
        ),
        "a huge number as the port": (
            failing("", url=f"http://127.0.0.1:{'9' * 40}/feed"),
            ("ValueError", "Port out of range"),
        ),
        "unclosed IPv6 feed URL": (failing("", url="http://[::1/feed"), ("ValueError", "IPv6")),
        "port 65536 in a redirect": (
            failing(
                "/to-65536", Route(status=302, headers={"Location": "http://127.0.0.1:65536/x"})
            ),
            ("ValueError", "Port out of range"),
        ),
        "port 99999 in a relative redirect": (
            failing("/to-99999", Route(status=301, headers={"Location": "//127.0.0.1:99999/x"})),
            ("ValueError", "Port out of range"),
        ),
        "unclosed IPv6 in a redirect": (
            failing("/to-ipv6", Route(status=307, headers={"Location": f"http://[::1:{port}/x"})),
            ("broken HTTP response", "Invalid URL in location header"),
        ),
        "parser exception": (
            failing("/chaos-parse"),
            ("parse failed", "RuntimeError", "injected parse fault"),
        ),
        "analyzer exception": (
            failing("/chaos-analyze"),
            ("analyze failed", "RuntimeError", "injected analyze fault"),
        ),
        "storage error": (failing("/chaos-store"), ("store failed", "OSError", "No space left")),
    }
    if crash:
        failing_feeds["worker crash"] = (
            failing("/chaos-crash"),
            ("read failed", "BrokenProcessPool", "terminated abruptly"),
        )
    return Chaos(
        good=[good_feed(server, i) for i in range(GOOD)],
        bad_links=FeedConfig(
            server.add("/bad-links", Route(body=BAD_LINKS, headers=ok)), "Links", "wire"
        ),
        failing=failing_feeds,
    )


FAULTS = "parse:raise:/chaos-parse;analyze:raise:/chaos-analyze;analyze:exit:/chaos-crash"


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(FAULT_ENV, FAULTS)
    yield


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "worker-processes"])
def test_chaos_round_keeps_every_good_feed_and_records_every_failure(
    feed_server: FeedServer, migrated_url: str, faults: None, processes: int
) -> None:
    chaos = chaos_feeds(feed_server, crash=processes > 1)
    settings = dataclasses.replace(FAST, processes=processes)
    with StoreThatFailsOneFeed.open(migrated_url) as store:
        store.sync_feeds([*chaos.good, chaos.bad_links, *(f for f, _ in chaos.failing.values())])
        store_feed = chaos.failing["storage error"][0]
        store.failing_feed = next(r.id for r in store.list_feeds() if r.url == store_feed.url)
        for round_number in (1, 2):
            summary = poll_once(store, settings, include_not_due=True)  # returns normally
            reports = {report.url: report for report in summary.reports}
            rows = {row.url: row for row in store.list_feeds()}
            for config in chaos.good:
                assert reports[config.url].outcome == ("new" if round_number == 1 else "unchanged")
                assert (
                    rows[config.url].last_error is None and rows[config.url].consecutive_errors == 0
                )
            assert reports[chaos.bad_links.url].outcome != "failed", reports[chaos.bad_links.url]
            for name, (config, phrases) in chaos.failing.items():
                row = rows[config.url]
                assert reports[config.url].outcome == "failed", name
                assert row.consecutive_errors == round_number, name
                for phrase in phrases:
                    assert phrase in (row.last_error or ""), (name, row.last_error)
                assert row.next_check_at is not None and row.last_attempt_at is not None
            listed = store.list_articles(Filters(relevant_only=False), limit=1000)
            by_outlet = listed.groupby("outlets").size().to_dict()
            assert by_outlet == {**{f"Good {i}": PER_FEED for i in range(GOOD)}, "Links": 4}
            links = listed[listed["outlets"] == "Links"]
            assert set(links["url"]) == {""}  # kept, without the unusable link


def test_the_cli_poll_exits_0_beside_feeds_that_fail_at_every_stage(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    """`python -m core poll` in a subprocess against a SQLite file and the loopback server."""
    chaos = chaos_feeds(feed_server, crash=True)
    db = f"sqlite:///{tmp_path / 'chaos.db'}"
    failing = [config for name, (config, _) in chaos.failing.items() if name != "storage error"]
    with Store.open(db) as store:
        store.sync_feeds([*chaos.good, chaos.bad_links, *failing])
    env = {**os.environ, "DETENTE_ALLOW_PRIVATE_NETWORKS": "1", FAULT_ENV: FAULTS}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "core", "--db", db, "poll", "--once", "--no-sync", "--all",
             "--processes", "2"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    with Store.open(db) as store:
        rows = {row.url: row for row in store.list_feeds()}
        assert store.count_articles() == GOOD * PER_FEED + 4
    assert all(rows[config.url].consecutive_errors == 2 for config in failing)
    assert all(rows[config.url].consecutive_errors == 0 for config in chaos.good)


def test_a_crashed_worker_fails_only_its_own_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six feeds queued on two worker processes; one crashes its worker (os._exit), which breaks
    the pool under every queued job. The five others are read again in the quarantine and come
    back whole; only the culprit fails, with BrokenProcessPool."""
    monkeypatch.setenv(FAULT_ENV, "analyze:exit:/crash")
    body = rss([("c1", "Lavrov and Rubio meet", "The Kremlin said sanctions.")])
    urls = [f"https://feeds.example/{name}" for name in ("a", "b", "crash", "c", "d", "e")]
    now = datetime.now(UTC)

    async def read_all() -> list[object]:
        pool = WorkerPool(2)
        try:
            return await asyncio.gather(
                *(
                    pool.run(read_and_analyze, Source(url, url, "wire"), body, {}, url, now)
                    for url in urls
                ),
                return_exceptions=True,
            )
        finally:
            assert pool.generation >= 1
            pool.shutdown()

    results = dict(zip(urls, asyncio.run(read_all()), strict=True))
    crashed = results.pop("https://feeds.example/crash")
    assert isinstance(crashed, BrokenProcessPool)
    for url, result in results.items():
        assert isinstance(result, tuple), (url, result)
        analysed, _, problem = result
        assert problem is None and len(analysed) == 1
