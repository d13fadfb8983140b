"""config/feeds.toml: malformed files are refused with the file and line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError
from core.ingest.feed_list import load_feeds, validate_feed
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
