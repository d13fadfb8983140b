"""The stories step at scale, for bench/bench_stories.py (one run prints every figure).

1. Poll round: FEEDS loopback feeds of ITEMS articles each, made of the perturbed labelled set
   (bench/bench_stories.py `stream`, with their own publication times), served by a process of
   their own; a whole `poll_once` round (fetch, parse, clean, analyze, store) into a new SQLite
   file with the stories step switched off, then on, alternately, ROUNDS times each; the poller's
   CPU per article (one process: `processes=1`, so all of it is counted), best of the rounds.
   Acceptance: the stories step adds at most 25 % to a round's CPU per article.
2. Stories page: the synthetic databases of bench/bench_dashboard.py (cached in bench/out/),
   copied and given stories once (`storied`; cached too), the Stories list and the largest story
   rendered by AppTest in a subprocess (best of two, data cache cleared), at PAGE_SIZES[0] and
   at the size DETENTE_BENCH_STORIES_PAGE asks for (default 1M; the first build of a 1M database
   takes long on a shared machine). Acceptance: at most 2x the time at 10k; peak memory of the
   Streamlit process under 1 GiB.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from bench.bench_dashboard import OUT, _session, _times, database
from core.ingest.fetch import FetchSettings
from core.ingest.poller import PollSettings, poll_once
from core.ingest.stories import StoryStep
from core.models import FeedConfig, Filters
from core.storage import Store
from core.storage.story_store import Assigned

FEEDS, ITEMS = 40, 50
ROUNDS = 5
PAGE_SIZES = [10_000, int(os.environ.get("DETENTE_BENCH_STORIES_PAGE", "1000000"))]


def feed_bodies() -> list[bytes]:
    """FEEDS RSS documents holding the first FEEDS x ITEMS articles of the stream, dealt out in
    turn so that every feed carries every kind of story."""
    from bench.bench_stories import load_eval, stream

    items = [row.item for row in stream(load_eval(), FEEDS * ITEMS)]
    bodies = []
    for feed in range(FEEDS):
        parts = [
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
            f"<title>Outlet {feed}</title><link>https://example.org/</link>",
        ]
        for item in items[feed::FEEDS]:
            guid = escape(item.article_id)
            link = quote(item.article_id, safe="")
            parts.append(
                f"<item><guid>{guid}</guid><title>{escape(item.title)}</title>"
                f"<link>https://example.org/{link}</link>"
                f"<description>{escape(item.text)}</description>"
                f"<pubDate>{format_datetime(item.published)}</pubDate></item>"
            )
        parts.append("</channel></rss>")
        bodies.append("".join(parts).encode("utf-8"))
    return bodies


def serve() -> None:
    """The feeds, served from a process of their own (it never competes for the GIL)."""
    from tests.fixtures_http import FeedServer, Route

    server = FeedServer().start()
    for feed, body in enumerate(feed_bodies()):
        headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
        server.add(f"/feed{feed}.xml", Route(body=body, headers=headers))
    print(server.url(""), flush=True)
    sys.stdin.read()
    server.stop()


def one_round(urls: list[str], stories: bool, path: Path) -> tuple[float, int, int]:
    """(CPU seconds of the round, articles stored, articles given a story)."""
    store = Store.open(f"sqlite:///{path}")
    try:
        store.sync_feeds([FeedConfig(url, f"Outlet {i}", "wire") for i, url in enumerate(urls)])
        settings = PollSettings(
            workers=16, processes=1, stories=stories, fetch=FetchSettings(per_host_limit=16)
        )
        started = time.process_time()
        # every article of the round clustered (a new database would otherwise cluster only
        # its last window: core/ingest/stories.py)
        step = StoryStep(first_window_only=False)
        summary = poll_once(store, settings, include_not_due=True, stories=step)
        cpu = time.process_time() - started
        clustered = summary.stories.articles if summary.stories else 0
        return cpu, store.count_articles(), clustered
    finally:
        store.close()


def poll_share() -> None:
    os.environ["DETENTE_ALLOW_PRIVATE_NETWORKS"] = "1"
    server = subprocess.Popen(
        [sys.executable, "-c", "from bench.stories_scale import serve; serve()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    base = server.stdout.readline().strip()
    urls = [f"{base}/feed{feed}.xml" for feed in range(FEEDS)]
    best: dict[bool, float] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            one_round(urls, True, Path(tmp) / "warm-up.db")  # lexicons and models loaded
            for number in range(ROUNDS):
                for stories in (False, True):
                    path = Path(tmp) / f"round-{number}-{stories}.db"
                    cpu, articles, clustered = one_round(urls, stories, path)
                    assert articles == len(urls) * ITEMS, articles
                    assert clustered == (articles if stories else 0), clustered
                    best[stories] = min(best.get(stories, cpu), cpu)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    n = len(urls) * ITEMS
    without, with_stories = best[False] / n, best[True] / n
    print(
        f"poll round over {FEEDS} loopback feeds x {ITEMS} articles (fetch, parse, clean, "
        f"analyze, store; one process), CPU per article, best of {ROUNDS} alternating rounds: "
        f"{without * 1e3:.2f} ms without the stories step, {with_stories * 1e3:.2f} ms with it: "
        f"clustering adds {with_stories / without - 1:.0%} (target <= 25 %)"
    )


GROUP = 4
"""Articles per synthetic story (see `storied`)."""


def storied(size: int) -> str:
    """The synthetic database of `size` articles with stories (cached in bench/out).

    tests/synthetic.py builds each text from theme terms and actor names, so every article of a
    theme reads alike and the clustering merges them into a handful of stories of thousands
    of articles: no shape for a page benchmark. So stories are assigned here by rule instead,
    through the real write path (`Store.save_stories`, which summarises each story from its
    stored articles): every GROUP consecutive articles in (published, id) order are one story,
    and every other story's second article is a syndicated copy of its first."""
    path = OUT / f"synthetic-{size}-stories.db"
    if not path.exists():
        source = database(size).removeprefix("sqlite:///")
        started = time.perf_counter()
        print(f"assigning stories to {size:,} synthetic articles in {path} (cached)…", flush=True)
        partial = path.with_suffix(".partial")
        shutil.copyfile(source, partial)
        with Store.open(f"sqlite:///{partial}") as store:
            store.clear_stories()
            for chunk in store.iter_articles_in_order(chunk=GROUP * 1000):
                assigned = []
                for index, article in enumerate(chunk):
                    first = chunk[index - index % GROUP].id
                    copy = index % (2 * GROUP) == 1
                    assigned.append(Assigned(article.id, first, first if copy else None))
                store.save_stories(assigned)
        partial.rename(path)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return f"sqlite:///{path}"


def page_scale(passes: int = 2) -> None:
    """Each size rendered in turn, `passes` times (small, large, small, large …), best time per
    page and size: the first subprocess also warms the disk cache, which would flatter the
    size rendered later."""
    pages: dict[int, list[str]] = {}
    for size in PAGE_SIZES:
        url = storied(size)
        with Store.open(url) as store:
            largest = int(store.list_stories(Filters(), sort="size", limit=1)["id"].iloc[0])
            stories = store.count_stories(Filters(relevant_only=False))
        pages[size] = ["pages/7_Stories.py", f"pages/7_Stories.py?story={largest}"]
        print(f"  {size:,} articles: {stories:,} stories", flush=True)
    times: dict[int, list[float]] = {}
    for _ in range(passes):
        for size in PAGE_SIZES:
            found = _times(_session(storied(size), pages[size]))
            now = [found[page] for page in pages[size]]
            times[size] = [min(a, b) for a, b in zip(times.get(size, now), now, strict=True)]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    small, large = PAGE_SIZES
    print(f"{'Stories page':<16} {small:>10,} {large:>10,} {'ratio':>6}  (target <= 2x)")
    for index, name in enumerate(("list", "largest story")):
        a, b = times[small][index], times[large][index]
        print(f"{name:<16} {a:9.2f}s {b:9.2f}s {b / a:6.2f}")
    print(f"peak memory of any child process (the renders): {peak:.0f} MiB (target < 1024 MiB)")
