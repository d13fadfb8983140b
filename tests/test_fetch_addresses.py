"""What the fetcher refuses before it connects: schemes other than http(s), malformed ports and
hosts, and every address that is not globally routable unicast (loopback unless private
networks are allowed), also when a redirect hop leads there."""

from __future__ import annotations

import socket

import pytest

import core.ingest.fetch
from core.ingest.fetch import FetchSettings, refusal
from tests.fetching import BODY, fetch
from tests.fixtures_http import PRIVATE_REDIRECT, FeedServer, Route


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
