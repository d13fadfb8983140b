"""`detente analyze`: one text as a JSON object, or JSON Lines in and out (`--jsonl`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from core.commands.common import EXIT_INPUT, EXIT_OK, CommandError, add_command

if TYPE_CHECKING:
    from core.models import Analysis


def register(sub: Any) -> None:
    p = add_command(sub, "analyze", "analyze text: tone, themes, actors, relevance as JSON")
    p.add_argument("file", nargs="?", default="-", help="text file, or - for stdin (default)")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON Lines with id, optional title, text; write one JSON line per input",
    )
    p.add_argument("--title", default="", help="the article's title (single-text mode)")
    p.set_defaults(handler=cmd_analyze)


def analysis_json(analysis: Analysis) -> dict[str, object]:
    """The JSON shape of `detente analyze`: offsets index into `text`; items found in the
    title are listed separately under `title_*` with offsets into the title."""

    def spans(items: Sequence[Any], field: str, keys: tuple[str, ...]) -> list[dict[str, object]]:
        return [{key: getattr(item, key) for key in keys} for item in items if item.field == field]

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
    }


def _open_input(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from exc


def cmd_analyze(args: argparse.Namespace) -> int:
    from core.analysis.analyzer import analyze

    source = _open_input(args.file)
    try:
        if not args.jsonl:
            try:
                text = source.read()
            except UnicodeDecodeError as exc:
                raise CommandError(f"{args.file}: not UTF-8 text") from exc
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
