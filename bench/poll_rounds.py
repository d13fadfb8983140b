"""The moving parts of bench/bench_poll.py: the loopback feed server, poller processes started
together on one database, and the two baselines (feedparser alone, stock VADER alone).

Every poller is its own process (as `detente poll` is), started and warmed up before the clock
starts, then told to go at once; each runs one `poll_once` round with the CLI's defaults
(16 fetch workers, one worker process per core) and claims due feeds in bounded batches, so
several pollers share the round as in tests/test_poller_sharing.py. A poller's CPU is its own
plus its worker processes' (RUSAGE_CHILDREN, read after the pool is joined)."""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]


# ---- the feed server (its own process, so it never competes with a poller for the GIL) ----


def serve(feeds: int, latency: float) -> None:
    """Serve bench/bench_poll.py's feeds (with ETags, so a second round gets 304s) until stdin
    closes; prints the base URL first."""
    from bench.bench_poll import feed_body
    from tests.fixtures_http import FeedServer, Route

    server = FeedServer().start()
    for feed in range(feeds):
        route = Route(
            body=feed_body(feed),
            delay=latency,
            etag=f'"v{feed}"',
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        )
        server.add(f"/feed{feed}.xml", route)
    print(server.url(""), flush=True)
    sys.stdin.read()
    server.stop()


class FeedServerProcess:
    def __init__(self, feeds: int, latency: float) -> None:
        code = f"from bench.poll_rounds import serve; serve({feeds}, {latency})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base = self.process.stdout.readline().strip()
        if not self.base:
            raise RuntimeError("the feed server did not start")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


# ---- the database every configuration starts from ----


def template_db(path: Path, urls: list[str]) -> Path:
    """A migrated SQLite file with the feeds synced and nothing polled: each configuration
    polls a fresh copy of it."""
    from core.models import FeedConfig
    from core.storage import Store

    store = Store.open(f"sqlite:///{path}")
    store.sync_feeds([FeedConfig(url, f"Outlet {i}", "wire") for i, url in enumerate(urls)])
    store.close()  # the last connection checkpoints the WAL into the file
    return path


def fresh_copy(template: Path, path: Path) -> str:
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


# ---- a poller process ----


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def poller_child(url: str, second_round: bool) -> None:
    """One poller: open the store, say ready, wait for "go", poll one round, report it as JSON;
    with `second_round`, poll every feed again at once (all unchanged) and report that too."""
    os.environ["DETENTE_ALLOW_PRIVATE_NETWORKS"] = "1"
    from core.ingest.fetch import FetchSettings
    from core.ingest.poller import PollSettings, poll_once
    from core.storage import Store

    store = Store.open(url)
    workers = PollSettings().workers
    settings = PollSettings(
        workers=workers,
        processes=os.cpu_count() or 1,
        fetch=FetchSettings(per_host_limit=workers),  # every feed here shares one host
    )
    print(json.dumps("ready"), flush=True)
    sys.stdin.readline()
    children, started, cpu_started = _children_cpu(), time.perf_counter(), time.process_time()
    first = poll_once(store, settings)
    result: dict[str, Any] = {
        "wall": time.perf_counter() - started,
        "poller_cpu": time.process_time() - cpu_started,
        "worker_cpu": _children_cpu() - children,  # the pool is joined by now
        "urls": [r.url for r in first.reports],
        "new": sum(r.new for r in first.reports),
        "failed": [r.line() for r in first.reports if r.outcome == "failed"],
    }
    if second_round:
        articles = store.count_articles()
        started = time.perf_counter()
        again = poll_once(store, settings, include_not_due=True)
        result["again"] = {
            "wall": time.perf_counter() - started,
            "statuses": sorted({str(r.status) for r in again.reports}),
            "rows": store.count_articles() - articles,
        }
    store.close()
    print(json.dumps(result), flush=True)


@dataclass
class Round:
    """One round shared by `pollers` processes on one database."""

    pollers: int
    wall: float
    """From "go" to the last poller's report."""
    poller_cpu: float
    worker_cpu: float
    articles: int
    feeds_each: list[int]
    again: dict[str, Any] | None

    @property
    def cpu(self) -> float:
        return self.poller_cpu + self.worker_cpu


def run_round(url: str, pollers: int, feeds: int, *, second_round: bool = False) -> Round:
    """Start `pollers` poller processes on the database at `url`, let them go at once, and
    check that together they polled every feed exactly once."""
    code = (
        "import sys\nfrom bench.poll_rounds import poller_child\n"
        "poller_child(sys.argv[1], sys.argv[2] == '1')\n"
    )
    again = "1" if second_round else "0"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, again],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(pollers)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            if json.loads(proc.stdout.readline() or "null") != "ready":
                raise RuntimeError(f"a poller did not start (code {proc.wait()})")
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"a poller ended without a report (code {proc.wait()})")
            results.append(json.loads(line))
        wall = time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=120)
    polled = [url for r in results for url in r["urls"]]
    failed = [line for r in results for line in r["failed"]]
    if failed or len(polled) != feeds or len(set(polled)) != feeds:
        raise RuntimeError(
            f"{pollers} pollers: {len(polled)} feeds polled ({len(set(polled))} distinct) "
            f"of {feeds}; failed: {failed[:3]}"
        )
    return Round(
        pollers,
        wall,
        sum(r["poller_cpu"] for r in results),
        sum(r["worker_cpu"] for r in results),
        sum(r["new"] for r in results),
        sorted((len(r["urls"]) for r in results), reverse=True),
        results[0].get("again"),
    )


# ---- the baselines, on the same documents ----


def feedparser_cpu(bodies: list[bytes]) -> float:
    """CPU seconds feedparser alone takes to parse the served documents (nothing fetched)."""
    import feedparser

    from tests.fixtures_http import RSS_TYPE

    started = time.process_time()
    for body in bodies:
        feedparser.parse(io.BytesIO(body), response_headers={"content-type": RSS_TYPE})
    return time.process_time() - started


def vader_cpu(texts: list[tuple[str, str]]) -> float:
    """CPU seconds stock VADER takes to score every article: its title and its text, one
    `polarity_scores` call each (the analyzer reads both); the analyzer is built untimed."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader.polarity_scores(texts[0][1])
    started = time.process_time()
    for title, text in texts:
        vader.polarity_scores(title)
        vader.polarity_scores(text)
    return time.process_time() - started
