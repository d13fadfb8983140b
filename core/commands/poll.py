"""`detente poll`: sync the feed list, then poll the due feeds once or every DURATION."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from core.commands.common import (
    EXIT_OK,
    MAX_PROCESSES,
    MAX_WORKERS,
    CommandError,
    add_command,
    bounded_int,
    one_line,
    open_store,
    parse_duration,
    progress,
)
from core.commands.watch import after_round
from core.config import ConfigError
from core.ingest.feed_list import DEFAULT_FEEDS_PATH, load_feeds, mask_credentials


def register(sub: Any) -> None:
    p = add_command(sub, "poll", "poll the feeds into the database")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="poll the due feeds once (default)")
    when.add_argument(
        "--every",
        type=parse_duration,
        metavar="DURATION",
        help="keep polling, one round every DURATION, 1s to 7d (e.g. 15m)",
    )
    p.add_argument("--all", action="store_true", help="ignore the schedule: poll every feed")
    p.add_argument(
        "--feeds",
        type=Path,
        default=DEFAULT_FEEDS_PATH,
        metavar="FILE",
        help="feed list to sync into the database first (default: config/feeds.toml)",
    )
    p.add_argument("--no-sync", action="store_true", help="do not sync the feed list first")
    p.add_argument(
        "--workers",
        type=bounded_int(1, MAX_WORKERS),
        default=16,
        metavar="N",
        help=f"concurrent fetches, 1 to {MAX_WORKERS} (default 16)",
    )
    p.add_argument(
        "--processes",
        type=bounded_int(1, MAX_PROCESSES),
        default=min(os.cpu_count() or 1, MAX_PROCESSES),
        metavar="N",
        help=f"processes for parsing and analysis, 1 to {MAX_PROCESSES} (default: one per core)",
    )
    p.add_argument(
        "--fulltext",
        action="store_true",
        help="fetch the page of relevant summary-only articles and extract the full text",
    )
    p.add_argument(
        "--no-stories",
        action="store_true",
        help="leave clustering into stories to another poller on this database (or to "
        "`detente stories rebuild`)",
    )
    p.set_defaults(handler=cmd_poll)


def cmd_poll(args: argparse.Namespace) -> int:
    from core.ingest.poller import PollSettings, poll_once
    from core.ingest.stories import StoryStep

    settings = PollSettings(
        workers=args.workers,
        processes=args.processes,
        fulltext=args.fulltext,
        stories=not args.no_stories,
    )
    with open_store(args) as store:
        if not args.no_sync:
            try:
                feeds = load_feeds(args.feeds)
            except ConfigError as exc:
                raise CommandError(str(exc)) from exc
            added, updated = store.sync_feeds(feeds)
            print(f"feeds: {len(feeds)} in {args.feeds} ({added} added, {updated} updated)")
        step = StoryStep()  # its story index lives as long as this poller
        while True:
            printer = _RoundPrinter()
            try:
                summary = poll_once(
                    store,
                    settings,
                    include_not_due=args.all,
                    on_claimed=printer.claimed,
                    on_report=printer.reported,
                    stories=step,
                )
            except Exception as exc:
                if args.every is None:
                    raise
                # A long-running poller outlives any one round: say what broke, try again later.
                printer.close()
                reason = one_line(mask_credentials(f"{type(exc).__name__}: {exc}"))
                print(f"round failed: {reason}", file=sys.stderr, flush=True)
            else:
                printer.close()
                print(summary.line(), flush=True)
                if summary.stories is not None:
                    print(summary.stories.line(), flush=True)
                after_round(store, daily_briefing=args.every is not None)
                if args.every is None:
                    return EXIT_OK
            print(f"next round in {args.every}", flush=True)
            wait(args.every.total_seconds())


def wait(seconds: float) -> None:
    """The pause between rounds (a test replaces it)."""
    time.sleep(seconds)


class _RoundPrinter:
    """One line per feed as it finishes, above a progress bar when on a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def claimed(self, count: int) -> None:
        """Called once per claimed batch (and once with 0 when nothing is due): the bar's
        total grows with every batch instead of a new bar each time."""
        if count == 0 and self.bar is None:
            print("no feed is due (use --all to poll every feed now)")
            return
        if self.bar is None:
            self.bar = progress(count, "polling", "feed")
        else:
            self.bar.total += count
            self.bar.refresh()

    def reported(self, report: Any) -> None:
        line = one_line(mask_credentials(report.line()))
        if self.bar is not None and not self.bar.disable:
            self.bar.write(line)
            self.bar.update(1)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
