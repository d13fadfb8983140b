"""Issue 13, item 2 (ingest side): dates that lie are stored as the time first seen, flagged
as estimated, when the feed is read in worker processes (the flag crosses back by pickle)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from core.ingest.clean import PUBLISHED_FLOOR
from core.ingest.fetch import FetchSettings
from core.ingest.poller import PollSettings, poll_once
from core.models import FeedConfig, Filters
from core.storage import Store
from tests.fixtures_http import RSS_TYPE, FeedServer, Route
from tests.test_digest import LYING_DATES

FAST = PollSettings(fetch=FetchSettings(total_deadline=5.0, allow_private_networks=True))


def test_lying_dates_are_stored_as_first_seen_and_flagged(
    feed_server: FeedServer, fresh_db: Store
) -> None:
    headers = {"Content-Type": RSS_TYPE}
    dates = FeedConfig(feed_server.add("/dates", Route(LYING_DATES, headers=headers)), "D", "wire")
    other = FeedConfig(feed_server.add("/other", Route(LYING_DATES, headers=headers)), "O", "us")
    fresh_db.sync_feeds([dates, other])
    before = datetime.now(UTC)
    summary = poll_once(fresh_db, dataclasses.replace(FAST, processes=2), include_not_due=True)
    assert all(report.outcome != "failed" for report in summary.reports)
    listed = fresh_db.list_articles(Filters(relevant_only=False), limit=100)
    details = [fresh_db.get_article(int(i)) for i in listed["id"]]
    assert len(details) == 5
    flagged = {d.title: d.published_estimated for d in details if d is not None}
    assert flagged == {f"Lavrov and Rubio, take {i}": i < 4 for i in range(5)}
    for detail in details:
        assert detail is not None and detail.published >= PUBLISHED_FLOOR
        if detail.published_estimated:
            assert before - timedelta(minutes=1) <= detail.published <= datetime.now(UTC)
