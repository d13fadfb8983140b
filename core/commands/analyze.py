"""`detente analyze`: one text as a JSON object, or JSON Lines in and out (`--jsonl`).

In `--jsonl` mode every line stands alone: a line that is not UTF-8, not JSON, nested too deeply,
longer than MAX_LINE_BYTES, holding a non-finite number (NaN, Infinity, 1e999) or one of more
than MAX_INT_DIGITS digits, or not an object with a string `text` is reported on stderr by its
number and skipped; the others are analysed and written in order; the exit status is 1 when any
line was bad. Input is read as bytes and decoded line by line, so one bad line costs only itself;
output is encoded once per line and buffered.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import math
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from core.commands.common import EXIT_INPUT, EXIT_OK, CommandError, add_command

if TYPE_CHECKING:
    from core.models import Analysis

MAX_LINE_BYTES = 10 * 1024 * 1024
"""The longest `--jsonl` line analysed (10 MiB, newline excluded); a longer one is skipped
unread, in chunks, so it never sits in memory whole."""

MAX_INT_DIGITS = 1000
_DRAIN_CHUNK = 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False).encode
_string = json.encoder.encode_basestring  # what _encode writes a string as (ensure_ascii off)


def register(sub: Any) -> None:
    p = add_command(sub, "analyze", "analyze text: tone, themes, actors, relevance as JSON")
    p.add_argument("file", nargs="?", default="-", help="text file, or - for stdin (default)")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON Lines with id, optional title, text; write one JSON line per input "
        f"(lines over {MAX_LINE_BYTES // (1024 * 1024)} MiB are reported and skipped)",
    )
    p.add_argument("--title", default="", help="the article's title (single-text mode)")
    p.set_defaults(handler=cmd_analyze)


def analysis_json(analysis: Analysis) -> dict[str, object]:
    """The JSON shape of `detente analyze`: offsets index into `text`; items found in the
    title are listed separately under `title_*` with offsets into the title."""
    sentences: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])
    for s in analysis.sentences:
        sentences[s.field == "text"].append(
            {"start": s.start, "end": s.end, "tone": s.tone, "vader": s.vader}
        )
    themes: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])
    for t in analysis.themes:
        themes[t.field == "text"].append(
            {"theme": t.theme, "term": t.term, "start": t.start, "end": t.end}
        )
    actors: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])
    for a in analysis.actors:
        actors[a.field == "text"].append(
            {"actor": a.actor, "side": a.side, "start": a.start, "end": a.end}
        )
    events: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])
    for e in analysis.relations.events:
        events[e.field == "text"].append(
            {
                "start": e.start,
                "end": e.end,
                "category": e.category,
                "weight": e.weight,
                "source": e.source,
                "target": e.target,
                "negated": e.negated,
                "hypothetical": e.hypothetical,
            }
        )
    return {
        "tone": analysis.tone,
        "tone_label": analysis.tone_label,
        "sentences": sentences[1],
        "themes": themes[1],
        "theme_names": list(analysis.theme_names),
        "theme_salience": dict(analysis.theme_salience),
        "central_themes": list(analysis.central_themes),
        "actors": actors[1],
        "relevance": analysis.relevance,
        "relevant": analysis.relevant,
        "lang": analysis.lang,
        "lexicon_version": analysis.lexicon_version,
        "analyzer_version": analysis.analyzer_version,
        "title_sentences": sentences[0],
        "title_themes": themes[0],
        "title_actors": actors[0],
        "relations": {
            "score": analysis.relations.score,
            "label": analysis.relations.label,
            "events": events[1],
        },
        "title_relations": {
            "score": analysis.title_relations.score,
            "label": analysis.title_relations.label,
            "events": events[0],
        },
    }


def cmd_analyze(args: argparse.Namespace) -> int:
    collecting = gc.isenabled()
    gc.disable()  # until the analyzer is built: see _settle
    try:
        return _analyze(args, lambda: _settle(collecting))
    finally:
        _settle(collecting)


def _settle(collecting: bool) -> None:
    """Tell the cyclic garbage collector that what exists now stays (gc.freeze), and let it run
    again if it ran before. The analyzer's lexicons, matchers and memos are ~10^5 objects that
    live as long as the process; the collector would otherwise walk them at every full
    collection while they are built, again later, and once more at exit, ~20 ms of a `detente
    analyze` run (bench/bench_analysis.py). Frozen objects are only never *collected* as cyclic
    garbage; reference counting frees them as before."""
    gc.freeze()
    if collecting:
        gc.enable()


def _analyze(args: argparse.Namespace, built: Callable[[], None]) -> int:
    from core.analysis.analyzer import analyze

    source = _open_input(args.file)
    try:
        if args.jsonl:
            return _analyze_lines(source, analyze, built)
        data = source.read()
    finally:
        if args.file != "-":
            source.close()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{args.file}: not UTF-8 text (byte {exc.start + 1})") from exc
    print(_encode(analysis_json(analyze(args.title, text.removeprefix("\ufeff")))))
    return EXIT_OK


def _stdin_bytes() -> IO[bytes]:
    """stdin as bytes (a test may have replaced sys.stdin by a text stream without a buffer)."""
    stream: Any = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    if not hasattr(stream, "_detente_bytes"):
        stream._detente_bytes = io.BytesIO(stream.read().encode("utf-8", "surrogatepass"))
    return stream._detente_bytes  # type: ignore[no-any-return]


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return _stdin_bytes()
    try:
        return open(name, "rb")
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from exc


def read_lines(
    stream: IO[bytes], limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for every line; None for a line over `limit` bytes, which is read
    past in chunks rather than held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            rest, piece = line, min(limit + 1, _DRAIN_CHUNK)
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(piece)
            yield number, None
        else:
            yield number, line


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range (not finite)")
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number has {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_decoder = json.JSONDecoder(parse_float=_finite, parse_int=_whole, parse_constant=_refuse_constant)


def _decode(text: str) -> Any:
    """json.loads(text) with the hooks above, the decoder built once (json.loads builds one per
    call when given hooks); a byte-order mark is refused as json.loads refuses it."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _decoder.decode(text)


def parse_line(line: bytes, number: int) -> tuple[Any, str, str]:
    """(id, title, text) of one input line; ValueError with a reason a user can act on."""
    if number == 1 and line.startswith(_BOM):
        line = line[len(_BOM) :]
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start + 1})") from None
    try:
        item = _decode(decoded)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError("needs an object with a string `text`")
    title = item.get("title") or ""
    if not isinstance(title, str):
        raise ValueError("`title` must be a string")
    return item.get("id"), title, item["text"]


def analysis_line(item_id: object, analysis: Analysis) -> str:
    """One output line: the id and the analysis as `analysis_json` gives it."""
    return _encode({"id": item_id, **analysis_json(analysis)})


def _analyze_lines(
    source: IO[bytes], analyze: Callable[[str, str], Analysis], built: Callable[[], None]
) -> int:
    """Analyse every line; `built` is called once, after the first analysis (which builds the
    analyzer)."""
    failed = 0
    write = _output()
    first = True

    def report(number: int, reason: str) -> None:
        nonlocal failed
        failed += 1
        print(f"detente analyze: line {number}: {reason}", file=sys.stderr)

    for number, line in read_lines(source):
        if line is None:
            report(number, f"longer than {MAX_LINE_BYTES:,} bytes: skipped")
            continue
        if not line.strip():
            continue
        try:
            item_id, title, text = parse_line(line, number)
        except ValueError as exc:
            report(number, str(exc))
            continue
        try:
            analysis = analyze(title, text)
        except Exception as exc:  # a reading that fails costs its line, not the run
            report(number, f"analysis failed: {type(exc).__name__}: {exc}")
            continue
        finally:
            if first:
                first = False
                built()
        try:
            encoded = (analysis_line(item_id, analysis) + "\n").encode("utf-8")
        except (ValueError, UnicodeEncodeError) as exc:
            report(number, f"cannot be written as JSON: {exc}")
            continue
        write(encoded)
    write(b"")
    return EXIT_INPUT if failed else EXIT_OK


def _output() -> Callable[[bytes], None]:
    """A writer of encoded lines to stdout through its byte buffer; b'' flushes."""
    stream: Any = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)

    def write(data: bytes) -> None:
        if data:
            if buffer is not None:
                buffer.write(data)
            else:
                stream.write(data.decode("utf-8"))
        else:
            (buffer or stream).flush()

    return write
