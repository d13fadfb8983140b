"""The language filter at scale: the reads of a page filtered to one language, answered from the
rollups (every rollup has the article's language as a key since migration 6), against the same
reads unfiltered (target <= 2x), and against the alternative design — language-filtered reads
answered from the articles — to show why the rollups carry the language. Also: how long
migration 6 takes to rebuild every rollup per language at that size.

The database is bench_dashboard's cached synthetic one (tests.synthetic: outlets in English,
Russian and French); its size is $DETENTE_BENCH_LANGUAGES_SIZE (default 1,000,000).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.bench_dashboard import database
from core.models import Filters
from core.storage import Store, plan
from core.storage.migrations import _rollups_per_language

SIZE = int(os.environ.get("DETENTE_BENCH_LANGUAGES_SIZE", "1000000"))
TARGET = 2.0


def page_reads(store: Store, f: Filters) -> None:
    """What the Overview and the Outlets page's editions ask for one filter set."""
    store.overview_figures(f)
    store.volume_by_day(f, "bloc")
    store.volume_by_day(f, "theme")
    store.tone_by_day(f, "bloc")
    store.top_actors(f, limit=15)
    store.theme_by_outlet(f)
    store.editions(f)


def best_of(runs: int, work: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def from_the_articles(store: Store, f: Filters) -> float:
    """The page's reads with every language-filtered read answered from the articles."""
    original = plan.rollup_can_answer

    def no_language_key(table: Any, filters: Filters, *, per_theme: bool) -> bool:
        return not filters.languages and original(table, filters, per_theme=per_theme)

    plan.rollup_can_answer = no_language_key  # type: ignore[assignment]
    try:
        return best_of(1, lambda: page_reads(store, f))
    finally:
        plan.rollup_can_answer = original


def main() -> None:
    url = database(SIZE)
    with Store.open(url) as store:
        count = store.count_articles()
        russian = store.count_matching(Filters(relevant_only=False, languages=("ru",)))
        print(f"{count:,} articles, {russian:,} in Russian")
        unfiltered = best_of(2, lambda: page_reads(store, Filters()))
        for lang in ("ru", "en"):
            f = Filters(languages=(lang,))
            rolled = best_of(2, partial(page_reads, store, f))
            scanned = from_the_articles(store, f)
            print(
                f"lang={lang}: page reads {rolled:.3f} s from the rollups vs {unfiltered:.3f} s "
                f"unfiltered ({rolled / unfiltered:.2f}x, target <= {TARGET}x); "
                f"from the articles {scanned:.3f} s ({scanned / unfiltered:.1f}x)"
            )
        with store._write() as conn:
            started = time.perf_counter()
            _rollups_per_language(conn)
            took = time.perf_counter() - started
            print(f"migration 6 (rebuild every rollup per language): {took:.1f} s")


if __name__ == "__main__":
    main()
