"""Shared pieces of the alert tests: constructed daily data for watches, coverage gaps written
as the poller would have recorded them, and real loopback services that receive deliveries — an
SMTP server (aiosmtpd) whose answer a test can turn into a refusal, and an HTTP server taking
webhooks that can answer 500 or hang past the client's timeout."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from core.models import FeedConfig
from core.storage import Store, feed_attempts
from core.storage.story_store import Assigned
from tests.fixtures_db import analysed

TODAY = date(2026, 10, 20)
NOW = datetime.combine(TODAY, time(18), UTC)
NORMAL = [8, 10, 9, 11, 7, 10, 12, 9, 8, 10, 11, 9, 10, 8]
"""Articles per day over the 14 days before TODAY (oldest first): ordinary variation."""
HOSTILE = (
    '<script>alert("x")</script> <a href="http://evil.example/">click</a> '
    '[read this](http://evil.example/md) <http://evil.example|Slack> =HYPERLINK("http://e")'
)


def fill_days(
    store: Store,
    per_day: dict[date, int],
    *,
    outlet: str = "Wire A",
    bloc: str = "wire",
    tone: float = 0.1,
    title: str | None = None,
    prefix: str = "a",
) -> None:
    items = [
        analysed(
            f"{prefix}-{day.isoformat()}-{n}",
            outlet=outlet,
            bloc=bloc,
            day=day,
            hour=1 + n % 20,
            tone=tone,
            title=title,
            feed_url=f"https://{outlet.lower().replace(' ', '')}.example/feed",
        )
        for day, count in per_day.items()
        for n in range(count)
    ]
    store.save_articles(items)


def make_story(
    store: Store, title: str, members: list[tuple[str, str]], day: date = TODAY, copies: int = 0
) -> int:
    """A stored story of one article per (outlet, bloc), published on `day`, the last `copies`
    of them syndicated copies of the first; returns the story's id (its first article's)."""
    store.save_articles(
        [
            analysed(f"{title}-{n}", outlet=outlet, bloc=bloc, day=day, hour=2 + n, title=title)
            for n, (outlet, bloc) in enumerate(members)
        ]
    )
    ids = [a.id for chunk in store.iter_articles_in_order() for a in chunk if a.title == title]
    first = ids[0]
    store.save_stories(
        [
            Assigned(i, first, first if n >= len(ids) - copies and n > 0 else None)
            for n, i in enumerate(ids)
        ]
    )
    return first


def baseline(counts: list[int] = NORMAL, today: date = TODAY) -> dict[date, int]:
    return {today - timedelta(days=len(counts) - i): c for i, c in enumerate(counts)}


def record_outage(store: Store, outlet: str, bloc: str, day: date) -> None:
    """A feed of `outlet` that failed every hour of `day` and recovered the next morning."""
    url = f"https://{outlet.lower().replace(' ', '')}.example/feed"
    store.sync_feeds([FeedConfig(url, outlet, bloc)])
    feed_id = next(row.id for row in store.list_feeds() if row.url == url)
    rows: list[dict[str, Any]] = [
        {"feed_id": feed_id, "at": datetime.combine(day, time(hour), UTC), "status": None,
         "error": "ConnectError: connection refused", "new": 0, "updated": 0}
        for hour in range(24)
    ]  # fmt: skip
    rows.append(
        {"feed_id": feed_id, "at": datetime.combine(day + timedelta(days=1), time(0, 30), UTC),
         "status": 200, "error": None, "new": 0, "updated": 0}
    )  # fmt: skip
    with store._write() as conn:
        conn.execute(sa.insert(feed_attempts), rows)


# --- loopback services -------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """What the loopback SMTP server received; set `refuse` to answer 550 to every DATA."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False
    refused: int = 0
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refused += 1
            return "550 Mailbox unavailable (refused by the test)"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def url(self) -> str:
        return (
            f"mailto://desk@127.0.0.1:{self.port}?from=desk@detente.example"
            "&to=analyst@detente.example&mode=insecure"
        )

    def bodies(self, index: int = -1) -> tuple[str, str]:
        """(plain text, HTML) of a received message."""
        message = self.messages[index]
        plain = message.get_body(("plain",))
        rich = message.get_body(("html",))
        return (
            plain.get_content() if plain is not None else "",
            rich.get_content() if rich is not None else "",
        )


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        sink.port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, auth_require_tls=False)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class WebhookSink:
    """What the loopback webhook received (bodies of POSTs); `status` is what it answers,
    `hang` makes it wait (on an event, not a sleep) until the test ends."""

    bodies: list[bytes] = field(default_factory=list)
    status: int = 200
    hang: bool = False
    requests: int = 0
    port: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, scheme: str = "json", timeout: float = 2.0) -> str:
        return f"{scheme}://127.0.0.1:{self.port}/hook?rto={timeout}&cto={timeout}"


@pytest.fixture
def webhook() -> Iterator[WebhookSink]:
    sink = WebhookSink()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            sink.requests += 1
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if sink.hang:
                sink.release.wait(10)
                return
            if sink.status == 200:
                sink.bodies.append(body)
            self.send_response(sink.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sink.port = server.server_address[1]
    thread = threading.Thread(  # a 50 ms poll: shutdown() waits out one
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield sink
    finally:
        sink.release.set()
        server.shutdown()
        server.server_close()
