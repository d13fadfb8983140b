"""A real HTTP server on loopback, programmable per path, for the fetcher and poller tests.

`FeedServer` is plain Python (the poll benchmark uses it outside pytest); `feed_server` is the
pytest fixture, one fresh server per test so routes and request counts never leak between tests.

    server = FeedServer().start()            # or: with FeedServer() as server:
    url = server.add("/feed.xml", Route(body=rss([...]), etag='"v1"', delay=0.2))
    ...
    server.hits["/feed.xml"]                 # requests served for that path
    server.request_headers["/feed.xml"]      # headers of the last request for it
    server.stop()

A route is a `Route`: status, headers, body, and optional behaviours — latency (`delay`), a slow
drip (`drip` seconds between single bytes), conditional GET (`etag` / `last_modified` → 304),
streamed filler (`padding` bytes after the body, never held in memory), or a `dynamic` handler.
`serve_fixtures` serves every real feed in ../shared/fixtures/feeds with or without a charset;
`hostile_routes` is the catalogue of hostile servers from issue 3. The server is threaded (one
thread per connection, a deep listen backlog), so many clients behind latency run in parallel.
Nothing here ever contacts a non-loopback address.
"""

from __future__ import annotations

import csv
import socket
import ssl
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "feeds"
if not FIXTURES.exists():  # a clone sits beside shared/ in CI; the work tree in /work/main
    FIXTURES = Path("/work/shared/fixtures/feeds")

FIXTURE_CHARSETS = {
    "encoding_ISO-8859-1.xml": "ISO-8859-1",
    "encoding_WINDOWS-1251.xml": "windows-1251",
    "koi8r.xml": "KOI8-R",
    "no_encoding_ISO-8859-1.xml": "ISO-8859-1",
}
"""The true charset of each fixture whose bytes are not UTF-8 (every other one is UTF-8)."""

RSS_TYPE = "application/rss+xml; charset=utf-8"
MIB = 1024 * 1024

Handler = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds before answering (server latency)."""
    drip: float = 0.0
    """Seconds between single bytes of the body (a slow-drip server)."""
    etag: str | None = None
    """Answer 304 when If-None-Match carries this ETag."""
    last_modified: str | None = None
    """Answer 304 when If-Modified-Since equals this date."""
    padding: int = 0
    """Bytes of spaces streamed after the body (an oversized body without holding it)."""
    dynamic: Handler | None = None
    """Answer with whatever this returns (status, headers, body) instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of connections must not overflow the listen backlog

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.closed = 0
        """Connections this server has closed."""
        self.closing = threading.Condition()

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        super().shutdown_request(request)
        with self.closing:
            self.closed += 1
            self.closing.notify_all()


class FeedServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.request_headers: dict[str, dict[str, str]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        """Most requests being answered at the same moment (to check for parallelism)."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self.scheme = "http"
        if tls is not None:  # HTTPS with the caller's certificate
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        # Polled every 50 ms rather than socketserver's 500: stop() waits out one poll, and a
        # test per server paid a quarter of a second on average for it.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class RouteHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.hits[path] += 1
                    server.request_headers[path] = dict(self.headers.items())
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(path)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, path: str) -> None:
                route = server.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.delay and server._stopping.wait(route.delay):
                    return  # server latency; cut short when the server stops
                if route.dynamic is not None:
                    self._send(*route.dynamic(self))
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if self._not_modified(route):
                    validators = {
                        k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")
                    }
                    self._send(304, validators, b"")
                    return
                if route.drip:
                    self._drip(route, headers)
                    return
                self._send(route.status, headers, route.body, route.padding)

            def _not_modified(self, route: Route) -> bool:
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return True
                since = self.headers.get("If-Modified-Since")
                return bool(route.last_modified and since == route.last_modified)

            def _drip(self, route: Route, headers: dict[str, str]) -> None:
                try:
                    self._head(route.status, headers, len(route.body))
                    for byte in route.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if server._stopping.wait(route.drip):
                            return
                except OSError:
                    pass

            def _head(self, status: int, headers: dict[str, str], length: int) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(length))
                self.end_headers()

            def _send(
                self, status: int, headers: dict[str, str], body: bytes, padding: int = 0
            ) -> None:
                try:
                    self._head(status, headers, len(body) + padding)
                    self.wfile.write(body)
                    block = b" " * 65536
                    while padding > 0 and not server._stopping.is_set():
                        self.wfile.write(block[:padding])
                        padding -= len(block)
                except OSError:
                    pass  # the client gave up (a cap or a deadline): that is the point

        return RouteHandler

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route) -> str:
        """Serve `route` at `path` (replacing what was there); returns its URL."""
        self.routes[path] = route
        return self.url(path)

    def wait_closed(self, count: int, timeout: float = 10.0) -> bool:
        """Block until the server has closed `count` connections (its side of them)."""
        with self._httpd.closing:
            return self._httpd.closing.wait_for(lambda: self._httpd.closed >= count, timeout)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


# --- the real-world fixtures ----------------------------------------------------------------------


def expected_fixtures() -> list[dict[str, str]]:
    """Rows of EXPECTED.tsv: file, entries, feed_title, first_entry_title ("…" ends a prefix)."""
    with (FIXTURES / "EXPECTED.tsv").open(encoding="utf-8") as table:
        return list(csv.DictReader(table, delimiter="\t"))


def fixture_content_type(file: str, *, with_charset: bool) -> str:
    """application/xml, with the file's true charset when asked."""
    if not with_charset:
        return "application/xml"
    return f"application/xml; charset={FIXTURE_CHARSETS.get(file, 'utf-8')}"


def serve_fixtures(server: FeedServer, *, with_charset: bool, prefix: str = "/") -> dict[str, str]:
    """Serve every file of EXPECTED.tsv at prefix + file name; returns {file: url}."""
    urls = {}
    for row in expected_fixtures():
        name = row["file"]
        route = Route(
            body=(FIXTURES / name).read_bytes(),
            headers={"Content-Type": fixture_content_type(name, with_charset=with_charset)},
        )
        urls[name] = server.add(prefix + name, route)
    return urls


# --- payloads -------------------------------------------------------------------------------------


def rss(items: list[tuple[str, str, str]], *, title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document: items are (guid, title, description)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link>",
    ]
    for guid, item_title, description in items:
        parts.append(
            f"<item><guid>{escape(guid)}</guid><title>{escape(item_title)}</title>"
            f"<link>https://example.org/{escape(guid)}</link>"
            f"<description>{escape(description)}</description>"
            "<pubDate>Tue, 18 Nov 2026 10:00:00 GMT</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def billion_laughs(levels: int = 9) -> bytes:
    """Nested entities: &lol9; would expand to 10**9 "lol"s."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol "lol">']
    for level in range(1, levels + 1):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        lines.append(f'<!ENTITY lol{level} "{("&" + previous + ";") * 10}">')
    lines.append("]>")
    top = f"&lol{levels};"
    lines.append(
        f'<rss version="2.0"><channel><title>{top}</title>'
        f"<item><title>{top}</title><description>{top}</description></item></channel></rss>"
    )
    return "\n".join(lines).encode()


def quadratic_blowup(size: int = 50_000, references: int = 20_000) -> bytes:
    """One 50 KB entity referenced 20,000 times: a 1 MB document that would expand to 1 GB."""
    entity = "A" * size
    refs = "&a;" * references
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]>'
        f'<rss version="2.0"><channel><title>q</title><item><title>x</title>'
        f"<description>{refs}</description></item></channel></rss>"
    ).encode()


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """64 MiB of zeros gzipped to ~64 KiB, compressed in 1 MiB steps (made once per process)."""
    global _BOMB
    if _BOMB is None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        zeros = bytes(MIB)
        parts = [compressor.compress(zeros) for _ in range(64)]
        parts.append(compressor.flush())
        _BOMB = b"".join(parts)
    return _BOMB


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Welcome</title></head>"
    b"<body><h1>Our new website</h1><p>The feed has moved.</p></body></html>"
)


PRIVATE_REDIRECT = Route(status=302, headers={"Location": "http://10.255.255.1/feed"})
"""A redirect to a private address; only for clients that refuse private networks."""


def hostile_routes() -> dict[str, tuple[Route, str]]:
    """Issue 3's hostile servers: path → (route, a phrase the recorded error must contain).
    Pair with a small deadline (e.g. FetchSettings(total_deadline=1.0)) for the slow drip.
    The redirect to a private address is `PRIVATE_REDIRECT`, kept apart: with private networks
    allowed (as for loopback tests) a client would really try to connect to it."""
    feed = {"Content-Type": RSS_TYPE}
    return {
        "/500": (Route(status=500), "HTTP 500"),
        "/429": (Route(status=429, headers={"Retry-After": "7200"}), "HTTP 429"),
        "/503": (
            Route(status=503, headers={"Retry-After": "Wed, 21 Oct 2037 07:28:00 GMT"}),
            "HTTP 503",
        ),
        "/drip": (
            Route(body=rss([("d", "drip", "drip " * 50)]), drip=0.2, headers=feed),
            "timed out",
        ),
        "/huge": (Route(body=b"<rss>", padding=16 * MIB, headers=feed), "larger than 15 MiB"),
        "/bomb": (
            Route(body=gzip_bomb(), headers={**feed, "Content-Encoding": "gzip"}),
            "larger than 15 MiB",
        ),
        "/loop": (Route(status=302, headers={"Location": "/loop"}), "too many redirects"),
        "/laughs": (Route(body=billion_laughs(), headers=feed), "refused: XML entity"),
        "/quadratic": (Route(body=quadratic_blowup(), headers=feed), "refused: XML entity"),
        "/malformed": (
            Route(body=b"<rss><channel><title>broken", headers=feed),
            "malformed XML",
        ),
        "/html": (
            Route(body=HTML_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}),
            "HTML page",
        ),
        "/empty": (Route(body=b"", headers=feed), "empty body"),
    }
