"""`detente feeds list|add|remove|disable|enable`: the feed list kept in the database."""

from __future__ import annotations

import argparse
from typing import Any

from core.commands.common import EXIT_OK, CommandError, add_command, open_store
from core.ingest.feed_list import validate_feed
from core.models import BLOCS, FeedConfig


def register(sub: Any) -> None:
    p = add_command(sub, "feeds", "list, add, remove, disable or enable feeds")
    feeds_sub = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    q = add_command(feeds_sub, "list", "list the feeds with their health")
    q.set_defaults(handler=cmd_feeds_list)
    q = add_command(feeds_sub, "add", "add a feed")
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
        q = add_command(feeds_sub, action, helptext)
        q.add_argument("url")
        q.set_defaults(handler=cmd_feeds_change, action=action)


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
