"""`detente export`: a CSV of articles, a daily summary or stories, with the dashboard's
filters (for stories: dates, outlets, blocs, themes, languages and relevance, as
core/storage/reads_stories.py says)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from core.commands.common import EXIT_OK, CommandError, add_command, csv_list, open_store, parse_day
from core.models import BLOCS, Filters


def register(sub: Any) -> None:
    p = add_command(sub, "export", "write a CSV of articles, a daily summary or stories")
    p.add_argument("--what", choices=("articles", "daily", "stories"), default="articles")
    p.add_argument("--out", required=True, metavar="FILE", help="CSV file to write, - for stdout")
    p.add_argument("--from", dest="date_from", type=parse_day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=parse_day, metavar="YYYY-MM-DD")
    for name in ("outlet", "bloc", "theme", "actor"):
        p.add_argument(f"--{name}", type=csv_list, default=(), help=f"{name}(s), comma-separated")
    p.add_argument(
        "--lang",
        type=csv_list,
        default=(),
        help="the articles' detected language(s), comma-separated, e.g. ru or en,ru",
    )
    p.add_argument("--all", action="store_true", help="include articles judged not relevant")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from core.export import export_articles_csv, export_daily_csv, export_stories_csv

    filters = Filters(
        date_from=args.date_from,
        date_to=args.date_to,
        outlets=args.outlet,
        blocs=args.bloc,
        themes=args.theme,
        actors=args.actor,
        relevant_only=not args.all,
        languages=tuple(code.lower() for code in args.lang),
    )
    unknown_blocs = [bloc for bloc in filters.blocs if bloc not in BLOCS]
    if unknown_blocs:
        raise CommandError(f"unknown bloc(s) {', '.join(unknown_blocs)}; use {', '.join(BLOCS)}")
    write = {
        "articles": export_articles_csv,
        "daily": export_daily_csv,
        "stories": export_stories_csv,
    }[args.what]
    out = None if args.out == "-" else _writable(Path(args.out))
    with open_store(args) as store:
        if out is None:
            write(store, filters, sys.stdout)  # a closed pipe: main() ends quietly
            return EXIT_OK
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                rows = write(store, filters, handle)
        except OSError as exc:
            raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"wrote {rows} rows to {args.out}")
    return EXIT_OK


def _writable(out: Path) -> Path:
    """The --out file, refused with a message before any query when it cannot be written."""
    if out.is_dir():
        raise CommandError(f"cannot write {out}: it is a folder; name a file, e.g. {out / 'x.csv'}")
    if not out.parent.is_dir():
        raise CommandError(f"cannot write {out}: the folder {out.parent} does not exist")
    return out
