"""The fetcher against a real loopback HTTP server: limits, validators, redirects, refusals."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpcore
import pytest
import trustme

import core.ingest.fetch
from core.ingest.fetch import FeedClient, FetchSettings, parse_retry_after, refusal
from core.ingest.parse import parse_feed
from core.models import FetchResult
from tests.fixtures_http import (
    MIB,
    PRIVATE_REDIRECT,
    RSS_TYPE,
    FeedServer,
    Route,
    hostile_routes,
    rss,
)

FAST = FetchSettings(total_deadline=1.0, allow_private_networks=True)
BODY = rss([("a1", "Lavrov and Rubio meet", "Talks in Riyadh.")])


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with FeedClient(settings) as client:
            return await client.fetch(url, **kwargs)

    return asyncio.run(go())


def fetch_all(urls: list[str], settings: FetchSettings = FAST) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with FeedClient(settings) as client:
            return list(await asyncio.gather(*(client.fetch(url) for url in urls)))

    return asyncio.run(go())


def fetch_twice(url: str) -> list[FetchResult]:
    """The same URL twice through one client (one connection pool)."""

    async def go() -> list[FetchResult]:
        async with FeedClient(FAST) as client:
            return [await client.fetch(url), await client.fetch(url)]

    return asyncio.run(go())


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address the fetcher actually opens a TCP connection to."""
    opened: list[str] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def spy(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        opened.append(host)
        return await original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", spy)
    return opened


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


# --- schemes and addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed",
        "javascript:alert(1)",
        "gopher://x/",
        "",
        "/feed",
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, connections: list[str]) -> None:
    result = fetch(url)
    assert result.error is not None and result.error.startswith("not a http(s) URL")
    assert connections == []


def test_a_redirect_to_another_scheme_is_refused(
    feed_server: FeedServer, connections: list[str]
) -> None:
    url = feed_server.add("/f", Route(status=302, headers={"Location": "file:///etc/passwd"}))
    assert fetch(url).error == "not a http(s) URL: file:///etc/passwd"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "embeds"),
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    why = refusal(address)
    assert why is not None and why.startswith("refused:") and kind in why


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(address) is None


@pytest.mark.parametrize("setting", [None, "0", ""])
def test_loopback_is_refused_unless_private_networks_are_allowed(
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    connections: list[str],
    setting: str | None,
) -> None:
    if setting is None:
        monkeypatch.delenv("DETENTE_ALLOW_PRIVATE_NETWORKS", raising=False)
    else:
        monkeypatch.setenv("DETENTE_ALLOW_PRIVATE_NETWORKS", setting)
    feed_server.add("/feed", Route(body=BODY))
    strict = FetchSettings(total_deadline=2.0)  # allow_private_networks follows the environment
    assert (
        fetch(feed_server.url("/feed"), strict).error == "refused: 127.0.0.1 is a loopback address"
    )
    by_name = f"http://localhost:{feed_server.port}/feed"  # checked after resolving the name
    error = fetch(by_name, strict).error
    assert error is not None and error.startswith("refused:") and "loopback" in error
    assert feed_server.hits["/feed"] == 0 and connections == []
    monkeypatch.setenv("DETENTE_ALLOW_PRIVATE_NETWORKS", "1")
    assert fetch(feed_server.url("/feed"), FetchSettings(total_deadline=2.0)).body == BODY


@pytest.mark.parametrize(
    "url",
    [
        "http://10.255.255.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00::1]/feed",
        "https://192.168.0.1/",
    ],
)
def test_private_addresses_are_refused_before_any_connection(
    url: str, connections: list[str]
) -> None:
    result = fetch(url, FetchSettings(total_deadline=2.0, allow_private_networks=False))
    assert result.error is not None and result.error.startswith("refused:")
    assert connections == []


def test_a_redirect_hop_to_a_private_address_is_refused_before_connecting(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    # Private networks refused, but this test's own loopback server let through: the first hop
    # connects, the redirect hop to 10.255.255.1 must be refused without a connection attempt.
    real = core.ingest.fetch.refusal
    monkeypatch.setattr(
        core.ingest.fetch, "refusal", lambda a: None if a == "127.0.0.1" else real(a)
    )
    url = feed_server.add("/to-private", PRIVATE_REDIRECT)
    result = fetch(url, FetchSettings(total_deadline=2.0, allow_private_networks=False))
    assert result.error == "refused: 10.255.255.1 is a private address"
    assert result.final_url == "http://10.255.255.1/feed"
    assert connections == ["127.0.0.1"]
    assert feed_server.hits["/to-private"] == 1


def test_a_closed_port_is_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert fetch(f"http://127.0.0.1:{port}/feed").error == "connection refused"


# --- politeness and parallelism -----------------------------------------------------------------


def test_the_per_host_limit_caps_requests_in_flight_to_one_host(feed_server: FeedServer) -> None:
    urls = [feed_server.add(f"/p{i}", Route(body=BODY, delay=0.1)) for i in range(6)]
    results = fetch_all(urls, FetchSettings(per_host_limit=2, allow_private_networks=True))
    assert all(result.body == BODY for result in results)
    assert feed_server.max_in_flight <= 2
    assert sum(feed_server.hits[f"/p{i}"] for i in range(6)) == 6


def test_the_loopback_server_answers_many_clients_at_once(feed_server: FeedServer) -> None:
    """Sixteen requests must all be inside the server together: a barrier of 16 only opens if
    the server does not serialise them (the poll benchmark depends on it)."""
    barrier = threading.Barrier(16, timeout=10)

    def meet(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        barrier.wait()
        return 200, {"Content-Type": RSS_TYPE}, BODY

    urls = [feed_server.add(f"/b{i}", Route(dynamic=meet)) for i in range(16)]
    settings = FetchSettings(total_deadline=15.0, per_host_limit=16, allow_private_networks=True)
    results = fetch_all(urls, settings)
    assert [result.body for result in results] == [BODY] * 16
    assert feed_server.max_in_flight == 16


def test_waiting_for_a_host_slot_does_not_count_against_the_deadline(
    feed_server: FeedServer,
) -> None:
    # four 0.3 s answers through one slot: the last waits 0.9 s, yet its own exchange is short
    urls = [feed_server.add(f"/q{i}", Route(body=BODY, delay=0.3)) for i in range(4)]
    settings = FetchSettings(total_deadline=1.0, per_host_limit=1, allow_private_networks=True)
    assert [result.error for result in fetch_all(urls, settings)] == [None] * 4


def test_a_pooled_connection_the_server_closed_is_not_reused(
    feed_server: FeedServer, connections: list[str]
) -> None:
    """The server hangs up an idle keep-alive connection without saying so beforehand: the next
    request must notice (the socket reads as closed) and open a new connection, not fail."""

    def answer_then_hang_up(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        handler.close_connection = True  # no "Connection: close" header is sent
        return 200, {"Content-Type": RSS_TYPE}, BODY

    url = feed_server.add("/hang-up", Route(dynamic=answer_then_hang_up))

    async def twice() -> list[FetchResult]:
        async with FeedClient(FAST) as client:
            first = await client.fetch(url)
            assert await asyncio.to_thread(feed_server.wait_closed, 1)
            return [first, await client.fetch(url)]

    assert [result.body for result in asyncio.run(twice())] == [BODY, BODY]
    assert len(connections) == 2


def test_a_pooled_connection_is_reused_while_the_server_keeps_it_open(
    feed_server: FeedServer, connections: list[str]
) -> None:
    url = feed_server.add("/keep", Route(body=BODY, headers={"Content-Type": RSS_TYPE}))

    assert [result.body for result in fetch_twice(url)] == [BODY, BODY]
    assert len(connections) == 1


@pytest.fixture
def tls_server() -> Iterator[tuple[FeedServer, trustme.CA]]:
    """An HTTPS loopback server whose certificate comes from a test CA nobody trusts yet."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with FeedServer(tls=context) as server:
        yield server, ca


def test_an_https_feed_with_an_untrusted_certificate_is_an_error(
    tls_server: tuple[FeedServer, trustme.CA],
) -> None:
    server, _ = tls_server
    result = fetch(server.add("/tls.xml", Route(body=BODY)))
    assert result.body == b""
    assert result.error == "untrusted TLS certificate (unable to get local issuer certificate)"


def test_an_https_feed_is_fetched_over_one_reused_tls_connection(
    tls_server: tuple[FeedServer, trustme.CA],
    connections: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, ca = tls_server
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    monkeypatch.setattr(core.ingest.fetch.httpx, "create_ssl_context", lambda **_: trusting)
    url = server.add("/tls.xml", Route(body=BODY, headers={"Content-Type": RSS_TYPE}))

    assert [result.body for result in fetch_twice(url)] == [BODY, BODY]
    assert len(connections) == 1


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("http://127.0.0.1:99999/feed", "Port out of range"),
        ("http://127.0.0.1:65536/feed", "Port out of range"),
        ("http://127.0.0.1:0/feed", "Port out of range"),
        ("http://127.0.0.1:" + "9" * 40 + "/feed", "Port out of range"),
        ("http://127.0.0.1:-1/feed", "could not be cast"),
        ("http://[::1/feed", "Invalid IPv6 URL"),
    ],
)
def test_a_url_with_a_bad_port_or_host_is_an_error_not_an_exception(
    url: str, phrase: str, connections: list[str]
) -> None:
    """Issue 13: a port of 99999 used to raise OverflowError from the HTTP client."""
    error = fetch(url).error
    assert error is not None and "ValueError" in error and phrase in error
    assert connections == []


@pytest.mark.parametrize(
    "location", ["http://127.0.0.1:65536/x", "//127.0.0.1:99999/x", "http://127.0.0.1:0/x"]
)
def test_a_redirect_to_a_bad_port_is_an_error_not_an_exception(
    feed_server: FeedServer, location: str
) -> None:
    url = feed_server.add("/bad-port", Route(status=302, headers={"Location": location}))
    error = fetch(url).error
    assert error is not None and error.startswith("not a usable URL") and "ValueError" in error


ADDRESSES: list[tuple[str, str | None]] = [
    # (address, a phrase of the refusal, or None when the address is admitted)
    ("8.8.8.8", None),
    ("93.184.215.14", None),
    ("2606:4700:4700::1111", None),
    ("2a00:1450:4001:80b::200e", None),
    ("64:ff9b::808:808", None),  # NAT64 of a public address reaches that public address
    ("2002:808:808::1", None),  # 6to4 of a public address
    ("192.0.0.9", None),  # Port Control Protocol anycast: globally reachable
    # NAT64 forms of private, loopback and link-local IPv4
    ("64:ff9b::7f00:1", "embeds a non-public address (NAT64: 127.0.0.1)"),
    ("64:ff9b::a00:1", "embeds a non-public address (NAT64: 10.0.0.1)"),
    ("64:ff9b::c0a8:101", "NAT64: 192.168.1.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64: 169.254.169.254"),
    ("64:ff9b::6440:1", "NAT64: 100.64.0.1"),
    ("64:ff9b:1::808:808", ""),  # local-use NAT64 is never global (any refusal)
    ("64:ff9b:1::a00:1", ""),
    # 6to4 and Teredo forms of private addresses
    ("2002:7f00:1::", "6to4: 127.0.0.1"),
    ("2002:a00:1::1", "6to4: 10.0.0.1"),
    ("2002:a9fe:a9fe::", "6to4: 169.254.169.254"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo: 127.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "private"),  # Teredo is not global at all
    # IPv4-mapped and IPv4-compatible forms
    ("::ffff:127.0.0.1", "IPv4-mapped: 127.0.0.1"),
    ("::ffff:10.0.0.1", "IPv4-mapped: 10.0.0.1"),
    ("::ffff:8.8.8.8", "is an IPv4-mapped address"),
    ("::127.0.0.1", "IPv4-compatible: 127.0.0.1"),
    ("::8.8.8.8", "is an IPv4-compatible address"),
    # special-purpose IPv4
    ("100.64.0.1", "non-public"),  # CGNAT shared address space
    ("100.127.255.254", "non-public"),
    ("198.18.0.1", "private"),  # benchmarking
    ("198.19.255.255", "private"),
    ("192.0.2.1", "private"),  # documentation
    ("198.51.100.7", "private"),
    ("203.0.113.200", "private"),
    ("192.0.0.1", "private"),  # IETF protocol assignments
    ("192.88.99.1", "non-public"),  # deprecated 6to4 relay anycast
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("172.31.255.255", "private"),
    ("169.254.169.254", "link-local"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "private"),  # "this network"
    # special-purpose IPv6
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("fe80::1%eth0", "link-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("ff0e::1", "multicast"),  # global-scope multicast is still multicast
    ("2001:db8::1", "private"),  # documentation
    ("3fff::1", "non-public"),  # documentation (RFC 9637)
    ("2001:2::1", "private"),  # benchmarking
    ("100::1", "reserved"),  # discard-only
    ("5f00::1", "reserved"),  # SRv6 SIDs
    ("not-an-address", "is not an IP address"),
]


@pytest.mark.parametrize(("address", "phrase"), ADDRESSES, ids=[a for a, _ in ADDRESSES])
def test_only_globally_routable_unicast_addresses_are_admitted(
    address: str, phrase: str | None
) -> None:
    """Issue 13, item 7: the classifier alone (no connection is made)."""
    why = refusal(address)
    if phrase is None:
        assert why is None
    else:
        assert why is not None and why.startswith("refused:") and phrase in why, why


@pytest.mark.parametrize("value", ["²", "٣٣", "9" * 5000, "-1", "1e3"])
def test_a_retry_after_that_is_not_an_ascii_number_or_date_never_raises(value: str) -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    when = parse_retry_after(value, now)
    assert when is None or when <= now + timedelta(days=366)
