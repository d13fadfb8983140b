"""`detente feeds list|add|remove|disable|enable`: the feed list kept in the database.

A URL is normalised (core.ingest.feed_list.normalise_feed_url) before it is looked up, so the
identity of a feed does not hang on the case of its host or a fragment; `add` refuses a feed
that is already listed unless `--update` says to change it. What is printed never shows
credentials or a control character from the database.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from core.commands.common import EXIT_OK, CommandError, add_command, one_line, open_store
from core.ingest.feed_list import mask_credentials, normalise_feed_url, validate_feed
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
    q.add_argument(
        "--update",
        action="store_true",
        help="if the feed is already listed, change its outlet, bloc, country and language",
    )
    q.set_defaults(handler=cmd_feeds_add)
    for action, helptext in (
        ("remove", "remove a feed (its articles stay)"),
        ("disable", "stop polling a feed"),
        ("enable", "poll a disabled feed again"),
    ):
        q = add_command(feeds_sub, action, helptext)
        q.add_argument("url")
        q.set_defaults(handler=cmd_feeds_change, action=action)


def shown_url(url: str) -> str:
    """A feed URL as printed: credentials masked, control characters escaped."""
    return one_line(mask_credentials(url))


def cmd_feeds_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        feeds = store.list_feeds()
    if not feeds:
        print("no feeds yet: `detente poll` syncs config/feeds.toml, `detente feeds add` adds one")
        return EXIT_OK
    for feed in feeds:
        state = "disabled" if not feed.enabled else (
            f"failing x{feed.consecutive_errors}: {mask_credentials(feed.last_error or '')}"
            if feed.consecutive_errors
            else f"ok, last success {_when(feed.last_success_at)}"
        )  # fmt: skip
        outlet, bloc = one_line(feed.outlet), one_line(feed.bloc)
        print(f"{outlet:<24} {bloc:<20} {shown_url(feed.url)}  [{one_line(state)}]")
    return EXIT_OK


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def cmd_feeds_add(args: argparse.Namespace) -> int:
    feed = FeedConfig(
        url=normalise_feed_url(args.url),
        outlet=args.outlet.strip(),
        bloc=args.bloc,
        country=args.country.strip().upper(),
        language=args.language.strip().lower(),
    )
    problems = validate_feed(feed)
    if problems:
        typed = shown_url(args.url)
        typed = typed if len(typed) <= 200 else typed[:200] + "…"
        raise CommandError(f"cannot add {typed}: {'; '.join(problems)}")
    as_typed = args.url.strip()
    with open_store(args) as store:
        existing = store.get_feed(feed.url)
        if existing is None and as_typed != feed.url:  # stored before URLs were normalised
            existing = store.get_feed(as_typed)
            if existing is not None:
                feed = dataclasses.replace(feed, url=existing.url)
        if existing is not None and not args.update:
            raise CommandError(
                f"{shown_url(feed.url)} is already listed (outlet {one_line(existing.outlet)}, "
                f"bloc {existing.bloc}); nothing changed. Add --update to change its outlet, "
                "bloc, country and language"
            )
        row = store.add_feed(feed)
    verb = "updated" if existing is not None else "added"
    print(
        f"{verb} {one_line(row.outlet)} <{shown_url(row.url)}> ({row.bloc}); "
        "`detente poll` will fetch it"
    )
    return EXIT_OK


def cmd_feeds_change(args: argparse.Namespace) -> int:
    url = normalise_feed_url(args.url)
    with open_store(args) as store:
        # A feed stored before URLs were normalised is still found by the URL it was added as.
        candidates = [url] if url == args.url.strip() else [url, args.url.strip()]
        for candidate in candidates:
            if args.action == "remove":
                done = store.remove_feed(candidate)
            else:
                done = store.set_feed_enabled(candidate, args.action == "enable")
            if done:
                break
    if not done:
        raise CommandError(f"no feed with URL {shown_url(url)} (see `detente feeds list`)")
    print(f"{args.action}d {shown_url(candidate)}")
    return EXIT_OK
