"""pymorphy3's readings of words kept between processes, so a process that reads its first
Russian text does not spend seconds asking the dictionary about the words of config/ again.

Building the Russian readers (core/analysis/russian.py, core/analysis/relations_russian.py) asks
pymorphy3 for the lemmas of ~9,000 written words and the shadowed forms of ~470 verbs and nouns:
~2 s of CPU in every worker, dashboard server and command that reads Russian, and loading the
dictionary itself another ~0.3 s. What core/analysis/russian_words.py and
core/analysis/relations_russian_grammar.py compute per word is a pure function of the word, of
the dictionary and of their own code, so the first process keeps its answers (`lemma`, `lemmas`,
`grammemes`, `shadowed_forms`) in the cache folder (core/config.py, DETENTE_CACHE_DIR), keyed by
the versions of pymorphy3 and of its dictionary and by the source of those two modules; later
processes look a word up there before asking pymorphy3 (the same answers, tested in
tests/test_russian_kept.py). New answers are written after a reader is built and when the
process exits, merged with what other processes kept, to a temporary file renamed into place.
Anything unusual (no cache folder, a damaged or foreign file) means asking pymorphy3.
"""

from __future__ import annotations

import atexit
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLES = ("lemma", "lemmas", "grammemes", "shadowed")
"""One table per function kept: written word -> its answer in JSON form."""
MAX_WORDS = 60_000
"""Words kept per table at most (a process reading many texts meets ever new words)."""
_CODE = ("russian_words.py", "relations_russian_grammar.py")
"""The modules (beside this one) whose functions compute what is kept."""

_kept: dict[str, dict[str, Any]] | None = None
_new = 0
"""Answers added since the file was last written."""
_registered = False


@lru_cache(maxsize=1)
def _key() -> str:
    """What the kept answers depend on: pymorphy3, its dictionary and the code that asks it."""
    from core.analysis.analyzer import installed_version

    digest = hashlib.sha256()
    for distribution in ("pymorphy3", "pymorphy3-dicts-ru"):
        digest.update(f"{distribution}={installed_version(distribution)}\n".encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _path() -> Path | None:
    from core.config import cache_dir

    folder = cache_dir()
    return None if folder is None else folder / "russian-words.json"


def _read_file() -> dict[str, dict[str, Any]]:
    """The tables kept in the file for this key; empty ones when there is none or it is not
    ours."""
    empty: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
    try:
        path = _path()
        if path is None:
            return empty
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["key"] != _key():
            return empty
        tables = document["tables"]
        return {name: dict(tables[name]) for name in TABLES}
    except (OSError, ValueError, TypeError, KeyError, ImportError):
        return empty


def _tables() -> dict[str, dict[str, Any]]:
    global _kept
    if _kept is None:
        _kept = _read_file()
    return _kept


def lookup(table: str, word: str) -> Any:
    """The kept answer of `table` for `word` in its JSON form, or None."""
    return _tables()[table].get(word)


def keep(table: str, word: str, value: Any) -> None:
    """Keep an answer (in its JSON form) for later processes."""
    global _new, _registered
    kept = _tables()[table]
    if word in kept or len(kept) >= MAX_WORDS:
        return
    try:
        word.encode("utf-8")  # a lone surrogate from hostile text cannot be written
    except UnicodeEncodeError:
        return
    kept[word] = value
    _new += 1
    if not _registered:
        _registered = True
        atexit.register(save)


def save() -> None:
    """Write the new answers, merged with those kept by other processes meanwhile, atomically;
    nothing when there is nothing new."""
    global _new
    if not _new or _kept is None:
        return
    try:
        from core.config import write_kept

        path = _path()
        if path is None:
            return
        merged = _read_file()
        for name in TABLES:
            room = MAX_WORDS - len(merged[name])
            extra = {w: v for w, v in _kept[name].items() if w not in merged[name]}
            merged[name].update(list(extra.items())[: max(room, 0)])
        write_kept(path, {"key": _key(), "tables": merged})
        _new = 0
    except (OSError, ValueError, ImportError):
        pass


def forget() -> None:
    """Drop what this process holds (tests: read the file again as a new process would)."""
    global _kept, _new
    _kept = None
    _new = 0
    _key.cache_clear()
