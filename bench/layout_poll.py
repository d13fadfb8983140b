"""The poll part of bench/bench_layout.py: one poll round per tree, and the round's steps one
after another in one process, timed and counted.

Like the rest of that benchmark, each side runs in a child process whose cwd is its tree, so
`core` is that tree's; a child loads this file by its path (BOOT), never through `bench`, which
in an older tree is that tree's own. (b) One `poll_once` round over FEEDS loopback feeds of
ITEMS items into a fresh SQLite file: wall and CPU (the polling process and its worker processes
apart), and the CPU of the two parts that changed on purpose since issue 8's layout (the analyzer
over the same items; starting a worker process, whose warm-up now loads the Russian reader too)
so the rest can be compared; DETENTE_BENCH_LAYOUT_PROFILE=DIR writes a cProfile of each side's
polling process (its last round) to DIR/<side>.pstats. (b2) The round's steps over the same
documents in one process — parse and clean, analyze, the trip back from a worker, store — timed,
and counted (function calls, modules imported), which no load on the machine changes.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

FEEDS, ITEMS, LATENCY = 40, 50, 0.2
PROFILE = os.environ.get("DETENTE_BENCH_LAYOUT_PROFILE", "")


# ---- the child side: runs with cwd = one tree, imports that tree's layout ----


def _store_type() -> Any:
    """Store from either layout (the package moved; the API did not)."""
    try:
        from core.storage import Store
    except ImportError:
        from core.store import Store  # type: ignore[no-redef,import-not-found]
    return Store


def _analysis_cpu(texts_path: str) -> float:
    """CPU seconds this tree's analyzer takes over the round's items (title, body), warmed up."""
    try:
        from core.analysis.analyzer import analyze
    except ImportError:
        from core.analyze import analyze  # type: ignore[no-redef,import-not-found]
    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    analyze(*texts[0])
    started = time.process_time()
    for title, body in texts:
        analyze(title, body)
    return time.process_time() - started


WORKER_START = (
    "import time\n"
    "try:\n"
    "    from core.ingest.read import warm_up\n"
    "except ImportError:\n"
    "    from core.digest import warm_up\n"
    "warm_up()\n"
    "print(time.process_time())\n"
)
"""What a spawned worker process of the poller costs before its first feed: start, imports,
warm-up (each layout's own warm_up)."""


def _worker_start_cpu() -> float:
    done = subprocess.run(
        [sys.executable, "-c", WORKER_START], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[-1])


def _poll_round(url: str, base: str, texts_path: str, profile: str = "") -> None:
    """One first round over fresh feeds into a new SQLite file; prints wall, CPU and rows, and
    the CPU the analyzer alone takes over the same items (it changed on purpose since)."""
    os.environ["DETENTE_ALLOW_PRIVATE_NETWORKS"] = "1"
    from core.models import FeedConfig

    try:
        from core.ingest.fetch import FetchSettings
        from core.ingest.poller import PollSettings, poll_once
    except ImportError:
        from core.fetch import FetchSettings  # type: ignore[no-redef,import-not-found]
        from core.poller import PollSettings, poll_once  # type: ignore[no-redef,import-not-found]
    store = _store_type().open(url)
    feeds = [FeedConfig(f"{base}/feed{i}.xml", f"Outlet {i}", "wire") for i in range(FEEDS)]
    store.sync_feeds(feeds)
    workers = PollSettings().workers
    settings = PollSettings(
        workers=workers,
        processes=os.cpu_count() or 1,
        fetch=FetchSettings(per_host_limit=workers),
    )
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    summary = poll_once(store, settings, include_not_due=True)
    if profiler is not None:
        profiler.disable()
    wall = time.perf_counter() - started
    poller = time.process_time() - cpu_started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    cpu = poller + workers_cpu
    if profiler is not None:
        profiler.dump_stats(profile)
    failed = sum(1 for r in summary.reports if r.outcome == "failed")
    articles = store.count_articles()
    store.close()
    analysis = _analysis_cpu(texts_path)
    starts = settings.processes * _worker_start_cpu()
    result = {"wall": wall, "cpu": cpu, "analysis": analysis, "starts": starts}
    result |= {"poller": poller, "workers": workers_cpu}
    result["rest"] = cpu - analysis - starts
    result["workers_rest"] = workers_cpu - analysis - starts
    result |= {"articles": articles, "failed": failed}
    print(json.dumps(result), flush=True)


def _modules() -> dict[str, int]:
    """Modules a worker process imports to start (its warm-up), and the polling process to poll:
    counted from this child's start, so both layouts pay the same bench overhead."""
    before = set(sys.modules)
    try:
        from core.ingest.read import warm_up
    except ImportError:
        from core.digest import warm_up  # type: ignore[no-redef,import-not-found]
    warm_up()
    worker = len(set(sys.modules) - before)
    try:
        import core.ingest.poller
    except ImportError:
        import core.poller  # type: ignore[import-not-found,no-redef]  # noqa: F401
    return {"worker modules": worker, "poller modules": len(set(sys.modules) - before)}


def _calls(step: Callable[[], Any]) -> tuple[int, Any]:
    """Python function calls a step makes (cProfile's count): the same in a quiet machine and a
    loaded one, so a layout that adds work shows without noise."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    result = step()
    profiler.disable()
    return sum(row[1] for row in pstats.Stats(profiler).stats.values()), result  # type: ignore[attr-defined]


def _stages(url: str, bodies_path: str, count: str) -> None:
    """The steps of a round over the same FEEDS documents, one after another in this process
    (no fetching, no worker processes, so far less noise): parse and clean, analyze, the trip
    back from a worker (pickle both ways), and storing (Store.record_polls, ten feeds per
    transaction as a busy round does) into a fresh SQLite file with the feeds synced. With
    `count`, the same steps again into a second file, counting function calls, and the modules
    a worker and a poller import."""
    import pickle
    from datetime import UTC, datetime

    modules = _modules() if count else {}
    from core.models import FeedConfig

    try:
        from core.ingest.read import Source, analyze_all, read_articles
        from core.storage import PollOutcome
    except ImportError:
        from core.digest import (  # type: ignore[no-redef,import-not-found]
            Source,
            analyze_all,
            read_articles,
        )
        from core.store import PollOutcome  # type: ignore[no-redef,import-not-found]
    headers = {"content-type": "application/rss+xml; charset=utf-8"}
    bodies = [b.encode() for b in json.loads(Path(bodies_path).read_text(encoding="utf-8"))]
    sources = [Source(f"http://feeds.test/f{i}.xml", f"Outlet {i}", "wire") for i in range(FEEDS)]
    now = datetime.now(UTC)
    analyze_all(read_articles(sources[0], bodies[0], headers, sources[0].url, now)[0][:1])

    def read() -> list[Any]:
        pairs = zip(sources, bodies, strict=True)
        return [read_articles(s, b, headers, s.url, now)[0] for s, b in pairs]

    def analyze(articles: list[Any]) -> list[Any]:
        return [analyze_all(items) for items in articles]

    def trip(analyzed: list[Any]) -> list[Any]:
        return [pickle.loads(pickle.dumps(items)) for items in analyzed]

    def store_all(path: str, analyzed: list[Any]) -> Callable[[], Any]:
        store = _store_type().open(path)
        store.sync_feeds([FeedConfig(s.url, s.outlet, s.bloc) for s in sources])
        claimed = store.claim_due_feeds(now, lease=timedelta(minutes=5), include_not_due=True)
        ids = {feed.outlet: feed.id for feed in claimed}
        polls = [
            (ids[s.outlet], PollOutcome(200, None, None, None, now, items, False, now))
            for s, items in zip(sources, analyzed, strict=True)
        ]

        def write() -> Any:
            for batch in range(0, FEEDS, 10):
                store.record_polls(polls[batch : batch + 10])
            if store.count_articles() != FEEDS * ITEMS:
                raise SystemExit(f"stored {store.count_articles()} articles, not {FEEDS * ITEMS}")
            store.close()

        return write

    clock = time.process_time
    result: dict[str, float] = {}
    started = clock()
    articles = read()
    result["read"] = clock() - started
    started = clock()
    analyzed = analyze(articles)
    result["analyze"] = clock() - started
    started = clock()
    analyzed = trip(analyzed)
    result["pickle"] = clock() - started
    write = store_all(url, analyzed)
    started = clock()
    write()
    result["store"] = clock() - started
    if count:
        result["read calls"], articles = _calls(read)
        result["analyze calls"], analyzed = _calls(lambda: analyze(articles))
        result["pickle calls"], analyzed = _calls(lambda: trip(analyzed))
        result["store calls"] = _calls(store_all(url + ".calls.db", analyzed))[0]
        result |= modules
    print(json.dumps(result), flush=True)


def child(argv: list[str]) -> None:
    """Entry point of a child process (bench/bench_layout.py's BOOT, given this file)."""
    mode, *args = argv
    if mode == "poll":
        _poll_round(*args)
    elif mode == "stages":
        _stages(*args)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


# ---- the parent side ----


def _run(tree: Path, *args: str) -> Any:
    """One child in `tree`; its last line of output, as JSON."""
    from bench.bench_layout import BOOT

    done = subprocess.run(
        [sys.executable, "-c", BOOT, __file__, *args],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _spread(values: list[float]) -> float:
    """How far the median of the rounds lies above their best: a side's own noise."""
    return statistics.median(values) / min(values) - 1 if min(values) else 0.0


def poll_rounds(trees: dict[str, Path], tmp: Path, rounds: int) -> None:
    print(
        f"\n-- (b) one poll round, {FEEDS} loopback feeds x {ITEMS} items, "
        f"{LATENCY * 1000:.0f} ms latency, {os.cpu_count()} cores --"
    )
    from bench.bench_poll import item_texts
    from bench.poll_rounds import FeedServerProcess

    texts = [(title, text) for feed in range(FEEDS) for _, title, text in item_texts(feed)]
    texts_path = tmp / "poll-items.json"
    texts_path.write_text(json.dumps(texts), encoding="utf-8")
    server = FeedServerProcess(FEEDS, LATENCY)
    results: dict[str, list[dict[str, float]]] = {side: [] for side in trees}
    try:
        for round_ in range(rounds):
            for side in list(trees) if round_ % 2 else reversed(list(trees)):
                url = f"sqlite:///{tmp / f'{side}-poll-{round_}.db'}"
                profile = ""
                if PROFILE and round_ == rounds - 1:
                    profile = str(Path(PROFILE).resolve() / f"{side}.pstats")
                args = (url, server.base, str(texts_path), profile)
                result = _run(trees[side], "poll", *args)
                if result["failed"] or result["articles"] != FEEDS * ITEMS:
                    raise RuntimeError(f"{side} poll round: {result}")
                results[side].append(result)
    finally:
        server.close()
    for side, tree in trees.items():
        print(f"{side}: {tree}")
    print(f"best of {len(results['old'])} rounds per side; {FEEDS * ITEMS} articles each")
    for key, what in (
        ("wall", "wall"),
        ("cpu", "CPU (poller + worker processes)"),
        ("analysis", "CPU of the analyzer alone, same items"),
        ("starts", f"CPU of starting {os.cpu_count()} worker processes"),
        ("rest", "CPU of the round minus those two"),
        ("poller", "  of which the polling process"),
        ("workers_rest", "  and the worker processes (minus those two)"),
    ):
        _compare(results, key, what, width=44, digits=2)


def _compare(
    results: dict[str, list[dict[str, float]]], key: str, what: str, width: int, digits: int
) -> None:
    """One line: the best `key` of the old side, and of every other side with its ratio to old
    and the larger of the two sides' spreads."""
    a = min(r[key] for r in results["old"])
    line = f"{what:<{width}} old {a:6.{digits}f} s"
    for side in list(results)[1:]:
        b = min(r[key] for r in results[side])
        noise = max(_spread([r[key] for r in results[s]]) for s in ("old", side))
        line += f"  {side} {b:6.{digits}f} s ({side}/old {b / a:4.2f}, spread {noise:.0%})"
    print(line)


def stages(trees: dict[str, Path], tmp: Path, rounds: int) -> None:
    print(
        f"\n-- (b2) the steps of a poll round over the same {FEEDS} documents, one after another "
        "in one process (no fetch, no worker processes) --"
    )
    from bench.bench_poll import feed_body

    bodies_path = tmp / "stage-bodies.json"
    bodies = [feed_body(feed).decode() for feed in range(FEEDS)]
    bodies_path.write_text(json.dumps(bodies), encoding="utf-8")
    results: dict[str, list[dict[str, float]]] = {side: [] for side in trees}
    for round_ in range(rounds):
        for side in list(trees) if round_ % 2 else reversed(list(trees)):
            url = f"sqlite:///{tmp / f'{side}-stages-{round_}.db'}"
            count = "count" if round_ == 0 else ""
            results[side].append(_run(trees[side], "stages", url, str(bodies_path), count))
    print(f"best of {rounds} runs per side; {FEEDS * ITEMS} articles each")
    for key, what in (
        ("read", "parse and clean"),
        ("analyze", "analyze"),
        ("pickle", "pickle there and back"),
        ("store", "store (record_polls, 10 feeds a time)"),
    ):
        _compare(results, key, what, width=40, digits=3)
    print("counted (no noise): function calls of each step, modules imported")
    for key in (
        "read calls", "analyze calls", "pickle calls", "store calls", "worker modules",
        "poller modules",
    ):  # fmt: skip
        a = results["old"][0][key]
        line = f"  {key:<38} old {a:>9,.0f}"
        for side in list(trees)[1:]:
            b = results[side][0][key]
            line += f"  {side} {b:>9,.0f} ({side}/old {b / a:.3f})"
        print(line)
