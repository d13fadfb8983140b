"""What every command shares: exit codes, CommandError, the store opener, durations, progress.

A problem the user can fix (configuration, database URL, an unwritable file) raises CommandError;
`core.commands.main` prints it as one line and exits 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_CONFIG = 2


class CommandError(Exception):
    """A problem the user can fix; printed as `detente: message`, exit status 2."""


_DURATION = re.compile(r"^\s*(\d{1,12}(?:\.\d{1,9})?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY = timedelta(seconds=1)
MAX_EVERY = timedelta(days=7)
MAX_WORKERS = 256
MAX_PROCESSES = 64


def global_options() -> argparse.ArgumentParser:
    """The options every command takes, before or after its name (`detente --db URL poll` and
    `detente poll --db URL`). A command's copy defaults to SUPPRESS so that, when absent after
    the command, it leaves the value given before the command in place."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
    return parent


DB_HELP = "database URL (default: $DETENTE_DB, else sqlite:///data/detente.db)"


def add_command(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """A (sub)command parser that also accepts the global options."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, parents=[global_options()]
    )
    return parser


def parse_duration(text: str) -> timedelta:
    """'15m', '1h', '90s', '2d' or plain seconds, from MIN_EVERY to MAX_EVERY."""
    found = _DURATION.match(text)
    if not found or float(found.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 15m, 1h, 90s)")
    seconds = float(found.group(1)) * _UNITS[found.group(2)]
    if not MIN_EVERY.total_seconds() <= seconds <= MAX_EVERY.total_seconds():
        raise argparse.ArgumentTypeError(
            f"{text.strip()!r} is out of range: from 1s to 7d (e.g. 15m, 1h, 90s)"
        )
    return timedelta(seconds=seconds)


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, refused with the range named."""

    def parse(text: str) -> int:
        digits = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", digits) or not low <= int(digits) <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low} to {high}, not {text!r}"
            )
        return int(digits)

    parse.__name__ = f"whole number from {low} to {high}"
    return parse


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r} (YYYY-MM-DD)") from None


def csv_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Any]:
    """The store named by --db / $DETENTE_DB; an unusable database is a user error, not a
    traceback: Store.open raises StorageError naming it (core/storage/errors.py), which main()
    prints as one line."""
    from core.storage import Store

    try:
        store = Store.open(args.db)
    except OSError as exc:
        raise CommandError(f"cannot open database: {first_line(exc)}") from exc
    try:
        yield store
    finally:
        store.close()


def database_label(db: str | None) -> str:
    """The database a command uses (--db, else $DETENTE_DB, else the default file), with any
    password hidden: for messages."""
    from core.config import DATA_DIR
    from core.storage.errors import database_name

    return database_name(
        db or os.environ.get("DETENTE_DB") or f"sqlite:///{DATA_DIR / 'detente.db'}"
    )


def one_line(text: str) -> str:
    """Text from the database or the network made safe to print on one terminal line: newlines,
    tabs, escape sequences and other control or bidi characters are shown escaped."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def progress(total: int, desc: str, unit: str) -> Any:
    """A tqdm bar on a terminal, silence otherwise (logs stay readable)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not sys.stderr.isatty(), leave=False)
