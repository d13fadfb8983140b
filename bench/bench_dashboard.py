"""Dashboard render time at 1M articles vs 10k (target <= 2x) and peak memory at 1M (< 1 GB);
Overview and Themes with three articles dated years 1, 1000 and 1600 vs without (target <= 2x).

Databases are filled with synthetic analyzed articles (tests.synthetic) once and cached under
bench/out/. Each page (and one opened article) is rendered by Streamlit's AppTest in a fresh
subprocess per database, with the data cache cleared before every render, so each figure is a real
run of the page's queries (best of two). That subprocess is the Streamlit process: its peak RSS is
read here with getrusage(RUSAGE_CHILDREN) once it has exited.
"""

from __future__ import annotations

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

RENDER = r"""
import json, resource, sys, time
import streamlit as st
from streamlit.testing.v1 import AppTest
times = {}
for page in sys.argv[1:]:
    path, _, query = page.partition("?")
    best = None
    for _ in range(2):
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


def render(url: str, pages: list[str] = PAGES) -> dict[str, object]:
    env = {**os.environ, "DETENTE_DB": url}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, *pages],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
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


def main() -> None:
    lying_dates()
    results = {size: render(database(size)) for size in SIZES}
    small, large = (results[size] for size in SIZES)
    print(f"{'page':<30} {'10k (s)':>8} {'1M (s)':>8} {'ratio':>6}  (target <= 2x)")
    for page in PAGES:
        a, b = small["times"][page], large["times"][page]  # type: ignore[index]
        print(f"{page:<30} {a:8.2f} {b:8.2f} {b / a:6.2f}")
    peak = int(large["maxrss_kb"]) / 1024  # type: ignore[call-overload]
    print(f"peak memory of the Streamlit process at 1M: {peak:.0f} MiB (target < 1024 MiB)")
