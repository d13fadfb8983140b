"""Store benchmark: synthetic fill rate, and every dashboard read at N articles against 10k.

Run with `.venv/bin/python -m bench store`. N is DETENTE_BENCH_STORE_N (default 200,000; set
1000000 for the dashboard's target size — the fill then takes a few minutes). SQLite by default;
DETENTE_BENCH_STORE_URL_SMALL / _BIG point it at other (empty) databases, e.g. PostgreSQL.
Every figure comes from this one run; the ratios are what matter (target: reads at N ≤ 2× 10k).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.models import Filters
from core.storage import Store
from tests.synthetic import fill_synthetic

SMALL = 10_000
REPEAT = 3


def _reads(store: Store) -> dict[str, Callable[[], Any]]:
    newest = store.filter_options()["date_max"]
    recent = Filters(date_from=newest - timedelta(days=90))
    themed = Filters(themes=("sanctions",))
    conflict = Filters(event_categories=("material_conflict",))
    mentions = Filters(mentions=True)
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
        "relations_by_day direction": lambda: store.relations_by_day(Filters(), "direction"),
        "relations_by_day bloc": lambda: store.relations_by_day(Filters(), "bloc"),
        "relations_by_category": lambda: store.relations_by_category(Filters()),
        "relations event filter": lambda: store.relations_by_day(conflict, "direction"),
        "count_matching event": lambda: store.count_matching(conflict),
        "theme volume mentions": lambda: store.volume_by_day(mentions, "theme"),
        "stale_analyses": lambda: store.stale_analyses("themes-new", "analyzer-new"),
    }


def _time(read: Callable[[], Any]) -> float:
    read()  # warm the page cache
    best = float("inf")
    for _ in range(REPEAT):
        started = time.perf_counter()
        read()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    big = int(os.environ.get("DETENTE_BENCH_STORE_N", "200000"))
    with tempfile.TemporaryDirectory() as tmp:
        urls = {
            SMALL: os.environ.get("DETENTE_BENCH_STORE_URL_SMALL")
            or f"sqlite:///{Path(tmp) / 'small.db'}",
            big: os.environ.get("DETENTE_BENCH_STORE_URL_BIG")
            or f"sqlite:///{Path(tmp) / 'big.db'}",
        }
        timings: dict[int, dict[str, float]] = {}
        for n, url in urls.items():
            store = Store.open(url)
            started = time.perf_counter()
            fill_synthetic(store, n, seed=1)
            elapsed = time.perf_counter() - started
            print(f"filled {n:,} synthetic articles in {elapsed:.1f} s ({n / elapsed:,.0f}/s)")
            timings[n] = {name: _time(read) for name, read in _reads(store).items()}
            store.close()
    print(f"\n{'read':<26}{'10k ms':>9}{f'{big // 1000}k ms':>10}{'ratio':>8}")
    worst = 0.0
    for name in timings[SMALL]:
        small_s, big_s = timings[SMALL][name], timings[big][name]
        ratio = big_s / small_s if small_s else float("inf")
        worst = max(worst, ratio)
        print(f"{name:<26}{small_s * 1000:>9.1f}{big_s * 1000:>10.1f}{ratio:>8.2f}")
    total_small, total_big = sum(timings[SMALL].values()), sum(timings[big].values())
    print(
        f"all reads together: {total_big / total_small:.2f}x at {big:,} vs {SMALL:,} articles "
        f"(worst single read {worst:.2f}x)"
    )
