"""The domain tone layer: what VADER lacks or misreads in international politics.

VADER stays the tone engine (core/analysis/tone.py). config/tone.toml, which an analyst edits,
adds two kinds of entries:
- `[valence]`: a word or phrase with a valence on VADER's own -4 … +4 word scale — words VADER
  lacks ("double standards", "provocation", "escalation", "blackmail") or reads too mildly
  ("aggression");
- `neutral`: phrases in which a sentiment word is not sentiment ("sanctions relief", "prisoner
  swap", "free trade", "worth $300 billion", "United States"): the whole phrase scores 0.

How: every phrase is one entry in a copy of VADER's lexicon under a placeholder token that no
text contains; before VADER reads a sentence, each phrase found in it is replaced by its token
(pre-tokenisation, so a phrase of several words is one word for VADER and its negation, booster
and "but" rules apply to the phrase as to any word). All phrases are compiled into one
trie-shaped regex (core/analysis/themes.py), and a field is scanned once: a sentence without a
phrase — most of them — is scored once, as stock VADER scores it. A sentence with one is scored
twice, stock and with the layer, and each phrase is recorded as a ToneAdjustment (which words
moved the score, from what valence to what).

Phrase syntax: the term syntax of config/themes.toml (case-insensitive, on word boundaries; a
trailing `*` continues a word — here any word of the phrase, not only the last; a space matches
spaces or hyphens) plus `#`, a word that is an amount ("$300", "1.5bn", "€40"): `worth #` reads
"worth" before an amount only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.analysis import regex_cache, themes
from core.analysis.themes import MEMO_LIMIT, fold, term_atoms, trie_pattern
from core.analysis.tone import Vader
from core.config import (
    CONFIG_DIR,
    ConfigError,
    line_finder,
    line_of,
    load_toml,
    required_version,
)
from core.models import TextField, ToneAdjustment, slot_constructor

DEFAULT_TONE_PATH = CONFIG_DIR / "tone.toml"
VALENCE_LIMIT = 4.0
"""VADER's word scale runs from -4 (extremely negative) to +4 (extremely positive)."""
AMOUNT = "#"
_AMOUNT_ATOM = r"[$€£¥₽]?\d+(?:[.,]\d+)*\w*"
_SPACE_ATOM = term_atoms(" ")[0]
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d\w*", re.UNICODE)
_TOKEN_PREFIX = "dtonephrase"  # noqa: S105 (a placeholder word, no secret)

_new_adjustment = slot_constructor(
    ToneAdjustment, ("start", "end", "phrase", "valence", "vader_valence", "field")
)
# (vader compound, domain compound, adjustments) of one sentence
SentenceScore = tuple[float, float, tuple[ToneAdjustment, ...]]


@dataclass(frozen=True, slots=True)
class TonePhrase:
    """One entry of config/tone.toml; `valence` 0 for a neutral reading."""

    phrase: str
    valence: float


def _check_phrase(phrase: object) -> str:
    """The phrase, whitespace collapsed; raise ValueError saying what is wrong."""
    if not isinstance(phrase, str):
        raise ValueError(f"phrase {phrase!r} is not a string")
    body = " ".join(phrase.split())
    if not body or body == "*":
        raise ValueError(f"empty phrase {phrase!r}")
    words = body.split(" ")
    for index, word in enumerate(words):
        if word == AMOUNT:
            if index == 0:
                raise ValueError(f"a phrase must start with a word, not an amount: {phrase!r}")
            continue
        if "*" in word[:-1] or word == "*":
            raise ValueError(f"'*' may only end a word: {phrase!r}")
        if not (word[0].isalnum() or word[0] == "_"):
            raise ValueError(f"each word must start with a letter or a digit: {phrase!r}")
    return body


def _atoms(phrase: str) -> list[str]:
    atoms: list[str] = []
    for index, word in enumerate(phrase.split(" ")):
        if index:
            atoms.append(_SPACE_ATOM)
        if word == AMOUNT:
            atoms.append(_AMOUNT_ATOM)
        else:
            atoms.extend(term_atoms(word.rstrip("*"), star=word.endswith("*")))
    return atoms


class ToneDomain:
    """VADER with the domain layer: `score_field` reads the sentences of one field."""

    def __init__(self, phrases: Sequence[TonePhrase], version: str) -> None:
        self.phrases = tuple(phrases)
        self.version = version
        self.vader = Vader()  # its own lexicon copy: placeholder tokens are this layer's
        self.compound = self.vader.compound
        self._tokens: list[str] = []
        for index, entry in enumerate(self.phrases):
            token = f"{_TOKEN_PREFIX}{index}"
            self._tokens.append(token)
            if entry.valence:
                self.vader.lexicon[token] = float(entry.valence)
        atom_lists = [_atoms(entry.phrase) for entry in self.phrases]
        # the merged regex of the phrases, not built again while they and the code that
        # builds it (this module, themes.py's trie_pattern) are the same
        self._scan = regex_cache.compile_built(
            [entry.phrase for entry in self.phrases],
            lambda: trie_pattern(atom_lists),
            code=[__file__, themes.__file__],
        ).finditer
        # Which phrase a hit reads as: the one whose own pattern matches it whole, the most
        # literal first ("sanctions relief" before "sanction*"); memoised by the hit's text.
        order = sorted(
            range(len(self.phrases)),
            key=lambda i: (-len(self.phrases[i].phrase.replace("*", "").replace("#", "")), i),
        )
        self._each = [(i, "".join(atom_lists[i])) for i in order]  # compiled when first needed
        # A hit can only read as a phrase whose first atom matches its first character: the
        # phrases to try, by that character (phrases that start with a class, such as an
        # amount, are tried for every character), in the same order.
        firsts = [_literal(atom_lists[i][0]) if atom_lists[i] else None for i in order]
        self._by_first: dict[str, list[tuple[int, str]]] = {
            char: [
                each
                for each, first in zip(self._each, firsts, strict=True)
                if first in (None, char)
            ]
            for char in {first for first in firsts if first is not None}
        }
        self._any_first = [
            each for each, first in zip(self._each, firsts, strict=True) if first is None
        ]
        self._memo: dict[str, int] = {}
        self._valences: dict[str, float] = {}

    def _phrase_of(self, folded: str) -> int:
        known = self._memo.get(folded)
        if known is None:
            # each pattern is compiled once, when first tried (regex_cache keeps it)
            candidates = self._by_first.get(folded[:1], self._any_first)
            known = next(
                (i for i, pattern in candidates if regex_cache.compile(pattern).fullmatch(folded)),
                -1,
            )
            if len(self._memo) < MEMO_LIMIT:
                self._memo[folded] = known
        return known

    def _vader_valence(self, piece: str) -> float:
        """What stock VADER's lexicon gives the words of `piece`, in all (memoised)."""
        known = self._valences.get(piece)
        if known is None:
            lexicon: dict[str, float] = self.vader.lexicon  # placeholder tokens are no words
            known = round(sum(lexicon.get(w.lower(), 0.0) for w in _WORD.findall(piece)), 3)
            if len(self._valences) < MEMO_LIMIT:
                self._valences[piece] = known
        return known

    def score_field(
        self, text: str, spans: Sequence[tuple[int, int]], field: TextField = "text"
    ) -> list[SentenceScore]:
        """(vader, tone, adjustments) for every sentence span of `text`, in order."""
        compound_of = self.compound
        hits = list(self._scan(" " + fold(text))) if spans else []
        scores: list[SentenceScore] = []
        if not hits:
            for start, end in spans:
                compound = compound_of(text[start:end])
                scores.append((compound, compound, ()))
            return scores
        starts = [start for start, _ in spans]
        found: dict[int, list[tuple[int, int, int]]] = {}
        for hit in hits:
            # the scan runs on " " + folded text and each hit starts with that character:
            # its (start(), end() - 1) is (start, end) in `text`
            start, end = hit.start(), hit.end() - 1
            index = self._phrase_of(hit.group()[1:])
            sentence = bisect_right(starts, start) - 1
            if index < 0 or sentence < 0 or end > spans[sentence][1]:
                continue
            found.setdefault(sentence, []).append((start, end, index))
        for number, (left, right) in enumerate(spans):
            sentence_text = text[left:right]
            compound = compound_of(sentence_text)
            in_sentence = found.get(number)
            if not in_sentence:
                scores.append((compound, compound, ()))
                continue
            pieces: list[str] = []
            adjustments: list[ToneAdjustment] = []
            cursor = left
            for start, end, index in in_sentence:
                pieces.append(text[cursor:start])
                token = self._tokens[index]
                if text[start:end].isupper():  # VADER's capitals rule sees the phrase as written
                    token = token.upper()
                pieces.append(f" {token} ")
                cursor = end
                entry = self.phrases[index]
                adjustments.append(
                    _new_adjustment(  # ToneAdjustment(…)
                        start,
                        end,
                        entry.phrase,
                        entry.valence,
                        self._vader_valence(text[start:end]),
                        field,
                    )
                )
            pieces.append(text[cursor:right])
            domain = compound_of("".join(pieces))
            scores.append((compound, domain, tuple(adjustments)))
        return scores


def _literal(atom: str) -> str | None:
    """The one character a regex atom of `term_atoms` matches, or None for a class ("[…]",
    "\\w*", an amount): a literal atom is the character itself or it escaped by re.escape."""
    if len(atom) == 1:
        return atom
    if len(atom) == 2 and atom[0] == "\\" and re.escape(atom[1]) == atom:
        return atom[1]
    return None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load_tone_domain(path: Path | None = None) -> ToneDomain:
    """Read and check config/tone.toml; every problem raises ConfigError naming the file, the
    line and the entry."""
    path = path or DEFAULT_TONE_PATH
    document = load_toml(path, keep=True)
    version = required_version(path, document)
    unknown = sorted(set(document) - {"version", "neutral", "valence"})
    if unknown:
        line = line_of(path, unknown[0]) or 1
        raise ConfigError(f"{path}:{line}: unknown key {unknown[0]!r} (have: neutral, valence)")
    valences = document.get("valence", {})
    neutral = document.get("neutral", [])
    if not isinstance(valences, dict):
        raise ConfigError(f"{path}:{line_of(path, 'valence') or 1}: `valence` must be a table")
    if not isinstance(neutral, list):
        raise ConfigError(f"{path}:{line_of(path, 'neutral') or 1}: `neutral` must be a list")
    line_at = line_finder(path)
    table_line = line_at("[valence]") or 1
    phrases: list[TonePhrase] = []
    seen: dict[str, str] = {}

    def add(raw: object, valence: object, section: str, from_line: int) -> None:
        def prefix() -> str:  # the entry's line, looked up only for a message
            where = line_at(f'"{raw}"', start_line=from_line) or line_at(str(raw))
            return f"{path}:{where or from_line}: {section} entry {raw!r}"

        try:
            phrase = _check_phrase(raw)
        except ValueError as exc:
            raise ConfigError(f"{prefix()}: {exc}") from exc
        if not _number(valence):
            raise ConfigError(f"{prefix()}: valence {valence!r} is not a number")
        if not -VALENCE_LIMIT <= float(valence) <= VALENCE_LIMIT:  # type: ignore[arg-type]
            raise ConfigError(
                f"{prefix()}: valence {valence} is outside -{VALENCE_LIMIT:g} … +{VALENCE_LIMIT:g}"
            )
        key = fold(phrase)
        if key in seen:
            raise ConfigError(f"{prefix()}: listed twice (also in {seen[key]})")
        seen[key] = section
        phrases.append(TonePhrase(phrase, float(valence)))  # type: ignore[arg-type]

    neutral_line = line_at("neutral") or 1
    for raw in neutral:
        add(raw, 0.0, "neutral", neutral_line)
    for raw, valence in valences.items():
        add(raw, valence, "valence", table_line)
    return ToneDomain(phrases, version.strip())


@lru_cache(maxsize=1)
def default_tone_domain() -> ToneDomain:
    """The layer in config/tone.toml, read once per process."""
    return load_tone_domain()
