"""The `detente` command (also `python -m core`): the parser, assembled from one module per
command family, and main(), which turns a user's mistake into a message and an exit status.

Exit status: 0 done, 1 some input lines were bad (`analyze --jsonl`), 2 a problem the user can
fix (configuration, database, file), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.commands import analyze, demo, export, feeds, poll, retag
from core.commands.common import DB_HELP, EXIT_CONFIG, EXIT_INPUT, EXIT_OK, CommandError
from core.config import ConfigError

__all__ = ["EXIT_CONFIG", "EXIT_INPUT", "EXIT_OK", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detente",
        description="Détente: monitor news coverage of US–Russia relations.",
    )
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for family in (analyze, poll, feeds, demo, retag, export):
        family.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except (CommandError, ConfigError) as exc:
        print(f"detente: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return code
