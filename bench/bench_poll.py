"""A poll round over 200 loopback feeds of 50 items each behind 200 ms of server latency: its CPU
per article against feedparser alone and stock VADER alone on the same documents, and its
throughput with one, two and four pollers sharing one database.

(1) CPU per article: one `detente poll`-like process (bench/poll_rounds.py) runs a whole round —
fetch, parse, clean, analyze, store in SQLite — and its CPU counts the polling process and its
worker processes (start-up included: a round starts them). Against it, on the same documents:
`feedparser.parse` alone over the 200 served bodies (nothing fetched), and stock VADER
(`SentimentIntensityAnalyzer.polarity_scores`) alone over the 10,000 articles' titles and texts.
(2) Throughput: 1, 2 and 4 poller processes, started together on a fresh copy of one database
with the same feeds, share the round through bounded claims; articles per second of wall time
from "go" to the last poller's end. Then a second round over the unchanged feeds must get only
304s and write 0 rows. Every configuration runs DETENTE_BENCH_POLL_REPEATS times (default 2),
interleaved with the baselines, and the best of each is printed. All feeds share one loopback
host here, so the per-host limit is raised to the worker count (on the real feed list every
outlet is its own host)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import poll_rounds
from bench.poll_rounds import (
    FeedServerProcess,
    Round,
    feedparser_cpu,
    fresh_copy,
    run_round,
    template_db,
    vader_cpu,
)
from tests.fixtures_http import rss

FEEDS, ITEMS, LATENCY = 200, 50, 0.2
POLLERS = (1, 2, 4)
REPEATS = max(1, int(os.environ.get("DETENTE_BENCH_POLL_REPEATS", "2")))
SENTENCES = [
    "Kremlin spokesperson Dmitry Peskov said Moscow was ready for talks with Washington.",
    "The Treasury announced new sanctions on Russian banks on Tuesday.",
    "Officials said the ceasefire proposal remained under discussion.",
    "Analysts warned that the New START limits could lapse next year.",
    "The State Department called the detention of the journalist unjustified.",
]


def item_texts(feed: int) -> list[tuple[str, str, str]]:
    """A feed's items: (guid, title, text)."""
    return [
        (
            f"f{feed}-i{item}",
            f"Story {item} from outlet {feed}: {SENTENCES[item % 5][:60]}",
            " ".join(SENTENCES[(item + k) % 5] for k in range(2)),
        )
        for item in range(ITEMS)
    ]


def feed_body(feed: int) -> bytes:
    return rss(item_texts(feed), title=f"Outlet {feed}")


def serve() -> None:
    """These feeds from a loopback server until stdin closes (bench/bench_alerts.py uses it)."""
    poll_rounds.serve(FEEDS, LATENCY)


def _best(rounds: list[Round]) -> Round:
    return min(rounds, key=lambda r: r.wall)


def main() -> None:
    cores = os.cpu_count() or 1
    load = os.getloadavg()
    print(
        f"{FEEDS} feeds x {ITEMS} items, {LATENCY * 1000:.0f} ms latency, {cores} cores, "
        f"best of {REPEATS}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        flush=True,
    )
    bodies = [feed_body(feed) for feed in range(FEEDS)]
    texts = [(title, text) for feed in range(FEEDS) for _, title, text in item_texts(feed)]
    n = len(texts)
    rounds: dict[int, list[Round]] = {p: [] for p in POLLERS}
    parse_cpu: list[float] = []
    vader: list[float] = []
    server = FeedServerProcess(FEEDS, LATENCY)
    try:
        urls = [f"{server.base}/feed{feed}.xml" for feed in range(FEEDS)]
        with tempfile.TemporaryDirectory() as tmp:
            template = template_db(Path(tmp) / "template.db", urls)
            for repeat in range(REPEATS):
                order = POLLERS if repeat % 2 == 0 else POLLERS[::-1]
                for pollers in order:
                    url = fresh_copy(template, Path(tmp) / f"poll-{pollers}-{repeat}.db")
                    done = run_round(url, pollers, FEEDS, second_round=pollers == 1)
                    if done.articles != n:
                        raise RuntimeError(f"{pollers} pollers stored {done.articles} of {n}")
                    rounds[pollers].append(done)
                    print(
                        f"  ({pollers} poller(s): {done.wall:.1f} s wall, {done.cpu:.1f} s CPU)",
                        flush=True,
                    )
                    if pollers == 1:  # the baselines between the rounds, under the same load
                        parse_cpu.append(feedparser_cpu(bodies))
                        vader.append(vader_cpu(texts))
    finally:
        server.close()
    report(rounds, min(parse_cpu), min(vader), n)


def report(rounds: dict[int, list[Round]], parse_cpu: float, vader: float, n: int) -> None:
    one = min(rounds[1], key=lambda r: r.cpu)
    ours = one.cpu / n * 1000
    parse = parse_cpu / n * 1000
    vader_ms = vader / n * 1000
    print("\n(1) CPU per article (one poller; best of the rounds)")
    print(
        f"  our whole round (fetch, parse, clean, analyze, store): {ours:.3f} ms/article "
        f"(polling process {one.poller_cpu / n * 1000:.3f}, worker processes "
        f"{one.worker_cpu / n * 1000:.3f}, their start-up included)"
    )
    print(f"  feedparser.parse alone, same {FEEDS} documents:       {parse:.3f} ms/article")
    print(f"  stock VADER alone, same articles (title and text):   {vader_ms:.3f} ms/article")
    print(
        f"  ratios: round / feedparser {ours / parse:.2f}x, round / VADER {ours / vader_ms:.2f}x,"
        f" round / (feedparser + VADER) {ours / (parse + vader_ms):.2f}x"
    )
    print("\n(2) a round's throughput, pollers sharing one database (fresh copy each)")
    base = _best(rounds[1])
    for pollers, done in ((p, _best(rounds[p])) for p in POLLERS):
        spread = max(r.wall for r in rounds[pollers]) / done.wall - 1
        print(
            f"  {pollers} poller(s): {done.wall:5.1f} s wall, {n / done.wall:6.0f} articles/s "
            f"({done.wall and base.wall / done.wall:.2f}x one poller; spread {spread:.0%}); "
            f"CPU {done.cpu / n * 1000:.3f} ms/article; feeds per poller {done.feeds_each}"
        )
    print("\n(3) second round over the unchanged feeds (one poller)")
    for done in rounds[1]:
        again = done.again or {}
        print(
            f"  {again.get('wall', 0):.1f} s, statuses {again.get('statuses')}, "
            f"rows written {again.get('rows')}"
        )
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
