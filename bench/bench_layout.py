"""This tree against a checkout of an earlier layout, in one run: store reads, a poll round, pages.

A development benchmark (issue 8's "no worse than before, measured in one run against the previous
layout"): set DETENTE_BENCH_OLD_TREE to the earlier checkout (e.g. a `git worktree` at fff772e);
without it `python -m bench layout` (and `make bench`) only says it was skipped. Each tree runs in
its own subprocesses with its own directory as cwd, so `core` is that tree's package, and builds
its own SQLite files with its own schema code. The two sides run interleaved (old, new, old,
new, …; best of the rounds), so a load that changes during the run weighs on both alike. Printed
ratios are new/old: at or below 1.0, or within the spread of the rounds, is no worse.

The analysis ratio of `bench analysis` is not compared: the analyzer changed on purpose since.
Measured instead: (a) every dashboard read of bench/bench_store.py on the same synthetic database
(DETENTE_BENCH_LAYOUT_STORE_N articles, default 20,000); (b) one poll round over 40 loopback feeds
of 50 items (bench/bench_poll.py's server and feeds), wall and CPU, and the CPU of the two
parts that changed on purpose (the analyzer over the same items; starting a worker process,
whose warm-up now loads the Russian reader too) so the rest can be compared; (c) every page of
bench/bench_dashboard.py at DETENTE_BENCH_LAYOUT_PAGES_N articles (default 10,000) via AppTest,
data cache cleared before each render. DETENTE_BENCH_LAYOUT_ROUNDS (default 3) sets the timed
rounds of the store reads (the poll rounds and the pages get one fewer, at least 2).

To take a layout apart from the features merged after it, DETENTE_BENCH_LAYOUT_PARTS picks the
parts (default `reads,poll,stages,pages`), DETENTE_BENCH_NEW_TREE replaces this tree as the new
side, and DETENTE_BENCH_LAYOUT_ALSO (checkouts separated by commas) adds sides to the poll and
stages parts, each compared with the old one in the same interleaved run (e.g. the commit that
finished the layout before any feature, and this tree). The poll part prints the poller's own
CPU and the worker processes' CPU apart; DETENTE_BENCH_LAYOUT_PROFILE=DIR writes a cProfile of
each side's polling process (its last round) to DIR/<side>.pstats. The stages part (b2) runs the
round's steps one after another in one process, timed and also counted (function calls, modules
imported), which no load on the machine changes.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

OLD_TREE_ENV = "DETENTE_BENCH_OLD_TREE"
HERE = Path(__file__).resolve().parents[1]
"""This tree: it serves the feeds, whichever trees are compared."""
NEW_TREE = Path(os.environ.get("DETENTE_BENCH_NEW_TREE") or HERE).resolve()
ALSO = [Path(p).resolve() for p in os.environ.get("DETENTE_BENCH_LAYOUT_ALSO", "").split(",") if p]
PARTS = set(os.environ.get("DETENTE_BENCH_LAYOUT_PARTS", "reads,poll,stages,pages").split(","))
PROFILE = os.environ.get("DETENTE_BENCH_LAYOUT_PROFILE", "")
PAGES_N = int(os.environ.get("DETENTE_BENCH_LAYOUT_PAGES_N", "10000"))
STORE_N = max(PAGES_N, int(os.environ.get("DETENTE_BENCH_LAYOUT_STORE_N", "20000")))
ROUNDS = int(os.environ.get("DETENTE_BENCH_LAYOUT_ROUNDS", "3"))
FEEDS, ITEMS, LATENCY = 40, 50, 0.2
PAGES = [
    "app.py",
    "pages/1_Themes.py",
    "pages/2_Outlets.py",
    "pages/3_Articles.py",
    "pages/3_Articles.py?article=1",
    "pages/4_Sources.py",
]
BOOT = (
    "import importlib.util as u, sys\n"
    "spec = u.spec_from_file_location('bench_layout_child', sys.argv[1])\n"
    "module = u.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "module.child(sys.argv[2:])\n"
)
"""A child loads this file by path, so its `core` (and `tests`) come from its cwd, the tree."""


# ---- the child side: runs with cwd = one tree, imports that tree's layout ----


def _layout() -> tuple[Any, Callable[..., Any]]:
    """Store and fill_synthetic from either layout (the package moved; the API did not)."""
    try:
        from core.storage import Store
        from tests.synthetic import fill_synthetic
    except ImportError:
        from core.store import Store  # type: ignore[no-redef,import-not-found]
        from core.synthetic import fill_synthetic  # type: ignore[no-redef,import-not-found]
    return Store, fill_synthetic


def _reads(store: Any) -> dict[str, Callable[[], Any]]:
    """The reads of bench/bench_store.py, by the same names."""
    from core.models import Filters

    newest = store.filter_options()["date_max"]
    recent = Filters(date_from=newest - timedelta(days=90))
    themed = Filters(themes=("sanctions",))
    return {
        "filter_options": store.filter_options,
        "overview_figures": lambda: store.overview_figures(Filters()),
        "volume_by_day bloc": lambda: store.volume_by_day(Filters(), "bloc"),
        "volume_by_day theme": lambda: store.volume_by_day(Filters(), "theme"),
        "tone_by_day bloc": lambda: store.tone_by_day(Filters(), "bloc"),
        "theme_by_bloc": lambda: store.theme_by_bloc(Filters()),
        "theme_by_outlet": lambda: store.theme_by_outlet(Filters()),
        "theme_tone_by_bloc_day": lambda: store.theme_tone_by_bloc_day(Filters()),
        "theme_cooccurrence": lambda: store.theme_cooccurrence(Filters()),
        "top_terms": lambda: store.top_terms(Filters()),
        "top_actors": lambda: store.top_actors(Filters()),
        "tone_histogram": lambda: store.tone_histogram(Filters(), "outlet"),
        "list_articles": lambda: store.list_articles(Filters()),
        "list_articles 90 days": lambda: store.list_articles(recent),
        "count_matching theme": lambda: store.count_matching(themed),
        "feed_health": store.feed_health,
        "daily_summary 90 days": lambda: store.daily_summary(recent),
    }


def _fill(url: str, n: int) -> float:
    """Fill the database at `url` up to `n` synthetic articles; the seconds it took."""
    store_type, fill_synthetic = _layout()
    store = store_type.open(url)
    have = store.count_articles()
    started = time.perf_counter()
    if have < n:
        fill_synthetic(store, n - have, seed=1 + have)
    store.close()
    return time.perf_counter() - started


def _prepare(pages_path: str, reads_path: str, pages_n: int, reads_n: int) -> None:
    """The pages' database, then a copy of it grown to the reads' size (one fill, not two)."""
    filled = _fill(f"sqlite:///{pages_path}", pages_n)
    shutil.copyfile(pages_path, reads_path)
    filled += _fill(f"sqlite:///{reads_path}", reads_n)
    print(json.dumps(filled), flush=True)


def _serve_reads(url: str, n: int) -> None:
    """Fill, say so, then time one read per line of stdin until stdin closes."""
    store = _layout()[0].open(url)
    if store.count_articles() != n:
        raise SystemExit(f"{url} holds {store.count_articles()} articles, not {n}")
    reads = _reads(store)
    print(json.dumps({"reads": list(reads)}), flush=True)
    for line in sys.stdin:
        started = time.perf_counter()
        reads[line.strip()]()
        print(json.dumps(time.perf_counter() - started), flush=True)
    store.close()


def _serve_pages(url: str, n: int) -> None:
    """Fill, say so, then render one page (fresh AppTest, data cache cleared) per line of stdin."""
    os.environ["DETENTE_DB"] = url
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"  # not the bare-mode warnings of every run
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    print(json.dumps({}), flush=True)
    for line in sys.stdin:
        path, _, query = line.strip().partition("?")
        st.cache_data.clear()
        app = AppTest.from_file(str(Path.cwd() / "app.py"), default_timeout=600)
        for pair in filter(None, query.split("&")):
            key, _, value = pair.partition("=")
            app.query_params[key] = value
        if path != "app.py":
            app.switch_page(path)
        started = time.perf_counter()
        app.run()
        took = time.perf_counter() - started
        errors = [str(e.value) for e in app.exception]
        print(json.dumps({"seconds": took, "errors": errors}), flush=True)


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
    store = _layout()[0].open(url)
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
        store = _layout()[0].open(path)
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


def _serve_feeds() -> None:
    """bench/bench_poll.py's loopback feeds (FEEDS of them), until stdin closes."""
    from bench.bench_poll import feed_body
    from tests.fixtures_http import FeedServer, Route

    server = FeedServer().start()
    for feed in range(FEEDS):
        server.add(
            f"/feed{feed}.xml",
            Route(
                body=feed_body(feed),
                delay=LATENCY,
                headers={"Content-Type": "application/rss+xml; charset=utf-8"},
            ),
        )
    print(server.url(""), flush=True)
    sys.stdin.read()
    server.stop()


def child(argv: list[str]) -> None:
    """Entry point of a child process (see BOOT)."""
    mode, *args = argv
    if mode == "reads":
        _serve_reads(args[0], int(args[1]))
    elif mode == "pages":
        _serve_pages(args[0], int(args[1]))
    elif mode == "prepare":
        _prepare(args[0], args[1], int(args[2]), int(args[3]))
    elif mode == "poll":
        _poll_round(*args)
    elif mode == "stages":
        _stages(args[0], args[1], args[2])
    elif mode == "feeds":
        _serve_feeds()
    else:
        raise SystemExit(f"unknown mode {mode!r}")


# ---- the parent side ----


class Worker:
    """A long-lived child in one tree that answers one JSON line per request line."""

    def __init__(self, tree: Path, *args: str) -> None:
        self.what = f"{tree} {args[0]}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOT, __file__, *args],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def answer(self) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"child {self.what} ended (code {self.process.wait()})")
        return json.loads(line)

    def ask(self, request: str) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _interleaved(
    workers: dict[str, Worker], requests: list[str], rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Times per side and request: a warm-up round, then `rounds` rounds, sides alternating
    within each request and the side that goes first alternating between rounds."""
    sides = list(workers)
    times: dict[str, dict[str, list[float]]] = {s: {r: [] for r in requests} for s in sides}
    for round_ in range(rounds + 1):
        for request in requests:
            for side in sides if round_ % 2 else reversed(sides):
                answer = workers[side].ask(request)
                seconds = answer["seconds"] if isinstance(answer, dict) else answer
                if isinstance(answer, dict) and answer["errors"]:
                    raise RuntimeError(f"{side} {request}: {answer['errors']}")
                if round_:
                    times[side][request].append(seconds)
    return times


def _spread(values: list[float]) -> float:
    """How far the median of the rounds lies above their best: a side's own noise."""
    return statistics.median(values) / min(values) - 1 if min(values) else 0.0


def _table(label: str, unit: str, times: dict[str, dict[str, list[float]]]) -> None:
    scale, digits = (1000, 1) if unit == "ms" else (1, 2)
    old, new = times["old"], times["new"]
    print(f"{label:<30}{'old ' + unit:>10}{'new ' + unit:>10}{'new/old':>9}{'spread':>9}")
    for name in old:
        a, b = min(old[name]), min(new[name])
        noise = max(_spread(old[name]), _spread(new[name]))
        row = f"{name:<30}{a * scale:>10.{digits}f}{b * scale:>10.{digits}f}"
        print(f"{row}{b / a:>9.2f}{noise:>8.0%}")
    total_old = sum(min(v) for v in old.values())
    total_new = sum(min(v) for v in new.values())
    ratios = [min(new[n]) / min(old[n]) for n in old]
    print(
        f"{'all together':<30}{total_old * scale:>10.{digits}f}{total_new * scale:>10.{digits}f}"
        f"{total_new / total_old:>9.2f}   (geometric mean of the ratios "
        f"{statistics.geometric_mean(ratios):.2f}, worst {max(ratios):.2f})"
    )


def _start(trees: dict[str, Path], mode: str, url_of: Callable[[str], str], n: int) -> Any:
    workers = {side: Worker(tree, mode, url_of(side), str(n)) for side, tree in trees.items()}
    for worker in workers.values():
        worker.answer()
    return workers


def prepare(trees: dict[str, Path], tmp: Path) -> None:
    """Both trees fill their databases at once, each with its own schema and synthetic data."""
    print(f"filling {PAGES_N:,} and {STORE_N:,} synthetic articles in each tree…", flush=True)
    workers = {
        side: Worker(
            tree,
            "prepare",
            str(tmp / f"{side}-pages.db"),
            str(tmp / f"{side}-reads.db"),
            str(PAGES_N),
            str(STORE_N),
        )
        for side, tree in trees.items()
    }
    for side, worker in workers.items():
        print(f"{side}: filled in {worker.answer():.1f} s (both trees at once)", flush=True)
        worker.close()


def store_reads(trees: dict[str, Path], tmp: Path) -> None:
    print(f"\n-- (a) every dashboard read of bench/bench_store.py at {STORE_N:,} articles --")
    workers = _start(trees, "reads", lambda side: f"sqlite:///{tmp / f'{side}-reads.db'}", STORE_N)
    try:
        times = _interleaved(workers, list(_READ_NAMES), ROUNDS)
    finally:
        for worker in workers.values():
            worker.close()
    _table("read", "ms", times)


_READ_NAMES = (
    "filter_options",
    "overview_figures",
    "volume_by_day bloc",
    "volume_by_day theme",
    "tone_by_day bloc",
    "theme_by_bloc",
    "theme_by_outlet",
    "theme_tone_by_bloc_day",
    "theme_cooccurrence",
    "top_terms",
    "top_actors",
    "tone_histogram",
    "list_articles",
    "list_articles 90 days",
    "count_matching theme",
    "feed_health",
    "daily_summary 90 days",
)


def poll_rounds(trees: dict[str, Path], tmp: Path) -> None:
    print(
        f"\n-- (b) one poll round, {FEEDS} loopback feeds x {ITEMS} items, "
        f"{LATENCY * 1000:.0f} ms latency, {os.cpu_count()} cores --"
    )
    from bench.bench_poll import SENTENCES

    texts = [
        (
            f"Story {item} from outlet {feed}: {SENTENCES[item % 5][:60]}",
            " ".join(SENTENCES[(item + k) % 5] for k in range(2)),
        )
        for feed in range(FEEDS)
        for item in range(ITEMS)
    ]  # the items of bench/bench_poll.py's feed_body
    texts_path = tmp / "poll-items.json"
    texts_path.write_text(json.dumps(texts), encoding="utf-8")
    server = Worker(HERE, "feeds")
    assert server.process.stdout is not None
    base = server.process.stdout.readline().strip()
    results: dict[str, list[dict[str, float]]] = {side: [] for side in trees}
    try:
        rounds = max(2, ROUNDS - 1)
        for round_ in range(rounds):
            for side in list(trees) if round_ % 2 else reversed(list(trees)):
                url = f"sqlite:///{tmp / f'{side}-poll-{round_}.db'}"
                profile = ""
                if PROFILE and round_ == rounds - 1:
                    profile = str(Path(PROFILE).resolve() / f"{side}.pstats")
                done = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        BOOT,
                        __file__,
                        "poll",
                        url,
                        base,
                        str(texts_path),
                        profile,
                    ],
                    cwd=trees[side],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(done.stdout.strip().splitlines()[-1])
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
        if not all(key in r for rs in results.values() for r in rs):
            continue  # a result of an older version of this file
        a = min(r[key] for r in results["old"])
        line = f"{what:<44} old {a:6.2f} s"
        for side in list(trees)[1:]:
            b = min(r[key] for r in results[side])
            noise = max(_spread([r[key] for r in results[s]]) for s in ("old", side))
            line += f"  {side} {b:6.2f} s ({side}/old {b / a:4.2f}, spread {noise:.0%})"
        print(line)


def stages(trees: dict[str, Path], tmp: Path) -> None:
    print(
        f"\n-- (b2) the steps of a poll round over the same {FEEDS} documents, one after another "
        "in one process (no fetch, no worker processes) --"
    )
    from bench.bench_poll import feed_body

    bodies_path = tmp / "stage-bodies.json"
    bodies = [feed_body(feed).decode() for feed in range(FEEDS)]
    bodies_path.write_text(json.dumps(bodies), encoding="utf-8")
    results: dict[str, list[dict[str, float]]] = {side: [] for side in trees}
    rounds = max(3, ROUNDS)
    for round_ in range(rounds):
        for side in list(trees) if round_ % 2 else reversed(list(trees)):
            url = f"sqlite:///{tmp / f'{side}-stages-{round_}.db'}"
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    BOOT,
                    __file__,
                    "stages",
                    url,
                    str(bodies_path),
                    "count" if round_ == 0 else "",
                ],
                cwd=trees[side],
                capture_output=True,
                text=True,
                check=True,
            )
            results[side].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"best of {rounds} runs per side; {FEEDS * ITEMS} articles each")
    for key, what in (
        ("read", "parse and clean"),
        ("analyze", "analyze"),
        ("pickle", "pickle there and back"),
        ("store", "store (record_polls, 10 feeds a time)"),
    ):
        a = min(r[key] for r in results["old"])
        line = f"{what:<40} old {a:6.3f} s"
        for side in list(trees)[1:]:
            b = min(r[key] for r in results[side])
            noise = max(_spread([r[key] for r in results[s]]) for s in ("old", side))
            line += f"  {side} {b:6.3f} s ({side}/old {b / a:4.2f}, spread {noise:.0%})"
        print(line)
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


def pages(trees: dict[str, Path], tmp: Path) -> None:
    print(f"\n-- (c) dashboard pages at {PAGES_N:,} articles (AppTest, data cache cleared) --")
    workers = _start(trees, "pages", lambda side: f"sqlite:///{tmp / f'{side}-pages.db'}", PAGES_N)
    try:
        times = _interleaved(workers, PAGES, max(2, ROUNDS - 1))
    finally:
        for worker in workers.values():
            worker.close()
    _table("page", "s", times)


def main() -> None:
    old_tree = os.environ.get(OLD_TREE_ENV)
    if not old_tree:
        print(f"skipped: set {OLD_TREE_ENV} to a checkout of the earlier layout to compare with")
        return
    trees = {"old": Path(old_tree).resolve(), "new": NEW_TREE}
    for tree in (trees["old"], NEW_TREE, *ALSO):
        if not (tree / "core").is_dir():
            raise SystemExit(f"{tree} has no core/ package")
    load = os.getloadavg()
    print(
        f"old: {trees['old']}  new: {trees['new']}  rounds: {ROUNDS}  "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        flush=True,
    )
    also = {f"also{i}": tree for i, tree in enumerate(ALSO, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        if PARTS & {"reads", "pages"}:
            prepare(trees, Path(tmp))
        if "reads" in PARTS:
            store_reads(trees, Path(tmp))
        if "poll" in PARTS:
            poll_rounds(trees | also, Path(tmp))
        if "stages" in PARTS:
            stages(trees | also, Path(tmp))
        if "pages" in PARTS:
            pages(trees, Path(tmp))
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
