"""`detente retag`: re-analyze every stored article, e.g. after a lexicon edit."""

from __future__ import annotations

import argparse
from typing import Any

from core.commands.common import EXIT_OK, add_command, open_store, progress


def register(sub: Any) -> None:
    p = add_command(sub, "retag", "re-analyze stored articles (after a lexicon edit)")
    p.set_defaults(handler=cmd_retag)


def cmd_retag(args: argparse.Namespace) -> int:
    from core.analysis.analyzer import analyze

    with open_store(args) as store:
        total = store.count_articles()
        bar = progress(total, "re-analyzing", "article")
        done = 0
        for batch in store.iter_articles_for_retag():
            analyses = [(row_id, analyze(title, text)) for row_id, title, text in batch]
            done += store.update_analyses(analyses)
            bar.update(len(batch))
        bar.close()
    print(f"re-analyzed {done} articles")
    return EXIT_OK
