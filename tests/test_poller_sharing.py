"""Issue 13, item 4 (poller side): a poller claims due feeds in bounded batches, so several
pollers on one database share a round — each does part of the work, together all of it, no
feed twice. Real SQLite file and real PostgreSQL, a real loopback server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

from core.ingest.fetch import FetchSettings
from core.ingest.poller import PollSettings, RoundSummary, poll_once
from core.models import FeedConfig
from core.storage import Store
from tests.fixtures_http import RSS_TYPE, FeedServer, Route, rss

FEEDS = 20
ITEMS = 3


class UntilBothPollersAsk:
    """Answers a feed only once both pollers (told apart by their User-Agent) have asked for
    one: neither can finish the round alone before the other has claimed its share. This makes
    the test independent of timing; a poller that never asks fails it after 30 s."""

    def __init__(self) -> None:
        self.agents: set[str] = set()
        self.seen = threading.Condition()

    def __call__(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        with self.seen:
            self.agents.add(request.headers.get("User-Agent", ""))
            self.seen.notify_all()
            self.seen.wait_for(lambda: len(self.agents) >= 2, timeout=30)
        name = request.path.strip("/")
        items = [
            (f"{name}-{j}", f"{name} story {j}", "Moscow and Washington.") for j in range(ITEMS)
        ]
        return 200, {"Content-Type": RSS_TYPE}, rss(items)


def test_two_pollers_share_a_round_batch_by_batch(
    feed_server: FeedServer, migrated_url: str
) -> None:
    gate = UntilBothPollersAsk()
    configs = [
        FeedConfig(feed_server.add(f"/f{i}", Route(dynamic=gate)), f"Outlet {i}", "wire")
        for i in range(FEEDS)
    ]
    with Store.open(migrated_url) as store:
        store.sync_feeds(configs)
    summaries: dict[str, RoundSummary] = {}
    errors: list[BaseException] = []
    batches: dict[str, list[int]] = {"A": [], "B": []}

    def poller(name: str) -> None:
        fetch = FetchSettings(
            total_deadline=60.0, allow_private_networks=True, user_agent=f"poller-{name}"
        )
        settings = PollSettings(workers=2, claim_batch=3, fetch=fetch)
        try:
            with Store.open(migrated_url) as own:
                summaries[name] = poll_once(own, settings, on_claimed=batches[name].append)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=poller, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    done = {name: {r.url for r in summary.reports} for name, summary in summaries.items()}
    assert done["A"] and done["B"], done  # each did part of the work
    assert not done["A"] & done["B"]  # none twice
    assert done["A"] | done["B"] == {c.url for c in configs}  # together all
    assert all(max(sizes) <= 3 for sizes in batches.values()), batches  # in bounded batches
    assert all(feed_server.hits[f"/f{i}"] == 1 for i in range(FEEDS)), feed_server.hits
    assert all(r.outcome == "new" for s in summaries.values() for r in s.reports)
    with Store.open(migrated_url) as store:
        assert store.count_articles() == FEEDS * ITEMS
        # every lease was handed back: all feeds can be claimed again at once
        free = store.claim_due_feeds(
            datetime.now(UTC), lease=timedelta(minutes=1), include_not_due=True
        )
        assert len(free) == FEEDS


def test_a_round_claims_until_no_feed_is_due_and_never_twice(
    feed_server: FeedServer, migrated_url: str
) -> None:
    """One poller, batches of 2 over 7 feeds: every feed once, the batches as claimed."""
    configs = [
        FeedConfig(
            feed_server.add(f"/g{i}", Route(rss([(f"g{i}", f"G {i}", "Kremlin.")]))), f"G{i}", "us"
        )
        for i in range(7)
    ]
    batches: list[int] = []
    fetch = FetchSettings(total_deadline=10.0, allow_private_networks=True)
    with Store.open(migrated_url) as store:
        store.sync_feeds(configs)
        summary = poll_once(
            store, PollSettings(workers=1, claim_batch=2, fetch=fetch), on_claimed=batches.append
        )
        again = poll_once(
            store, PollSettings(claim_batch=2, fetch=fetch), on_claimed=batches.append
        )
    assert sorted(r.url for r in summary.reports) == sorted(c.url for c in configs)
    assert sum(batches) == 7 and max(batches) == 2
    assert again.reports == ()  # nothing is due any more
    assert batches[-1] == 0
    assert all(feed_server.hits[f"/g{i}"] == 1 for i in range(7))
