"""Cleaning: HTML to plain text, canonical URLs, stable uids, entries to articles, full text."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.ingest.clean import (
    MAX_AHEAD,
    PUBLISHED_FLOOR,
    article_uid,
    canonical_url,
    clean_entry,
    extract_main_text,
    html_to_text,
)
from core.ingest.parse import MAX_TEXT, MAX_TITLE
from core.models import Article, ParsedEntry


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Plain text stays as it is.", "Plain text stays as it is."),
        ("Line one\nLine two", "Line one\nLine two"),
        ("a < b and c > d", "a < b and c > d"),
        ("Tom &amp; Jerry &eacute;t&eacute; &#8212; &#x41;", "Tom & Jerry été — A"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>Source\n   line  breaks collapse</p>", "Source line breaks collapse"),
        ("First<br>second<br/>third", "First\nsecond\nthird"),
        ("<ul><li>a</li><li>b</li></ul>after", "a\nb\n\nafter"),
        ("<h2>Head</h2>Body", "Head\n\nBody"),
        ("<div>a<div>b</div>c</div>", "a\n\nb\n\nc"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<script>alert(1)</script><style>p{color:red}</style>Hi", "Hi"),
        ("<img src=x onerror=alert(1)>caption", "caption"),
        ("<b>bold</b> and <i>italic</i>", "bold and italic"),
        ("<!-- a comment -->text", "text"),
        ("<p>unclosed <b>tags", "unclosed tags"),
        ("<html><head><title>T</title></head><body><p>Page</p></body></html>", "Page"),
        ("x<br><br><br><br>y", "x\n\ny"),
        ("Zero\u200bwidth and\u00a0nbsp", "Zerowidth and nbsp"),
        ("nul\x00byte", "nulbyte"),
        ("", ""),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp", "Cf"), blacklist_characters="<>&"
    ),
    min_size=1,
    max_size=12,
)


@given(st.lists(words, min_size=1, max_size=12).map(" ".join))
def test_plain_text_comes_back_unchanged_and_escaped_text_comes_back_unescaped(text: str) -> None:
    assert html_to_text(text) == text
    assert html_to_text(html.escape(text)) == text
    assert html_to_text(f"<p>{html.escape(text)}</p>") == text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM/a/b", "http://example.com/a/b"),
        ("https://example.com", "https://example.com/"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/x#section-2", "https://example.com/x"),
        ("https://example.com/x?utm_source=rss&utm_medium=feed", "https://example.com/x"),
        ("https://example.com/x?id=7&UTM_Campaign=a&page=2", "https://example.com/x?id=7&page=2"),
        ("https://example.com/x?fbclid=1&gclid=2&mc_cid=3&mc_eid=4", "https://example.com/x"),
        ("https://example.com/x?yclid=1&_ga=2&msclkid=3&b=1&a=2", "https://example.com/x?b=1&a=2"),
        ("https://example.com/x?q=a%20b&flag&e=", "https://example.com/x?q=a%20b&flag&e="),
        ("https://example.com/Case/Path", "https://example.com/Case/Path"),
        ("https://user:secret@Example.com./p", "https://example.com/p"),
        ("http://[2001:DB8::1]:80/p", "http://[2001:db8::1]/p"),
        ("  https://example.com/padded  ", "https://example.com/padded"),
        ("ftp://example.com/file", ""),
        ("javascript:alert(1)", ""),
        ("/relative/path", ""),
        ("https://exa mple.com/", ""),
        ("http://[::1/", ""),
        ("", ""),
        ("https://example.com/" + "a" * 2100, ""),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@given(
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["example.com", "News.Example.org", "[::1]"]),
    st.lists(st.sampled_from(["a", "b", "utm_x", "fbclid", "id"]), max_size=4),
    st.text(alphabet="abc/%-_.", max_size=20),
)
def test_canonical_url_is_idempotent(scheme: str, host: str, keys: list[str], path: str) -> None:
    url = f"{scheme}://{host}/{path}?" + "&".join(f"{key}=1" for key in keys) + "#f"
    once = canonical_url(url)
    assert canonical_url(once) == once


# --- identity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "feed_url", "uid"),
    [
        (
            (None, "https://example.com/a", "", ""),
            "",
            "url:2dce0a4c50441bfccfa9caf4b58c3cba6e06c420",
        ),
        (
            ("g", "https://example.com/a", "T", "x"),
            "f",
            "url:2dce0a4c50441bfccfa9caf4b58c3cba6e06c420",
        ),
        (
            ("42", "", "T", "x"),
            "https://a.example/feed",
            "guid:e8aa0110c10dbc525f57f33044d4de2bf8611699",
        ),
        ((None, "", "Title", "Text"), "", "text:a9927c41a1b8b415960cbc0510a9a997649e32c5"),
    ],
)
def test_uid_values_are_pinned_so_they_never_change_silently(
    arguments: tuple[str | None, str, str, str], feed_url: str, uid: str
) -> None:
    """Stored articles are keyed by these values: a change would duplicate every article."""
    assert article_uid(*arguments, feed_url=feed_url) == uid


def test_the_same_canonical_url_in_two_feeds_is_one_article() -> None:
    one = article_uid("feed-a-123", "https://example.com/story", "Title A", "x", feed_url="a")
    two = article_uid("urn:b:9", "https://example.com/story", "Title B", "y", feed_url="b")
    assert one == two and one.startswith("url:")


def test_without_a_link_the_guid_counts_and_is_scoped_to_its_feed() -> None:
    one = article_uid("42", "", "T", "x", feed_url="https://a.example/feed")
    assert one.startswith("guid:")
    assert one == article_uid(
        "42", "", "Other title", "other text", feed_url="https://a.example/feed"
    )
    assert one != article_uid("42", "", "T", "x", feed_url="https://b.example/feed")


def test_a_homepage_link_is_not_an_article_link() -> None:
    uid = article_uid("item-7", "https://example.com/", "T", "x", feed_url="f")
    assert uid.startswith("guid:")
    assert article_uid(None, "https://example.com/", "T", "x").startswith("text:")
    assert article_uid(None, "https://example.com/?p=7", "T", "x").startswith("url:")


def test_with_neither_link_nor_guid_title_and_text_decide() -> None:
    uid = article_uid(None, "", "Title", "Text")
    assert uid.startswith("text:") and uid == article_uid("  ", "", "Title", "Text")
    assert uid != article_uid(None, "", "Title", "Other text")
    assert len(uid) == len("text:") + 40


# --- entries → articles -------------------------------------------------------------------------

FETCHED = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def entry(**fields: object) -> ParsedEntry:
    values: dict[str, object] = {
        "guid": "g1",
        "link": "https://example.com/story?utm_source=rss#top",
        "title": "Lavrov &amp; <b>Rubio</b> meet",
        "summary_html": "<p>Talks in <i>Riyadh</i>.</p>",
        "content_html": "",
        "author": None,
        "published": datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
    }
    values.update(fields)
    return ParsedEntry(**values)  # type: ignore[arg-type]


def clean(item: ParsedEntry, feed_url: str = "https://example.com/feed.xml") -> Article:
    article = clean_entry(item, feed_url=feed_url, outlet="Outlet", bloc="us", fetched=FETCHED)
    assert article is not None
    return article


def test_an_entry_becomes_a_plain_text_article() -> None:
    article = clean_entry(
        entry(), feed_url="https://example.com/feed.xml", outlet="O", bloc="us", fetched=FETCHED
    )
    assert article is not None
    assert article.title == "Lavrov & Rubio meet"
    assert article.summary == "Talks in Riyadh."
    assert article.content == ""
    assert article.url == "https://example.com/story"
    assert article.uid == article_uid("g1", "https://example.com/story", "", "")
    assert (article.outlet, article.bloc, article.guid) == ("O", "us", "g1")
    assert article.published == datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert not article.published_estimated and article.fetched == FETCHED


@pytest.mark.parametrize(
    "published", [None, FETCHED + timedelta(days=3)], ids=["missing", "far-future"]
)
def test_a_missing_or_future_date_becomes_the_fetch_time_and_is_flagged(
    published: datetime | None,
) -> None:
    article = clean(entry(published=published))
    assert article.published == FETCHED
    assert article.published_estimated is True


@pytest.mark.parametrize(
    ("published", "estimated"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), True),
        (datetime(1000, 1, 1, tzinfo=UTC), True),
        (datetime(1600, 3, 1, tzinfo=UTC), True),
        (datetime(1970, 1, 1, tzinfo=UTC), True),
        (PUBLISHED_FLOOR - timedelta(seconds=1), True),
        (PUBLISHED_FLOOR, False),
        (FETCHED - timedelta(days=3650), False),
        (FETCHED + MAX_AHEAD, False),
        (FETCHED + MAX_AHEAD + timedelta(seconds=1), True),
        (datetime(9999, 12, 31, tzinfo=UTC), True),
    ],
)
def test_a_date_before_the_floor_or_over_a_day_ahead_is_replaced_and_flagged(
    published: datetime, estimated: bool
) -> None:
    """Issue 13, item 2: dates that lie become the time first seen, flagged as estimated."""
    article = clean(entry(published=published))
    assert article.published_estimated is estimated
    assert article.published == (FETCHED if estimated else published)


def test_an_entry_without_title_or_text_is_dropped() -> None:
    empty = entry(title="  ", summary_html="<p> </p>", content_html="<br>")
    assert clean_entry(empty, feed_url="f", outlet="O", bloc="us", fetched=FETCHED) is None


def test_relative_links_resolve_against_the_feed_and_content_equal_to_summary_is_not_kept() -> None:
    article = clean(entry(link="/news/1", content_html="<p>Talks in <i>Riyadh</i>.</p>"))
    assert article.url == "https://example.com/news/1"
    assert article.content == ""


def test_title_and_text_are_capped() -> None:
    article = clean(entry(title="T " * MAX_TITLE, content_html="<p>" + "x" * (MAX_TEXT + 10)))
    assert len(article.title) == MAX_TITLE
    assert len(article.content) == MAX_TEXT


def test_the_same_story_from_two_feeds_has_one_uid() -> None:
    one = clean(entry(guid="a-1"), feed_url="https://a.example/rss")
    two = clean(
        entry(guid="b-9", link="https://EXAMPLE.com/story?fbclid=x"), feed_url="https://b.example/"
    )
    assert one.uid == two.uid


# --- full text ----------------------------------------------------------------------------------

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Envoys meet in Geneva | The Daily Example</title>
<script>window.tracking = "should never appear";</script></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a>
<a href="/subscribe">Subscribe now</a></nav></header>
<main><article>
<h1>Envoys meet in Geneva to discuss strategic stability</h1>
<p class="byline">By A. Reporter</p>
<p>Russian and American envoys met in Geneva on Tuesday for the first round of talks on strategic
stability in more than two years, officials from both delegations said.</p>
<p>The talks focused on the future of the New START treaty, which limits deployed strategic
warheads, and on a possible framework for notifications of missile tests.</p>
<p>A State Department spokesperson described the meeting as businesslike and said the two sides
agreed to meet again next month, while the Russian Foreign Ministry called it a useful exchange.</p>
</article></main>
<aside><h3>Most read</h3>
<ul><li>Celebrity chef opens restaurant</li><li>Weather warning</li></ul></aside>
<footer><p>Copyright 2026 The Daily Example. All rights reserved.</p></footer>
</body></html>"""


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_extract_main_text_keeps_the_article_and_drops_the_boilerplate(as_bytes: bool) -> None:
    page = ARTICLE_PAGE.encode("utf-8") if as_bytes else ARTICLE_PAGE
    text = extract_main_text(page, "https://news.example/world/geneva-talks")
    assert "Russian and American envoys met in Geneva" in text
    assert "New START treaty" in text
    assert "agreed to meet again next month" in text
    for boilerplate in ("Subscribe now", "Celebrity chef", "All rights reserved", "tracking"):
        assert boilerplate not in text


@pytest.mark.parametrize("page", ["", "<html></html>", "not html at all", "<p>tiny</p>"])
def test_extract_main_text_without_an_article_is_empty_not_an_error(page: str) -> None:
    assert isinstance(extract_main_text(page), str)
    assert extract_main_text("") == ""


@pytest.mark.parametrize(
    "link",
    [
        "http://[::1",
        "//[fe80::1/x",
        "http://example.org:99999/a",
        "http://example.org:65536/a",
        "http://example.org:0/a",
        "http://example.org:" + "9" * 40 + "/a",
        "http://example.org:-1/a",
    ],
)
@pytest.mark.parametrize("feed_url", ["https://example.com/feed.xml", "http://[::1"])
def test_an_item_with_an_unusable_link_is_kept_without_a_link(link: str, feed_url: str) -> None:
    """Issue 13: urljoin raises ValueError on an unclosed IPv6 literal, and a port outside
    1-65535 is no address: the item stays, its link does not (its uid then comes from the GUID)."""
    article = clean(entry(link=link), feed_url=feed_url)
    assert article.url == ""
    assert article.uid.startswith("guid:")
    assert canonical_url(link) == ""
