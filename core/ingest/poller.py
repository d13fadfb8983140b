"""Polling: claim due feeds in batches, refresh each one start to end, schedule its next check.

`refresh_feed` is the whole life of one feed in one round, in the order it happens:
request with validators → not modified? → parse → clean → (full text) → analyze → store the articles
and the feed's state in one transaction → next check. Everything that can go wrong with a feed is
recorded against that feed, with the exception's class and message when it raised (the feed
boundary is `refresh_feed`); only a database that cannot record a failure stops the round.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from core.ingest.fetch import FeedClient, FetchSettings
from core.ingest.read import PAGE_ACCEPT, Source, StageError, read_and_analyze, with_full_texts
from core.ingest.schedule import cache_max_age, next_check_at
from core.ingest.stories import StoryReport, StoryStep
from core.ingest.workers import WorkerPool, run_cpu
from core.models import AnalyzedArticle, FetchResult
from core.storage import FeedRow, PollOutcome, SaveCounts, Store

Outcome = Literal["new", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class PollSettings:
    """How a poll round behaves; the defaults follow Miniflux and Media Cloud (README.md,
    "Features")."""

    interval: timedelta = timedelta(minutes=15)
    """Base time between two checks of a healthy feed."""
    workers: int = 16
    processes: int = 1
    """Processes for the CPU-bound part (parse, clean, analyze); the CLI uses one per core."""
    fulltext: bool = False
    fetch: FetchSettings = field(default_factory=FetchSettings)
    claim_batch: int = 32
    """Due feeds claimed at a time: the poller claims a batch, and the next when its workers
    run short of feeds, so several pollers on one database share a round."""
    stories: bool = True
    """Cluster the round's new articles into stories once stored (core/ingest/stories.py)."""

    def __post_init__(self) -> None:
        """Refuse settings that would hang a round (no worker ever takes a feed) or crash it,
        with a message the CLI can show as it is."""
        for name in ("workers", "processes", "claim_batch"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be at least 1 (got {value!r})")
        if self.interval <= timedelta(0):
            raise ValueError(f"interval must be positive (got {self.interval})")

    @property
    def feed_deadline(self) -> float:
        """A feed may not hold a worker longer than its fetch deadline plus processing slack
        (and, with full text, a few page fetches)."""
        pages = 3 if self.fulltext else 0
        return self.fetch.total_deadline * (1 + pages) + 30.0

    @property
    def lease(self) -> timedelta:
        """How long a claimed feed stays claimed: longer than any refresh can take, its wait
        for a worker behind the rest of its batch included."""
        waves = 2 + math.ceil(self.claim_batch / self.workers)
        return timedelta(seconds=self.feed_deadline * waves + 60)


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What happened to one feed in one round: the line the CLI prints."""

    feed_id: int
    outlet: str
    url: str
    outcome: Outcome
    new: int = 0
    updated: int = 0
    status: int | None = None
    error: str | None = None
    next_check_at: datetime | None = None

    def line(self) -> str:
        if self.outcome == "failed":
            detail = self.error or "failed"
        elif self.outcome == "unchanged":
            detail = "not modified (304)" if self.status == 304 else "no new or changed articles"
        else:
            detail = f"{self.new} new, {self.updated} updated"
        return f"{self.outcome:<9} {self.outlet} <{self.url}>: {detail}"


@dataclass(frozen=True, slots=True)
class RoundSummary:
    reports: tuple[FeedReport, ...]
    elapsed: float
    stories: StoryReport | None = None
    """What the stories step did after the round's articles were stored (None: not run)."""

    @property
    def counts(self) -> Counter[str]:
        return Counter(report.outcome for report in self.reports)

    def line(self) -> str:
        counts = self.counts
        new = sum(r.new for r in self.reports)
        updated = sum(r.updated for r in self.reports)
        return (
            f"{len(self.reports)} feeds in {self.elapsed:.1f} s: "
            f"{counts['new']} with new articles, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed; "
            f"{new} new articles, {updated} updated"
        )


# --- one feed -----------------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


class FeedFailed(Exception):
    """A feed's refresh went wrong; `message` is what is recorded against the feed."""

    def __init__(self, message: str, result: FetchResult | None = None) -> None:
        super().__init__(message)
        self.message, self.result = message, result


async def refresh_feed(
    feed: FeedRow,
    client: FeedClient,
    writes: Writes,
    settings: PollSettings,
    cpu: WorkerPool | None = None,
) -> FeedReport:
    """The whole refresh of one feed, and its boundary: whatever the feed does — an HTTP error,
    a URL that does not parse, an exception while parsing, cleaning, analysing (a crashed
    worker process included) or storing its articles — is recorded against this feed with the
    exception's class and message, and counts toward its backoff. Only a database that cannot
    record even the failure propagates (it ends the round)."""
    started = utcnow()
    try:
        result, analyzed, ttl = await _fetch_and_read(feed, client, settings, cpu, started)
    except FeedFailed as failed:
        return await _record_failure(feed, writes, settings, started, failed.result, failed.message)
    try:
        return await _record_success(feed, writes, settings, started, result, analyzed, ttl)
    except Exception as exc:  # this feed's write failed; the failure itself is recorded
        message = str(StageError.of("store", exc))
        return await _record_failure(feed, writes, settings, started, result, message)


async def _fetch_and_read(
    feed: FeedRow,
    client: FeedClient,
    settings: PollSettings,
    cpu: WorkerPool | None,
    started: datetime,
) -> tuple[FetchResult, Sequence[AnalyzedArticle], timedelta | None]:
    """Request with validators → not modified? → parse, clean, analyse (→ full text); every
    problem, exceptions included, comes out as FeedFailed."""
    stage = "fetch"
    result: FetchResult | None = None
    try:
        async with asyncio.timeout(settings.feed_deadline):
            result = await client.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if result.error is not None:
                raise FeedFailed(result.error, result)
            if result.not_modified:
                return result, (), None
            stage = "read"
            source = Source(feed.url, feed.outlet, feed.bloc)
            raw = (source, result.body, result.headers, result.final_url, started)
            # One trip to a worker process: bytes in, analysed articles out.
            analyzed, ttl, problem = await run_cpu(cpu, read_and_analyze, *raw)
            if problem is not None:
                raise FeedFailed(problem, result)
            if settings.fulltext:
                stage = "full text"
                analyzed = await _add_full_text(analyzed, client, cpu)
            return result, analyzed, ttl
    except FeedFailed:
        raise
    except TimeoutError:
        raise FeedFailed(f"gave up after {settings.feed_deadline:.0f} s", result) from None
    except StageError as exc:
        raise FeedFailed(str(exc), result) from None
    except Exception as exc:
        raise FeedFailed(str(StageError.of(stage, exc)), result) from None


async def _add_full_text(
    analyzed: list[AnalyzedArticle], client: FeedClient, cpu: WorkerPool | None
) -> list[AnalyzedArticle]:
    """For relevant articles the feed only summarised, fetch the page, keep its main text and
    read the article again (in a worker, like the first reading); the others stay as read."""
    wanted = [
        index
        for index, item in enumerate(analyzed)
        if item.analysis.relevant and not item.article.content and item.article.url
    ]
    pages = []
    for index in wanted:
        page = await client.fetch(analyzed[index].article.url, accept=PAGE_ACCEPT)
        if page.error is None and page.body:
            pages.append((index, page))
    enriched = await run_cpu(
        cpu,
        with_full_texts,
        [(analyzed[index].article, p.body, p.headers, p.final_url) for index, p in pages],
    )
    out = list(analyzed)
    for (index, _), item in zip(pages, enriched, strict=True):
        if item is not None:
            out[index] = item
    return out


MAX_BATCH = 50
"""At most this many feeds are written in one transaction."""


class Writes:
    """The round's one writer. Outcomes that arrive while a write runs go into the next
    transaction together (Store.record_polls: one commit and one upsert per rollup table for
    the lot, not per feed); each feed's articles, state and validators still commit together.
    When a batch fails, each of its feeds is written again alone, so an error that belongs to one
    feed (say, an article the database refuses) fails only that feed; the poller then records
    the failure against it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: list[tuple[int, PollOutcome, asyncio.Future[SaveCounts]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def record(self, feed_id: int, outcome: PollOutcome) -> SaveCounts:
        saved: asyncio.Future[SaveCounts] = asyncio.get_running_loop().create_future()
        self._queue.append((feed_id, outcome, saved))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_queued())
        return await saved

    async def _write_queued(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            polls = [(feed_id, outcome) for feed_id, outcome, _ in batch]
            try:
                counts = await asyncio.to_thread(self.store.record_polls, polls)
            except asyncio.CancelledError:
                for *_, saved in batch:
                    saved.cancel()
                raise
            except Exception as exc:
                if len(batch) == 1:
                    _settle(batch[0][2], exc)
                else:
                    await self._write_one_by_one(batch)
                continue
            for (*_, saved), feed_counts in zip(batch, counts, strict=True):
                _settle(saved, feed_counts)

    async def _write_one_by_one(
        self, batch: list[tuple[int, PollOutcome, asyncio.Future[SaveCounts]]]
    ) -> None:
        for feed_id, outcome, saved in batch:
            try:
                counts = await asyncio.to_thread(self.store.record_polls, [(feed_id, outcome)])
            except asyncio.CancelledError:
                for *_, pending in batch:
                    pending.cancel()
                raise
            except Exception as exc:
                _settle(saved, exc)
            else:
                _settle(saved, counts[0])

    async def close(self) -> None:
        """Drop what was never started (the round is over) and let a running write finish."""
        for *_, saved in self._queue:
            saved.cancel()
        self._queue.clear()
        if self._writing is not None:
            await asyncio.gather(self._writing, return_exceptions=True)


def _settle(saved: asyncio.Future[SaveCounts], outcome: SaveCounts | BaseException) -> None:
    """Hand a write's outcome to its feed, unless the feed was cancelled meanwhile."""
    if saved.done():
        return
    if isinstance(outcome, BaseException):
        saved.set_exception(outcome)
    else:
        saved.set_result(outcome)


async def _record_success(
    feed: FeedRow,
    writes: Writes,
    settings: PollSettings,
    started: datetime,
    result: FetchResult,
    analyzed: Sequence[AnalyzedArticle],
    ttl: timedelta | None,
) -> FeedReport:
    next_check = next_check_at(
        started,
        ok=True,
        consecutive_errors=0,
        interval=settings.interval,
        retry_after=result.retry_after,
        ttl=ttl,
        max_age=cache_max_age(result.headers),
    )
    outcome = PollOutcome(
        status=result.status,
        error=None,
        etag=result.etag or feed.etag,
        last_modified=result.last_modified or feed.last_modified,
        next_check_at=next_check,
        articles=analyzed,
        not_modified=result.not_modified,
        at=started,
    )
    counts = await writes.record(feed.id, outcome)
    kind: Outcome = "new" if counts.new else "updated" if counts.updated else "unchanged"
    return FeedReport(
        feed.id, feed.outlet, feed.url, kind, counts.new, counts.updated, result.status,
        next_check_at=next_check,
    )  # fmt: skip


async def _record_failure(
    feed: FeedRow,
    writes: Writes,
    settings: PollSettings,
    started: datetime,
    result: FetchResult | None,
    error: str,
) -> FeedReport:
    next_check = next_check_at(
        started,
        ok=False,
        consecutive_errors=feed.consecutive_errors + 1,
        interval=settings.interval,
        retry_after=result.retry_after if result else None,
    )
    status = result.status if result else None
    outcome = PollOutcome(
        status=status,
        error=error,
        etag=None,
        last_modified=None,
        next_check_at=next_check,
        articles=(),
        not_modified=False,
        at=started,
    )
    await writes.record(feed.id, outcome)
    return FeedReport(
        feed.id, feed.outlet, feed.url, "failed", status=status, error=error,
        next_check_at=next_check,
    )  # fmt: skip


# --- a round ------------------------------------------------------------------------------------


async def poll_round(
    store: Store,
    settings: PollSettings,
    *,
    include_not_due: bool = False,
    on_claimed: Callable[[int], None] | None = None,
    on_report: Callable[[FeedReport], None] | None = None,
) -> RoundSummary:
    """Claim due feeds in batches (other pollers get disjoint ones) and refresh them on a worker
    pool, claiming the next batch whenever fewer feeds wait than there are workers, until none
    is due. `on_claimed` hears the size of every batch (and 0 once when nothing was due).

    Every claim is made "as of" the round's start, so a feed refreshed in this round (its next
    check is later than that) is never claimed twice; each lease still runs from the moment it
    is taken. With `include_not_due` (poll every feed now) there is no such mark, so every feed
    is claimed in one go."""
    started = time.perf_counter()
    round_start = utcnow()
    reports: list[FeedReport] = []
    workers = asyncio.Semaphore(settings.workers)
    writes = Writes(store)
    cpu: WorkerPool | None = None
    claimed = 0

    async def claim() -> list[FeedRow]:
        nonlocal claimed, cpu
        if include_not_due and claimed:
            return []
        lease = settings.lease + (utcnow() - round_start)
        limit = None if include_not_due else settings.claim_batch
        feeds = await asyncio.to_thread(
            store.claim_due_feeds,
            round_start,
            lease=lease,
            include_not_due=include_not_due,
            limit=limit,
        )
        if on_claimed is not None and (feeds or not claimed):
            on_claimed(len(feeds))
        claimed += len(feeds)
        # Parsing and analysis hold the GIL: with several cores (and more than one feed to
        # read) they run in worker processes, while fetching and storing stay here.
        if cpu is None and settings.processes > 1 and claimed > 1:
            cpu = WorkerPool(settings.processes)
        return feeds

    async def refresh(feed: FeedRow) -> FeedReport:
        async with workers:
            return await refresh_feed(feed, client, writes, settings, cpu)

    # The fetch pool is sized for this round's concurrency: `workers` is the one setting.
    fetch = dataclasses.replace(settings.fetch, workers=settings.workers)
    pending: set[asyncio.Future[FeedReport]] = set()
    try:
        async with FeedClient(fetch) as client:
            try:
                exhausted = False
                while pending or not exhausted:
                    if not exhausted and len(pending) <= settings.workers:
                        batch = await claim()
                        exhausted = not batch
                        pending.update(asyncio.ensure_future(refresh(feed)) for feed in batch)
                        continue
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for finished in done:
                        report = finished.result()
                        reports.append(report)
                        if on_report is not None:
                            on_report(report)
            except BaseException:
                for task in pending:  # a database error ends the round: stop the other feeds
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                raise
            finally:
                await writes.close()
    finally:
        if cpu is not None:
            cpu.shutdown()
    return RoundSummary(tuple(reports), time.perf_counter() - started)


def poll_once(
    store: Store,
    settings: PollSettings | None = None,
    *,
    include_not_due: bool = False,
    on_claimed: Callable[[int], None] | None = None,
    on_report: Callable[[FeedReport], None] | None = None,
    stories: StoryStep | None = None,
) -> RoundSummary:
    """Synchronous entry point for the CLI and tests: a round, then (unless the settings say
    not to) the stories step over the articles it stored. `stories` is the step of a poller
    that keeps its index between rounds; without it a new one restores the index from storage."""
    settings = settings or PollSettings()
    summary = asyncio.run(
        poll_round(
            store,
            settings,
            include_not_due=include_not_due,
            on_claimed=on_claimed,
            on_report=on_report,
        )
    )
    if not settings.stories:
        return summary
    started = time.perf_counter()
    report = (stories or StoryStep()).run(store)
    elapsed = summary.elapsed + time.perf_counter() - started
    return dataclasses.replace(summary, elapsed=elapsed, stories=report)
