"""The `detente` command (also `python -m core`): the parser, assembled from one module per
command family, and main(), which turns a user's mistake into a message and an exit status.

Exit status: 0 done, 1 some input lines were bad (`analyze --jsonl`), 2 a problem the user can
fix (configuration, database, file, option), 130 interrupted, 141 the reader of stdout went away
(`detente export --out - | head -1`), quietly, as Unix tools do.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from core.commands.common import (
    DB_HELP,
    EXIT_CONFIG,
    EXIT_INPUT,
    EXIT_OK,
    CommandError,
    database_label,
    first_line,
)
from core.config import ConfigError

__all__ = ["EXIT_CONFIG", "EXIT_INPUT", "EXIT_OK", "EXIT_PIPE", "build_parser", "main"]

EXIT_PIPE = 141

FAMILIES = ("analyze", "poll", "feeds", "demo", "retag", "export", "stories", "watch")
"""The modules of core/commands that register commands, in the order of `detente --help`."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with `only` the one command family of that module (what
    `detente analyze` needs: the other families' modules are then never imported)."""
    parser = argparse.ArgumentParser(
        prog="detente",
        description="Détente: monitor news coverage of US–Russia relations.",
    )
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for family in (only,) if only else FAMILIES:
        importlib.import_module(f"core.commands.{family}").register(sub)
    return parser


def _family_of(argv: Sequence[str]) -> str | None:
    """The family to register alone: `analyze` when the words name it before any help
    option, else None (every family). `analyze` is the command a user runs over and over on
    files (`--jsonl`), and registering every command costs ~10 ms of start-up: the other
    families import the ingest modules, and argparse builds ~100 options."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--db":
            skip = True  # its value follows
        elif word.startswith("-"):
            if word in ("-h", "--help") or not word.startswith("--db="):
                return None
        else:
            return "analyze" if word == "analyze" else None
    return None


def _plain_analyze(words: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of `analyze --jsonl FILE` (either order; FILE `-` or not an option), the
    line a user runs over and over on files, read without building the parser: argparse spends
    ~6 ms of such a run's start-up making it (mostly looking for translations of its help
    texts). The same Namespace as the parser's (tests/test_cli_families.py); None for any
    other command line."""
    if len(words) != 3 or words[0] != "analyze" or "--jsonl" not in words[1:]:
        return None
    file = words[2] if words[1] == "--jsonl" else words[1]
    if file.startswith("-") and file != "-":
        return None
    from core.commands.analyze import cmd_analyze

    return argparse.Namespace(
        db=None, command="analyze", file=file, jsonl=True, title="", handler=cmd_analyze
    )


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = _plain_analyze(words) or build_parser(_family_of(words)).parse_args(words)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here rather than at interpreter exit
    except (CommandError, ConfigError) as exc:
        print(f"detente: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _is_storage_error(exc):
            raise
        print(f"detente: {_storage_message(exc, args)}", file=sys.stderr)
        return EXIT_CONFIG
    return code


def _is_storage_error(exc: Exception) -> bool:
    """core.storage.StorageError, checked without importing storage for commands that never
    open a database (`analyze` starts faster without SQLAlchemy)."""
    storage = sys.modules.get("core.storage.errors")
    return storage is not None and isinstance(exc, storage.StorageError)


def _storage_message(exc: Exception, args: argparse.Namespace) -> str:
    """One line naming the database: the storage layer's message, with the URL (password
    hidden) added when the message does not already name it."""
    message = first_line(exc)
    label = database_label(getattr(args, "db", None))
    return message if label in message else f"database {label}: {message}"


def _silence_stdout() -> None:
    """The reader went away: point stdout at /dev/null so the interpreter's final flush does
    not print 'Exception ignored ... BrokenPipeError'."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (e.g. captured in a test): nothing will be flushed there
