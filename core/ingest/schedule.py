"""When a feed is checked again: our interval, the publisher's TTL and Cache-Control, Retry-After,
linear backoff on errors, and a 24 h cap (the figures Miniflux and Media Cloud publish).

Pure arithmetic on datetimes, kept apart from core/ingest/poller.py so that the schedule can be
read and tested without the machinery of a round.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

MAX_WAIT = timedelta(hours=24)
"""No feed waits longer than a day, whatever its TTL, Retry-After or error count say."""

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)


def cache_max_age(headers: dict[str, str]) -> timedelta | None:
    """The Cache-Control max-age of a response (lower-cased header names), None when absent."""
    found = _MAX_AGE.search(headers.get("cache-control", ""))
    return timedelta(seconds=int(found.group(1))) if found else None


def next_check_at(
    now: datetime,
    *,
    ok: bool,
    consecutive_errors: int,
    interval: timedelta,
    retry_after: datetime | None = None,
    ttl: timedelta | None = None,
    max_age: timedelta | None = None,
) -> datetime:
    """When to look at a feed again.

    Healthy: the longest of our interval, the feed's TTL and its Cache-Control max-age (the
    publisher's wishes are honoured, never undercut). Failing: linear backoff, one interval per
    consecutive error. Retry-After always wins when it asks for longer. Everything capped at 24 h.
    """
    if ok:
        wait = max(interval, ttl or timedelta(0), max_age or timedelta(0))
    else:
        wait = interval * max(1, consecutive_errors)
    if retry_after is not None:
        wait = max(wait, retry_after - now)
    return now + min(wait, MAX_WAIT)


__all__ = ["MAX_WAIT", "cache_max_age", "next_check_at"]
