"""`Store`: the one gateway object over the database, in the manner of sqlite-utils.

Every write goes through one path, in one transaction (core/storage/writes.py); reads return
DataFrames and choose their source through core/storage/plan.py. The class is composed of one
part per subject, each standing on core/storage/base.py."""

from __future__ import annotations

from core.storage.digest import DigestReads
from core.storage.feed_store import FeedStore
from core.storage.matches import MatchReads
from core.storage.reads_articles import ArticleReads
from core.storage.reads_editions import EditionReads
from core.storage.reads_relations import RelationsReads
from core.storage.reads_stories import StoryReads
from core.storage.reads_themes import ThemeReads
from core.storage.reads_tone import ToneReads
from core.storage.reads_volume import VolumeReads
from core.storage.story_store import StoryStore
from core.storage.watch_store import WatchStore
from core.storage.writes import ArticleWrites


class Store(
    FeedStore,
    ArticleWrites,
    VolumeReads,
    ToneReads,
    ThemeReads,
    RelationsReads,
    ArticleReads,
    EditionReads,
    WatchStore,
    StoryStore,
    StoryReads,
    DigestReads,
    MatchReads,
):
    """The database, opened and migrated. Writes: one transaction each. Reads: DataFrames."""
