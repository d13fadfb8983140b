"""The stories step of a poll round, and the rebuild of every story from the stored articles.

Order within a round (README.md, "Stories"): the round's feeds are fetched, read and stored
first; then this step takes every article stored since its last run that has no story, sorts
them by (published, id) and assigns them one by one (core/stories/clustering.py
`StoryIndex.add_round`), so the order in which feeds answered does not matter. It stores the
assignments and rewrites the touched stories in one transaction (core/storage/story_store.py).

The index lives in the polling process. A new process (a restarted poller, `detente demo`)
first restores it from the stored stories last seen within the window of the newest article
(`StoryIndex.restore`), so it continues where the previous one stopped. A database that has
never been clustered gets only the articles of its last window clustered by a poll round; the
rest is `detente stories rebuild`'s work (it replays every stored article in (published, id)
order into a fresh index)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.collector import collector_paused
from core.storage import Store
from core.storage.story_store import Assigned, StoryArticle
from core.stories import WINDOW, Assignment, StoryIndex, StoryInput

BATCH = 5_000
"""Articles clustered and stored per transaction."""


@dataclass(frozen=True, slots=True)
class StoryReport:
    """What one run of the step did: articles assigned, of them syndicated copies, stories
    touched, and articles left for `detente stories rebuild` (older than the first window)."""

    articles: int = 0
    copies: int = 0
    stories: int = 0
    left_to_rebuild: bool = False

    def line(self) -> str:
        text = (
            f"stories: {self.articles} articles clustered ({self.copies} syndicated copies), "
            f"{self.stories} stories updated"
        )
        if self.left_to_rebuild:
            text += "; older articles have no story yet: run `detente stories rebuild`"
        return text


def key(article_id: int) -> str:
    """An article id as the index's key: zero-padded, so that the index's (published, id)
    order of a round is the database's (published, id) order that a rebuild replays."""
    return f"{article_id:015d}"


def _input(article: StoryArticle) -> StoryInput:
    return StoryInput(
        key(article.id), article.published, article.outlet, article.bloc, article.title,
        article.text,
    )  # fmt: skip


def _assigned(item: StoryInput, assignment: Assignment) -> Assigned:
    copy_of = None if assignment.copy_of is None else int(assignment.copy_of)
    return Assigned(int(item.article_id), int(assignment.story_id), copy_of)


class StoryStep:
    """The poll's stories step, holding its StoryIndex between rounds."""

    def __init__(self, *, first_window_only: bool = True) -> None:
        self.first_window_only = first_window_only
        """A database never clustered: only its last window's articles are clustered (the poll
        round stays short); False clusters every stored article (the demo corpus)."""
        self.index: StoryIndex | None = None
        self.mark = 0
        """The highest article id this step has seen: it clusters unassigned articles above."""
        self._since: datetime | None = None

    def restore(self, store: Store) -> None:
        """Rebuild the live state from the stored stories last seen within the window of the
        newest clustered article (the clock the previous index stopped at)."""
        self.index = StoryIndex()
        self.mark = store.last_assigned_article()
        clock = store.newest_story_seen()
        if clock is not None:
            for article in store.live_story_articles(clock - self.index.window):
                if article.story_id is None:
                    continue
                copy_of = None if article.copy_of is None else str(article.copy_of)
                self.index.restore(_input(article), Assignment(str(article.story_id), copy_of))
        newest = store.newest_published()
        if self.mark == 0 and self.first_window_only and newest is not None:
            # Never clustered: a poll round takes the last window only (rebuild does the rest).
            self._since = newest - self.index.window

    def run(self, store: Store) -> StoryReport:
        """Assign every new unassigned article a story, in (published, id) order; store them.
        The cyclic garbage collector is paused over each batch (core/collector.py): a batch
        makes tens of thousands of objects (rows, shingles, the index's entries) and no
        cycles, and each few hundred of them would set it collecting, now and then walking
        every object of the poller (its analyzer's lexicons and models) to find none."""
        if self.index is None:
            self.restore(store)
        assert self.index is not None
        articles = copies = 0
        touched: set[int] = set()
        skipped = False
        while True:
            with collector_paused():
                found = store.unassigned_articles(above=self.mark, since=self._since, limit=BATCH)
                if not found:
                    break
                pairs = self.index.add_round(_input(article) for article in found)
                assigned = [_assigned(item, assignment) for item, assignment in pairs]
                store.save_stories(assigned)
            articles += len(assigned)
            copies += sum(1 for a in assigned if a.copy_of is not None)
            touched.update(a.story_id for a in assigned)
            self.mark = max(self.mark, max(article.id for article in found))
            if len(found) < BATCH:
                break
        if self._since is not None:
            skipped = store.count_articles() > articles
            self._since = None
        return StoryReport(articles, copies, len(touched), skipped and articles > 0)


def rebuild(store: Store, on_chunk: Callable[[int], None] | None = None) -> StoryReport:
    """Forget every story and cluster every stored article anew, in (published, id) order
    (after a change of the clustering's parameters, or to give stored articles their story).
    `on_chunk` hears how many articles each stored chunk held (a progress bar)."""
    store.clear_stories()
    index = StoryIndex()
    articles = copies = 0
    touched: set[int] = set()
    for chunk in store.iter_articles_in_order():
        # the chunk is in (published, id) order already, which add_round keeps
        pairs = index.add_round(_input(article) for article in chunk)
        assigned = [_assigned(item, assignment) for item, assignment in pairs]
        store.save_stories(assigned)
        articles += len(assigned)
        copies += sum(1 for a in assigned if a.copy_of is not None)
        touched.update(a.story_id for a in assigned)
        if on_chunk is not None:
            on_chunk(len(chunk))
    return StoryReport(articles, copies, len(touched))


__all__ = ["WINDOW", "StoryReport", "StoryStep", "rebuild"]
