"""Feed parsing: the real-world fixtures (with and without a charset), encodings, and defences."""

from __future__ import annotations

import asyncio
import tracemalloc
from datetime import UTC, datetime

import pytest

from core.ingest.fetch import FeedClient, FetchSettings
from core.ingest.parse import MAX_ENTRIES, MAX_TEXT, MAX_TITLE, parse_feed, to_utf8
from core.models import ParsedFeed
from tests.fixtures_http import (
    FIXTURES,
    HTML_PAGE,
    FeedServer,
    billion_laughs,
    expected_fixtures,
    fixture_content_type,
    quadratic_blowup,
    rss,
    serve_fixtures,
)

EXPECTED = expected_fixtures()


def check_against_expected(parsed: ParsedFeed, row: dict[str, str]) -> None:
    """EXPECTED.tsv: entry count, feed title, first entry title ("…" ends a prefix, "-" none)."""

    def matches(actual: str, expected: str) -> bool:
        if expected.endswith("…"):
            return actual.startswith(expected[:-1])
        return actual == expected

    assert parsed.error is None, parsed.error
    assert len(parsed.entries) == int(row["entries"])
    assert matches(parsed.title, row["feed_title"]), parsed.title
    if row["first_entry_title"] != "-":
        assert matches(parsed.entries[0].title, row["first_entry_title"]), parsed.entries[0].title


@pytest.mark.parametrize("with_charset", [True, False], ids=["charset", "no-charset"])
@pytest.mark.parametrize("row", EXPECTED, ids=[row["file"] for row in EXPECTED])
def test_every_fixture_reads_as_expected(row: dict[str, str], with_charset: bool) -> None:
    body = (FIXTURES / row["file"]).read_bytes()
    content_type = fixture_content_type(row["file"], with_charset=with_charset)
    check_against_expected(parse_feed(body, {"Content-Type": content_type}), row)


@pytest.mark.parametrize("with_charset", [True, False], ids=["charset", "no-charset"])
def test_every_fixture_reads_as_expected_when_fetched_from_a_server(
    feed_server: FeedServer, with_charset: bool
) -> None:
    urls = serve_fixtures(feed_server, with_charset=with_charset)

    async def fetch_all() -> list[tuple[str, ParsedFeed]]:
        settings = FetchSettings(total_deadline=5.0, allow_private_networks=True)
        async with FeedClient(settings) as client:
            out = []
            for name, url in urls.items():
                result = await client.fetch(url)
                assert result.error is None, (name, result.error)
                out.append((name, parse_feed(result.body, result.headers, url=result.final_url)))
            return out

    parsed = dict(asyncio.run(fetch_all()))
    for row in EXPECTED:
        check_against_expected(parsed[row["file"]], row)


@pytest.mark.parametrize("lie", ["utf-8", "iso-8859-1", "us-ascii", "no-such-charset"])
@pytest.mark.parametrize("name", ["encoding_WINDOWS-1251.xml", "koi8r.xml"])
def test_a_server_charset_that_lies_does_not_garble_a_declared_prolog(name: str, lie: str) -> None:
    row = next(row for row in EXPECTED if row["file"] == name)
    body = (FIXTURES / name).read_bytes()
    check_against_expected(parse_feed(body, {"content-type": f"text/xml; charset={lie}"}), row)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")],
)
def test_byte_order_marks_are_obeyed(encoding: str, bom: bytes) -> None:
    text = rss([("g", "Москва и Вашингтон", "Текст")]).decode("utf-8")
    text = text.replace('encoding="utf-8"', f'encoding="{encoding[:6]}"')
    parsed = parse_feed(bom + text.encode(encoding), {})
    assert parsed.entries[0].title == "Москва и Вашингтон"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("Café €".encode(), "", "Café €"),  # valid UTF-8 wins over any label
        ("Café €".encode(), "text/xml; charset=windows-1251", "Café €"),
        ("Café".encode("latin-1"), "", "Café"),  # not UTF-8, nothing declared: windows-1252
        (b"\x93quoted\x94", "text/xml; charset=iso-8859-1", "\u201cquoted\u201d"),  # as browsers
        ("Привет".encode("cp1251"), "text/xml; charset=windows-1251", "Привет"),
    ],
)
def test_to_utf8_settles_the_encoding(body: bytes, content_type: str, expected: str) -> None:
    assert to_utf8(body, content_type).decode("utf-8") == expected


# --- defences -----------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "body", [billion_laughs(), quadratic_blowup()], ids=["billion-laughs", "quadratic-blowup"]
)
def test_entity_bombs_are_refused_without_expanding(body: bytes) -> None:
    tracemalloc.start()
    parsed = parse_feed(body, {"content-type": "application/rss+xml"})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert parsed.error is not None and parsed.error.startswith("refused: XML entity")
    assert parsed.entries == () and parsed.bozo
    assert peak < 10 * len(body) + 5_000_000, f"peak {peak / 1e6:.1f} MB"


def test_entities_hidden_behind_a_tricky_doctype_are_still_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!-- <rss> --><!DOCTYPE rss SYSTEM "x]>" ['
        b'<!ENTITY a "]>&b;&b;"><!ENTITY b "bbbbbbbb">]>'
        b'<rss version="2.0"><channel><title>&a;</title></channel></rss>'
    )
    assert (parse_feed(body, {}).error or "").startswith("refused: XML entity")


def test_character_entities_declared_in_the_doctype_are_substituted() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY copy "&#xA9;">]>'
        b'<rss version="2.0"><channel><title>A&nbsp;B &copy;</title>'
        b"<item><title>x&nbsp;y</title></item></channel></rss>"
    )
    parsed = parse_feed(body, {})
    assert parsed.error is None
    assert parsed.title == "A\u00a0B ©" and parsed.entries[0].title == "x\u00a0y"


def test_a_doctype_without_entities_is_harmless() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b'<rss version="0.91"><channel><title>Old</title><item><title>One</title></item>'
        b"</channel></rss>"
    )
    parsed = parse_feed(body, {})
    assert (parsed.error, parsed.title, len(parsed.entries)) == (None, "Old", 1)


AUTHOR = "a." * 100_000  # feedparser's e-mail regex needs minutes for this


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "element",
    [
        f"<author>{AUTHOR}</author>",
        f"<author><![CDATA[{AUTHOR}]]></author>",
        f'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">{AUTHOR}</dc:creator>',
        f"<managingEditor>{AUTHOR}</managingEditor>",
        f'<author type="x">\n  {AUTHOR}</author>',
    ],
    ids=["author", "cdata", "dc-creator", "managing-editor", "attributes"],
)
def test_long_author_fields_are_cut_before_feedparser_sees_them(element: str) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>x</title>{element}</item></channel></rss>"
    ).encode()
    parsed = parse_feed(body, {})
    assert parsed.entries[0].title == "x"
    assert parsed.entries[0].author is not None and len(parsed.entries[0].author) <= 256


@pytest.mark.timeout(30)
def test_long_atom_author_names_and_emails_are_cut() -> None:
    long = "é." * 50_000  # multi-byte: the cut must not split a character
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>t</title><entry><title>x</title><author><name>{long}</name>"
        f"<email>{long}</email></author></entry></feed>"
    ).encode()
    entry = parse_feed(body, {}).entries[0]
    assert entry.author is not None and "\ufffd" not in entry.author and len(entry.author) <= 256


def test_entries_are_capped_at_2000() -> None:
    body = rss([(f"g{i}", f"t{i}", "d") for i in range(MAX_ENTRIES + 500)])
    parsed = parse_feed(body, {})
    assert len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[-1].title == f"t{MAX_ENTRIES - 1}"


def test_titles_and_texts_are_capped() -> None:
    body = rss([("g", "T" * 5_000, "D" * (MAX_TEXT + 50_000))], title="F" * 5_000)
    parsed = parse_feed(body, {})
    assert len(parsed.title) == MAX_TITLE
    assert len(parsed.entries[0].title) == MAX_TITLE
    assert len(parsed.entries[0].summary_html) == MAX_TEXT


# --- not a feed, or a broken one ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "phrase"),
    [
        (b"", "application/rss+xml", "empty body"),
        (b" \r\n\t", "application/rss+xml", "empty body"),
        (b"<rss><channel><title>broken", "application/rss+xml", "malformed XML"),
        (bytes(range(256)) * 4, "application/octet-stream", "malformed XML"),
        (HTML_PAGE, "text/html; charset=utf-8", "HTML page"),
        (HTML_PAGE, "application/rss+xml", "HTML page"),
        (b"<?xml version='1.0'?><config><key>1</key></config>", "text/xml", "no RSS, Atom or RDF"),
    ],
    ids=["empty", "blank", "malformed", "binary", "html", "html-mislabelled", "other-xml"],
)
def test_what_is_not_a_feed_is_a_clear_error_not_an_exception(
    body: bytes, content_type: str, phrase: str
) -> None:
    parsed = parse_feed(body, {"Content-Type": content_type})
    assert parsed.entries == ()
    assert parsed.error is not None and parsed.error.startswith(("not a feed", "empty body"))
    assert phrase in parsed.error


def test_a_bozo_feed_that_yielded_entries_keeps_them() -> None:
    body = rss([("g1", "First", "ok"), ("g2", "Second", "ok")]).replace(
        b"<description>ok</description>", b"<description>AT&T ok</description>", 1
    )
    parsed = parse_feed(body, {})
    assert parsed.bozo and parsed.error is None
    assert [entry.title for entry in parsed.entries] == ["First", "Second"]


# --- fields -------------------------------------------------------------------------------------


def feed_with(item: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"{channel}<item><title>x</title>{item}</item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "<pubDate>Tue, 18 Nov 2026 13:00:00 +0300</pubDate>",
            datetime(2026, 11, 18, 10, tzinfo=UTC),
        ),
        ("<pubDate>2026-11-18T10:00:00Z</pubDate>", datetime(2026, 11, 18, 10, tzinfo=UTC)),
        ("<pubDate>someday</pubDate>", None),
        ("", None),
    ],
)
def test_published_is_an_aware_utc_datetime_or_none(item: str, expected: datetime | None) -> None:
    assert parse_feed(feed_with(item), {}).entries[0].published == expected


def test_atom_updated_stands_in_for_published() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>'
        b"<updated>2026-11-18T10:00:00+01:00</updated></entry></feed>"
    )
    assert parse_feed(body, {}).entries[0].published == datetime(2026, 11, 18, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ttl", "expected"), [("45", 45), (" 60 ", 60), ("soon", None), ("0", None)]
)
def test_rss_ttl_is_read_in_minutes(ttl: str, expected: int | None) -> None:
    assert parse_feed(feed_with("", f"<ttl>{ttl}</ttl>"), {}).ttl_minutes == expected


def test_entry_fields_come_through_and_relative_links_resolve_against_the_feed_url() -> None:
    item = (
        "<guid isPermaLink='false'>id-1</guid><link>/news/1</link>"
        "<description>&lt;p&gt;Summary&lt;/p&gt;</description>"
        '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<![CDATA[<p>Full <b>text</b></p>]]></content:encoded>"
        "<author>desk@example.org (Desk)</author>"
    )
    entry = parse_feed(feed_with(item), {}, url="https://example.org/feeds/all.xml").entries[0]
    assert entry.guid == "id-1"
    assert entry.link == "https://example.org/news/1"
    assert entry.summary_html == "<p>Summary</p>"
    assert entry.content_html == "<p>Full <b>text</b></p>"
    assert entry.author is not None and "Desk" in entry.author


@pytest.mark.parametrize(
    ("ttl", "minutes"),
    [("60", 60), (" 0060 ", 60), ("²", None), ("٣", None), ("9" * 5000, None), ("0", None),
     ("10081", None), ("-5", None)],
)  # fmt: skip
def test_a_ttl_that_is_not_a_small_ascii_number_is_ignored(ttl: str, minutes: int | None) -> None:
    """Issue 13: "²" is a digit to str.isdigit but not to int; int refuses 5,000 digits."""
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<ttl>{ttl}</ttl><item><title>x</title></item></channel></rss>"
    ).encode()
    parsed = parse_feed(body, {})
    assert parsed.ttl_minutes == minutes and len(parsed.entries) == 1
