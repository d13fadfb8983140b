"""Checking 1,000 watches after a poll round, against the round's own time (issue 12: target
under 10 %).

The round: one `poll_once` over the loopback feeds of bench/bench_poll.py (200 feeds × 50 items
behind 200 ms latency, default workers) into a fresh SQLite file. The check: `check_watches`
(core/alerts/runner.py, no delivery) with 1,000 watches of mixed filters — blocs, single themes
and outlets (answered from the rollups), actors, text queries and pairs of themes (answered from
the articles) — over the synthetic database of bench/bench_dashboard.py, as of its latest day.

Size: $BENCH_ALERTS_ARTICLES articles (default 10,000; 1000000 uses the 1M database
bench_dashboard.py fills and caches under bench/out/). The checks read only the last 16 days, so
$BENCH_ALERTS_RECENT_OF=1000000 measures them at the 1M database's density without filling it:
a database holding just the last 20 days of a 1M-article year (~55,000 articles). The watches
and the alerts they fire are removed afterwards, so a cached database is left as it was."""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as day_time
from pathlib import Path

from bench.bench_dashboard import OUT, database
from bench.bench_poll import FEEDS, ITEMS, LATENCY
from core.alerts.delivery import AlertSettings
from core.alerts.runner import check_watches
from core.ingest.poller import PollSettings, poll_once
from core.models import BLOCS, FeedConfig, Filters, Watch
from core.storage import Store, alerts, watches
from tests.synthetic import ACTORS, EVENTS, OUTLETS, THEMES, fill_synthetic

WATCHES = 1_000
SIZE_ENV = "BENCH_ALERTS_ARTICLES"
RECENT_ENV = "BENCH_ALERTS_RECENT_OF"
RECENT_DAYS = 20


def recent_database(year_size: int) -> tuple[str, int]:
    """The last RECENT_DAYS days of a year of `year_size` articles (cached under bench/out/)."""
    size = year_size * RECENT_DAYS // 365
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{OUT / f'alerts-recent-of-{year_size}.db'}"
    with Store.open(url) as store:
        have = store.count_articles()
        if have < size:
            print(
                f"filling {size - have:,} synthetic articles over {RECENT_DAYS} days…", flush=True
            )
            fill_synthetic(store, size - have, seed=have, days=RECENT_DAYS)
    return url, size


QUERIES = (
    "sanctions", "talks", "summit", "treaty", "prisoner swap", "ceasefire", "oil", "NATO",
    "hackers", "peace deal", "Kremlin", "price cap", "drone*", '"arms control"',
)  # fmt: skip
"""Text queries a desk might watch (words of the synthetic articles; a prefix; a phrase)."""


def mixed_watches(n: int = WATCHES, seed: int = 12) -> list[Watch]:
    """n watches over the synthetic vocabulary, in the mix an analyst desk might keep: a bloc,
    outlet, theme, actor, text, language or event category, alone or narrowed by another, with
    a sensitivity each (few watches share all their filters)."""
    rng = random.Random(seed)
    themes, outlets = list(THEMES), [o for o, _, _, _ in OUTLETS]
    actors = [a for a, _, _ in ACTORS]
    kinds = sorted({c for c, _, _, _, _ in EVENTS} | {q for _, q, _, _, _ in EVENTS})

    def narrowed(f: Filters) -> Filters:
        """Half the time, a second filter of another sort."""
        extra = rng.randrange(6)
        if extra == 0 and not f.blocs:
            return dataclasses.replace(f, blocs=(rng.choice(BLOCS),))
        if extra == 1 and not f.themes:
            return dataclasses.replace(f, themes=(rng.choice(themes),))
        if extra == 2 and not f.outlets:
            return dataclasses.replace(f, outlets=tuple(rng.sample(outlets, 2)))
        return f

    made = []
    for i in range(n):
        kind = i % 10
        if kind == 0:
            f = Filters(blocs=tuple(rng.sample(BLOCS, rng.choice((1, 1, 2)))))
        elif kind == 1:
            f = Filters(themes=(rng.choice(themes),), blocs=(rng.choice(BLOCS),))
        elif kind == 2:
            f = Filters(outlets=(rng.choice(outlets),))
        elif kind in (3, 4):
            f = Filters(actors=tuple(rng.sample(actors, rng.choice((1, 1, 2)))))
        elif kind == 5:
            f = Filters(query=rng.choice(QUERIES))
        elif kind == 6:
            f = Filters(languages=(rng.choice(("ru", "fr", "en")),))
        elif kind == 7:
            f = Filters(event_categories=(rng.choice(kinds),))
        elif kind == 8:
            f = Filters(themes=tuple(rng.sample(themes, 2)), mentions=rng.random() < 0.5)
        else:
            f = Filters(themes=(rng.choice(themes),), relevant_only=False)
            if rng.random() < 0.3:
                f = dataclasses.replace(f, tone_min=-1.0, tone_max=-0.2)
        sensitivity = rng.choice(("low", "normal", "normal", "high"))
        made.append(Watch(f"bench watch {i}", narrowed(f), sensitivity))  # type: ignore[arg-type]
    return made


def poll_round() -> tuple[float, int]:
    """(seconds, articles) of one poll round over bench_poll.py's loopback feeds."""
    os.environ["DETENTE_ALLOW_PRIVATE_NETWORKS"] = "1"
    server = subprocess.Popen(
        [sys.executable, "-c", "from bench.bench_poll import serve; serve()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    base = server.stdout.readline().strip()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(f"sqlite:///{Path(tmp) / 'round.db'}")
            urls = [f"{base}/feed{feed}.xml" for feed in range(FEEDS)]
            store.sync_feeds([FeedConfig(url, f"Outlet {i}", "wire") for i, url in enumerate(urls)])
            started = time.perf_counter()
            poll_once(store, PollSettings(processes=os.cpu_count() or 1), include_not_due=True)
            seconds = time.perf_counter() - started
            articles = store.count_articles()
            store.close()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    return seconds, articles


def check(url: str) -> tuple[float, float, int]:
    """(first check, second check, alerts fired) for WATCHES watches over the database."""
    with Store.open(url) as store:
        last = store.filter_options()["date_max"]
        now = datetime.combine(last, day_time(18), UTC)
        with store._write() as conn:
            conn.execute(watches.delete().where(watches.c.name.like("bench watch %")))
        for watch in mixed_watches():
            store.add_watch(watch)
        try:
            started = time.perf_counter()
            report = check_watches(store, now, settings=AlertSettings())
            first = time.perf_counter() - started
            started = time.perf_counter()
            check_watches(store, now, settings=AlertSettings())  # the next round: nothing new
            second = time.perf_counter() - started
        finally:
            with store._write() as conn:
                conn.execute(alerts.delete().where(alerts.c.watch.like("bench watch %")))
                conn.execute(watches.delete().where(watches.c.name.like("bench watch %")))
    return first, second, len(report.fired)


def main() -> None:
    recent_of = int(os.environ.get(RECENT_ENV, "0"))
    if recent_of:
        url, size = recent_database(recent_of)
        what = f"the last {RECENT_DAYS} days of a {recent_of:,}-article year ({size:,} articles)"
    else:
        size = int(os.environ.get(SIZE_ENV, "10000"))
        url, what = database(size), f"{size:,} articles"
    first, second, fired = check(url)
    round_seconds, round_articles = poll_round()
    print(
        f"poll round: {FEEDS} feeds x {ITEMS} items, {LATENCY * 1000:.0f} ms latency: "
        f"{round_seconds:.1f} s ({round_articles} articles)"
    )
    print(
        f"checking {WATCHES:,} watches over {what}: {first:.2f} s "
        f"({first / WATCHES * 1000:.1f} ms per watch, {fired} alerts fired and recorded with "
        f"their evidence); the next round (nothing new): {second:.2f} s"
    )
    print(
        f"checks / round: {first / round_seconds:.1%} (next round {second / round_seconds:.1%}; "
        f"target < 10 %; {SIZE_ENV}=1000000 for the 1M database, {RECENT_ENV}=1000000 for its "
        "density)"
    )


if __name__ == "__main__":
    main()
