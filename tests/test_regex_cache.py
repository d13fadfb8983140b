"""Compiled regexes kept between processes (core/analysis/regex_cache.py): the same programs,
so the same matches, as re.compile; anything wrong with the kept file falls back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.analysis import regex_cache
from core.analysis.actors import default_gazetteer
from core.analysis.analyzer import Analyzer
from core.analysis.themes import default_lexicon

TEXT = (
    "Washington and Moscow agreed to resume talks on New START, the Kremlin said. "
    "Russia expelled two U.S. diplomats over sanctions relief worth $300 billion; "
    "the State Department condemned the ‘provocation’ — a US–Russia low."
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path))
    regex_cache.forget()
    yield tmp_path
    regex_cache.forget()


def _analyzer_patterns() -> list[tuple[str, int]]:
    """Every pattern the analyzer compiles for a text (lexicon regexes, built here)."""
    analyzer = Analyzer(default_lexicon(), default_gazetteer())
    analyzer.analyze("Kremlin: Washington's double standards", TEXT)
    return list(regex_cache.kept_programs())


def test_kept_programs_match_as_re_compile_does(cache: Path) -> None:
    patterns = _analyzer_patterns()
    assert len(patterns) > 50  # the merged lexicon regexes, tails and tone phrases
    regex_cache._save()
    regex_cache.forget()  # as a new process: read the file
    kept = regex_cache.kept_programs()
    assert set(kept) == set(patterns)
    for pattern, flags in patterns:
        ours, theirs = regex_cache.compile(pattern, flags), re.compile(pattern, flags)
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
            theirs.pattern,
            theirs.flags,
            theirs.groups,
            theirs.groupindex,
        )
        assert kept[(pattern, flags)] == regex_cache._program(pattern, flags)
        for text in (TEXT, TEXT.lower(), " " + TEXT.lower()):
            assert [m.span() for m in ours.finditer(text)] == [
                m.span() for m in theirs.finditer(text)
            ]


def test_a_new_process_reads_the_programs_instead_of_compiling(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _analyzer_patterns()
    regex_cache._save()
    regex_cache.forget()

    def no_compiling(pattern: str, flags: int) -> object:
        raise AssertionError(f"compiled again: {pattern[:40]!r}")

    monkeypatch.setattr(regex_cache, "_program", no_compiling)
    _analyzer_patterns()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b'{"engine": "another python", "programs": []}', b'{"engine": 1}'],
)
def test_a_damaged_or_foreign_file_is_compiled_again(cache: Path, content: bytes) -> None:
    _analyzer_patterns()
    regex_cache._save()
    [kept] = list(cache.glob("regex-programs-*.json"))
    kept.write_bytes(content)
    regex_cache.forget()
    pattern = regex_cache.compile(r"\Wsanction\w*")
    assert [m.span() for m in pattern.finditer(" new sanctions")] == [(4, 14)]


def test_a_damaged_program_is_compiled_again(cache: Path) -> None:
    regex_cache.compile(r"\Wsanction\w*")
    regex_cache._save()
    regex_cache.forget()
    programs = regex_cache._load()
    flags, code, groups, groupindex, indexgroup = programs[(r"\Wsanction\w*", 0)]
    programs[(r"\Wsanction\w*", 0)] = (flags, code[:3], groups, groupindex, indexgroup)
    pattern = regex_cache.compile(r"\Wsanction\w*")
    assert [m.span() for m in pattern.finditer(" new sanctions")] == [(4, 14)]


def test_no_cache_folder_means_plain_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_CACHE_DIR", "")
    regex_cache.forget()
    try:
        assert regex_cache.compile(r"a+b").fullmatch("aab")
        regex_cache._save()  # nowhere to write: nothing happens
    finally:
        regex_cache.forget()
