"""The poller against a real loopback HTTP server: real feeds, hostile servers, real databases."""

from __future__ import annotations

import csv
import dataclasses
import os
import signal
import subprocess
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.ingest.clean import clean_entry
from core.ingest.fetch import FetchSettings
from core.ingest.parse import parse_feed
from core.ingest.poller import FeedReport, PollSettings, poll_once
from core.models import FeedConfig, Filters
from core.storage import Store
from tests.fixtures_http import (
    FIXTURES,
    RSS_TYPE,
    FeedServer,
    Route,
    billion_laughs,
    gzip_bomb,
    quadratic_blowup,
    rss,
)

FAST = PollSettings(fetch=FetchSettings(total_deadline=5.0, allow_private_networks=True))
EXPECTED = list(csv.DictReader((FIXTURES / "EXPECTED.tsv").open(encoding="utf-8"), delimiter="\t"))
CHARSETS = {
    "encoding_ISO-8859-1.xml": "ISO-8859-1",
    "encoding_WINDOWS-1251.xml": "windows-1251",
    "koi8r.xml": "KOI8-R",
    "no_encoding_ISO-8859-1.xml": "ISO-8859-1",
}
REPO = Path(__file__).resolve().parents[1]


def poll(
    store: Store, settings: PollSettings = FAST, *, everything: bool = True
) -> dict[str, FeedReport]:
    summary = poll_once(store, settings, include_not_due=everything)
    return {report.url: report for report in summary.reports}


def feed(server: FeedServer, path: str, route: Route, outlet: str = "Outlet") -> FeedConfig:
    return FeedConfig(server.add(path, route), outlet, "wire")


HOSTILE: dict[str, tuple[Route, str]] = {
    "/500": (Route(status=500), "HTTP 500"),
    "/429": (Route(status=429, headers={"Retry-After": "7200"}), "HTTP 429"),
    "/drip": (
        Route(body=rss([("d", "drip", "drip")]), drip=0.5, headers={"Content-Type": RSS_TYPE}),
        "timed out",
    ),
    "/huge": (Route(body=b"<rss>" + b" " * (16 * 1024 * 1024)), "larger than 15 MiB"),
    "/bomb": (
        Route(body=gzip_bomb(), headers={"Content-Encoding": "gzip", "Content-Type": RSS_TYPE}),
        "larger than 15 MiB",
    ),
    "/loop": (Route(status=302, headers={"Location": "/loop"}), "too many redirects"),
    "/laughs": (Route(body=billion_laughs(), headers={"Content-Type": RSS_TYPE}), ""),
    "/quadratic": (Route(body=quadratic_blowup(), headers={"Content-Type": RSS_TYPE}), ""),
    "/malformed": (
        Route(body=b"<rss><channel><title>broken", headers={"Content-Type": RSS_TYPE}),
        "not a feed",
    ),
    "/html": (
        Route(
            body=b"<!doctype html><html><body><p>Hello</p></body></html>",
            headers={"Content-Type": "text/html"},
        ),
        "HTML page",
    ),
    "/empty": (Route(body=b""), "empty body"),
}


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "worker-processes"])
def test_a_round_survives_every_hostile_server_and_keeps_the_good_feeds(
    feed_server: FeedServer, fresh_db: Store, processes: int
) -> None:
    good = feed(
        feed_server,
        "/good",
        Route(
            body=rss([("g1", "US and Russia talk", "Lavrov met Rubio.")]),
            headers={"Content-Type": RSS_TYPE},
        ),
    )
    configs = [good] + [feed(feed_server, path, route) for path, (route, _) in HOSTILE.items()]
    fresh_db.sync_feeds(configs)
    tracemalloc.start()
    started = datetime.now(UTC)
    reports = poll(fresh_db, dataclasses.replace(FAST, processes=processes))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert datetime.now(UTC) - started < timedelta(seconds=60)
    assert peak < 200 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert reports[good.url].outcome == "new"
    health = {row.url: row for row in fresh_db.list_feeds()}
    for path, (_, message) in HOSTILE.items():
        row = health[feed_server.url(path)]
        if path in ("/laughs", "/quadratic"):
            # Entities are never expanded: the feed either fails or yields tiny text.
            listed = fresh_db.list_articles(Filters(relevant_only=False), limit=50)
            assert all(len(title) < 1000 for title in listed["title"])
            continue
        assert row.consecutive_errors == 1, path
        assert message in (row.last_error or ""), (path, row.last_error)
    assert fresh_db.count_matching(Filters(relevant_only=False)) >= 1


def test_retry_after_sets_the_next_check(feed_server: FeedServer, sqlite_db: Store) -> None:
    config = feed(feed_server, "/busy", Route(status=503, headers={"Retry-After": "3600"}))
    sqlite_db.sync_feeds([config])
    before = datetime.now(UTC)
    poll(sqlite_db)
    row = sqlite_db.get_feed(config.url)
    assert row is not None and row.next_check_at is not None
    assert row.next_check_at - before >= timedelta(minutes=59)
    assert row.last_status == 503


def test_conditional_get_second_poll_writes_nothing(
    feed_server: FeedServer, fresh_db: Store
) -> None:
    body = rss([(f"id{i}", f"Item {i}", "Moscow and Washington agreed.") for i in range(5)])
    config = feed(
        feed_server, "/etag", Route(body=body, etag='"v1"', headers={"Content-Type": RSS_TYPE})
    )
    fresh_db.sync_feeds([config])
    first = poll(fresh_db)[config.url]
    assert first.new == 5
    second = poll(fresh_db)[config.url]
    assert second.outcome == "unchanged" and second.status == 304
    assert fresh_db.count_articles() == 5
    assert feed_server.hits["/etag"] == 2


def test_an_unchanged_feed_without_validators_adds_no_rows(
    feed_server: FeedServer, fresh_db: Store
) -> None:
    config = feed(
        feed_server,
        "/plain",
        Route(body=rss([("a", "A", "Text.")]), headers={"Content-Type": RSS_TYPE}),
    )
    fresh_db.sync_feeds([config])
    poll(fresh_db)
    assert poll(fresh_db)[config.url].outcome == "unchanged"
    assert fresh_db.count_articles() == 1


def test_one_success_resets_the_error_counter(feed_server: FeedServer, sqlite_db: Store) -> None:
    config = feed(feed_server, "/flaky", Route(status=500))
    sqlite_db.sync_feeds([config])
    poll(sqlite_db)
    poll(sqlite_db)
    assert sqlite_db.get_feed(config.url).consecutive_errors == 2  # type: ignore[union-attr]
    feed_server.routes["/flaky"] = Route(
        body=rss([("x", "X", "Y.")]), headers={"Content-Type": RSS_TYPE}
    )
    poll(sqlite_db)
    row = sqlite_db.get_feed(config.url)
    assert row is not None and row.consecutive_errors == 0 and row.last_error is None


@pytest.mark.parametrize("with_charset", [True, False], ids=["charset", "no-charset"])
def test_the_real_world_fixtures_arrive_whole(
    feed_server: FeedServer, sqlite_db: Store, with_charset: bool
) -> None:
    configs, expected_uids = [], set()
    for row in EXPECTED:
        body = (FIXTURES / row["file"]).read_bytes()
        content_type = "application/xml"
        if with_charset:
            content_type += f"; charset={CHARSETS.get(row['file'], 'utf-8')}"
        config = feed(
            feed_server,
            "/" + row["file"],
            Route(body=body, headers={"Content-Type": content_type}),
            row["file"],
        )
        configs.append(config)
        parsed = parse_feed(body, {"content-type": content_type})
        assert len(parsed.entries) == int(row["entries"]), row["file"]
        assert parsed.title.startswith(row["feed_title"].rstrip("…")), row["file"]
        for entry in parsed.entries:
            article = clean_entry(
                entry, feed_url=config.url, outlet="x", bloc="wire", fetched=datetime.now(UTC)
            )
            if article is not None:
                expected_uids.add(article.uid)
    sqlite_db.sync_feeds(configs)
    reports = poll(sqlite_db)
    assert all(r.outcome != "failed" for r in reports.values()), [
        r.line() for r in reports.values()
    ]
    assert sqlite_db.count_articles() == len(expected_uids)


def test_worker_processes_store_exactly_what_one_process_stores(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    """`detente poll` parses and analyses in worker processes (one per core): the articles and
    their analyses must be the same as when everything runs in one process."""
    configs = [
        feed(
            feed_server,
            "/" + row["file"],
            Route(body=(FIXTURES / row["file"]).read_bytes(), headers={"Content-Type": RSS_TYPE}),
            row["file"],
        )
        for row in EXPECTED
    ]
    stored = []
    for processes in (1, 2):
        with Store.open(f"sqlite:///{tmp_path / f'p{processes}.db'}") as store:
            store.sync_feeds(configs)
            reports = poll(store, dataclasses.replace(FAST, processes=processes))
            assert not [r for r in reports.values() if r.outcome == "failed"]
            listing = store.list_articles(Filters(relevant_only=False), limit=10_000)
            # Which of two feeds carrying one article came first depends on arrival order.
            listing["outlets"] = listing["outlets"].map(lambda o: sorted(o.split(", ")))
            columns = ["title", "outlets", "tone", "themes", "relevance", "lang", "url"]
            stored.append(listing[columns].sort_values(["url", "title"], ignore_index=True))
    assert len(stored[0]) > 100
    assert stored[0].equals(stored[1])


def test_private_addresses_are_refused_first_hop_and_redirect(
    feed_server: FeedServer, sqlite_db: Store
) -> None:
    direct = feed(feed_server, "/direct", Route(body=rss([("p", "P", "P.")])))
    redirect = feed(
        feed_server,
        "/to-private",
        Route(status=302, headers={"Location": "http://10.255.255.1/feed"}),
    )
    sqlite_db.sync_feeds([direct, redirect])
    strict = PollSettings(fetch=FetchSettings(total_deadline=2.0, allow_private_networks=False))
    poll(sqlite_db, strict)
    rows = {row.url: row for row in sqlite_db.list_feeds()}
    assert "refused: 127.0.0.1 is a loopback address" in (rows[direct.url].last_error or "")
    assert "refused" in (rows[redirect.url].last_error or "")
    assert feed_server.hits["/direct"] == 0
    assert sqlite_db.count_articles() == 0


def _poll_process(db: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DETENTE_ALLOW_PRIVATE_NETWORKS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "core", "--db", db, "poll", "--once", "--no-sync", *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _slow_feeds(server: FeedServer, count: int, delay: float) -> list[FeedConfig]:
    return [
        feed(
            server,
            f"/slow{i}",
            Route(
                body=rss(
                    [
                        (f"s{i}-{j}", f"Story {i}-{j}", "Moscow and Washington talked.")
                        for j in range(20)
                    ]
                ),
                delay=delay,
                headers={"Content-Type": RSS_TYPE},
            ),
            f"Outlet {i}",
        )
        for i in range(count)
    ]


def test_two_pollers_on_postgresql_fetch_each_feed_once(
    feed_server: FeedServer, pg_base_url: str
) -> None:
    configs = _slow_feeds(feed_server, 30, 0.2)
    with Store.open(pg_base_url) as store:
        store.sync_feeds(configs)
    first, second = _poll_process(pg_base_url), _poll_process(pg_base_url)
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert all(feed_server.hits[f"/slow{i}"] == 1 for i in range(30)), feed_server.hits
    with Store.open(pg_base_url) as store:
        assert store.count_articles() == 30 * 20


def test_sigkill_mid_batch_loses_and_duplicates_nothing(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'crash.db'}"
    configs = _slow_feeds(feed_server, 40, 0.3)
    with Store.open(db) as store:
        store.sync_feeds(configs)
    process = _poll_process(db, "--workers", "4")
    assert process.stdout is not None
    line = process.stdout.readline()  # one feed has committed: the round is mid-way
    assert line.startswith("new"), line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with Store.open(db) as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        partial = store.count_articles()
        assert 0 < partial < 40 * 20
        assert partial % 20 == 0  # whole feeds only: nothing half-written
    rerun = _poll_process(db, "--all")
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    with Store.open(db) as store:
        assert store.count_articles() == 40 * 20
        listed = store.list_articles(Filters(relevant_only=False), limit=10_000)
        assert listed["id"].is_unique and len(listed) == 40 * 20


def test_a_reader_and_the_poller_never_see_database_is_locked(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'busy.db'}"
    configs = _slow_feeds(feed_server, 60, 0.05)
    with Store.open(db) as store:
        store.sync_feeds(configs)
        process = _poll_process(db, "--workers", "8")
        reads = 0
        while process.poll() is None or reads < 5:
            store.overview_figures(Filters(relevant_only=False))
            store.volume_by_day(Filters(relevant_only=False), "bloc")
            store.list_articles(Filters(relevant_only=False), limit=20)
            reads += 1
        out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "locked" not in err and "locked" not in out
    assert reads >= 5


def test_fulltext_fetches_the_page_of_relevant_summary_only_articles(
    feed_server: FeedServer, sqlite_db: Store
) -> None:
    page = (
        "<html><head><title>Talks</title></head><body><nav>Home | World</nav><article>"
        "<h1>Lavrov and Rubio meet</h1>"
        + "".join(
            f"<p>Paragraph {i}: Russian Foreign Minister Sergei Lavrov and Secretary of State "
            "Marco Rubio discussed embassy staffing and the New START treaty in Istanbul.</p>"
            for i in range(6)
        )
        + "</article><footer>Copyright</footer></body></html>"
    ).encode()
    article_url = feed_server.add(
        "/story", Route(body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Lavrov and Rubio meet</title><link>{article_url}</link>"
        "<description>Moscow and Washington talked.</description></item>"
        "<item><title>Weather</title><link>https://example.org/w</link>"
        "<description>Rain.</description></item></channel></rss>"
    ).encode()
    config = feed(feed_server, "/summaries", Route(body=body, headers={"Content-Type": RSS_TYPE}))
    sqlite_db.sync_feeds([config])
    settings = PollSettings(fulltext=True, fetch=FAST.fetch)
    poll(sqlite_db, settings)
    listing = sqlite_db.list_articles(Filters(relevant_only=False), limit=10)
    story = sqlite_db.get_article(
        int(listing[listing["title"] == "Lavrov and Rubio meet"]["id"].iloc[0])
    )
    assert story is not None
    assert "Paragraph 5" in story.fulltext and "Copyright" not in story.fulltext
    assert story.summary == "Moscow and Washington talked."
    assert feed_server.hits["/story"] == 1  # the irrelevant item's page was not fetched
