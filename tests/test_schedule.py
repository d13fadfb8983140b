"""When a feed is checked again: interval, TTL, Cache-Control, Retry-After, backoff, 24 h cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NotRequired, TypedDict

import pytest

from core.ingest.schedule import MAX_WAIT, cache_max_age, next_check_at

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
M15 = timedelta(minutes=15)


class Facts(TypedDict):
    """What next_check_at (core/ingest/schedule.py) is told about a feed, besides now and its
    interval."""

    ok: bool
    consecutive_errors: int
    retry_after: NotRequired[datetime | None]
    ttl: NotRequired[timedelta | None]
    max_age: NotRequired[timedelta | None]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"ok": True, "consecutive_errors": 0}, M15),
        ({"ok": True, "consecutive_errors": 0, "ttl": timedelta(hours=2)}, timedelta(hours=2)),
        ({"ok": True, "consecutive_errors": 0, "ttl": timedelta(minutes=1)}, M15),
        ({"ok": True, "consecutive_errors": 0, "max_age": timedelta(hours=1)}, timedelta(hours=1)),
        ({"ok": True, "consecutive_errors": 0, "ttl": timedelta(days=7)}, MAX_WAIT),
        ({"ok": False, "consecutive_errors": 1}, M15),
        ({"ok": False, "consecutive_errors": 4}, 4 * M15),
        ({"ok": False, "consecutive_errors": 500}, MAX_WAIT),
        (
            {"ok": False, "consecutive_errors": 1, "retry_after": NOW + timedelta(hours=3)},
            timedelta(hours=3),
        ),
        (
            {"ok": False, "consecutive_errors": 1, "retry_after": NOW + timedelta(days=30)},
            MAX_WAIT,
        ),
        (
            {"ok": False, "consecutive_errors": 8, "retry_after": NOW + timedelta(seconds=5)},
            8 * M15,
        ),
    ],
    ids=[
        "healthy",
        "ttl-longer",
        "ttl-shorter-ignored",
        "max-age",
        "ttl-capped",
        "first-error",
        "linear-backoff",
        "backoff-capped",
        "retry-after",
        "retry-after-capped",
        "backoff-beats-short-retry-after",
    ],
)
def test_next_check(kwargs: Facts, expected: timedelta) -> None:
    assert next_check_at(NOW, interval=M15, **kwargs) - NOW == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("max-age=600", timedelta(minutes=10)),
        ("public, max-age=3600, must-revalidate", timedelta(hours=1)),
        ("no-cache", None),
        ("s-maxage=100", None),
    ],
)
def test_cache_max_age(header: str, expected: timedelta | None) -> None:
    assert cache_max_age({"cache-control": header}) == expected
