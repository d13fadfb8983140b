"""Polling 200 loopback feeds of 50 items each behind 200 ms of server latency.

Ours: one `poll_once` round (fetch, parse, clean, analyze every item, store in SQLite) with the
default 16 workers. Baseline: a serial loop of `feedparser.parse(url)` over the same URLs (fetch
and parse only). Then a second round over the unchanged feeds: it must get only 304s and write
0 rows. All feeds share one loopback host here, so the per-host limit is raised to the worker
count (on the real feed list every outlet is its own host).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import feedparser

from core.fetch import FetchSettings
from core.models import FeedConfig
from core.poller import PollSettings, poll_once
from core.store import Store
from tests.fixtures_http import FeedServer, Route, rss

FEEDS, ITEMS, LATENCY = 200, 50, 0.2
SENTENCES = [
    "Kremlin spokesperson Dmitry Peskov said Moscow was ready for talks with Washington.",
    "The Treasury announced new sanctions on Russian banks on Tuesday.",
    "Officials said the ceasefire proposal remained under discussion.",
    "Analysts warned that the New START limits could lapse next year.",
    "The State Department called the detention of the journalist unjustified.",
]


def build(server: FeedServer) -> list[str]:
    urls = []
    for feed in range(FEEDS):
        items = [
            (
                f"f{feed}-i{item}",
                f"Story {item} from outlet {feed}: {SENTENCES[item % 5][:60]}",
                " ".join(SENTENCES[(item + k) % 5] for k in range(2)),
            )
            for item in range(ITEMS)
        ]
        route = Route(
            body=rss(items, title=f"Outlet {feed}"),
            delay=LATENCY,
            etag=f'"v{feed}"',
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        )
        urls.append(server.add(f"/feed{feed}.xml", route))
    return urls


def serve() -> None:
    """The feed server runs in its own process, so it never competes with the poller for the GIL."""
    server = FeedServer().start()
    build(server)
    print(server.url(""), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    server.stop()


def main() -> None:
    os.environ["DETENTE_ALLOW_PRIVATE_NETWORKS"] = "1"
    server = subprocess.Popen(
        [sys.executable, "-c", "from bench.bench_poll import serve; serve()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    base = server.stdout.readline().strip()
    try:
        urls = [f"{base}/feed{feed}.xml" for feed in range(FEEDS)]
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
            store.sync_feeds([FeedConfig(url, f"Outlet {i}", "wire") for i, url in enumerate(urls)])
            settings = PollSettings(
                processes=os.cpu_count() or 1, fetch=FetchSettings(per_host_limit=16)
            )

            started = time.perf_counter()
            first = poll_once(store, settings, include_not_due=True)
            ours = time.perf_counter() - started
            articles = store.count_articles()

            started = time.perf_counter()
            second = poll_once(store, settings, include_not_due=True)
            again = time.perf_counter() - started
            rows_after = store.count_articles()
            statuses = {r.status for r in second.reports}
            store.close()

        started = time.perf_counter()
        parsed = sum(len(feedparser.parse(url).entries) for url in urls)
        serial = time.perf_counter() - started
    finally:
        server.stdin.close()
        server.wait(timeout=30)

    print(f"{FEEDS} feeds x {ITEMS} items, {LATENCY * 1000:.0f} ms latency")
    print(f"serial feedparser loop (fetch+parse): {serial:6.1f} s  ({parsed} entries)")
    print(f"detente poll round (fetch+parse+analyze+store): {ours:6.1f} s  ({articles} articles)")
    print(f"ratio serial / ours: {serial / ours:.1f}x faster (target >= 20x)")
    failed = sum(1 for r in first.reports if r.outcome == "failed")
    print(f"first round: {failed} failed feeds")
    print(
        f"second round over unchanged feeds: {again:.1f} s, statuses {sorted(statuses)}, "
        f"rows written {rows_after - articles}"
    )
