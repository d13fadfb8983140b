"""The `detente` command (also `python -m core`): analyze, poll, feeds, demo, retag, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from core.commands import common as commands
from core.config import ConfigError
from core.models import Analysis, RelationsReading

EXIT_OK = commands.EXIT_OK
EXIT_INPUT = 1
EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detente",
        description="Détente: monitor news coverage of US–Russia relations.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $DETENTE_DB, else sqlite:///data/detente.db)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("analyze", help="analyze text: tone, themes, actors, relevance as JSON")
    p.add_argument("file", nargs="?", default="-", help="text file, or - for stdin (default)")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON Lines with id, optional title, text; write one JSON line per input",
    )
    p.add_argument("--title", default="", help="the article's title (single-text mode)")
    p.set_defaults(handler=_cmd_analyze)

    commands.register(sub)
    return parser


def analysis_json(analysis: Analysis) -> dict[str, object]:
    """The JSON shape of `detente analyze`: offsets index into `text`; items found in the
    title are listed separately under `title_*` with offsets into the title."""

    def spans(items: Sequence[Any], field: str, keys: tuple[str, ...]) -> list[dict[str, object]]:
        return [{key: getattr(item, key) for key in keys} for item in items if item.field == field]

    def relations(reading: RelationsReading, field: str) -> dict[str, object]:
        # the reading's score and label; its events found in `field`, as `spans` lists them
        events = spans(reading.events, field, event_keys)
        return {"score": reading.score, "label": reading.label, "events": events}

    event_keys = (
        "start",
        "end",
        "category",
        "weight",
        "source",
        "target",
        "negated",
        "hypothetical",
    )
    sentence_keys, theme_keys, actor_keys = (
        ("start", "end", "tone"),
        ("theme", "term", "start", "end"),
        ("actor", "side", "start", "end"),
    )
    return {
        "tone": analysis.tone,
        "tone_label": analysis.tone_label,
        "sentences": spans(analysis.sentences, "text", sentence_keys),
        "themes": spans(analysis.themes, "text", theme_keys),
        "theme_names": list(analysis.theme_names),
        "actors": spans(analysis.actors, "text", actor_keys),
        "relevance": analysis.relevance,
        "relevant": analysis.relevant,
        "lang": analysis.lang,
        "lexicon_version": analysis.lexicon_version,
        "analyzer_version": analysis.analyzer_version,
        "title_sentences": spans(analysis.sentences, "title", sentence_keys),
        "title_themes": spans(analysis.themes, "title", theme_keys),
        "title_actors": spans(analysis.actors, "title", actor_keys),
        "relations": relations(analysis.relations, "text"),
        "title_relations": relations(analysis.title_relations, "title"),
    }


def _open_input(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8")
    except OSError as exc:
        raise commands.CommandError(f"cannot read {name}: {exc.strerror or exc}") from exc


def _cmd_analyze(args: argparse.Namespace) -> int:
    from core.analysis.analyzer import analyze

    source = _open_input(args.file)
    try:
        if not args.jsonl:
            try:
                text = source.read()
            except UnicodeDecodeError as exc:
                raise commands.CommandError(f"{args.file}: not UTF-8 text") from exc
            print(json.dumps(analysis_json(analyze(args.title, text)), ensure_ascii=False))
            return EXIT_OK
        failed = 0
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError("needs an object with a string `text`")
                title = item.get("title") or ""
                if not isinstance(title, str):
                    raise ValueError("`title` must be a string")
            except ValueError as exc:
                failed += 1
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                print(f"detente analyze: line {number}: {reason}", file=sys.stderr)
                continue
            result = {"id": item.get("id"), **analysis_json(analyze(title, item["text"]))}
            print(json.dumps(result, ensure_ascii=False), flush=False)
        sys.stdout.flush()
        return EXIT_INPUT if failed else EXIT_OK
    finally:
        if source is not sys.stdin:
            source.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except (commands.CommandError, ConfigError) as exc:
        print(f"detente: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return code
