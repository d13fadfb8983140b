"""Find many lexicon phrases in a text in one regex pass, with exact spans in the original text.

Term syntax (shared by config/themes.toml and config/actors.toml):
- Case-insensitive, on word boundaries: `sanction` matches "Sanction" but not "sanctioned".
- A trailing `*` continues the last word: `sanction*` matches sanction, sanctions, sanctioned.
- A space matches any run of spaces or hyphens: `New START` matches "New START" and "new-START";
  a hyphen matches a hyphen or a dash (`US-Russia` also matches "US–Russia").
- A leading `=` makes the term case-sensitive: `=US` matches "US" but not "us".

The text is never lower-cased before matching: the regex runs on the original string with
IGNORECASE, so every span indexes the original text even where lower-casing changes length ("İ").
All terms are merged into one trie-shaped regex: one scan per text, whatever the lexicon size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

_SPACE = r"[\s\-‐‑‒–—]+"
_DASH = r"[\-‐‑‒–—]"


class TermError(ValueError):
    """A lexicon term that cannot be compiled (empty, or a wildcard in the wrong place)."""


@dataclass(frozen=True, slots=True)
class PhraseHit:
    indexes: tuple[int, ...]
    """Positions, in the sequence given to PhraseMatcher, of the terms this text matched."""
    start: int
    end: int


def _atoms(term: str) -> list[str]:
    """A term as a list of regex atoms: one per character, whitespace and dashes normalised."""
    body = term[1:] if term.startswith("=") else term
    body = body.strip()
    if not body or body == "*":
        raise TermError(f"empty term {term!r}")
    star = body.endswith("*")
    if star:
        body = body[:-1].rstrip()
    if "*" in body:
        raise TermError(f"'*' may only end a term: {term!r}")
    atoms: list[str] = []
    for char in re.sub(r"\s+", " ", body):
        if char == " ":
            atoms.append(_SPACE)
        elif char in "-‐‑‒–—":
            atoms.append(_DASH)
        else:
            atoms.append(re.escape(char))
    if star:
        atoms.append(r"\w*")
    return atoms


def _trie_pattern(entries: Sequence[tuple[list[str], int, bool]]) -> str:
    """Merge the terms' atom lists into one regex shaped like a trie (no capture groups: with
    hundreds of groups Python's engine spends half its time saving marks)."""
    root: dict[str, object] = {}
    for atoms, index, case_sensitive in entries:
        node = root
        key_prefix = "(?-i:" if case_sensitive else ""
        for atom in atoms:
            key = key_prefix + atom + (")" if case_sensitive else "")
            node = node.setdefault(key, {})  # type: ignore[assignment]
        node.setdefault("", index)  # first definition of a duplicate term wins

    def render(node: dict[str, object]) -> str:
        branches = []
        # Literal continuations before `\w*` wildcards, so the longest term wins.
        keys = sorted((k for k in node if k), key=lambda k: k.endswith(r"\w*") or "\\w*)" in k)
        for key in keys:
            branches.append(key + render(node[key]))  # type: ignore[arg-type]
        if "" in node:
            # A word must end here; `\w*` atoms already consumed the rest of the word.
            branches.append(r"(?!\w)")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return r"(?<!\w)" + render(root) if root else r"(?!x)x"


_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")


def normalize(text: str) -> str:
    """The lookup key of a term or of matched text: case-folded, separators collapsed, and the
    combining dot that case-folding "İ" adds removed."""
    body = text[1:] if text.startswith("=") else text
    return _SEPARATORS.sub(" ", body.strip().casefold().replace("\u0307", ""))


class PhraseMatcher:
    """Compiled once per lexicon; `finditer(text)` yields hits left to right, the longest term
    first where two start at the same place, never overlapping. A hit names every term (by
    index) that reads the same, so one phrase can serve several themes or kinds."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = tuple(terms)
        entries = [(_atoms(term), index, term.startswith("=")) for index, term in enumerate(terms)]
        self._regex = re.compile(_trie_pattern(entries), re.IGNORECASE)
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        for index, term in enumerate(terms):
            key = normalize(term)
            if key.endswith("*"):
                self._prefix.setdefault(key[:-1].rstrip(), []).append(index)
            else:
                self._exact.setdefault(key, []).append(index)
        self._memo: dict[str, tuple[int, ...]] = {}
        self._prefix_lengths = sorted({len(key) for key in self._prefix}, reverse=True)

    def _owners(self, matched: str) -> tuple[int, ...]:
        known = self._memo.get(matched)
        if known is not None:
            return known
        owners = self._lookup(matched)
        if len(self._memo) < 100_000:  # news repeats its phrases; bound memory all the same
            self._memo[matched] = owners
        return owners

    def _lookup(self, matched: str) -> tuple[int, ...]:
        key = normalize(matched)
        exact = self._exact.get(key)
        if exact is not None:
            return tuple(exact)
        for length in self._prefix_lengths:
            found = self._prefix.get(key[:length])
            if found is not None:
                return tuple(found)
        return ()

    def finditer(self, text: str) -> Iterator[PhraseHit]:
        owners_of = self._owners
        for found in self._regex.finditer(text):
            owners = owners_of(found.group())
            if owners:
                start, end = found.span()
                yield PhraseHit(owners, start, end)

    def search(self, text: str) -> bool:
        return self._regex.search(text) is not None


def check_terms(terms: Iterable[str]) -> list[str]:
    """The problems with a list of terms, as messages (empty when all compile)."""
    problems = []
    for term in terms:
        if not isinstance(term, str):
            problems.append(f"term {term!r} is not a string")
            continue
        try:
            _atoms(term)
        except TermError as exc:
            problems.append(str(exc))
    return problems
