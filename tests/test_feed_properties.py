"""Issue 13, item 1, property: whatever a feed document holds — arbitrary links, dates, fields,
RSS or Atom — reading it never raises, and refreshing it never raises past the feed boundary
(core/ingest/poller.py `refresh_feed`): the feed ends up stored or recorded as failed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ingest.fetch import FeedClient
from core.ingest.poller import PollSettings, Writes, refresh_feed
from core.ingest.read import Source, read_articles
from core.models import FeedConfig, FetchResult
from core.storage import Store

FEED_URL = "https://feeds.example/world.xml"
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)

HOSTILE_LINKS = [
    "http://[::1",
    "http://[::1]:99999/a",
    "http://example.org:65536/a",
    "http://example.org:0/a",
    "http://example.org:-1/a",
    "http://example.org:" + "9" * 60 + "/a",
    "http://example.org:٣/a",
    "//[fe80::1/x",
    "https://[v1.fe80::a+en1]/",
    "http://user:pa ss@host/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://" + "a" * 3000 + ".org/",
    "http://\u0000host/",
    "http://exa mple.org/",
    "http:///path",
    "http://%5B::1%5D/",
    "\ud800",
    "",
    " ",
]
HOSTILE_DATES = [
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Sat, 01 Jan 1000 00:00:00 GMT",
    "0000-00-00T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "10000-01-01T00:00:00Z",
    "Tue, 31 Feb 2026 25:61:61 +9999",
    "1600-03-01",
    "2026-11-30T12:00:00" + "9" * 40,
    "99999999999999999999",
    "-1",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "",
]
host = st.sampled_from(["example.org", "127.0.0.1", "[::1]", "[2001:db8::1]", "xn--80ak6aa92e.com"])
port = st.one_of(
    st.integers(-10, 70_000).map(str), st.integers(10**5, 10**40).map(str), st.text(max_size=4)
)
built_link = st.builds(
    lambda scheme, h, p, path: f"{scheme}://{h}:{p}/{path}",
    st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
    host,
    port,
    st.text(max_size=10),
)
link = st.one_of(st.sampled_from(HOSTILE_LINKS), built_link, st.text(max_size=40))
date = st.one_of(
    st.sampled_from(HOSTILE_DATES),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.text(max_size=30),
)
text = st.one_of(st.text(max_size=80), st.sampled_from(["<b>bold</b>", "&amp;", "]]>", "&#0;"]))
number = st.one_of(
    st.integers().map(str),
    st.sampled_from(["²", "٣", "9" * 5000, "0" * 20 + "60", "-5", "1e9", " 60 ", "NaN"]),
    st.text(alphabet="0123456789²³¹٠١٢٣", max_size=8),
)


def field(value: str, raw: bool) -> str:
    """The value escaped as XML text, or (sometimes) dropped in as it is: malformed XML too."""
    return value if raw else escape(value)


@st.composite
def feed_document(draw: st.DrawFn) -> bytes:
    raw = draw(st.booleans())
    atom = draw(st.booleans())
    items = draw(st.lists(st.tuples(text, text, text, link, date, text), min_size=0, max_size=4))
    if atom:
        entries = "".join(
            f"<entry><id>{field(guid, raw)}</id><title>{field(title, raw)}</title>"
            f"<link href={quoteattr(href)}/><updated>{field(when, raw)}</updated>"
            f'<content type="html">{field(body, raw)}</content></entry>'
            for guid, title, body, href, when, _ in items
        )
        document = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{field(draw(text), raw)}</title>{entries}</feed>"
        )
    else:
        entries = "".join(
            f"<item><guid>{field(guid, raw)}</guid><title>{field(title, raw)}</title>"
            f"<link>{field(href, raw)}</link><pubDate>{field(when, raw)}</pubDate>"
            f"<description>{field(body, raw)}</description><author>{field(a, raw)}</author></item>"
            for guid, title, body, href, when, a in items
        )
        document = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{field(draw(text), raw)}</title><ttl>{field(draw(number), raw)}</ttl>"
            f"{entries}</channel></rss>"
        )
    return document.encode("utf-8", "surrogatepass")


CONTENT_TYPES = st.sampled_from(
    ["application/rss+xml; charset=utf-8", "text/xml; charset=koi8-r", "text/html", "", "x/y"]
)


@settings(max_examples=300, deadline=None)
@given(body=feed_document(), content_type=CONTENT_TYPES, final_url=link)
def test_reading_any_feed_document_never_raises(
    body: bytes, content_type: str, final_url: str
) -> None:
    source = Source(FEED_URL, "Outlet", "wire")
    articles, _, problem = read_articles(
        source, body, {"content-type": content_type}, final_url, NOW
    )
    for article in articles:
        assert article.url == "" or article.url.startswith(("http://", "https://"))
        assert article.published <= NOW.replace(year=NOW.year + 1)
    assert problem is None or isinstance(problem, str)


class OneDocumentClient:
    """Stands in for FeedClient: every fetch answers 200 with the document under test."""

    def __init__(self) -> None:
        self.body = b""
        self.content_type = ""

    async def fetch(self, url: str, **_: Any) -> FetchResult:
        headers = {"content-type": self.content_type}
        return FetchResult(url, url, 200, headers=headers, body=self.body)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("properties") / "detente.db"
    with Store.open(f"sqlite:///{path}") as opened:
        opened.sync_feeds([FeedConfig(FEED_URL, "Outlet", "wire")])
        yield opened


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=feed_document(), content_type=CONTENT_TYPES, feed_url=link)
def test_refreshing_any_feed_never_raises_past_the_feed_boundary(
    store: Store, body: bytes, content_type: str, feed_url: str
) -> None:
    client = OneDocumentClient()
    client.body, client.content_type = body, content_type
    [row] = [r for r in store.list_feeds() if r.url == FEED_URL]
    row = type(row)(**{**{f: getattr(row, f) for f in row.__dataclass_fields__}, "url": feed_url})

    async def refresh() -> str:
        writes = Writes(store)
        try:
            report = await refresh_feed(row, cast(FeedClient, client), writes, PollSettings())
        finally:
            await writes.close()
        return report.outcome

    outcome = asyncio.run(refresh())
    assert outcome in ("new", "updated", "unchanged", "failed")
    stored = store.get_feed(FEED_URL)
    assert stored is not None and stored.last_attempt_at is not None
