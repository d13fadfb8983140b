"""`detente stories rebuild`: forget every story and cluster every stored article anew."""

from __future__ import annotations

import argparse
from typing import Any

from core.commands.common import EXIT_OK, add_command, open_store, progress


def register(sub: Any) -> None:
    p = add_command(sub, "stories", "stories: syndicated copies and events across outlets")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = add_command(
        actions,
        "rebuild",
        "forget every story and recluster every stored article in (published, id) order "
        "(after a parameter change or an upgrade; poll rounds cluster new articles themselves)",
    )
    rebuild.set_defaults(handler=cmd_rebuild)


def cmd_rebuild(args: argparse.Namespace) -> int:
    from core.ingest.stories import rebuild

    with open_store(args) as store:
        bar = progress(store.count_articles(), "stories", "article")
        report = rebuild(store, on_chunk=bar.update)
        bar.close()
    print(report.line())
    return EXIT_OK
