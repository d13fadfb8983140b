"""`detente watch add|list|remove|check`: saved views the desk checks after every poll round,
and `detente brief`: the daily briefing (core/alerts)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.commands.common import (
    EXIT_OK,
    CommandError,
    add_command,
    csv_list,
    one_line,
    open_store,
    parse_day,
)
from core.models import BLOCS, SENSITIVITIES, Filters, Watch

EXIT_UNDELIVERED = 1


def register(sub: Any) -> None:
    p = add_command(sub, "watch", "save a view to be alerted when it moves (add, list, remove)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = add_command(actions, "add", "save a watch: a name and the dashboard's filters")
    add.add_argument("name", metavar="NAME")
    for name in ("outlet", "bloc", "theme", "actor"):
        add.add_argument(f"--{name}", type=csv_list, default=(), help=f"{name}(s), comma-separated")
    add.add_argument("--q", default="", metavar="TEXT", help="text in titles and summaries")
    add.add_argument("--tone", type=_tone_range, metavar="LOW,HIGH", help="tone range, e.g. -1,0")
    add.add_argument("--all", action="store_true", help="include articles judged not relevant")
    add.add_argument(
        "--sensitivity",
        choices=SENSITIVITIES,
        default="normal",
        help="how readily it alerts (default normal; the rules: core/alerts/rules.py)",
    )
    add.set_defaults(handler=cmd_watch_add)
    listing = add_command(actions, "list", "list the watches")
    listing.set_defaults(handler=cmd_watch_list)
    remove = add_command(actions, "remove", "delete a watch (its alerts stay)")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_watch_remove)
    check = add_command(actions, "check", "check every watch now and deliver what fires")
    check.set_defaults(handler=cmd_watch_check)

    b = add_command(sub, "brief", "the daily briefing: volume, tone, top articles, gaps")
    b.add_argument("--date", type=parse_day, metavar="YYYY-MM-DD", help="default: latest day")
    b.add_argument("--out", metavar="FILE", help="write FILE.html or FILE.md (default: stdout)")
    b.add_argument("--send", action="store_true", help="send it to the alert URLs")
    b.add_argument("--no-images", action="store_true", help="HTML with tables, no chart image")
    b.set_defaults(handler=cmd_brief)


def _tone_range(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH like -1,0, not {text!r}") from None
    if not -1.0 <= low <= high <= 1.0:
        raise argparse.ArgumentTypeError(f"expected -1 ≤ LOW ≤ HIGH ≤ 1, not {text!r}")
    return low, high


def cmd_watch_add(args: argparse.Namespace) -> int:
    name = " ".join(args.name.split())
    if not name or len(name) > 100:
        raise CommandError("a watch needs a name of 1 to 100 characters")
    unknown = [bloc for bloc in args.bloc if bloc not in BLOCS]
    if unknown:
        raise CommandError(f"unknown bloc(s) {', '.join(unknown)}; use {', '.join(BLOCS)}")
    low, high = args.tone or (-1.0, 1.0)
    filters = Filters(
        outlets=args.outlet,
        blocs=args.bloc,
        themes=args.theme,
        actors=args.actor,
        query=args.q.strip(),
        tone_min=low,
        tone_max=high,
        relevant_only=not args.all,
    )
    with open_store(args) as store:
        if not store.add_watch(Watch(name, filters, args.sensitivity)):
            raise CommandError(f"a watch named {name!r} exists; remove it first")
    print(f"watch {one_line(name)!r} saved ({args.sensitivity}): {describe(filters)}")
    return EXIT_OK


def describe(f: Filters) -> str:
    parts = [
        f"{label} {','.join(values)}"
        for label, values in (
            ("outlet", f.outlets), ("bloc", f.blocs), ("theme", f.themes), ("actor", f.actors)
        )
        if values
    ]  # fmt: skip
    if f.query:
        parts.append(f"text {f.query!r}")
    if f.tone_min > -1.0 or f.tone_max < 1.0:
        parts.append(f"tone {f.tone_min:g}..{f.tone_max:g}")
    parts.append("relevant only" if f.relevant_only else "all articles")
    return one_line("; ".join(parts))


def cmd_watch_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        watches = store.list_watches()
    if not watches:
        print("no watches (add one with: detente watch add NAME --theme sanctions)")
    for w in watches:
        print(f"{one_line(w.name)}\t{w.sensitivity}\t{describe(w.filters)}")
    return EXIT_OK


def cmd_watch_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if not store.remove_watch(args.name):
            raise CommandError(f"no watch named {args.name!r}")
    print(f"watch {one_line(args.name)!r} removed")
    return EXIT_OK


def cmd_watch_check(args: argparse.Namespace) -> int:
    from core.alerts.runner import check_watches

    with open_store(args) as store:
        report = check_watches(store, datetime.now(UTC))
    print(report.line())
    return EXIT_OK if not report.failed else EXIT_UNDELIVERED


def after_round(store: Any, *, daily_briefing: bool) -> None:
    """After a poll round: check the watches and deliver (core/alerts/runner.py). Nothing here
    stops polling: a failure is one line on stderr, and undelivered alerts wait for the next
    round."""
    try:
        from core.alerts.runner import check_watches

        report = check_watches(store, datetime.now(UTC), daily_briefing=daily_briefing)
    except Exception as exc:
        print(f"alerts: {one_line(f'{type(exc).__name__}: {exc}')[:300]}", file=sys.stderr)
        return
    if report.watches or report.fired or report.delivered or report.failed:
        print(report.line(), flush=True)


def cmd_brief(args: argparse.Namespace) -> int:
    from core.alerts.briefing import briefing_html, briefing_message, briefing_text, build_briefing
    from core.alerts.delivery import deliver, load_settings

    settings = load_settings()
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".html", ".htm", ".md"):
        raise CommandError(f"cannot write {out}: name a .html or .md file")
    if out is not None and not out.parent.is_dir():
        raise CommandError(f"cannot write {out}: the folder {out.parent} does not exist")
    with open_store(args) as store:
        briefing = build_briefing(store, args.date)
    if briefing is None:
        raise CommandError("no articles in the database: nothing to brief")
    base = settings.dashboard_url
    if out is None:
        sys.stdout.write(briefing_text(briefing, base))
    else:
        markdown = out.suffix.lower() == ".md"
        text = (
            briefing_text(briefing, base, markdown=True)
            if markdown
            else briefing_html(briefing, base, images=not args.no_images)
        )
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc
        print(f"wrote the briefing for {briefing.day} to {out}")
    if args.send:
        if not settings.urls:
            raise CommandError(
                f"no alert URLs: add a [[target]] to {settings.source} or set $DETENTE_ALERT_URLS"
            )
        result = deliver(briefing_message(briefing, base), settings.urls, settings)
        if result.error:
            print(f"briefing not delivered everywhere: {one_line(result.error)}", file=sys.stderr)
            return EXIT_UNDELIVERED
        print(f"briefing sent to {len(settings.urls)} target(s)")
    return EXIT_OK
