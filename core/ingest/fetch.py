"""HTTP only: one total deadline, a decoded-body cap, checked redirects, conditional GET, and
refusal of non-public addresses — the limits Miniflux and Media Cloud publish (README.md,
"Features").

Public API:
    FEED_ACCEPT, USER_AGENT
    FetchSettings(total_deadline=20.0, max_body_bytes=15 MiB, max_redirects=5, per_host_limit=2,
                  workers=16, user_agent=USER_AGENT, allow_private_networks=None)
    FeedClient(settings=None)  — `async with FeedClient(settings) as client:`
        await client.fetch(url, *, etag=None, last_modified=None, accept=FEED_ACCEPT)
            -> core.models.FetchResult
    parse_retry_after(value, now) -> datetime | None
    refusal(ip_address) -> str | None

`FeedClient.fetch` never raises for network or HTTP trouble: it returns a FetchResult whose
`error` says in a few words what went wrong ("timed out after 20 s", "body larger than 15 MiB",
"too many redirects (5)", "refused: 10.0.0.1 is a private address", "untrusted TLS
certificate (…)", "HTTP 500 Internal Server Error", "connection refused", "not a http(s) URL:
…"), so the poller records it against the feed and goes on. A 304 comes back with
`not_modified=True`; 429/503 carry `retry_after` as an aware UTC datetime (from seconds or an
HTTP date); header names are lower-cased.

Limits, and where each is enforced:
- The deadline covers the whole exchange of every hop, body included (`asyncio.timeout`), so a
  server dripping a byte every few seconds cannot hold a worker longer. Waiting for a free
  per-host slot before the first hop is not counted: it is our queue, not the server's fault.
- The body is counted after decoding, while decoding (zlib with a bounded output per step), so a
  gzip bomb is cut off at the cap with bounded memory. Only gzip and deflate are asked for.
- Redirects are followed here, hop by hop, so the scheme and the address of every hop are checked.
- Private networks are refused where it cannot be dodged: at connect time, on the address
  actually connected to (a custom httpcore network backend resolves the name, checks every
  address, and connects to the checked one), so neither a redirect nor a DNS answer that changes
  between check and connect (rebinding) reaches loopback, private, link-local, multicast,
  reserved or other non-global addresses, nor their NAT64, 6to4, Teredo, IPv4-mapped or
  IPv4-compatible forms: only globally routable unicast addresses are admitted (`refusal`, in
  core/ingest/addresses.py). Private networks are allowed only with allow_private_networks=True or
  $DETENTE_ALLOW_PRIVATE_NETWORKS=1 (the tests' loopback server needs it).
- Cookies are never kept: one feed's server cannot set state that another request carries.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import select
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from core import __version__
from core.ingest.addresses import refusal
from core.models import FetchResult

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


def _user_agent() -> str:
    """Who we are, honestly; $DETENTE_CONTACT (a URL or an address) is added for site owners."""
    contact = os.environ.get("DETENTE_CONTACT", "").strip()
    detail = f"; +{contact}" if contact else ""
    return f"Detente/{__version__} (news monitoring desk; feed reader{detail})"


USER_AGENT = _user_agent()
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MIB = 1024 * 1024
MAX_RETRY_AFTER = timedelta(days=365)


def private_networks_allowed() -> bool:
    return os.environ.get("DETENTE_ALLOW_PRIVATE_NETWORKS", "").strip() == "1"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    total_deadline: float = 20.0
    """Seconds for the whole exchange, every redirect hop and the body included."""
    max_body_bytes: int = 15 * MIB
    """Cap on the decoded body; a gzip bomb is cut off while decompressing."""
    max_redirects: int = 5
    per_host_limit: int = 2
    """Requests in flight to one host name at a time (politeness)."""
    workers: int = 16
    """Concurrent fetches the poller runs; sizes the connection pool."""
    user_agent: str = USER_AGENT
    allow_private_networks: bool | None = None
    """None: follow $DETENTE_ALLOW_PRIVATE_NETWORKS (default: refused)."""

    @property
    def private_allowed(self) -> bool:
        if self.allow_private_networks is None:
            return private_networks_allowed()
        return self.allow_private_networks


class RefusedAddress(httpcore.ConnectError):
    """The name resolved to an address we do not connect to."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address (no second lookup)."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        if not self._allow_private:
            for address in addresses:
                why = refusal(address)
                if why is not None:
                    raise RefusedAddress(why)
        last: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
                return PooledStream(stream, stream.get_extra_info("socket"))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise httpcore.ConnectError(_connect_failure(last) if last else f"cannot connect to {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PooledStream(httpcore.AsyncNetworkStream):
    """A connection's stream that remembers its socket. Before each request httpcore asks every
    idle pooled connection whether its socket is readable (the server hung up); anyio answers by
    rebuilding all of the socket's attributes, a getpeername system call included, each time."""

    def __init__(self, inner: httpcore.AsyncNetworkStream, sock: Any) -> None:
        self._inner = inner
        self._socket = sock

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return PooledStream(tls, self._socket)  # TLS runs over the same socket

    def get_extra_info(self, info: str) -> Any:
        if info == "socket":
            return self._socket
        if info == "is_readable":
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: Any) -> bool:
    """Data (or the end of the stream) waits on the socket; a closed socket counts as readable,
    as in httpcore, so that its connection is dropped."""
    fd = sock.fileno() if sock is not None else -1
    if fd < 0:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions that led to it, outermost first."""
    seen: BaseException | None = exc
    met: set[int] = set()
    while seen is not None and id(seen) not in met:
        met.add(id(seen))
        yield seen
        seen = seen.__cause__ or seen.__context__


def _connect_failure(exc: BaseException) -> str:
    """The root cause of a failed connect, in words ("connection refused", …)."""
    for seen in _chain(exc):
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ConnectionResetError):
            return "connection reset"
        if isinstance(seen, (TimeoutError, httpcore.ConnectTimeout)):
            return "connect timed out"
        if isinstance(seen, OSError) and seen.strerror:
            return f"cannot connect: {seen.strerror.lower()}"
    return f"cannot connect: {exc}"


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as delay-seconds or an HTTP date → an aware UTC time; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit alone admits "²", which int refuses
        return now + min(timedelta(seconds=int(value[:12])), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


class BodyTooLarge(Exception):
    pass


class _Decoder:
    """Identity / gzip / deflate decoding with a hard cap on the decoded size, fed raw chunks."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        # wbits=47: zlib or gzip header, detected; raw deflate is tried if that fails.
        self._zlib = zlib.decompressobj(wbits=47) if encoding in _COMPRESSED else None
        self._deflate = encoding == "deflate"
        self._limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            raise BodyTooLarge
        if data:
            self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            room = self._limit - self.size + 1
            try:
                out = self._zlib.decompress(data, room)
            except zlib.error:
                if not (self._deflate and self.size == 0):
                    raise
                self._zlib = zlib.decompressobj(wbits=-15)  # raw deflate, as some servers send
                self._deflate = False
                out = self._zlib.decompress(data, room)
            self._keep(out)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                break

    def body(self) -> bytes:
        return b"".join(self.parts)


_COMPRESSED = frozenset({"gzip", "x-gzip", "deflate"})
_IDENTITY = frozenset({"", "identity"})


def _no_cookies() -> CookieJar:
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class FeedClient:
    """One pooled async HTTP client with per-host limits; use as `async with FeedClient() as c`."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        connections = max(self.settings.workers, 1) * 2
        transport = httpx.AsyncHTTPTransport(retries=0)
        # httpx has no parameter for the network backend: its pool is rebuilt with ours, and a
        # change in httpx that breaks this fails loudly here (and in the refusal tests).
        if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("httpx transport layout changed; cannot install the guard")
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(self.settings.private_allowed),
        )
        deadline = self.settings.total_deadline
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(deadline, connect=min(deadline, 10.0)),
            follow_redirects=False,
            trust_env=False,
            cookies=_no_cookies(),
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> FeedClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(max(self.settings.per_host_limit, 1))
        return slot

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET `url` with validators; every problem comes back as `FetchResult.error`."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        unusable = _unusable(url)
        if unusable is not None:
            return FetchResult(url, url, None, error=unusable)
        deadline = self.settings.total_deadline
        clock = Clock()
        try:
            result = await self._follow(url, headers, clock)
        except TimeoutError:
            result = FetchResult(url, url, None, error=f"timed out after {deadline:g} s")
        return replace(result, elapsed=clock.elapsed())

    async def _follow(self, url: str, headers: dict[str, str], clock: Clock) -> FetchResult:
        """Request hop after hop, each holding its host's slot only for itself (a redirect
        back to the same host must not wait for the slot its own first hop holds)."""
        current = url
        for _ in range(self.settings.max_redirects + 1):
            unusable = _unusable(current)
            host = _host_of(current)
            if unusable is not None or host is None:
                error = unusable or f"not a http(s) URL: {current[:200]}"
                return FetchResult(url, current, None, error=error)
            slot = self._host_slot(host)
            try:
                if clock.started is None:  # the first hop: queueing for the slot is not counted
                    await slot.acquire()
                    clock.start(self.settings.total_deadline)
                else:
                    async with asyncio.timeout_at(clock.deadline):
                        await slot.acquire()
                try:
                    async with asyncio.timeout_at(clock.deadline):
                        step = await self._hop(url, current, headers)
                finally:
                    slot.release()
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                return FetchResult(url, current, None, error=self._describe(exc))
            if isinstance(step, FetchResult):
                return step
            current = step
        return FetchResult(
            url, current, None, error=f"too many redirects ({self.settings.max_redirects})"
        )

    async def _hop(self, url: str, current: str, headers: dict[str, str]) -> FetchResult | str:
        """One request: the final result, or the next URL to follow."""
        request = self._client.build_request("GET", current, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            location = response.headers.get("location", "").strip()
            if response.status_code in REDIRECTS:
                if not location:
                    return FetchResult(
                        url, current, response.status_code,
                        error=f"HTTP {response.status_code} redirect without a Location",
                    )  # fmt: skip
                return str(urljoin(current, location))
            return await self._result(url, current, response)
        finally:
            await response.aclose()

    async def _result(self, url: str, final_url: str, response: httpx.Response) -> FetchResult:
        headers = {key.lower(): value for key, value in response.headers.items()}
        status = response.status_code
        retry_after = None
        if status in (429, 503):
            retry_after = parse_retry_after(headers.get("retry-after"), datetime.now(UTC))
        common: dict[str, Any] = {
            "headers": headers,
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "retry_after": retry_after,
        }
        if status == 304:
            return FetchResult(url, final_url, status, not_modified=True, **common)
        if status >= 400:
            reason = " ".join((response.reason_phrase or "").split())[:80]
            error = f"HTTP {status} {reason}".strip()
            return FetchResult(url, final_url, status, error=error, **common)
        if status not in (200, 203):
            return FetchResult(url, final_url, status, error=f"unexpected HTTP {status}", **common)
        cap = self.settings.max_body_bytes
        too_large = f"body larger than {cap / MIB:g} MiB"
        encoding = headers.get("content-encoding", "").strip().lower()
        if encoding not in _COMPRESSED and encoding not in _IDENTITY:
            error = f"unsupported Content-Encoding: {encoding[:40]}"
            return FetchResult(url, final_url, status, error=error, **common)
        declared = headers.get("content-length", "")
        declared_size = int(declared[:20]) if declared.isascii() and declared.isdigit() else 0
        if encoding in _IDENTITY and (declared_size > cap or len(declared) > 20):
            return FetchResult(url, final_url, status, error=too_large, **common)
        decoder = _Decoder(encoding, cap)
        try:
            async for chunk in response.aiter_raw():
                decoder.feed(chunk)
        except BodyTooLarge:
            return FetchResult(url, final_url, status, error=too_large, **common)
        except zlib.error as exc:
            error = f"bad {encoding} body: {exc}"
            return FetchResult(url, final_url, status, error=error, **common)
        return FetchResult(url, final_url, status, body=decoder.body(), **common)

    def _describe(self, exc: Exception) -> str:
        """A few words an analyst can act on."""
        text = " ".join(str(exc).split())[:200]
        if isinstance(exc, httpx.TimeoutException):
            return f"timed out after {self.settings.total_deadline:g} s"
        if isinstance(exc, httpx.ConnectError):
            for cause in _chain(exc):
                if isinstance(cause, ssl.SSLCertVerificationError):
                    return f"untrusted TLS certificate ({cause.verify_message})"
            if text.startswith(("refused:", "cannot ", "connect")):
                return text
            return f"cannot connect: {text or 'connection failed'}"
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError)):
            return f"not a usable URL: {text}"
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"broken HTTP response: {text}" if text else "broken HTTP response"
        return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Clock:
    """When a fetch's first request started, and the loop time by which it must be over."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.deadline: float | None = None

    def start(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.deadline = asyncio.get_running_loop().time() + seconds

    def elapsed(self) -> float:
        return 0.0 if self.started is None else time.monotonic() - self.started


def _unusable(url: str) -> str | None:
    """Why `url` cannot be fetched, or None: not http(s), no host, a malformed host (an
    unclosed IPv6 literal, say), or a port that is not a number from 1 to 65535. Checked before
    every hop, so no such URL reaches the HTTP client (where a port of 99999 overflows)."""
    shown = url[:200]
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError as exc:
        return f"not a http(s) URL: {shown} (ValueError: {exc})"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return f"not a http(s) URL: {shown}"
    try:
        port = parts.port
    except ValueError as exc:
        return f"not a usable URL: {shown} (ValueError: {exc})"
    if port == 0:
        return f"not a usable URL: {shown} (ValueError: Port out of range 1-65535)"
    return None


def _host_of(url: str) -> str | None:
    """The lower-cased host of an http(s) URL, None for anything else."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.lower()


__all__ = [
    "FEED_ACCEPT",
    "USER_AGENT",
    "FeedClient",
    "FetchSettings",
    "parse_retry_after",
    "private_networks_allowed",
    "refusal",
]
