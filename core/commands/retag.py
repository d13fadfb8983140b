"""`detente retag`: re-analyze stored articles, e.g. after a lexicon edit.

Every lexicon is loaded and checked before the database is opened: a malformed file (bad TOML,
an unknown category, a weight out of range, an empty phrase …) stops the command with exit
status 2 and a message naming the file, line and entry (core/config.py), and the stored
analyses stay as they were. The lexicons default to those in config/; each can be named."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.commands.common import EXIT_OK, add_command, open_store, progress

if TYPE_CHECKING:
    from core.analysis.analyzer import Analyzer

LEXICONS = ("themes", "actors", "tone", "relations")
"""The lexicon files in config/ an analysis reads (each `--NAME PATH` replaces one)."""


def register(sub: Any) -> None:
    p = add_command(sub, "retag", "re-analyze stored articles (after a lexicon edit)")
    for name in LEXICONS:
        p.add_argument(
            f"--{name}",
            type=Path,
            metavar="PATH",
            help=f"read this {name} lexicon instead of config/{name}.toml",
        )
    p.add_argument(
        "--stale",
        action="store_true",
        help="only the articles analysed with other lexicons or another analyzer version",
    )
    p.set_defaults(handler=cmd_retag)


def build_analyzer(args: argparse.Namespace) -> Analyzer:
    """The analyzer of these lexicons, every file loaded and checked now (ConfigError)."""
    from core.analysis.actors import load_gazetteer
    from core.analysis.analyzer import Analyzer
    from core.analysis.relations_lexicon import load_relations
    from core.analysis.russian import RussianReader
    from core.analysis.russian_terms import load_russian_terms
    from core.analysis.themes import load_lexicon
    from core.analysis.tone_domain import load_tone_domain

    return Analyzer(
        load_lexicon(args.themes),
        load_gazetteer(args.actors),
        tone_domain=load_tone_domain(args.tone),
        russian=RussianReader(load_russian_terms(args.themes, args.actors)),
        relations=load_relations(args.relations),
    )


def cmd_retag(args: argparse.Namespace) -> int:
    analyzer = build_analyzer(args)  # before the database: a bad lexicon changes nothing
    stale = (analyzer.lexicon_version, analyzer.analyzer_versions()) if args.stale else None
    with open_store(args) as store:
        total = store.stale_analyses(*stale) if stale else store.count_articles()
        bar = progress(total, "re-analyzing", "article")
        done = 0
        for batch in store.iter_articles_for_retag(stale_for=stale):
            analyses = [(row_id, analyzer.analyze(title, text)) for row_id, title, text in batch]
            done += store.update_analyses(analyses)
            bar.update(len(batch))
        bar.close()
    print(f"re-analyzed {done} articles")
    return EXIT_OK
