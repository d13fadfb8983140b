"""config/feeds.toml: malformed files are refused with the file and line named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import ConfigError
from core.ingest.feed_list import (
    load_feeds,
    mask_credentials,
    normalise_feed_url,
    url_problems,
    validate_feed,
)
from core.models import FeedConfig

GOOD = """\
# comment
[[feed]]
url = "https://example.org/rss"
outlet = "Example"
bloc = "us"
country = "US"
language = "en"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path: Path) -> None:
    feeds = load_feeds(write(tmp_path, GOOD))
    assert feeds == [FeedConfig("https://example.org/rss", "Example", "us", "US", "en")]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (GOOD.replace('outlet = "Example"', 'outlet = "Example'), ":4:", "Illegal character"),
        (GOOD.replace('bloc = "us"', 'bloc = "martian"'), ":2:", "bloc 'martian'"),
        (GOOD.replace('url = "https://example.org/rss"', 'url = "ftp://x/"'), ":2:", "http(s)"),
        (GOOD.replace('outlet = "Example"\n', ""), ":2:", "missing outlet"),
        (GOOD + 'colour = "red"\n', ":2:", "unknown key(s) colour"),
        (GOOD.replace('language = "en"', "language = 7"), ":2:", "wrong type for language"),
        (GOOD + "\n" + GOOD.replace("# comment\n", ""), ":9:", "already listed at line 2"),
        (GOOD.replace('language = "en"', 'language = "english"'), ":2:", "ISO 639"),
    ],
    ids=["syntax", "bloc", "scheme", "missing", "unknown-key", "type", "duplicate", "language"],
)
def test_a_malformed_file_names_file_and_line(
    tmp_path: Path, text: str, where: str, what: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert message.startswith(f"{path}{where}"), message
    assert what in message


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_feeds(tmp_path / "nope.toml")


def test_the_shipped_feed_list_is_valid() -> None:
    feeds = load_feeds()
    assert len(feeds) >= 20
    assert all(validate_feed(feed) == [] for feed in feeds)


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("https://example.org:99999/rss", "port '99999' is not a number from 1 to 65535"),
        ("https://example.org:0/rss", "port '0' is not a number from 1 to 65535"),
        ("https://user:pass@example.org/rss", "url carries credentials"),
        ("https://example.org/a b", "contains whitespace or a control character"),
        ("http://[::1/rss", "cannot be read as a URL"),
    ],
    ids=["port-high", "port-zero", "credentials", "whitespace", "ipv6"],
)
def test_hostile_urls_are_refused_with_file_line_and_entry(
    tmp_path: Path, url: str, what: str
) -> None:
    path = write(tmp_path, GOOD + "\n" + GOOD.replace("https://example.org/rss", url)[10:])
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:9: feed "), message
    assert what in message and "pass@" not in message


@pytest.mark.parametrize(
    ("outlet", "what"),
    [
        ('"Fake\\nline"', "contains a newline or control character"),
        ('"Tab\\there"', "contains a newline or control character"),
        (f'"{"N" * 101}"', "outlet is longer than 100 characters"),
    ],
    ids=["newline", "tab", "long"],
)
def test_outlet_names_are_bounded_and_printable(tmp_path: Path, outlet: str, what: str) -> None:
    path = write(tmp_path, GOOD.replace('"Example"', outlet))
    with pytest.raises(ConfigError, match=what) as caught:
        load_feeds(path)
    assert str(caught.value).startswith(f"{path}:2: feed 'https://example.org/rss': ")


def test_urls_are_normalised_and_duplicates_found_after_normalising(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("https://example.org/rss", "HTTPS://Example.ORG/rss#top"))
    assert [feed.url for feed in load_feeds(path)] == ["https://example.org/rss"]
    twice = GOOD + "\n" + GOOD.replace("# comment\n", "").replace("https://", "HTTPS://")
    with pytest.raises(ConfigError, match="already listed at line 2"):
        load_feeds(write(tmp_path, twice))


def test_the_shipped_urls_are_already_normalised() -> None:
    assert all(normalise_feed_url(feed.url) == feed.url for feed in load_feeds())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("  HTTP://WWW.Example.COM/Feed?A=1#frag ", "http://www.example.com/Feed?A=1"),
        ("https://[2001:DB8::1]:8443/rss", "https://[2001:db8::1]:8443/rss"),
        ("https://User:Pw@Example.org/", "https://User:Pw@example.org/"),  # refused later
        ("http://[::1", "http://[::1"),
        ("https://example.org/a\tb", "https://example.org/a\tb"),  # not silently cleaned
    ],
)
def test_normalise_feed_url(url: str, expected: str) -> None:
    assert normalise_feed_url(url) == expected


def test_mask_credentials() -> None:
    text = "GET https://u:secret@a.org/x failed; see http://tok@b.org and https://c.org/@me"
    assert mask_credentials(text) == (
        "GET https://***@a.org/x failed; see http://***@b.org and https://c.org/@me"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_url_rules_never_raise(tail: str, outlet: str) -> None:
    for url in (tail, "http://" + tail, "https://example.org:" + tail, "http://[" + tail):
        normalised = normalise_feed_url(url)
        assert normalise_feed_url(normalised) == normalised
        problems = validate_feed(FeedConfig(normalised, outlet, "us"))
        assert all(isinstance(problem, str) for problem in problems)
        if not url_problems(normalised):
            assert normalised.startswith(("http://", "https://"))
