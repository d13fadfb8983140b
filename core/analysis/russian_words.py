"""Russian words compared by key, and the matcher that finds terms by them (the reading itself
is core/analysis/russian.py, whose docstring says how terms are written and compared).

A word's keys follow from the written word alone (its lemma, every lemma and the stem of a name,
by backend), so the matcher keeps per written word its lower case and keys, and which terms may
start there: the work per word of a text is a few dictionary look-ups.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Literal, NamedTuple

from core.analysis import russian_kept
from core.analysis.themes import parse_term

Backend = Literal["lemma", "stem", "hybrid"]
DEFAULT_BACKEND: Backend = "hybrid"

_WORD = re.compile(r"\w+")
_WORDS = re.compile(r"(\w+)")
"""Splits a text into gap, word, gap, …, word, gap: one call, no match object per word."""
_GAP = re.compile(r"[\s\-‐‑‒–—«»\"„“”'’]*")
"""A gap between two words that a term may span: the second word is joined to the first."""
RUSSIAN_MEMO_LIMIT = 200_000
"""core/analysis/themes.py MEMO_LIMIT for the Russian readers' memos, twice as large: one
lemma has many written forms."""


class _Joins(dict[str, bool]):
    """Whether a gap joins the words around it (`_GAP`), kept per gap: a text has few («, »);
    a long one (hostile text) is read each time rather than kept."""

    def __missing__(self, gap: str) -> bool:
        joins = _GAP.fullmatch(gap) is not None
        if len(gap) <= 32 and len(self) < RUSSIAN_MEMO_LIMIT:
            self[gap] = joins
        return joins


_JOINS = _Joins()


# --- keys ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("russian")


def _parses(word: str) -> list[Any]:
    """pymorphy3's readings of a word; none for a word it cannot read (it raises ValueError on
    a letter that has no Unicode name, e.g. a Tangut ideograph in hostile feed text)."""
    try:
        return list(_morph().parse(word))
    except ValueError:
        return []


@lru_cache(maxsize=RUSSIAN_MEMO_LIMIT)
def lemma(word: str) -> str:
    """The most likely dictionary form of a lower-case word (ё read as е); ASCII words as is."""
    if word.isascii():
        return word
    kept: str | None = russian_kept.lookup("lemma", word)
    if kept is not None:
        return kept
    parses = _parses(word)
    found = str(parses[0].normal_form).replace("ё", "е") if parses else word.replace("ё", "е")
    russian_kept.keep("lemma", word, found)
    return found


@lru_cache(maxsize=RUSSIAN_MEMO_LIMIT)
def grammemes(word: str) -> tuple[frozenset[str], ...]:
    """pymorphy3's grammemes of each reading of a lower-case word, the most likely first (none
    for an ASCII word): what the relations reading asks about case, tense and participles."""
    if word.isascii():
        return ()
    kept: list[list[str]] | None = russian_kept.lookup("grammemes", word)
    if kept is not None:
        return tuple(frozenset(reading) for reading in kept)
    found = tuple(frozenset(p.tag.grammemes) for p in _parses(word.replace("ё", "е")))
    russian_kept.keep("grammemes", word, [sorted(reading) for reading in found])
    return found


@lru_cache(maxsize=RUSSIAN_MEMO_LIMIT)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (ё read as е)."""
    if word.isascii():
        return word
    return str(_stemmer().stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=RUSSIAN_MEMO_LIMIT)
def lemmas(word: str) -> tuple[str, ...]:
    """Every dictionary form pymorphy3 offers for a lower-case word (a name may be read as a
    place first: Рябкова -> рябкова, рябков)."""
    if word.isascii():
        return (word,)
    kept: list[str] | None = russian_kept.lookup("lemmas", word)
    if kept is not None:
        return tuple(kept)
    forms = dict.fromkeys(str(p.normal_form).replace("ё", "е") for p in _parses(word))
    found = tuple(forms) or (word.replace("ё", "е"),)
    russian_kept.keep("lemmas", word, list(found))
    return found


def _keys(backend: Backend, word: str, name: bool) -> tuple[str, ...]:
    """The keys a lower-case word is compared by (namespaced: "L:" lemma, "S:" stem, "C:" any
    lemma of a capitalised word, "N:" stem of a name); `name` when it was written capitalised.
    Two words match when they share a key. In `hybrid` only capitalised words carry a stem, so
    «медведей» never meets «Медведев»; and their other lemmas ("C:") meet only the capitalised
    words of a term (names): a capitalised common word, as at the start of a sentence, is read
    by its most likely lemma like any other, so «После» (after) is not «посол» (an ambassador,
    whose prepositional case is spelt alike)."""
    if backend == "lemma":
        return ("L:" + lemma(word),)
    if backend == "stem":
        return ("S:" + stem(word),)
    if name:
        return ("L:" + lemma(word), *("C:" + form for form in lemmas(word)), "N:" + stem(word))
    return ("L:" + lemma(word),)


def _term_keys(backend: Backend, written: str) -> frozenset[str]:
    """The keys one word of a term matches: its lemma; in `hybrid` a capitalised term word (a
    name) also by every lemma, itself (Рябков, which the dictionary reads as a bird) and its
    stem (Вэнс, Бессент, which it does not know), in both namespaces."""
    word = written.lower().replace("ё", "е")
    name = written[:1].isupper() and not written.isupper()
    keys = _keys(backend, word, name)
    if backend == "hybrid" and name:
        forms = (*lemmas(word), word)
        keys = (*keys, *("L:" + form for form in forms), *("C:" + form for form in forms))
    return frozenset(keys)


# --- the matcher --------------------------------------------------------------------------------


class Tokens(NamedTuple):
    """The words of a text as a LemmaMatcher reads them."""

    spans: list[tuple[int, int]]
    words: list[str]
    lowered: list[str]
    keys: list[tuple[str, ...]]
    joined: list[bool]  # whether word i follows word i - 1 across a gap a term may span


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[frozenset[str], ...]  # keys of each word (exact: the written word)
    star: str  # the written prefix the last word must start with, lower case ("" = no star)
    exact: bool  # `=`: compare written words
    capitals: tuple[bool, ...] = ()  # which words must be written capitalised (none if empty)
    loose: bool = False  # adjectives and participles may stand between its words

    @property
    def size(self) -> int:
        """The tokens the pattern covers."""
        return len(self.words) + (1 if self.star else 0)


@dataclass(frozen=True, slots=True)
class _Start:
    """What may start at a word: the terms it is whole, and the longer patterns that begin with
    it (which the next word must let go on). Slots, not a NamedTuple: `finditer` reads a field
    or two of most (no longer pattern goes on), and Python 3.11 reads a slot faster than a
    NamedTuple's field or an unpacking of all six."""

    single: tuple[int, ...]  # indexes of the one-token terms the word is
    longer: tuple[tuple[int, frozenset[str] | None, _Pattern, tuple[int, ...]], ...]  # (size,
    # keys of its second word (None: a star), pattern, its terms), the longest first, of the
    # patterns of more than one token whose first word it is
    seconds: frozenset[str]  # the keys their second words have ("=" + the word if exact)
    prefixes: tuple[str, ...]  # the prefixes of their second tokens that are a star
    exact: bool  # whether one of them is exact
    loose: bool = False  # whether one of them lets modifiers stand between its words


_NOTHING = _Start((), (), frozenset(), (), False)
"""What starts at a word that begins no term (most words)."""


class LemmaMatcher:
    """Terms compiled to key sequences; `finditer(text)` yields (owners, start, end) left to
    right, the longest term first, never overlapping, except that the words inside a `loose`
    term that spread over modifiers are read again — the Russian PhraseMatcher."""

    def __init__(
        self,
        terms: Sequence[str],
        backend: Backend = DEFAULT_BACKEND,
        cased: Collection[int] = (),
        loose: Collection[int] = (),
    ) -> None:
        """`cased`: indexes of terms whose capitalised words match only capitalised words
        («Кремль» is not «в Казанском кремле», «Конгресс» not «конгресс татар»). `loose`: indexes
        of terms between whose words up to MODIFIERS adjectives or participles may stand, as
        Russian puts them («выдать лицензию» reads «выданы новые лицензии», «вмешательство в
        выборы» reads «вмешательство в американские выборы»)."""
        self.terms = tuple(terms)
        self.backend = backend
        self._first: dict[str, list[tuple[_Pattern, int]]] = {}
        self._stars: dict[str, list[tuple[_Pattern, int]]] = {}
        for index, term in enumerate(terms):
            parsed = parse_term(term)
            written = _WORD.findall(parsed.body)
            star = written.pop().lower().replace("ё", "е") if parsed.star else ""
            if parsed.case_sensitive:
                words = tuple(frozenset({"=" + word}) for word in written)
            else:
                words = tuple(_term_keys(backend, word) for word in written)
            capitals = tuple(word[:1].isupper() for word in written) if index in cased else ()
            pattern = _Pattern(
                words, star, parsed.case_sensitive, capitals, index in loose and len(words) > 1
            )
            if words:
                for key in words[0]:
                    self._first.setdefault(key, []).append((pattern, index))
            else:
                self._stars.setdefault(star, []).append((pattern, index))
        self._star_lengths = sorted({len(prefix) for prefix in self._stars}, reverse=True)
        self._words: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._candidates: dict[str, _Start] = {}

    def tokens(self, text: str) -> Tokens:
        """The words of `text` with their keys, for `finditer`: matchers built with the same
        backend can share them (core/analysis/relations_russian.py scans a sentence twice)."""
        parts = _WORDS.split(text)  # gap, word, gap, …: word i is parts[2i + 1]
        words = parts[1::2]
        ends = list(accumulate(map(len, parts)))  # word i runs from ends[2i] to ends[2i + 1]
        spans = list(zip(ends[:-1:2], ends[1::2], strict=True))
        joined = [False, *map(_JOINS.__getitem__, parts[2:-1:2])]  # the gaps between words
        known = self._words
        reads = [known.get(word) or self._read(word) for word in words]
        lowered = [read[0] for read in reads]
        keys = [read[1] for read in reads]
        return Tokens(spans, words, lowered, keys, joined)

    def _read(self, word: str) -> tuple[str, tuple[str, ...]]:
        """A word's lower case (ё as е) and keys, kept per written word."""
        low = word.lower().replace("ё", "е")
        read = low, _keys(self.backend, low, word[:1].isupper() and not word.isupper())
        if len(self._words) < RUSSIAN_MEMO_LIMIT:
            self._words[word] = read
        return read

    def finditer(
        self, text: str, prepared: Tokens | None = None, first: int = 0, last: int | None = None
    ) -> list[tuple[tuple[int, ...], int, int]]:
        """(indexes of every term read here, start, end) of each hit; `prepared`: the
        `tokens` of `text`, when already made; `first`, `last`: read only its words `first` to
        `last` (excluded), as if alone (a sentence of an article's words, not copied out)."""
        tokens, words, lowered, keys, joined = prepared or self.tokens(text)
        hits: list[tuple[tuple[int, ...], int, int]] = []
        memo, nothing = self._candidates, _NOTHING
        count = len(tokens) if last is None else last
        resume = first
        for i, candidates in enumerate(map(memo.get, words[first:count]), first):
            if candidates is nothing or i < resume:  # begins no term, or inside the last hit
                continue
            if candidates is None:
                word = words[i]
                candidates = self._candidates_of(word, lowered[i], keys[i])
                if len(memo) < RUSSIAN_MEMO_LIMIT:
                    memo[word] = candidates
                if candidates is nothing:
                    continue
            following = i + 1
            if not (
                candidates.longer
                and following < count
                and joined[following]
                and (
                    not candidates.seconds.isdisjoint(keys[following])
                    or (candidates.exact and "=" + words[following] in candidates.seconds)
                    or (candidates.prefixes and lowered[following].startswith(candidates.prefixes))
                    or (candidates.loose and modifier(lowered[following]))
                )
            ):  # no longer pattern goes on (most words that begin one): a term or nothing
                if candidates.single:
                    hits.append((candidates.single, *tokens[i]))
                continue
            single = candidates.single
            best, owners, spread = (1, single, False) if single else (0, (), False)
            # the next word's keys, and itself when a pattern is exact ("=" + a word never
            # meets a key): a pattern's second word is the next one when its keys meet these; one
            # whose second word is not goes on only when loose and the next word a modifier
            nexts = (
                (*keys[following], "=" + words[following]) if candidates.exact else keys[following]
            )
            skippable: bool | None = None
            for size, second, pattern, indexes in candidates.longer:
                if size < best:
                    break
                if second is not None and second.isdisjoint(nexts):
                    if not pattern.loose:
                        continue  # _rest would say 0
                    if skippable is None:
                        skippable = modifier(lowered[following])
                    if not skippable:
                        continue
                    stop = _rest(pattern, i, count, words, lowered, keys, joined)
                elif size == 2 and second is not None and not pattern.capitals:
                    stop = following + 1  # two words, the second the next one: what _rest says
                else:
                    stop = _rest(pattern, i, count, words, lowered, keys, joined)
                if stop and stop - i > best:
                    best, owners, spread = stop - i, indexes, stop - i > size
                elif stop and stop - i == best:  # two patterns of the same length
                    owners = tuple(sorted({*owners, *indexes}))
            if best:
                hits.append((owners, tokens[i][0], tokens[i + best - 1][1]))
                # words a term spread over are read on their own too: «размещения американских
                # ракет средней дальности» also holds «ракеты средней дальности»
                resume = i + 1 if spread else i + best
        return hits

    def _candidates_of(self, word: str, low: str, keys: tuple[str, ...]) -> _Start:
        """(indexes of the one-token terms that match the word, the longer patterns whose first
        word it is): a word's keys follow from the word itself, so `finditer` keeps them per
        written word, and patterns written alike are tried once."""
        found: dict[_Pattern, list[int]] = {}
        for key in (*keys, "=" + word):
            for pattern, index in self._first.get(key, ()):
                found.setdefault(pattern, []).append(index)
        for length in self._star_lengths:
            if length <= len(low):
                for pattern, index in self._stars.get(low[:length], ()):
                    found.setdefault(pattern, []).append(index)
        single: set[int] = set()
        longer: list[tuple[int, frozenset[str] | None, _Pattern, tuple[int, ...]]] = []
        for pattern, indexes in found.items():
            if not _first_word(pattern, word, low, keys):
                continue
            if pattern.size == 1:
                single.update(indexes)
            else:
                second = pattern.words[1] if len(pattern.words) > 1 else None
                longer.append((pattern.size, second, pattern, tuple(sorted(set(indexes)))))
        longer.sort(key=lambda candidate: -candidate[0])
        patterns = [pattern for _, _, pattern, _ in longer]
        seconds = frozenset().union(*(p.words[1] for p in patterns if len(p.words) > 1))
        prefixes = tuple(p.star for p in patterns if len(p.words) == 1)
        exact = any(p.exact for p in patterns)
        if not single and not longer:
            return _NOTHING
        loose = any(p.loose for p in patterns)
        return _Start(tuple(sorted(single)), tuple(longer), seconds, prefixes, exact, loose)


def window(matcher: LemmaMatcher, text: str, start: int, stop: int) -> Tokens:
    """The words of text[start:stop], in `text` offsets, as `matcher` reads that slice (read
    anew: `find_in` reads them in place from a longer stretch's words when it can)."""
    read = matcher.tokens(text[start:stop])
    return read._replace(spans=[(left + start, right + start) for left, right in read.spans])


def bounds(tokens: Tokens, start: int, stop: int) -> tuple[int, int] | None:
    """(first, last excluded) of the words of `tokens` in text[start:stop], to be read in place
    (`LemmaMatcher.finditer`) as `window` would read them; None when a word runs past `stop`."""
    # (x,) sorts before every span that starts at x: the first span starting at or after x
    first, last = bisect_left(tokens.spans, (start,)), bisect_left(tokens.spans, (stop,))
    if last == first or tokens.spans[last - 1][1] <= stop:
        return first, last
    return None


def find_in(
    matcher: LemmaMatcher, text: str, start: int, stop: int, tokens: Tokens | None = None
) -> list[tuple[tuple[int, ...], int, int]]:
    """The hits of `matcher` in text[start:stop], as it reads that slice alone: the words of
    `tokens` (a longer stretch, same backend) read in place when they hold it, else read anew."""
    inside = bounds(tokens, start, stop) if tokens is not None else None
    if inside is not None:
        return matcher.finditer(text, tokens, *inside)
    return matcher.finditer(text, window(matcher, text, start, stop))


def _first_word(pattern: _Pattern, word: str, low: str, keys: tuple[str, ...]) -> bool:
    """Whether a pattern's first token is this word (written `word`, lower case `low`)."""
    if pattern.words:
        wanted = pattern.words[0]
        if pattern.exact:
            if "=" + word not in wanted:
                return False
        elif wanted.isdisjoint(keys):
            return False
    elif not low.startswith(pattern.star):
        return False
    return not (pattern.capitals and pattern.capitals[0] and not word[:1].isupper())


MODIFIERS = 2
"""Adjectives or participles that may stand between two words of a `loose` term."""


@lru_cache(maxsize=RUSSIAN_MEMO_LIMIT)
def modifier(word: str) -> bool:
    """Whether a lower-case word is most likely a full adjective or participle (новые,
    американские, введённых), which may stand inside a `loose` term."""
    read = grammemes(word)
    return bool(read) and not read[0].isdisjoint(("ADJF", "PRTF"))


def _rest(
    pattern: _Pattern,
    at: int,
    count: int,
    words: list[str],
    lowered: list[str],
    keys: list[tuple[str, ...]],
    joined: list[bool],
) -> int:
    """Where a pattern of more than one token whose first word is token `at` ends (the index
    after its last token), 0 when it does not go on from there (or at word `count`); a `loose`
    pattern skips up to MODIFIERS adjectives or participles before each of its later words."""
    exact, position = pattern.exact, at
    for offset in range(1, len(pattern.words)):
        wanted, skipped = pattern.words[offset], 0
        position += 1
        while True:
            if position >= count or not joined[position]:
                return 0
            if exact:
                if "=" + words[position] in wanted:
                    break
            elif not wanted.isdisjoint(keys[position]):
                break
            if not pattern.loose or skipped == MODIFIERS or not modifier(lowered[position]):
                return 0
            position, skipped = position + 1, skipped + 1
        if pattern.capitals and pattern.capitals[offset] and not words[position][:1].isupper():
            return 0
    if pattern.star:
        position += 1
        if position >= count or not joined[position]:
            return 0
        if not lowered[position].startswith(pattern.star):
            return 0
    return position + 1
