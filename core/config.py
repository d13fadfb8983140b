"""Reading the analyst-editable TOML files in config/ with errors that name the file and line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO_ROOT / "config"
DATA_DIR = REPO_ROOT / "data"


class ConfigError(ValueError):
    """A configuration file is malformed; the message names the file and, where known, the line."""


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes a ConfigError saying `file:line:column: what`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
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


def line_of(path: Path, needle: str, *, start_line: int = 1) -> int | None:
    """The first line (1-based, at or after `start_line`) containing `needle`, for error messages
    about values that parsed but do not make sense (tomllib keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, text in enumerate(lines[start_line - 1 :], start=start_line):
        if needle in text:
            return number
    return None


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
