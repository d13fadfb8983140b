"""The pipeline's commands: poll, feeds, demo, retag, export (registered on the `detente` parser).

Each handler opens the store, does one thing and prints what it did; problems a user can fix
(configuration, database URL) raise CommandError and exit 2 with a message naming the file and line.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.config import ConfigError
from core.ingest.feed_list import DEFAULT_FEEDS_PATH, load_feeds, validate_feed
from core.models import BLOCS, FeedConfig, Filters

EXIT_OK = 0


class CommandError(Exception):
    """A problem the user can fix; printed as `detente: message`, exit status 2."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """'15m', '1h', '90s', '2d' or plain seconds."""
    found = _DURATION.match(text)
    if not found or float(found.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 15m, 1h, 90s)")
    return timedelta(seconds=float(found.group(1)) * _UNITS[found.group(2)])


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r} (YYYY-MM-DD)") from None


def _csv_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def register(sub: Any) -> None:
    """Add the pipeline commands to the `detente` subparsers."""
    p = sub.add_parser("poll", help="poll the feeds into the database")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="poll the due feeds once (default)")
    when.add_argument(
        "--every",
        type=parse_duration,
        metavar="DURATION",
        help="keep polling, one round every DURATION (e.g. 15m)",
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
    p.add_argument("--workers", type=int, default=16, help="concurrent fetches (default 16)")
    p.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for parsing and analysis (default: one per core)",
    )
    p.add_argument(
        "--fulltext",
        action="store_true",
        help="fetch the page of relevant summary-only articles and extract the full text",
    )
    p.set_defaults(handler=cmd_poll)

    p = sub.add_parser("feeds", help="list, add, remove, disable or enable feeds")
    feeds_sub = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    q = feeds_sub.add_parser("list", help="list the feeds with their health")
    q.set_defaults(handler=cmd_feeds_list)
    q = feeds_sub.add_parser("add", help="add a feed")
    q.add_argument("url")
    q.add_argument("--outlet", required=True, help="the outlet's name, e.g. TASS")
    q.add_argument("--bloc", required=True, choices=BLOCS)
    q.add_argument("--country", default="", help="ISO country code, e.g. RU")
    q.add_argument("--language", default="en", help="ISO 639-1 language code (default en)")
    q.set_defaults(handler=cmd_feeds_add)
    for action, helptext in (
        ("remove", "remove a feed (its articles stay)"),
        ("disable", "stop polling a feed"),
        ("enable", "poll a disabled feed again"),
    ):
        q = feeds_sub.add_parser(action, help=helptext)
        q.add_argument("url")
        q.set_defaults(handler=cmd_feeds_change, action=action)

    p = sub.add_parser("demo", help="load the bundled demo corpus (idempotent)")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("retag", help="re-analyze stored articles (after a lexicon edit)")
    p.set_defaults(handler=cmd_retag)

    p = sub.add_parser("export", help="write a CSV of articles or a daily summary")
    p.add_argument("--what", choices=("articles", "daily"), default="articles")
    p.add_argument("--out", required=True, metavar="FILE", help="CSV file to write, - for stdout")
    p.add_argument("--from", dest="date_from", type=parse_day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=parse_day, metavar="YYYY-MM-DD")
    for name in ("outlet", "bloc", "theme", "actor"):
        p.add_argument(f"--{name}", type=_csv_list, default=(), help=f"{name}(s), comma-separated")
    p.add_argument("--all", action="store_true", help="include articles judged not relevant")
    p.set_defaults(handler=cmd_export)


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Any]:
    """The store named by --db / $DETENTE_DB; an unusable URL is a user error, not a traceback."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from core.storage import Store

    try:
        store = Store.open(args.db)
    except (ArgumentError, SQLAlchemyError, OSError) as exc:
        where = args.db or "$DETENTE_DB / default"
        raise CommandError(f"cannot open database {where}: {_first_line(exc)}") from exc
    try:
        yield store
    finally:
        store.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _progress(total: int, desc: str, unit: str) -> Any:
    """A tqdm bar on a terminal, silence otherwise (logs stay readable)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not sys.stderr.isatty(), leave=False)


# --- poll ---------------------------------------------------------------------------------------


def cmd_poll(args: argparse.Namespace) -> int:
    from core.ingest.poller import PollSettings, poll_once

    settings = PollSettings(workers=args.workers, processes=args.processes, fulltext=args.fulltext)
    with open_store(args) as store:
        if not args.no_sync:
            try:
                feeds = load_feeds(args.feeds)
            except ConfigError as exc:
                raise CommandError(str(exc)) from exc
            added, updated = store.sync_feeds(feeds)
            print(f"feeds: {len(feeds)} in {args.feeds} ({added} added, {updated} updated)")
        while True:
            printer = _RoundPrinter()
            summary = poll_once(
                store,
                settings,
                include_not_due=args.all,
                on_claimed=printer.claimed,
                on_report=printer.reported,
            )
            printer.close()
            print(summary.line(), flush=True)
            if args.every is None:
                return EXIT_OK
            print(f"next round in {args.every}", flush=True)
            time.sleep(args.every.total_seconds())


class _RoundPrinter:
    """One line per feed as it finishes, above a progress bar when on a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def claimed(self, count: int) -> None:
        self.bar = _progress(count, "polling", "feed")
        if count == 0:
            print("no feed is due (use --all to poll every feed now)")

    def reported(self, report: Any) -> None:
        if self.bar is not None and not self.bar.disable:
            self.bar.write(report.line())
            self.bar.update(1)
        else:
            print(report.line(), flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- feeds --------------------------------------------------------------------------------------


def cmd_feeds_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        feeds = store.list_feeds()
    if not feeds:
        print("no feeds yet: `detente poll` syncs config/feeds.toml, `detente feeds add` adds one")
        return EXIT_OK
    for feed in feeds:
        state = "disabled" if not feed.enabled else (
            f"failing x{feed.consecutive_errors}: {feed.last_error}"
            if feed.consecutive_errors
            else f"ok, last success {_when(feed.last_success_at)}"
        )  # fmt: skip
        print(f"{feed.outlet:<24} {feed.bloc:<20} {feed.url}  [{state}]")
    return EXIT_OK


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def cmd_feeds_add(args: argparse.Namespace) -> int:
    feed = FeedConfig(
        url=args.url.strip(),
        outlet=args.outlet.strip(),
        bloc=args.bloc,
        country=args.country.strip().upper(),
        language=args.language.strip().lower(),
    )
    problems = validate_feed(feed)
    if problems:
        raise CommandError(f"cannot add {args.url}: {'; '.join(problems)}")
    with open_store(args) as store:
        row = store.add_feed(feed)
    print(f"added {row.outlet} <{row.url}> ({row.bloc}); `detente poll` will fetch it")
    return EXIT_OK


def cmd_feeds_change(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.action == "remove":
            done = store.remove_feed(args.url)
        else:
            done = store.set_feed_enabled(args.url, args.action == "enable")
    if not done:
        raise CommandError(f"no feed with URL {args.url} (see `detente feeds list`)")
    print(f"{args.action}d {args.url}")
    return EXIT_OK


# --- demo, retag --------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from core.ingest.demo import demo_files, load_demo

    try:
        files = demo_files()
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    with open_store(args) as store:
        bar = _progress(len(files), "demo corpus", "file")
        counts = load_demo(store, on_file=lambda demo, n: bar.update(1))
        bar.close()
        total = store.count_articles()
    print(
        f"demo corpus: {counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged "
        f"articles from {len(files)} outlets; {total} articles in the database"
    )
    return EXIT_OK


def cmd_retag(args: argparse.Namespace) -> int:
    from core.analysis.analyzer import analyze

    with open_store(args) as store:
        total = store.count_articles()
        bar = _progress(total, "re-analyzing", "article")
        done = 0
        for batch in store.iter_articles_for_retag():
            analyses = [(row_id, analyze(title, text)) for row_id, title, text in batch]
            done += store.update_analyses(analyses)
            bar.update(len(batch))
        bar.close()
    print(f"re-analyzed {done} articles")
    return EXIT_OK


# --- export -------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from core.export import export_articles_csv, export_daily_csv

    filters = Filters(
        date_from=args.date_from,
        date_to=args.date_to,
        outlets=args.outlet,
        blocs=args.bloc,
        themes=args.theme,
        actors=args.actor,
        relevant_only=not args.all,
    )
    unknown_blocs = [bloc for bloc in filters.blocs if bloc not in BLOCS]
    if unknown_blocs:
        raise CommandError(f"unknown bloc(s) {', '.join(unknown_blocs)}; use {', '.join(BLOCS)}")
    write = export_articles_csv if args.what == "articles" else export_daily_csv
    with open_store(args) as store:
        if args.out == "-":
            rows = write(store, filters, sys.stdout)
        else:
            rows = write(store, filters, Path(args.out))
    if args.out != "-":
        print(f"wrote {rows} rows to {args.out}")
    return EXIT_OK
