"""Compiled regexes kept between processes, so a process that starts to analyse one file does not
spend a tenth of a second compiling the lexicons again.

Python's regex compiler is written in Python: the merged regexes of the lexicons (themes and
actors, relations, the tone layer; core/analysis/themes.py `trie_pattern`) take ~0.1 s of CPU to
compile, about what bare VADER spends on 150 editorials. `compile(pattern)` returns what
`re.compile(pattern)` returns; the first process compiles with Python's own compiler, step by
step as `re._compiler.compile` does, and keeps the program it produced (a list of integers) in
the cache folder (core/config.py, DETENTE_CACHE_DIR), keyed by the pattern and the
regex engine of the interpreter (Python version, `_sre.MAGIC`, its code size); later processes
hand that program to the engine (`_sre.compile`, which validates it) instead of compiling again:
the same program, so the same matches (tests/test_regex_cache.py compares them). New programs
are written when the process exits, to a temporary file renamed into place. Anything unusual (no
cache folder, a damaged or foreign file, another Python, an engine without these internals)
falls back to `re.compile`.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import sys
from array import array
from base64 import b64decode, b64encode
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_MAX_ENTRIES = 2000
"""Programs kept in the file at most; past this, only those this process used are written."""
_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""(flags, code, groups, groupindex, indexgroup): the arguments `_sre.compile` takes."""

_programs: dict[tuple[str, int], _Program] | None = None
_sources: dict[str, str] = {}
"""Built patterns by the digest of what they were built from (`compile_built`)."""
_used: set[tuple[str, int]] = set()
_registered = False
_compiled: dict[tuple[str, int], re.Pattern[str]] = {}


def _sre() -> Any:
    """Python's regex engine (the C module behind re), without type stubs."""
    from re import _compiler  # type: ignore[attr-defined]

    return _compiler._sre


def _engine() -> str:
    """What a kept program depends on: the interpreter and its regex engine."""
    sre = _sre()
    if array("I").itemsize != sre.CODESIZE:
        raise ValueError("programs of this engine are not kept")  # never on CPython today
    return f"{sys.version}|{sys.byteorder}|{sre.MAGIC}|{sre.CODESIZE}"


def _path() -> str | None:
    from core.config import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    name = f"regex-programs-{sys.implementation.cache_tag}-{_sre().MAGIC}.json"
    return os.path.join(folder, name)


def _load() -> dict[tuple[str, int], _Program]:
    """The programs kept in the cache file; empty when there is none or it is not ours."""
    global _programs
    if _programs is None:
        _programs = {}
        try:
            path = _path()
            if path is not None:
                with open(path, encoding="utf-8") as source:
                    document = json.load(source)
                if document["engine"] == _engine():
                    _programs = dict(_decode(entry) for entry in document["programs"])
                    sources = document.get("sources", {})
                    if isinstance(sources, dict):
                        _sources.update((str(key), str(value)) for key, value in sources.items())
        except (OSError, ValueError, TypeError, KeyError, IndexError, ImportError):
            pass
    return _programs


def _decode(entry: list[Any]) -> tuple[tuple[str, int], _Program]:
    """One kept program from its JSON form (the code as base64 of native 32-bit integers)."""
    pattern, flags, final_flags, packed, groups, groupindex, indexgroup = entry
    code = array("I")
    code.frombytes(b64decode(packed))
    key = (str(pattern), int(flags))
    return key, (int(final_flags), code.tolist(), int(groups), dict(groupindex), tuple(indexgroup))


def _encode(key: tuple[str, int], program: _Program) -> list[Any]:
    final_flags, code, groups, groupindex, indexgroup = program
    packed = b64encode(array("I", code).tobytes()).decode("ascii")
    return [key[0], key[1], final_flags, packed, groups, groupindex, list(indexgroup)]


def _program(pattern: str, flags: int) -> _Program:
    """Compile as `re._compiler.compile` does, keeping the program it hands to the engine."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _build(pattern: str, program: _Program) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = program
    built: re.Pattern[str] = _sre().compile(pattern, flags, code, groups, groupindex, indexgroup)
    return built


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the program kept by an earlier process when there is
    one (see the module docstring)."""
    key = (pattern, int(flags))
    known = _compiled.get(key)
    if known is not None:
        return known
    try:
        programs = _load()
        program = programs.get(key)
        if program is not None:
            try:
                built = _build(pattern, program)
            except (RuntimeError, TypeError, ValueError, OverflowError):
                program = None  # damaged: compile it again below
        if program is None:
            program = _program(pattern, key[1])
            built = _build(pattern, program)
            programs[key] = program
            _changed()
        _used.add(key)
    except (ImportError, AttributeError):  # an engine without these internals
        built = re.compile(pattern, flags)
    _compiled[key] = built
    return built


def compile_built(
    inputs: Sequence[str], build: Callable[[], str], *, code: Sequence[str]
) -> re.Pattern[str]:
    """`compile(build())`, where the pattern is a pure function of `inputs` (a lexicon's terms)
    and of the source files `code` (the modules that build it): a pattern kept by an earlier
    process for the same inputs and the same code is not built again (building the merged regex
    of a lexicon costs about as much as compiling its kept program). Without readable sources,
    the pattern is built."""
    digest = hashlib.sha256()
    try:
        for path in code:
            with open(path, "rb") as source:
                digest.update(source.read())
    except OSError:
        return compile(build())
    digest.update("\x00".join(inputs).encode("utf-8", "surrogatepass"))
    key = digest.hexdigest()
    _load()
    pattern = _sources.get(key)
    if pattern is None:
        pattern = _sources[key] = build()
        _changed()
    return compile(pattern)


def _changed() -> None:
    """Something new to keep: write the file when the process exits."""
    global _registered
    if not _registered:
        _registered = True
        atexit.register(_save)


def _save() -> None:
    """Write the programs (those of this process first) to the cache file, atomically."""
    programs = _programs
    try:
        path = _path()
        if path is None or not programs:
            return
        if len(programs) > _MAX_ENTRIES:
            programs = {key: programs[key] for key in _used}
        from core.config import write_kept

        wanted = {pattern for pattern, _ in programs}
        document = {
            "engine": _engine(),
            "programs": [_encode(key, program) for key, program in programs.items()],
            "sources": {key: value for key, value in _sources.items() if value in wanted},
        }
        write_kept(Path(path), document)
    except (OSError, ValueError, OverflowError, ImportError):
        pass


def forget() -> None:
    """Drop what this process holds (tests: read the file again as a new process would)."""
    global _programs
    _programs = None
    _sources.clear()
    _used.clear()
    _compiled.clear()


def kept_programs() -> dict[tuple[str, int], Any]:
    """The programs this process holds, by (pattern, flags) (tests)."""
    return dict(_load())
