"""`detente demo`: load the bundled demo corpus through the same path as polled articles."""

from __future__ import annotations

import argparse
from typing import Any

from core.commands.common import EXIT_OK, CommandError, add_command, open_store, progress
from core.config import ConfigError


def register(sub: Any) -> None:
    p = add_command(sub, "demo", "load the bundled demo corpus (idempotent)")
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from core.ingest.demo import demo_files, load_demo

    try:
        files = demo_files()
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    with open_store(args) as store:
        bar = progress(len(files), "demo corpus", "file")
        counts = load_demo(store, on_file=lambda demo, n: bar.update(1))
        bar.close()
        total = store.count_articles()
    print(
        f"demo corpus: {counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged "
        f"articles from {len(files)} outlets; {total} articles in the database"
    )
    return EXIT_OK
