"""Checking 1,000 watches after a poll round, against the round's own time (issue 12: target
under 10 %), both measured in one run, interleaved and repeated (the machine is shared).

The round: one `poll_once` over the loopback feeds of bench/bench_poll.py (200 feeds × 50 items
behind 200 ms latency, default workers) into a fresh SQLite file, its stories step included
($BENCH_ALERTS_ROUND_STORIES=0: without it, as `detente poll --no-stories`): wall time, and CPU
time of the poller and its worker processes. The check: `check_watches` (core/alerts/runner.py,
no delivery) with 1,000 watches in a desk's mix (`mixed_watches`: blocs, outlets, themes
central or mentioned, actors, text queries, languages, event categories and tone ranges, alone
or narrowed by a second filter, at the three sensitivities: ~600 distinct filter sets) over a
synthetic database, as of its latest day; the first check records the alerts that fire with
their evidence, the second is the next round's (nothing new).

Density: a check reads the checked days only (today and the 15 days before: the articles of
those days, and their themes, actors and events by the range of their ids, the full-text index
over that range), so its cost follows the articles of those days, not the database's size. By
default the checks run over a database holding the last 20 days of a 1M-article year (~55,000
articles; $BENCH_ALERTS_RECENT_OF sets the year's size, filled once and cached under bench/out/),
which is the 1M database's density there; its articles are clustered into stories once by the
project's stories step (core/ingest/stories.py `rebuild`, as `detente stories rebuild`), so the
checks include the new-story and blindspot checks, and the bench says how many stories they
match on the checked day (the synthetic titles come from a few templates, so the step makes few,
large stories of them). $BENCH_ALERTS_ARTICLES=N checks the full N-article database of
bench_dashboard.py instead (1000000: the 1M database, filled once, ~1 h, and cached; without
stories, which the bench then says). Then the story checks alone over a day of STORIES stories
varied from the day's few (`many_stories`), as a real day holds many more.
The watches and the alerts they fire are removed afterwards, so a cached database is left as it
was."""

from __future__ import annotations

import dataclasses
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

import pandas as pd

from bench.bench_dashboard import OUT, database
from bench.bench_poll import FEEDS, ITEMS, LATENCY
from core.alerts.checks import StoryCheck, WatchDays
from core.alerts.delivery import AlertSettings
from core.alerts.runner import check_watches
from core.ingest.poller import PollSettings, poll_once
from core.ingest.stories import rebuild
from core.models import BLOCS, FeedConfig, Filters, Watch
from core.storage import Store, alerts, watches
from core.storage.reads_stories import StoriesOfDay
from tests.synthetic import ACTORS, EVENTS, OUTLETS, THEMES, fill_synthetic

WATCHES = 1_000
SIZE_ENV = "BENCH_ALERTS_ARTICLES"
RECENT_ENV = "BENCH_ALERTS_RECENT_OF"
RUNS_ENV = "BENCH_ALERTS_RUNS"
ROUND_STORIES_ENV = "BENCH_ALERTS_ROUND_STORIES"
RECENT_DAYS = 20
STORIES = 3_000


def recent_database(year_size: int) -> tuple[str, int]:
    """The last RECENT_DAYS days of a year of `year_size` articles, with their stories
    (cached under bench/out/)."""
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
        clustered = store.story_totals(Filters(relevant_only=False))[1]
        if clustered < store.count_articles():  # the stories step of a poll round, once
            print("clustering the articles into stories (detente stories rebuild)…", flush=True)
            rebuild(store)
    return url, size


def stories_seen(store: Store, day: date) -> str:
    """What the story checks have to match on the checked day."""
    seen = store.stories_by_day(Filters(relevant_only=False), day)
    if seen.empty:
        return "no stories on the checked day: the new-story and blindspot checks match nothing"
    flagged = int((seen["blindspot"] != "").sum())
    new = int((seen["first_day"] >= day - timedelta(days=1)).sum())
    return (
        f"{len(seen)} stories seen on the checked day ({new} first seen that day or the day "
        f"before, {flagged} flagged blindspots), matched by the new-story and blindspot checks"
    )


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


def many_stories(of_day: StoriesOfDay, n: int, seed: int = 1) -> StoriesOfDay:
    """A day of `n` stories made from the day's few (the synthetic titles give few): each a
    copy of one with other outlets (1 to 5, their blocs and languages), themes, reports,
    relevance, a first day in the last six, and a blindspot flag on a quarter of them."""
    rng, base = random.Random(seed), of_day.frame.to_dict("records")
    rows = []
    for i in range(n):
        picked = rng.sample(OUTLETS, rng.choice((1, 1, 1, 2, 3, 5)))
        rows.append(
            {
                **base[i % len(base)],
                "id": 10_000_000 + i,
                "first_day": of_day.day - timedelta(days=rng.randrange(6)),
                "outlets": tuple(o for o, _, _, _ in picked),
                "blocs": tuple(sorted({b for _, b, _, _ in picked})),
                "langs": tuple(sorted({lang for _, _, _, lang in picked})),
                "themes": tuple(rng.sample(list(THEMES), rng.choice((1, 2)))),
                "reports": len(picked) + rng.randrange(3),
                "relevant": rng.randrange(2),
                "blindspot": rng.choice(("", "", "", "no Ukrainian outlet reported it")),
            }
        )
    return StoriesOfDay(of_day.day, pd.DataFrame(rows, columns=of_day.frame.columns))


def story_checks(made: list[Watch], of_day: StoriesOfDay) -> tuple[float, int]:
    """CPU time of the story checks of the watches over a day's stories as a round runs them
    (once per filters and sensitivity, sharing one memo), and the findings."""
    started, check = _cpu(), StoryCheck()
    memo: dict[Hashable, Any] = {}
    judged: dict[tuple[Filters, str], int] = {}
    for watch in made:
        view = (dataclasses.replace(watch.filters, date_from=None, date_to=None), watch.sensitivity)
        if view not in judged:
            days = WatchDays(watch, {}, set(), of_day.day, None, of_day, memo)
            judged[view] = len(check.run(None, days))
    return _cpu() - started, sum(judged.values())


@dataclass
class Timing:
    wall: float
    cpu: float


def _cpu(children: bool = False) -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def poll_round(stories: bool = True) -> tuple[Timing, int]:
    """One poll round over bench_poll.py's loopback feeds (with its stories step unless
    `stories` is false, as `detente poll --no-stories`): its wall time and the CPU time of the
    poller and its workers (not the feed server's); and the articles it stored."""
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
            started, cpu, children = time.perf_counter(), _cpu(), _cpu(children=True)
            settings = PollSettings(processes=os.cpu_count() or 1, stories=stories)
            poll_once(store, settings, include_not_due=True)
            wall = time.perf_counter() - started
            used = _cpu() - cpu + _cpu(children=True) - children  # the pool is joined by now
            articles = store.count_articles()
            store.close()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    return Timing(wall, used), articles


def timed_check(store: Store, now: datetime) -> tuple[Timing, Counter[str]]:
    """The check's time, and the alerts it fired by kind."""
    started, cpu = time.perf_counter(), _cpu()
    report = check_watches(store, now, settings=AlertSettings())
    fired = Counter(key.split(":")[2] for key in report.fired)  # runner.alert_key
    return Timing(time.perf_counter() - started, _cpu() - cpu), fired


def _forget_alerts(store: Store) -> None:
    with store._write() as conn:
        conn.execute(alerts.delete().where(alerts.c.watch.like("bench watch %")))


def main() -> None:
    size_env = os.environ.get(SIZE_ENV)
    if size_env:
        url, what = database(int(size_env)), f"the full {int(size_env):,}-article database"
    else:
        year = int(os.environ.get(RECENT_ENV, "1000000"))
        url, size = recent_database(year)
        what = (
            f"the last {RECENT_DAYS} days of a {year:,}-article year ({size:,} articles: the "
            f"{year:,}-article database's density)"
        )
    runs = int(os.environ.get(RUNS_ENV, "3"))
    round_stories = os.environ.get(ROUND_STORIES_ENV, "1") != "0"
    made = mixed_watches()
    rows = []
    with Store.open(url) as store:
        now = datetime.combine(store.filter_options()["date_max"], day_time(18), UTC)
        seen = stories_seen(store, now.date())
        stories = store.stories_of_day(now.date())
        print(seen, flush=True)
        with store._write() as conn:
            conn.execute(watches.delete().where(watches.c.name.like("bench watch %")))
        _forget_alerts(store)
        for watch in made:
            store.add_watch(watch)
        try:
            for run in range(runs):  # a round, then the checks after it, next to each other
                round_time, round_articles = poll_round(round_stories)
                first, fired = timed_check(store, now)
                second, _ = timed_check(store, now)  # the next round: nothing new
                _forget_alerts(store)
                rows.append((round_time, first, second))
                print(
                    f"run {run + 1}: round {round_time.wall:.1f} s wall, {round_time.cpu:.1f} s "
                    f"CPU ({round_articles} articles); check {first.wall:.2f} s wall, "
                    f"{first.cpu:.2f} s CPU ({fired.total()} alerts fired: "
                    f"{', '.join(f'{n} {kind}' for kind, n in sorted(fired.items()))}); next check "
                    f"{second.wall:.2f} s wall; checks / round {first.wall / round_time.wall:.1%} "
                    f"wall, {first.cpu / round_time.cpu:.1%} CPU; load average "
                    f"{os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        finally:
            _forget_alerts(store)
            with store._write() as conn:
                conn.execute(watches.delete().where(watches.c.name.like("bench watch %")))
    best_round = min(r[0].wall for r in rows)
    best_first = min(r[1].wall for r in rows)
    best_second = min(r[2].wall for r in rows)
    views = len({(w.filters, w.sensitivity) for w in made})
    print(
        f"poll round ({FEEDS} feeds x {ITEMS} items, {LATENCY * 1000:.0f} ms latency, "
        f"{'with' if round_stories else 'without'} its stories step), best of "
        f"{runs}: {best_round:.1f} s wall, {min(r[0].cpu for r in rows):.1f} s CPU"
    )
    print(
        f"checking {WATCHES:,} watches ({len({w.filters for w in made})} distinct filter sets, "
        f"{views} with their sensitivity) over {what}, best of {runs}: {best_first:.2f} s wall, "
        f"{min(r[1].cpu for r in rows):.2f} s CPU; the next round (nothing new) "
        f"{best_second:.2f} s; {seen}"
    )
    if stories is not None and not stories.frame.empty:
        scaled = many_stories(stories, STORIES)
        cpu, found = min(story_checks(made, scaled) for _ in range(runs))
        print(
            f"the story checks alone over a day of {STORIES:,} stories (the day's stories "
            f"varied, as a real day has many more): {cpu:.2f} s CPU best of {runs} "
            f"({found:,} findings over the distinct views)"
        )
    ratios = sorted(r[1].wall / r[0].wall for r in rows)
    cpu_ratios = sorted(r[1].cpu / r[0].cpu for r in rows)
    print(
        f"checks / round: best {best_first / best_round:.1%} wall (per run "
        f"{', '.join(f'{x:.1%}' for x in ratios)}), CPU per run "
        f"{', '.join(f'{x:.1%}' for x in cpu_ratios)}; target < 10 %"
    )


if __name__ == "__main__":
    main()
