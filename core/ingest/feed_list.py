"""The feed list an analyst edits (config/feeds.toml), validated; errors name the file and line."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from core.config import CONFIG_DIR, ConfigError, load_toml, table_lines
from core.models import BLOCS, FeedConfig

DEFAULT_FEEDS_PATH = CONFIG_DIR / "feeds.toml"
REQUIRED_KEYS = ("url", "outlet", "bloc")
KNOWN_KEYS = frozenset({"url", "outlet", "bloc", "country", "language", "enabled"})
MAX_URL_LENGTH = 2048


def validate_feed(feed: FeedConfig) -> list[str]:
    """Everything wrong with one feed definition, as sentences a user can act on."""
    problems: list[str] = []
    if len(feed.url) > MAX_URL_LENGTH:
        problems.append(f"url is longer than {MAX_URL_LENGTH} characters")
    parts = urlsplit(feed.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(f"url {feed.url!r} is not an absolute http(s) URL")
    if not feed.outlet.strip():
        problems.append("outlet is empty")
    if feed.bloc not in BLOCS:
        problems.append(f"bloc {feed.bloc!r} is not one of {', '.join(BLOCS)}")
    if feed.language and not (2 <= len(feed.language) <= 3 and feed.language.isalpha()):
        problems.append(f"language {feed.language!r} is not an ISO 639 code such as 'en'")
    return problems


def load_feeds(path: Path = DEFAULT_FEEDS_PATH) -> list[FeedConfig]:
    """Read and validate every `[[feed]]` table; the first problem raises ConfigError."""
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
            url=table["url"].strip(),
            outlet=table["outlet"].strip(),
            bloc=table["bloc"].strip(),
            country=table.get("country", "").strip(),
            language=table.get("language", "en").strip().lower(),
            enabled=table.get("enabled", True),
        )
        problems = validate_feed(feed)
        if problems:
            raise ConfigError(f"{where}: {'; '.join(problems)}")
        if feed.url in seen:
            raise ConfigError(f"{where}: url {feed.url} is already listed at line {seen[feed.url]}")
        seen[feed.url] = line or index + 1
        feeds.append(feed)
    return feeds
