"""Reading the analyst-editable TOML files in config/ with errors that name the file and line."""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO_ROOT / "config"
DATA_DIR = REPO_ROOT / "data"


class ConfigError(ValueError):
    """A configuration file is malformed; the message names the file and, where known, the line."""


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(path: Path, *, keep: bool = False) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes a ConfigError saying `file:line:column: what`.

    `keep` (the lexicons, nothing secret): the parsed document is kept in the cache folder
    (CACHE_ENV) as JSON with the hash of the file's bytes, and read from there while the file
    stays the same byte for byte — tomllib is written in Python and takes ~15 ms for the four
    lexicons, reading their JSON ~1 ms. Only a document made of what JSON holds exactly (tables,
    arrays, strings, booleans, integers, finite floats) is kept."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if keep:
        kept = _kept_document(path, raw)
        if kept is not None:
            return kept
    import tomllib  # here: a start-up that finds every lexicon kept does without it (~3 ms)

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        if found:
            where = f"{found.group(1)}:{found.group(2)}"
            message = _TOML_LINE.sub("", message).strip()
            raise ConfigError(f"{path}:{where}: {message}") from exc
        if "(at end of document)" in message:
            last = raw.rstrip(b"\n").count(b"\n") + 1
            message = message.replace("(at end of document)", "").strip()
            raise ConfigError(f"{path}:{last}: {message} (at end of file)") from exc
        raise ConfigError(f"{path}: {message}") from exc
    if keep:
        _keep_document(path, raw, document)
    return document


CACHE_ENV = "DETENTE_CACHE_DIR"
"""Where what is worth keeping between processes goes (default: $XDG_CACHE_HOME/detente, else
~/.cache/detente): the unpacked language model (core/analysis/language.py), compiled regexes
(core/analysis/regex_cache.py), parsed lexicons (`load_toml`), pymorphy3's readings of words
(core/analysis/russian_kept.py); an empty string keeps nothing."""


def cache_dir() -> Path | None:
    """The folder kept between processes (CACHE_ENV), or None when there is to be none."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "detente"


def write_kept(kept: Path, document: object) -> None:
    """Write `document` as JSON to `kept` in the cache folder atomically: to a temporary file of
    this process, renamed into place, so a reader never sees half a file (OSError, ValueError
    propagate; the callers keep nothing then)."""
    import json

    kept.parent.mkdir(parents=True, exist_ok=True)
    staging = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        with open(staging, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False)
        os.replace(staging, kept)
    finally:
        staging.unlink(missing_ok=True)


def _kept_path(path: Path) -> Path | None:
    import hashlib

    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"toml-{name[:24]}.json"


def _kept_document(path: Path, raw: bytes) -> dict[str, Any] | None:
    """The document kept for these exact bytes, or None."""
    import hashlib
    import json

    try:
        kept = _kept_path(path)
        if kept is None:
            return None
        stored = json.loads(kept.read_text(encoding="utf-8"))
        if stored["sha256"] != hashlib.sha256(raw).hexdigest():
            return None
        document = stored["document"]
        return document if isinstance(document, dict) else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _json_exact(value: object) -> bool:
    """Whether JSON gives `value` back exactly (no dates, no NaN, string keys)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_exact(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_exact(item) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | bool | int)


def _keep_document(path: Path, raw: bytes, document: dict[str, Any]) -> None:
    """Write the parsed document beside the hash of its bytes (to a temporary file renamed
    into place); any trouble leaves nothing kept."""
    import hashlib

    try:
        kept = _kept_path(path)
        if kept is None or not _json_exact(document):
            return
        write_kept(kept, {"sha256": hashlib.sha256(raw).hexdigest(), "document": document})
    except (OSError, ValueError):
        pass


def line_of(path: Path, needle: str, *, start_line: int = 1) -> int | None:
    """The first line (1-based, at or after `start_line`) containing `needle`, for error messages
    about values that parsed but do not make sense (tomllib keeps no positions)."""
    return line_finder(path)(needle, start_line=start_line)


def line_finder(path: Path) -> Callable[..., int | None]:
    """`line_of` for one file, read once when first asked: a loader that looks up the line of
    every table reads the file once, not once per table."""
    read: list[tuple[list[str], str, list[int]]] = []

    def find(needle: str, *, start_line: int = 1) -> int | None:
        if not read:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                return None
            starts = [0]  # where each line starts in the lines joined by "\n"
            for text in lines:
                starts.append(starts[-1] + len(text) + 1)
            read.append((lines, "\n".join(lines), starts))
        lines, joined, starts = read[0]
        if start_line < 1 or needle.splitlines() != [needle]:  # not one line's worth: per line
            for number, text in enumerate(lines[start_line - 1 :], start=start_line):
                if needle in text:
                    return number
            return None
        # One search of the whole file in C rather than a test per line: a loader asks for the
        # line of every table and entry, and this is on the start-up path of every command.
        at = joined.find(needle, starts[start_line - 1]) if start_line <= len(lines) else -1
        return None if at < 0 else bisect_right(starts, at)

    return find


def required_version(path: Path, document: dict[str, Any]) -> str:
    """The file's top-level `version` string, which travels with every analysis made with it."""
    version = document.get("version")
    if not isinstance(version, str) or not version.strip():
        line = line_of(path, "version") or 1
        raise ConfigError(f'{path}:{line}: a top-level `version = "..."` string is required')
    return version


def table_lines(path: Path, header: str) -> list[int]:
    """Line numbers of every `[[header]]` (or `[header]`) table start, in file order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(header)}\s*\]\]?\s*(#.*)?$")
    return [number for number, text in enumerate(lines, start=1) if pattern.match(text)]
