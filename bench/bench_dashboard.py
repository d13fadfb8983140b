"""Dashboard render time at 1M articles vs 10k (target <= 2x) and peak memory at 1M (< 1 GB);
Overview and Themes with three articles dated years 1, 1000 and 1600 vs without (target <= 2x);
each page with a text search, an actor filter and a tone filter vs unfiltered at 1M (target <= 2x),
by one session and by five at once. `DETENTE_BENCH_SIZE` (or `python -m bench.bench_dashboard
--size N`) sets the size of the filtered-page runs (default 1M; 20k–50k while developing).

Databases are filled with synthetic analyzed articles (tests.synthetic) once and cached under
bench/out/. Each page (and one opened article) is rendered by Streamlit's AppTest in a fresh
subprocess per database, with the data cache cleared before every render, so each figure is a real
run of the page's queries (best of two). That subprocess is the Streamlit process: its peak RSS is
read here with getrusage(RUSAGE_CHILDREN) once it has exited.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from core.storage import Store
from tests.seed import lying_date_articles
from tests.synthetic import fill_synthetic

OUT = Path(__file__).resolve().parent / "out"
REPO = Path(__file__).resolve().parents[1]
PAGES = [
    "app.py",
    "pages/1_Themes.py",
    "pages/2_Outlets.py",
    "pages/3_Articles.py",
    "pages/3_Articles.py?article=1",
    "pages/4_Sources.py",
]
SIZES = [10_000, 1_000_000]
DATED_PAGES = ["app.py", "pages/1_Themes.py"]
FILTERED_PAGES = ["app.py", "pages/1_Themes.py", "pages/2_Outlets.py", "pages/3_Articles.py"]
FILTERS = {
    "unfiltered": "",
    "text 'sanctions'": "q=sanctions",
    "actor Putin": "actor=Vladimir Putin",
    "tone 0..1": "tone=0,1",
}
"""Sidebar filters as URL parameters: a common word (16 % of the articles at 1M), the most named
actor (22 %) and the positive half of the tone range."""
SESSIONS = 5

RENDER = r"""
import json, os, resource, sys, time
import streamlit as st
from streamlit.testing.v1 import AppTest
times = {}
for page in sys.argv[1:]:
    path, _, query = page.partition("?")
    best = None
    for _ in range(int(os.environ.get("DETENTE_BENCH_RUNS", "2"))):
        st.cache_data.clear()
        app = AppTest.from_file("app.py", default_timeout=600)
        for pair in filter(None, query.split("&")):
            key, _, value = pair.partition("=")
            app.query_params[key] = value
        if path != "app.py":
            app.switch_page(path)
        started = time.perf_counter()
        app.run()
        took = time.perf_counter() - started
        assert not app.exception, [e.value for e in app.exception]
        best = took if best is None else min(best, took)
    times[page] = best
print(json.dumps({"times": times}))
"""


def database(size: int) -> str:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"synthetic-{size}.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        have = store.count_articles()
        if have < size:
            started = time.perf_counter()
            print(
                f"filling {size:,} synthetic articles into {path} (cached for next time)…",
                flush=True,
            )
            done = 0

            def progress(batch: int) -> None:
                nonlocal done
                done += batch
                if done % 100_000 < batch:
                    print(f"  {have + done:,} / {size:,}", flush=True)

            fill_synthetic(store, size - have, seed=have, progress=progress)
            print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _session(url: str, pages: list[str], runs: int = 2) -> subprocess.Popen[str]:
    """One Streamlit session rendering `pages` (in a process of its own), best of `runs`."""
    return subprocess.Popen(
        [sys.executable, "-c", RENDER, *pages],
        cwd=REPO,
        env={**os.environ, "DETENTE_DB": url, "DETENTE_BENCH_RUNS": str(runs)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _times(session: subprocess.Popen[str]) -> dict[str, float]:
    out, err = session.communicate()
    if session.returncode:
        raise RuntimeError(f"render failed: {err[-2000:]}")
    times: dict[str, float] = json.loads(out.strip().splitlines()[-1])["times"]
    return times


def render(url: str, pages: list[str] = PAGES) -> dict[str, object]:
    result: dict[str, object] = {"times": _times(_session(url, pages))}
    # The highest RSS of any child that has exited so far: run the larger database last.
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result


def with_lying_dates(size: int) -> str:
    """A copy of the synthetic database of `size` plus articles dated years 1, 1000 and 1600."""
    source = database(size).removeprefix("sqlite:///")
    path = OUT / f"synthetic-{size}-ancient.db"
    shutil.copyfile(source, path)
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        store.save_articles(lying_date_articles())
    return url


def lying_dates(size: int = SIZES[0]) -> None:
    """Overview and Themes with three ancient articles vs the same data without them."""
    plain = render(database(size), DATED_PAGES)["times"]
    ancient = render(with_lying_dates(size), DATED_PAGES)["times"]
    print(f"{'page':<30} {'plain (s)':>9} {'year 1 (s)':>10} {'ratio':>6}  (target <= 2x)")
    for page in DATED_PAGES:
        a, b = plain[page], ancient[page]  # type: ignore[index]
        print(f"{page:<30} {a:9.2f} {b:10.2f} {b / a:6.2f}")


def _filtered(page: str, params: str) -> str:
    return f"{page}?{params}" if params else page


def filtered_pages(size: int) -> None:
    """Each page with a text, actor or tone filter vs unfiltered: one session (best of two), then
    five at once (each renders every page under every filter once; the slowest of the five)."""
    url = database(size)
    pages = [_filtered(p, q) for p in FILTERED_PAGES for q in FILTERS.values()]
    alone = _times(_session(url, pages))
    started = time.perf_counter()
    together = [_times(s) for s in [_session(url, pages, runs=1) for _ in range(SESSIONS)]]
    wall = time.perf_counter() - started
    worst = {page: max(t[page] for t in together) for page in pages}
    print(f"filtered pages at {size:,} articles: seconds, and ratio to the unfiltered page")
    print(
        f"{'page':<22} {'filter':<24} {'1 session':>9} {'ratio':>6} {'5 at once':>9} {'ratio':>6}"
    )
    for page in FILTERED_PAGES:
        for name, params in FILTERS.items():
            one, five = alone[_filtered(page, params)], worst[_filtered(page, params)]
            print(
                f"{page:<22} {name:<24} {one:9.2f} {one / alone[page]:6.2f} "
                f"{five:9.2f} {five / worst[page]:6.2f}"
            )
    print(f"five sessions took {wall:.1f} s together (target: every ratio <= 2)")


def main(size: int | None = None) -> None:
    size = size or int(os.environ.get("DETENTE_BENCH_SIZE", SIZES[-1]))
    lying_dates()
    results = {size: render(database(size)) for size in SIZES}
    small, large = (results[size] for size in SIZES)
    print(f"{'page':<30} {'10k (s)':>8} {'1M (s)':>8} {'ratio':>6}  (target <= 2x)")
    for page in PAGES:
        a, b = small["times"][page], large["times"][page]  # type: ignore[index]
        print(f"{page:<30} {a:8.2f} {b:8.2f} {b / a:6.2f}")
    peak = int(large["maxrss_kb"]) / 1024  # type: ignore[call-overload]
    print(f"peak memory of the Streamlit process at 1M: {peak:.0f} MiB (target < 1024 MiB)")
    filtered_pages(size)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Filtered pages vs unfiltered at one size.")
    parser.add_argument("--size", type=int, default=50_000)
    filtered_pages(parser.parse_args().size)
