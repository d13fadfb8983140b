"""The feed list an analyst edits (config/feeds.toml), validated; errors name the file and line.

The same rules (validate_feed) guard `detente feeds add`, this file and the dashboard's Sources
form; normalise_feed_url gives a feed its identity wherever a feed URL enters (scheme and host
lower-cased, fragment dropped), so `HTTPS://Example.org/rss#top` and `https://example.org/rss`
are one feed. Nothing here raises on a hostile URL: problems come back as sentences.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from core.config import CONFIG_DIR, ConfigError, load_toml, table_lines
from core.models import BLOCS, FeedConfig

DEFAULT_FEEDS_PATH = CONFIG_DIR / "feeds.toml"
REQUIRED_KEYS = ("url", "outlet", "bloc")
KNOWN_KEYS = frozenset({"url", "outlet", "bloc", "country", "language", "enabled"})
MAX_URL_LENGTH = 2048
MAX_OUTLET_LENGTH = 100
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@]*@")


def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:  # e.g. 'http://[::1' (Invalid IPv6 URL)
        return None


def normalise_feed_url(url: str) -> str:
    """A feed's identity: trimmed, scheme and host lower-cased, fragment dropped; an unparsable
    URL, or one with whitespace or control characters inside, comes back only trimmed, for
    validate_feed to refuse."""
    text = url.strip()
    # urlsplit silently deletes tabs and newlines: leave such a URL whole for validate_feed.
    parts = _split(text) if _invisible_at(text) is None else None
    if parts is None:
        return text
    userinfo, at, host_port = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{host_port.lower()}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def mask_credentials(text: str) -> str:
    """`https://user:secret@host/…` → `https://***@host/…` anywhere in text (an older database
    may hold such URLs; they are never printed in clear)."""
    return _CREDENTIALS.sub(r"\1***@", text)


def _invisible_at(text: str) -> int | None:
    """Position of the first whitespace or control character (newline, tab, bidi mark …)."""
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char) in _INVISIBLE:
            return index
    return None


def _host_and_port(netloc: str) -> tuple[str, str | None]:
    """Host and port text of a netloc, read without raising (urlsplit's .port raises on
    99999 or 'x'); port None when absent."""
    host_port = netloc.rpartition("@")[2]
    if host_port.startswith("["):
        host, _, rest = host_port.partition("]")
        return host + "]", rest[1:] if rest.startswith(":") else None
    host, colon, port = host_port.partition(":")
    return host, port if colon else None


def url_problems(url: str) -> list[str]:
    """What is wrong with a feed URL, as sentences; empty when it may be polled."""
    if len(url) > MAX_URL_LENGTH:
        return [f"url is longer than {MAX_URL_LENGTH} characters"]
    shown = mask_credentials(repr(url))
    position = _invisible_at(url)
    if position is not None:
        return [
            f"url {shown} contains whitespace or a control character at position {position + 1}"
        ]
    parts = _split(url)
    if parts is None:
        return [f"url {shown} cannot be read as a URL (malformed host)"]
    problems: list[str] = []
    host, port = _host_and_port(parts.netloc)
    if parts.scheme not in ("http", "https") or not host.strip("[]"):
        problems.append(f"url {shown} is not an absolute http(s) URL")
    if "@" in parts.netloc:
        problems.append(
            "url carries credentials (user:password@): they would be stored and shown in "
            "clear; give the feed's URL without them"
        )
    if port and (not re.fullmatch(r"[0-9]{1,5}", port) or not 1 <= int(port) <= 65535):
        problems.append(f"port {port!r} is not a number from 1 to 65535")
    return problems


def validate_feed(feed: FeedConfig) -> list[str]:
    """Everything wrong with one feed definition, as sentences a user can act on."""
    problems = url_problems(feed.url)
    if not feed.outlet.strip():
        problems.append("outlet is empty")
    elif len(feed.outlet) > MAX_OUTLET_LENGTH:
        problems.append(f"outlet is longer than {MAX_OUTLET_LENGTH} characters")
    elif _invisible_at(feed.outlet.replace(" ", "")) is not None:
        problems.append(f"outlet {feed.outlet!r} contains a newline or control character")
    if feed.bloc not in BLOCS:
        problems.append(f"bloc {feed.bloc!r} is not one of {', '.join(BLOCS)}")
    if feed.language and not (2 <= len(feed.language) <= 3 and feed.language.isalpha()):
        problems.append(f"language {feed.language!r} is not an ISO 639 code such as 'en'")
    if feed.country and not re.fullmatch(r"[A-Za-z]{2}", feed.country):
        problems.append(f"country {feed.country!r} is not an ISO 3166 code such as 'US'")
    return problems


def load_feeds(path: Path = DEFAULT_FEEDS_PATH) -> list[FeedConfig]:
    """Read and validate every `[[feed]]` table; the first problem raises ConfigError naming
    the file, the line and the entry. URLs come back normalised (normalise_feed_url)."""
    document = load_toml(path)
    tables = document.get("feed", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: 'feed' must be an array of tables ([[feed]])")
    starts = table_lines(path, "feed")
    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        line = starts[index] if index < len(starts) else None
        where = f"{path}:{line}" if line else f"{path}: feed #{index + 1}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: each [[feed]] must be a table")
        missing = [key for key in REQUIRED_KEYS if not table.get(key)]
        if missing:
            raise ConfigError(f"{where}: [[feed]] is missing {', '.join(missing)}")
        unknown = sorted(set(table) - KNOWN_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
        wrong_type = [
            key
            for key, value in table.items()
            if (key == "enabled" and not isinstance(value, bool))
            or (key != "enabled" and not isinstance(value, str))
        ]
        if wrong_type:
            raise ConfigError(f"{where}: wrong type for {', '.join(wrong_type)}")
        feed = FeedConfig(
            url=normalise_feed_url(table["url"]),
            outlet=table["outlet"].strip(),
            bloc=table["bloc"].strip(),
            country=table.get("country", "").strip(),
            language=table.get("language", "en").strip().lower(),
            enabled=table.get("enabled", True),
        )
        problems = validate_feed(feed)
        if problems:
            entry = mask_credentials(repr(table["url"].strip()))
            raise ConfigError(f"{where}: feed {entry}: {'; '.join(problems)}")
        if feed.url in seen:
            raise ConfigError(f"{where}: url {feed.url} is already listed at line {seen[feed.url]}")
        seen[feed.url] = line or index + 1
        feeds.append(feed)
    return feeds
