"""The fetcher's connections against a loopback server: the per-host limit, many clients at once,
waiting for a slot outside the deadline, pooled connections reused only while open, and TLS
(an untrusted certificate refused, one reused connection)."""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
import trustme

from core.ingest.fetch import FeedClient, FetchSettings
from core.models import FetchResult
from tests.fetching import BODY, FAST, fetch
from tests.fixtures_http import RSS_TYPE, FeedServer, Route


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
    monkeypatch.setattr(httpx, "create_ssl_context", lambda **_: trusting)
    url = server.add("/tls.xml", Route(body=BODY, headers={"Content-Type": RSS_TYPE}))

    assert [result.body for result in fetch_twice(url)] == [BODY, BODY]
    assert len(connections) == 1
