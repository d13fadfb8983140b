"""Storage: the only package that speaks SQL (SQLite or PostgreSQL through SQLAlchemy Core).

`Store` is the gateway; core/storage/plan.py decides whether a read answers from a rollup or
from the articles; core/storage/columns.py lists an exported article's columns."""

from __future__ import annotations

from core.storage.base import DEFAULT_DB_URL
from core.storage.columns import ARTICLE_COLUMNS
from core.storage.errors import SchemaTooNew, StorageError
from core.storage.schema import (
    ALL,
    AUX_ROLLUPS,
    DIRECTIONS,
    RELATIONS_ROLLUPS,
    STORY_TABLES,
    THEME_ROLLUPS,
    WATCH_TABLES,
    actor_rollup,
    alerts,
    article_actors,
    article_events,
    article_outlets,
    article_stories,
    article_terms,
    article_themes,
    articles,
    bloc_rollup,
    daily_rollup,
    event_rollup,
    feed_attempts,
    feeds,
    metadata,
    pair_rollup,
    relations_rollup,
    schema_migrations,
    stories,
    term_rollup,
    tone_rollup,
    watches,
)
from core.storage.store import Store
from core.storage.tone_bins import TONE_BINS, tone_bin
from core.storage.values import ArticleDetail, FeedRow, PollOutcome, SaveCounts
from core.storage.watch_store import AlertRow, filters_from_json, filters_json

__all__ = [
    "ALL",
    "ARTICLE_COLUMNS",
    "AUX_ROLLUPS",
    "DEFAULT_DB_URL",
    "DIRECTIONS",
    "RELATIONS_ROLLUPS",
    "STORY_TABLES",
    "THEME_ROLLUPS",
    "TONE_BINS",
    "WATCH_TABLES",
    "AlertRow",
    "ArticleDetail",
    "FeedRow",
    "PollOutcome",
    "SaveCounts",
    "SchemaTooNew",
    "StorageError",
    "Store",
    "actor_rollup",
    "alerts",
    "article_actors",
    "article_events",
    "article_outlets",
    "article_stories",
    "article_terms",
    "article_themes",
    "articles",
    "bloc_rollup",
    "daily_rollup",
    "event_rollup",
    "feed_attempts",
    "feeds",
    "filters_from_json",
    "filters_json",
    "metadata",
    "pair_rollup",
    "relations_rollup",
    "schema_migrations",
    "stories",
    "term_rollup",
    "tone_bin",
    "tone_rollup",
    "watches",
]
