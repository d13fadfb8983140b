"""The relations lexicon (config/relations.toml): categories of acts with their CAMEO-style
codes and Goldstein weights, the phrases that signal them (term syntax of config/themes.toml
plus ` ... ` gaps and `|` alternatives), parties and cue words; loaded and checked with errors
naming the file, the line and the entry. Read by core/analysis/relations.py; the Russian half
(`[categories.<code>.ru]`, `[ru.parties]`, `[ru.cues]`) by core/analysis/relations_russian.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.analysis import regex_cache
from core.analysis.themes import MEMO_LIMIT, TermError, fold, parse_term
from core.config import (
    CONFIG_DIR,
    ConfigError,
    line_finder,
    line_of,
    load_toml,
    required_version,
)

DEFAULT_RELATIONS_PATH = CONFIG_DIR / "relations.toml"
QUADS: tuple[str, ...] = (
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
)
PARTY_KINDS: tuple[str, ...] = ("us", "russia", "mutual", "other")
CUE_KINDS: tuple[str, ...] = ("negation", "hypothetical", "conditional", "speech", "reciprocal")
RU_CUE_KINDS: tuple[str, ...] = (*CUE_KINDS, "neutral")
"""Russian cues add `neutral`: look-alikes that hide the cues inside them («не только»)."""
WEIGHT_LIMIT = 10.0
"""Goldstein weights lie in −10 … +10."""
GAP_WORDS = 4
"""Words that may stand between the parts of a phrase written with ` ... `."""
_CATEGORY_KEYS = frozenset(
    {"label", "quad", "cameo", "weight", "phrases", "exclude", "speaker", "mutual", "ru"}
)
_SPACE_ATOM = r"[\s\-‐‑‒–—]+"
_DASHES = "-‐‑‒–—"
_ATOMS: dict[str, str] = {" ": _SPACE_ATOM} | dict.fromkeys(_DASHES, f"[{re.escape(_DASHES)}]")
"""The regex atom of a character in a phrase part (a space: spaces or dashes; a dash: any dash)."""
_PARTS = re.compile(r"\s(?:\.\.\.|…)\s")
"""What separates the parts of a phrase: ` ... ` (or ` … `)."""
_GAP = rf"(?:[^\w,;:]+\w+){{0,{GAP_WORDS}}}?[^\w,;:]+"


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    label: str
    quad: str
    weight: float
    phrases: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    speaker: bool = False
    cameo: str = ""
    mutual: bool = False


@dataclass(frozen=True, slots=True)
class RussianRelations:
    """The Russian half of the lexicon: phrases and false friends per category (words in their
    dictionary form, matched by lemma), parties and cues."""

    phrases: dict[str, tuple[str, ...]]
    exclude: dict[str, tuple[str, ...]]
    parties: dict[str, tuple[str, ...]]
    cues: dict[str, tuple[str, ...]]


class RelationsLexicon:
    """The categories, parties and cues of config/relations.toml, checked."""

    def __init__(
        self,
        categories: tuple[Category, ...],
        parties: dict[str, tuple[str, ...]],
        cues: dict[str, tuple[str, ...]],
        version: str,
        ru: RussianRelations | None = None,
    ) -> None:
        self.categories = categories
        self.parties = parties
        self.cues = cues
        self.version = version
        self.ru = ru
        """None: the lexicon reads English only (no `[ru]` table and no Russian phrases)."""
        self.by_code: dict[str, Category] = {category.code: category for category in categories}
        self.quads: dict[str, str] = {category.code: category.quad for category in categories}


@lru_cache(maxsize=8192)
def _part_pattern(part: str) -> str:
    """The regex of one part of a phrase (after the first), with `|` alternatives (memoised:
    the loader checks every phrase and the reader builds its regexes from the same parts)."""
    alternatives = []
    for alternative in part.split("|"):
        term = parse_term(alternative)
        atoms = []
        for char in fold(term.body):
            atom = _ATOMS.get(char)
            if atom is None:  # re.escape of one character, looked up once per character
                atom = _ATOMS[char] = re.escape(char)
            atoms.append(atom)
        alternatives.append("".join(atoms) + (r"\w*" if term.star else ""))
    return "(?:" + "|".join(alternatives) + r")(?!\w)"


def split_phrase(phrase: str) -> tuple[str, tuple[str, ...]]:
    """(first part, the parts after ` ... `); raise TermError when a part is empty or bad."""
    if not isinstance(phrase, str) or not phrase.strip():
        raise TermError(f"empty phrase {phrase!r}")
    return _split_phrase(phrase)


@lru_cache(maxsize=8192)
def _split_phrase(phrase: str) -> tuple[str, tuple[str, ...]]:
    """split_phrase of a non-empty string (memoised, as `_part_pattern`)."""
    if "..." in phrase or "…" in phrase:
        parts = [part.strip() for part in _PARTS.split(f" {phrase} ")]
    else:  # most phrases: one part (the split would find no separator)
        parts = [phrase.strip()]
    if any(not part for part in parts):
        raise TermError(f"empty part in phrase {phrase!r}")
    head, tails = parts[0], tuple(parts[1:])
    if "|" in head:
        raise TermError(f"'|' may only separate alternatives after ' ... ': {phrase!r}")
    parse_term(head)
    for tail in tails:
        if any(not alternative.strip() for alternative in tail.split("|")):
            raise TermError(f"empty alternative in phrase {phrase!r}")
        _part_pattern(tail)
    return head, tails


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """The whole phrase as one regex over folded text: `fullmatch(fold(text[start:end]))` of an
    event's span holds for one phrase of its category (the tests rely on it)."""
    head, tails = split_phrase(phrase)
    return regex_cache.compile(
        _part_pattern(head) + "".join(_GAP + _part_pattern(tail) for tail in tails)
    )


def tail_regex(tails: tuple[str, ...]) -> re.Pattern[str] | None:
    if not tails:
        return None
    return regex_cache.compile("".join(_GAP + _part_pattern(tail) for tail in tails))


class CueWords:
    """A cue list for the short windows before a phrase, checked without a regex: one-word
    cues in a set, `*` cues as prefixes, several-word cues indexed by their first word."""

    def __init__(self, terms: Iterable[str]) -> None:
        single: set[str] = set()
        prefixes: list[str] = []
        phrases: dict[str, list[tuple[str, ...]]] = {}
        self.terms = tuple(fold(term.lstrip("=").strip()) for term in terms)
        for body in self.terms:
            words = body.split()
            if len(words) > 1:
                phrases.setdefault(words[0], []).append(tuple(words[1:]))
            elif body.endswith("*"):
                prefixes.append(body[:-1])
            else:
                single.add(body)
        self.single = frozenset(single)
        self.prefixes = tuple(prefixes)
        self.phrases = phrases
        self._cue: dict[str, bool] = {}  # whether a word is a one-word or `*` cue (memo)

    def found_in(self, words: list[str]) -> bool:
        """Whether any cue is among `words` (folded, punctuation stripped)."""
        known, phrases = self._cue, self.phrases
        for position, word in enumerate(words):
            cue = known.get(word)
            if cue is None:
                cue = word in self.single or bool(self.prefixes and word.startswith(self.prefixes))
                if len(known) < MEMO_LIMIT:
                    known[word] = cue
            if cue:
                return True
            for rest in phrases.get(word, ()):
                following = words[position + 1 : position + 1 + len(rest)]
                if len(following) == len(rest) and all(
                    have == want or (want.endswith("*") and have.startswith(want[:-1]))
                    for have, want in zip(following, rest, strict=True)
                ):
                    return True
        return False

    def positions(self, folded: str, left: int, right: int) -> list[tuple[int, int, str]]:
        """(start, end, cue) of every cue in `folded[left:right]` as whole words, in order."""
        found = []
        for cue in self.terms:
            at = folded.find(cue, left, right)
            while at >= 0:
                after = at + len(cue)
                if (at == left or not folded[at - 1].isalnum()) and (
                    after >= len(folded) or not folded[after].isalnum()
                ):
                    found.append((at, after, cue))
                at = folded.find(cue, at + 1, right)
        found.sort()
        return found

    def found_between(self, folded: str, left: int, right: int) -> bool:
        """Whether any cue stands in `folded[left:right]` as whole words (no `*` cues)."""
        for cue in self.terms:
            at = folded.find(cue, left, right)
            while at >= 0:
                after = at + len(cue)
                if (at == left or not folded[at - 1].isalnum()) and (
                    after >= len(folded) or not folded[after].isalnum()
                ):
                    return True
                at = folded.find(cue, at + 1, right)
        return False


# --- loading -----------------------------------------------------------------------------------


def _phrase_line(path: Path, phrase: object, header: int) -> int:
    return line_of(path, f'"{phrase}"', start_line=header) or header


def _terms(path: Path, where: str, name: str, value: object, header: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {name} must be a list")
    for term in value:
        try:
            if not isinstance(term, str) or not term.strip():
                raise TermError(f"empty phrase {term!r}")
            parse_term(term)
        except TermError as exc:
            raise ConfigError(f"{path}:{_phrase_line(path, term, header)}: {name}: {exc}") from exc
    return tuple(value)


def _category(path: Path, code: str, table: Any, line_at: Callable[..., int | None]) -> Category:
    header = line_at(f"[categories.{code}]") or 1
    where = f"{path}:{header}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise ConfigError(f"{where}: category {code!r} must be snake_case")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: categories.{code} must be a table")
    unknown = sorted(set(table) - _CATEGORY_KEYS)
    if unknown:
        line = line_of(path, f"{unknown[0]} =", start_line=header) or header
        raise ConfigError(f"{path}:{line}: category {code!r}: unknown key {unknown[0]!r}")
    quad = table.get("quad")
    if quad not in QUADS:
        line = line_of(path, "quad", start_line=header) or header
        raise ConfigError(
            f"{path}:{line}: category {code!r}: unknown category class {quad!r} "
            f"(one of {', '.join(QUADS)})"
        )
    weight = table.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        line = line_of(path, "weight", start_line=header) or header
        raise ConfigError(f"{path}:{line}: category {code!r}: weight must be a number")
    if not -WEIGHT_LIMIT <= weight <= WEIGHT_LIMIT:
        line = line_of(path, "weight", start_line=header) or header
        raise ConfigError(f"{path}:{line}: category {code!r}: weight {weight} is outside −10 … +10")
    phrases = table.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        raise ConfigError(f"{where}: category {code!r} has no phrases")
    for phrase in phrases:
        try:
            split_phrase(phrase)
        except TermError as exc:
            line = _phrase_line(path, phrase, header)
            raise ConfigError(f"{path}:{line}: category {code!r}: {exc}") from exc
    exclude = _terms(path, where, f"category {code!r}: exclude", table.get("exclude", []), header)
    label = table.get("label", code.replace("_", " ").capitalize())
    if not isinstance(label, str) or not label.strip():
        raise ConfigError(f"{where}: category {code!r}: `label` must be a non-empty string")
    speaker = table.get("speaker", False)
    if not isinstance(speaker, bool):
        raise ConfigError(f"{where}: category {code!r}: `speaker` must be true or false")
    mutual = table.get("mutual", False)
    if not isinstance(mutual, bool):
        raise ConfigError(f"{where}: category {code!r}: `mutual` must be true or false")
    cameo = str(table.get("cameo", ""))
    return Category(
        code, label.strip(), quad, float(weight), tuple(phrases), exclude, speaker, cameo, mutual
    )


def _russian_category(
    path: Path, code: str, table: Any, line_at: Callable[..., int | None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases, exclude) of a `[categories.<code>.ru]` table."""
    header = line_at(f"[categories.{code}.ru]") or line_at(f"[categories.{code}]") or 1
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{header}: categories.{code}.ru must be a table")
    unknown = sorted(set(table) - {"phrases", "exclude"})
    if unknown:
        line = line_at(f"{unknown[0]} =", start_line=header) or header
        raise ConfigError(f"{path}:{line}: category {code!r} (ru): unknown key {unknown[0]!r}")
    phrases = table.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        raise ConfigError(f"{path}:{header}: category {code!r} has no Russian phrases")
    for phrase in phrases:
        try:
            split_phrase(phrase)
        except TermError as exc:
            line = _phrase_line(path, phrase, header)
            raise ConfigError(f"{path}:{line}: category {code!r} (ru): {exc}") from exc
    where = f"{path}:{header}"
    exclude = _terms(
        path, where, f"category {code!r} (ru): exclude", table.get("exclude", []), header
    )
    return tuple(phrases), exclude


def _russian(
    path: Path,
    document: dict[str, Any],
    tables: dict[str, Any],
    line_at: Callable[..., int | None],
) -> RussianRelations | None:
    """The Russian half, or None when the file has none; once it has some, every category needs
    Russian phrases."""
    ru = document.get("ru")
    with_ru = [code for code, table in tables.items() if isinstance(table, dict) and "ru" in table]
    if ru is None and not with_ru:
        return None
    header = line_at("[ru.") or line_at("[ru]") or 1
    if not isinstance(ru, dict):
        raise ConfigError(f"{path}:{header}: `ru` must hold [ru.parties] and [ru.cues] tables")
    unknown = sorted(set(ru) - {"parties", "cues"})
    if unknown:
        line = line_at(f"[ru.{unknown[0]}") or header
        raise ConfigError(f"{path}:{line}: unknown table 'ru.{unknown[0]}'")
    phrases: dict[str, tuple[str, ...]] = {}
    exclude: dict[str, tuple[str, ...]] = {}
    for code, table in tables.items():
        if "ru" not in table:
            line = line_at(f"[categories.{code}]") or 1
            raise ConfigError(
                f"{path}:{line}: category {code!r} has no Russian phrases "
                f"(a [categories.{code}.ru] table with `phrases`)"
            )
        phrases[code], exclude[code] = _russian_category(path, code, table["ru"], line_at)
    parties = _lists(path, ru, "parties", PARTY_KINDS, line_at, prefix="ru.")
    cues = _lists(path, ru, "cues", RU_CUE_KINDS, line_at, prefix="ru.")
    return RussianRelations(phrases, exclude, parties, cues)


def _lists(
    path: Path,
    document: dict[str, Any],
    name: str,
    kinds: tuple[str, ...],
    line_at: Callable[..., int | None],
    prefix: str = "",
) -> dict[str, tuple[str, ...]]:
    table = document.get(name, {})
    header = line_at(f"[{prefix}{name}]") or 1
    name = prefix + name
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{header}: `{name}` must be a table")
    unknown = sorted(set(table) - set(kinds))
    if unknown:
        line = line_of(path, f"{unknown[0]} =", start_line=header) or header
        raise ConfigError(
            f"{path}:{line}: unknown {name} list {unknown[0]!r} (one of {', '.join(kinds)})"
        )
    lists: dict[str, tuple[str, ...]] = {}
    for kind in kinds:
        line = line_at(f"{kind} =", start_line=header) or header
        lists[kind] = _terms(path, f"{path}:{line}", f"{name}.{kind}", table.get(kind, []), line)
    return lists


def load_relations(path: Path | None = None) -> RelationsLexicon:
    """Read and check a relations lexicon; every problem raises ConfigError naming the file, the
    line and the entry (bad TOML, an unknown category class, a weight outside −10 … +10, an
    empty phrase …)."""
    path = path or DEFAULT_RELATIONS_PATH
    document = load_toml(path, keep=True)
    version = required_version(path, document)
    unknown = sorted(set(document) - {"version", "categories", "parties", "cues", "ru"})
    if unknown:
        line = line_of(path, f"[{unknown[0]}") or line_of(path, f"{unknown[0]} =") or 1
        raise ConfigError(f"{path}:{line}: unknown table {unknown[0]!r}")
    tables = document.get("categories")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}:1: no [categories.<code>] tables")
    line_at = line_finder(path)  # the file read once for all the tables' lines
    categories = tuple(_category(path, code, table, line_at) for code, table in tables.items())
    parties = _lists(path, document, "parties", PARTY_KINDS, line_at)
    cues = _lists(path, document, "cues", CUE_KINDS, line_at)
    ru = _russian(path, document, tables, line_at)
    return RelationsLexicon(categories, parties, cues, version.strip(), ru)


@lru_cache(maxsize=1)
def default_relations() -> RelationsLexicon:
    """The lexicon in config/relations.toml, read once per process."""
    return load_relations()
