"""The fetcher against a real loopback HTTP server: an ordinary fetch, validators, conditional
GET and Retry-After, hostile servers, redirects. Addresses: tests/test_fetch_addresses.py;
connections: tests/test_fetch_connections.py."""

from __future__ import annotations

import asyncio
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.ingest.fetch import FeedClient, FetchSettings, parse_retry_after
from core.ingest.parse import parse_feed
from tests.fetching import BODY, FAST, fetch
from tests.fixtures_http import MIB, RSS_TYPE, FeedServer, Route, hostile_routes

# --- an ordinary fetch --------------------------------------------------------------------------


def test_a_feed_comes_back_with_body_validators_and_lower_cased_headers(
    feed_server: FeedServer,
) -> None:
    url = feed_server.add(
        "/feed",
        Route(
            body=BODY,
            etag='"v1"',
            last_modified="Tue, 18 Nov 2026 10:00:00 GMT",
            headers={"Content-Type": RSS_TYPE, "X-Custom": "yes"},
        ),
    )
    result = fetch(url)
    assert result.error is None
    assert (result.status, result.body, result.final_url) == (200, BODY, url)
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 18 Nov 2026 10:00:00 GMT"
    assert result.headers["x-custom"] == "yes"
    assert all(key == key.lower() for key in result.headers)
    assert result.elapsed > 0
    sent = feed_server.request_headers["/feed"]
    assert sent["User-Agent"].startswith("Detente/")
    assert "rss+xml" in sent["Accept"]
    assert "If-None-Match" not in sent


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", lambda data: zlib.compress(data, wbits=31)),
        ("deflate", lambda data: zlib.compress(data)),
        ("deflate", lambda data: zlib.compress(data, wbits=-15)),  # raw deflate, as some send
    ],
    ids=["gzip", "zlib-deflate", "raw-deflate"],
)
def test_compressed_bodies_are_decoded(
    feed_server: FeedServer, encoding: str, compress: Any
) -> None:
    url = feed_server.add("/z", Route(body=compress(BODY), headers={"Content-Encoding": encoding}))
    assert fetch(url).body == BODY


def test_an_unasked_for_content_encoding_is_an_error(feed_server: FeedServer) -> None:
    url = feed_server.add("/br", Route(body=b"\x8b\x00", headers={"Content-Encoding": "br"}))
    assert fetch(url).error == "unsupported Content-Encoding: br"


def test_cookies_set_by_one_response_are_never_sent_back(feed_server: FeedServer) -> None:
    url = feed_server.add("/c", Route(body=BODY, headers={"Set-Cookie": "track=1; Path=/"}))

    async def twice() -> None:
        async with FeedClient(FAST) as client:
            await client.fetch(url)
            await client.fetch(url)

    asyncio.run(twice())
    assert feed_server.hits["/c"] == 2
    assert "Cookie" not in feed_server.request_headers["/c"]


# --- conditional GET and Retry-After --------------------------------------------------------------


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_a_conditional_get_of_an_unchanged_feed_is_a_304_without_body(
    feed_server: FeedServer, validator: str
) -> None:
    stamp = "Tue, 18 Nov 2026 10:00:00 GMT"
    route = (
        Route(body=BODY, etag='"v7"')
        if validator == "etag"
        else Route(body=BODY, last_modified=stamp)
    )
    url = feed_server.add("/cond", route)
    first = fetch(url)
    assert first.status == 200 and not first.not_modified
    second = fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304
    assert second.error is None and second.body == b""
    assert feed_server.hits["/cond"] == 2
    sent = feed_server.request_headers["/cond"]
    if validator == "etag":
        assert sent["If-None-Match"] == '"v7"'
    else:
        assert sent["If-Modified-Since"] == stamp


NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        (" 0 ", NOW),
        ("Wed, 21 Oct 2037 07:28:00 GMT", datetime(2037, 10, 21, 7, 28, tzinfo=UTC)),
        ("Wed, 21 Oct 2037 09:28:00 +0200", datetime(2037, 10, 21, 7, 28, tzinfo=UTC)),
        ("99999999999999999999", NOW + timedelta(days=365)),  # capped, never an overflow
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, expected: datetime | None
) -> None:
    parsed = parse_retry_after(header, NOW)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("status", "header", "expected"),
    [
        (429, "3600", timedelta(seconds=3600)),
        (503, "Wed, 21 Oct 2037 07:28:00 GMT", datetime(2037, 10, 21, 7, 28, tzinfo=UTC)),
    ],
)
def test_429_and_503_carry_retry_after(
    feed_server: FeedServer, status: int, header: str, expected: timedelta | datetime
) -> None:
    url = feed_server.add("/busy", Route(status=status, headers={"Retry-After": header}))
    before = datetime.now(UTC)
    result = fetch(url)
    assert result.status == status
    assert result.error is not None and result.error.startswith(f"HTTP {status}")
    assert result.retry_after is not None
    if isinstance(expected, timedelta):
        assert before + expected <= result.retry_after <= datetime.now(UTC) + expected
    else:
        assert result.retry_after == expected


def test_repeated_500s_are_each_one_request_and_one_error(feed_server: FeedServer) -> None:
    url = feed_server.add("/500", Route(status=500))
    results = [fetch(url) for _ in range(3)]
    assert [r.error for r in results] == ["HTTP 500 Internal Server Error"] * 3
    assert feed_server.hits["/500"] == 3  # no hidden retries


# --- hostile servers ----------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", sorted(hostile_routes()))
def test_every_hostile_server_ends_in_bounded_time_and_memory_with_a_clear_error(
    feed_server: FeedServer, path: str
) -> None:
    """Fetch, then parse what came back: each case ends with an error that names it. Bounded
    time is enforced by the test's timeout (a hang fails it), not by comparing timings."""
    route, phrase = hostile_routes()[path]  # built before measuring: the bomb is made once
    url = feed_server.add(path, route)
    tracemalloc.start()
    result = fetch(url)
    error = result.error or parse_feed(result.body, result.headers, url=url).error
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error is not None and phrase in error, (path, error)
    assert peak < 100 * 1024 * 1024, f"{path} peaked at {peak / 1e6:.0f} MB"


def test_a_slow_drip_is_cut_at_the_total_deadline_not_per_read(feed_server: FeedServer) -> None:
    # every single read succeeds well within any per-read timeout; only the total deadline stops it
    url = feed_server.add("/drip", Route(body=BODY, drip=0.05))
    result = fetch(url, FetchSettings(total_deadline=0.5, allow_private_networks=True))
    assert result.error == "timed out after 0.5 s"
    assert result.body == b""


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_the_body_cap_is_exact_for_plain_and_compressed_bodies(
    feed_server: FeedServer, encoding: str
) -> None:
    small = FetchSettings(max_body_bytes=MIB, allow_private_networks=True)

    def route(size: int) -> Route:
        body = b"x" * size
        if encoding == "gzip":
            return Route(body=zlib.compress(body, wbits=31), headers={"Content-Encoding": "gzip"})
        return Route(body=body)

    assert fetch(feed_server.add("/over", route(MIB + 1)), small).error == "body larger than 1 MiB"
    assert fetch(feed_server.add("/at", route(MIB)), small).body == b"x" * MIB


# --- redirects ----------------------------------------------------------------------------------


def chain(server: FeedServer, hops: int) -> str:
    """/hop0 → /hop1 → … → /hop{hops} (the feed), relative Locations."""
    for hop in range(hops):
        server.add(f"/hop{hop}", Route(status=301 + hop % 2, headers={"Location": f"hop{hop + 1}"}))
    server.add(f"/hop{hops}", Route(body=BODY))
    return server.url("/hop0")


def test_five_redirects_are_followed_to_the_final_url(feed_server: FeedServer) -> None:
    result = fetch(chain(feed_server, 5))
    assert result.error is None and result.body == BODY
    assert result.final_url == feed_server.url("/hop5")


def test_a_sixth_redirect_is_too_many(feed_server: FeedServer) -> None:
    result = fetch(chain(feed_server, 6))
    assert result.error == "too many redirects (5)"
    assert feed_server.hits["/hop6"] == 0


def test_a_redirect_loop_stops_after_the_limit(feed_server: FeedServer) -> None:
    url = feed_server.add("/loop", Route(status=302, headers={"Location": "/loop"}))
    assert fetch(url).error == "too many redirects (5)"
    assert feed_server.hits["/loop"] == 6


def test_validators_travel_with_redirects(feed_server: FeedServer) -> None:
    feed_server.add("/old", Route(status=308, headers={"Location": "/new"}))
    feed_server.add("/new", Route(body=BODY, etag='"e"'))
    result = fetch(feed_server.url("/old"), etag='"e"')
    assert result.not_modified and result.final_url == feed_server.url("/new")


@pytest.mark.parametrize(
    "location", ["http://127.0.0.1:65536/x", "//127.0.0.1:99999/x", "http://127.0.0.1:0/x"]
)
def test_a_redirect_to_a_bad_port_is_an_error_not_an_exception(
    feed_server: FeedServer, location: str
) -> None:
    url = feed_server.add("/bad-port", Route(status=302, headers={"Location": location}))
    error = fetch(url).error
    assert error is not None and error.startswith("not a usable URL") and "ValueError" in error


@pytest.mark.parametrize("value", ["²", "٣٣", "9" * 5000, "-1", "1e3"])
def test_a_retry_after_that_is_not_an_ascii_number_or_date_never_raises(value: str) -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    when = parse_retry_after(value, now)
    assert when is None or when <= now + timedelta(days=366)
