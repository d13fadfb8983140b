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
of 50 items and (b2) the round's steps one after another in one process, timed and counted
(bench/layout_poll.py); (c) every page of bench/bench_dashboard.py at DETENTE_BENCH_LAYOUT_PAGES_N
articles (default 10,000) via AppTest, data cache cleared before each render.
DETENTE_BENCH_LAYOUT_ROUNDS (default 3) sets the timed rounds of the store reads and the steps
(the poll rounds and the pages get one fewer, at least 2).

To take a layout apart from the features merged after it, DETENTE_BENCH_LAYOUT_PARTS picks the
parts (default `reads,poll,stages,pages`), DETENTE_BENCH_NEW_TREE replaces this tree as the new
side, and DETENTE_BENCH_LAYOUT_ALSO (checkouts separated by commas) adds sides to the poll and
steps parts, each compared with the old one in the same interleaved run (e.g. the commit that
finished the layout before any feature was merged, beside this tree).
"""

from __future__ import annotations

import json
import os
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
NEW_TREE = Path(
    os.environ.get("DETENTE_BENCH_NEW_TREE") or Path(__file__).resolve().parents[1]
).resolve()
ALSO = [Path(p).resolve() for p in os.environ.get("DETENTE_BENCH_LAYOUT_ALSO", "").split(",") if p]
PARTS = set(os.environ.get("DETENTE_BENCH_LAYOUT_PARTS", "reads,poll,stages,pages").split(","))
PAGES_N = int(os.environ.get("DETENTE_BENCH_LAYOUT_PAGES_N", "10000"))
STORE_N = max(PAGES_N, int(os.environ.get("DETENTE_BENCH_LAYOUT_STORE_N", "20000")))
ROUNDS = int(os.environ.get("DETENTE_BENCH_LAYOUT_ROUNDS", "3"))
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
"""A child loads this file (or bench/layout_poll.py) by path, so its `core` (and `tests`) come
from its cwd, the tree."""


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


def child(argv: list[str]) -> None:
    """Entry point of a child process (see BOOT)."""
    mode, *args = argv
    if mode == "reads":
        _serve_reads(args[0], int(args[1]))
    elif mode == "pages":
        _serve_pages(args[0], int(args[1]))
    elif mode == "prepare":
        _prepare(args[0], args[1], int(args[2]), int(args[3]))
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
    from bench import layout_poll

    also = {f"also{i}": tree for i, tree in enumerate(ALSO, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        if PARTS & {"reads", "pages"}:
            prepare(trees, Path(tmp))
        if "reads" in PARTS:
            store_reads(trees, Path(tmp))
        if "poll" in PARTS:
            layout_poll.poll_rounds(trees | also, Path(tmp), max(2, ROUNDS - 1))
        if "stages" in PARTS:
            layout_poll.stages(trees | also, Path(tmp), max(3, ROUNDS))
        if "pages" in PARTS:
            pages(trees, Path(tmp))
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
