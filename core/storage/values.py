"""The values the store hands out and takes in: feeds, poll outcomes, save counts, one article."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from core.models import Analysis, AnalyzedArticle


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    url: str
    outlet: str
    bloc: str
    country: str
    language: str
    enabled: bool
    etag: str | None
    last_modified: str | None
    next_check_at: datetime | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_errors: int


@dataclass(frozen=True, slots=True)
class PollOutcome:
    status: int | None
    error: str | None
    etag: str | None
    last_modified: str | None
    next_check_at: datetime
    articles: Sequence[AnalyzedArticle]
    not_modified: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class SaveCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    id: int
    uid: str
    title: str
    url: str
    summary: str
    content: str
    fulltext: str
    published: datetime
    published_estimated: bool
    outlets: tuple[str, ...]
    blocs: tuple[str, ...]
    lang: str
    tone: float | None
    tone_label: str
    relevance: float
    relevant: bool
    lexicon_version: str
    analyzer_version: str
    is_demo: bool
    analysis: Analysis
    analyzed_text: str


def as_utc(value: Any) -> Any:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def as_day(value: Any) -> date | None:
    """A stored day (a date, a datetime or SQLite's ISO text) as a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def feed_row(row: Any) -> FeedRow:
    values = {field.name: getattr(row, field.name) for field in dataclasses.fields(FeedRow)}
    for name in ("next_check_at", "last_attempt_at", "last_success_at"):
        values[name] = as_utc(values[name])
    return FeedRow(**{**values, "enabled": bool(row.enabled)})
