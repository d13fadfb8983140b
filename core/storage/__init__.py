"""Storage: the only package that speaks SQL (SQLite or PostgreSQL through SQLAlchemy Core).

`Store` is the gateway; core/storage/plan.py decides whether a read answers from a rollup or
from the articles; core/storage/columns.py lists an exported article's columns."""

from __future__ import annotations

from core.storage import schema
from core.storage.base import DEFAULT_DB_URL
from core.storage.columns import ARTICLE_COLUMNS
from core.storage.errors import SchemaTooNew, StorageError
from core.storage.schema import *  # noqa: F403  (the tables, under their names: schema.__all__)
from core.storage.store import Store
from core.storage.tone_bins import TONE_BINS, tone_bin
from core.storage.values import ArticleDetail, FeedRow, PollOutcome, SaveCounts
from core.storage.watch_store import AlertRow, filters_from_json, filters_json

__all__ = [
    "ARTICLE_COLUMNS",
    "DEFAULT_DB_URL",
    "TONE_BINS",
    "AlertRow",
    "ArticleDetail",
    "FeedRow",
    "PollOutcome",
    "SaveCounts",
    "SchemaTooNew",
    "StorageError",
    "Store",
    "filters_from_json",
    "filters_json",
    "tone_bin",
    *schema.__all__,
]
