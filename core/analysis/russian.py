"""Reading Russian: sentences, themes, actors and relevance from the Russian terms in config/.

Russian inflects: Путин, Путина, Путину, Путиным; санкции, санкций, санкциями. A term is written
once in its dictionary form (config/themes.toml `[themes.<id>.ru]`, config/actors.toml
`[ru.aliases]` and `[ru.markers]`, read by core/analysis/russian_terms.py) and every word of it
is compared by KEY, not by spelling:

- `lemma`: pymorphy3's most likely dictionary form (санкциями -> санкция, Госдепом -> госдеп);
- `stem`: the Snowball Russian stemmer (PyStemmer);
- `hybrid` (the default, chosen on tests/data/ru_eval.jsonl by bench/bench_russian.py): the
  lemma, and for capitalised words (names) every lemma and the stem as well — the dictionary does
  not know most foreign surnames (Вэнсом, Бессентом) and reads some Russian ones as something
  else first (Рябкова as a place, Рябков as a bird).

Lemmas keep apart what a stemmer can merge and what an analyst must keep apart: «санкция» (a
sanction) is not «санкционировать» (to authorise), «мирный план» (peace) is not «в мире» (the
world). False friends (`exclude`) hide every term inside them, as in English: «санкция прокурора»
(a prosecutor's warrant), «с наступлением зимы» (the onset of winter), «торговый центр».

Term syntax is the English one (core/analysis/themes.py): a trailing `*` continues the last word
on its written form (кибер* = кибератака, киберпреступность), a leading `=` compares the written
words exactly (=ИГ is the Islamic State, not the pronoun «иг»), words are separated by spaces or
hyphens in the term and by spaces, hyphens, dashes or quotes in the text («Северный поток»).
The longest term wins where two overlap, and every span indexes the original text. An actor
alias that names someone else (a namesake, another person's office, a thing named after someone)
names only its side (core/analysis/russian_names.py); a capitalised word of an actor alias
matches only a capitalised word («Кремль» is not «Казанский кремль»).

Sentences come from razdel (which knows «т.е.», «г.», initials such as «В. В. Путин») with the
rule the English splitter also keeps: a blank line always ends a sentence. Tone stays None: no
Russian sentiment lexicon or model that works offline from a well-kept package exists (see
docs/analysis.md), so a Russian article is never scored with an English lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from core.analysis.relations import read_relations
from core.analysis.relevance import RELEVANT_AT, SIDE_KINDS, both_sides_sentences, relevance_score
from core.analysis.russian_terms import RussianTerms, load_russian_terms
from core.analysis.themes import Lexicon, parse_term, read_themes
from core.models import (
    NO_RELATIONS,
    ActorMention,
    Analysis,
    SentenceTone,
    TextField,
    ThemeMatch,
)

if TYPE_CHECKING:
    from core.analysis.relations_russian import RussianRelationsReader

Backend = Literal["lemma", "stem", "hybrid"]
DEFAULT_BACKEND: Backend = "hybrid"
RUSSIAN_VERSION = f"razdel-{version('razdel')} pymorphy3-{version('pymorphy3')}"
"""Added to the analyzer version of every Russian analysis."""

_WORD = re.compile(r"\w+")
_GAP = re.compile(r"[\s\-‐‑‒–—«»\"„“”'’]*")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_CACHE = 200_000

Evidence = tuple[list[ThemeMatch], list[ActorMention], list[tuple[str, int, int]]]
EvidenceOf = Callable[[str, TextField], Evidence]


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


@lru_cache(maxsize=_CACHE)
def lemma(word: str) -> str:
    """The most likely dictionary form of a lower-case word (ё read as е); ASCII words as is."""
    if word.isascii():
        return word
    parses = _parses(word)
    return str(parses[0].normal_form).replace("ё", "е") if parses else word.replace("ё", "е")


@lru_cache(maxsize=_CACHE)
def grammemes(word: str) -> tuple[frozenset[str], ...]:
    """pymorphy3's grammemes of each reading of a lower-case word, the most likely first (none
    for an ASCII word): what the relations reading asks about case, tense and participles."""
    if word.isascii():
        return ()
    return tuple(frozenset(p.tag.grammemes) for p in _parses(word.replace("ё", "е")))


@lru_cache(maxsize=_CACHE)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (ё read as е)."""
    if word.isascii():
        return word
    return str(_stemmer().stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=_CACHE)
def lemmas(word: str) -> tuple[str, ...]:
    """Every dictionary form pymorphy3 offers for a lower-case word (a name may be read as a
    place first: Рябкова -> рябкова, рябков)."""
    if word.isascii():
        return (word,)
    forms = dict.fromkeys(str(p.normal_form).replace("ё", "е") for p in _parses(word))
    return tuple(forms) or (word.replace("ё", "е"),)


def _keys(backend: Backend, word: str, name: bool) -> tuple[str, ...]:
    """The keys a lower-case word is compared by (namespaced: "L:" lemma, "S:" stem, "N:" stem
    of a name); `name` when it was written capitalised. Two words match when they share a key.
    In `hybrid` only capitalised words carry a stem, so «медведей» never meets «Медведев»."""
    if backend == "lemma":
        return ("L:" + lemma(word),)
    if backend == "stem":
        return ("S:" + stem(word),)
    if name:
        return (*("L:" + form for form in lemmas(word)), "N:" + stem(word))
    return ("L:" + lemma(word),)


def _term_keys(backend: Backend, written: str) -> frozenset[str]:
    """The keys one word of a term matches: its lemma; in `hybrid` a capitalised term word (a
    name) also by every lemma, itself (Рябков, which the dictionary reads as a bird) and its
    stem (Вэнс, Бессент, which it does not know)."""
    word = written.lower().replace("ё", "е")
    name = written[:1].isupper() and not written.isupper()
    keys = _keys(backend, word, name)
    if backend == "hybrid" and name:
        keys = (*keys, "L:" + word)
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

    @property
    def size(self) -> int:
        """The tokens the pattern covers."""
        return len(self.words) + (1 if self.star else 0)


class _Start(NamedTuple):
    """What may start at a word: the terms it is whole, and the longer patterns that begin with
    it (which the next word must let go on)."""

    single: tuple[int, ...]  # indexes of the one-token terms the word is
    longer: tuple[tuple[int, _Pattern, tuple[int, ...]], ...]  # (size, pattern, its terms),
    # the longest first, of the patterns of more than one token whose first word it is
    seconds: frozenset[str]  # the keys their second words have ("=" + the word if exact)
    prefixes: tuple[str, ...]  # the prefixes of their second tokens that are a star
    exact: bool  # whether one of them is exact


class LemmaMatcher:
    """Terms compiled to key sequences; `finditer(text)` yields (owners, start, end) left to
    right, never overlapping, the longest term first — the Russian PhraseMatcher."""

    def __init__(
        self, terms: Sequence[str], backend: Backend = DEFAULT_BACKEND, cased: Collection[int] = ()
    ) -> None:
        """`cased`: indexes of terms whose capitalised words match only capitalised words
        («Кремль» is not «в Казанском кремле», «Конгресс» not «конгресс татар»)."""
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
            pattern = _Pattern(words, star, parsed.case_sensitive, capitals)
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
        spans = [found.span() for found in _WORD.finditer(text)]
        words = [text[start:end] for start, end in spans]
        known, backend = self._words, self.backend
        lowered, keys = [], []
        for word in words:
            read = known.get(word)
            if read is None:
                low = word.lower().replace("ё", "е")
                read = low, _keys(backend, low, word[:1].isupper() and not word.isupper())
                if len(known) < _CACHE:
                    known[word] = read
            lowered.append(read[0])
            keys.append(read[1])
        gap = _GAP.fullmatch
        joined = [False] + [
            gap(text, spans[i - 1][1], spans[i][0]) is not None for i in range(1, len(spans))
        ]
        return Tokens(spans, words, lowered, keys, joined)

    def finditer(
        self, text: str, prepared: Tokens | None = None
    ) -> list[tuple[tuple[int, ...], int, int]]:
        """(indexes of every term read here, start, end) of each hit; `prepared`: the
        `tokens` of `text`, when already made."""
        tokens, words, lowered, keys, joined = prepared or self.tokens(text)
        hits: list[tuple[tuple[int, ...], int, int]] = []
        memo = self._candidates
        i, count = 0, len(tokens)
        while i < count:
            candidates = memo.get(words[i])
            if candidates is None:
                candidates = self._candidates_of(words[i], lowered[i], keys[i])
                if len(memo) < _CACHE:
                    memo[words[i]] = candidates
            single, longer, seconds, prefixes, exact = candidates
            best, owners = (1, single) if single else (0, ())
            following = i + 1
            if (
                longer
                and following < count
                and joined[following]
                and (
                    not seconds.isdisjoint(keys[following])
                    or (exact and "=" + words[following] in seconds)
                    or (prefixes and lowered[following].startswith(prefixes))
                )
            ):  # the next word lets one of the longer patterns go on
                for size, pattern, indexes in longer:
                    if size < best:
                        break
                    if i + size <= count and _rest(pattern, i, words, lowered, keys, joined):
                        if size > best:
                            best, owners = size, indexes
                        else:
                            owners += indexes
            if best:
                if len(owners) > 1:
                    owners = tuple(sorted(set(owners)))
                hits.append((owners, tokens[i][0], tokens[i + best - 1][1]))
                i += best
            else:
                i += 1
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
        longer: list[tuple[int, _Pattern, tuple[int, ...]]] = []
        for pattern, indexes in found.items():
            if not _first_word(pattern, word, low, keys):
                continue
            if pattern.size == 1:
                single.update(indexes)
            else:
                longer.append((pattern.size, pattern, tuple(sorted(set(indexes)))))
        longer.sort(key=lambda candidate: -candidate[0])
        patterns = [pattern for _, pattern, _ in longer]
        seconds = frozenset().union(*(p.words[1] for p in patterns if len(p.words) > 1))
        prefixes = tuple(p.star for p in patterns if len(p.words) == 1)
        exact = any(p.exact for p in patterns)
        return _Start(tuple(sorted(single)), tuple(longer), seconds, prefixes, exact)


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


def _rest(
    pattern: _Pattern,
    at: int,
    words: list[str],
    lowered: list[str],
    keys: list[tuple[str, ...]],
    joined: list[bool],
) -> bool:
    """Whether a pattern of more than one token whose first word is token `at` goes on from
    there (it fits in the text)."""
    exact = pattern.exact
    for offset in range(1, len(pattern.words)):
        position = at + offset
        if not joined[position]:
            return False
        if exact:
            if "=" + words[position] not in pattern.words[offset]:
                return False
        elif pattern.words[offset].isdisjoint(keys[position]):
            return False
    if pattern.star:
        last = at + len(pattern.words)
        if not joined[last] or not lowered[last].startswith(pattern.star):
            return False
    return not pattern.capitals or all(
        words[at + offset][:1].isupper()
        for offset, capital in enumerate(pattern.capitals)
        if capital and offset
    )


# --- the reader ---------------------------------------------------------------------------------

_THEME, _ACTOR, _SIDE, _HIDE = range(4)


def split_russian_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans into `text` (razdel within each paragraph; a blank line ends one)."""
    from razdel import sentenize

    spans: list[tuple[int, int]] = []
    for left, right in _paragraphs(text):
        for sentence in sentenize(text[left:right]):
            start, stop = left + sentence.start, left + sentence.stop
            if stop > start:
                spans.append((start, stop))
    return spans


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    left = 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        yield left, gap.start()
        left = gap.end()
    if left < len(text):
        yield left, len(text)


class RussianReader:
    """The Russian terms of config/ compiled into one matcher; `evidence` and `analyze` mirror
    the English ones in core/analysis/analyzer.py and return the same types."""

    def __init__(self, terms: RussianTerms, backend: Backend = DEFAULT_BACKEND) -> None:
        self.terms = terms
        self.backend = backend
        actions: list[tuple[int, str, str]] = []
        patterns: list[str] = []
        for theme in terms.themes:
            actions += [(_THEME, theme.id, term) for term in theme.terms]
            actions += [(_HIDE, "", "")] * len(theme.exclude)
            patterns += [*theme.terms, *theme.exclude]
        written: dict[int, tuple[str, str]] = {}
        for name, aliases in terms.aliases.items():
            written |= {len(patterns) + i: (name, alias) for i, alias in enumerate(aliases)}
            actions += [(_ACTOR, name, terms.sides[name])] * len(aliases)
            patterns += aliases
        for kind, markers in terms.markers.items():
            action = (_HIDE, "", "") if kind == "neutral" else (_SIDE, kind, "")
            actions += [action] * len(markers)
            patterns += markers
        self._actions = tuple(actions)
        self._matcher = LemmaMatcher(patterns, backend, cased=written)
        from core.analysis.russian_names import SomeoneElse  # it builds on this module

        self._someone_else = SomeoneElse(terms, backend, written)
        people = [(name, alias) for name, aliases in terms.aliases.items() for alias in aliases]
        self._people = LemmaMatcher([alias for _, alias in people], backend)
        self._person = tuple((name, terms.sides[name]) for name, _ in people)
        self._owned: dict[tuple[int, ...], tuple[tuple[int, str, str], ...]] = {}
        self._inside: dict[str, tuple[tuple[str, str, int, int], ...]] = {}

    def tokens(self, body: str) -> Tokens:
        """The words of a field with their keys (shared with the relations reading)."""
        return self._matcher.tokens(body)

    def evidence(
        self,
        body: str,
        field: TextField,
        tokens: Tokens | None = None,
        sentences: list[tuple[int, int]] | None = None,
    ) -> Evidence:
        """Theme matches, actor mentions and (kind, start, end) side evidence of one field;
        a `joint_if_both` phrase is reported as is and settled by `settle_sides`. `tokens` and
        `sentences` (its sentence spans), when already made."""
        themes: list[ThemeMatch] = []
        actors: list[ActorMention] = []
        sides: list[tuple[str, int, int]] = []
        tokens = tokens or self.tokens(body)
        hits = self._matcher.finditer(body, tokens)
        others = self._someone_else.judge(hits, tokens, body, sentences) if hits else set()
        owned = self._owned
        for position, (owners, start, end) in enumerate(hits):
            actions = owned.get(owners)
            if actions is None:
                actions = self._actions_of(owners)
            if not actions:  # a false friend or a neutral marker
                continue
            someone_else = position in others
            for action, owner, extra in actions:
                if action == _THEME:
                    themes.append(ThemeMatch(owner, extra, start, end, field))
                elif action == _ACTOR and someone_else:
                    if extra in SIDE_KINDS:
                        sides.append((extra, start, end))
                elif action == _ACTOR:
                    actors.append(ActorMention(owner, extra, start, end, field))
                    if extra in SIDE_KINDS:
                        sides.append((extra, start, end))
                else:
                    sides.append((owner, start, end))
                    if owner == "joint":  # «Лавров и Рубио»: the names inside still count
                        actors += [
                            ActorMention(name, side, start + left, start + right, field)
                            for name, side, left, right in self._people_in(body[start:end])
                        ]
        return themes, actors, sides

    def _actions_of(self, owners: tuple[int, ...]) -> tuple[tuple[int, str, str], ...]:
        """The actions of a hit's terms, one per (action, owner); none when one hides them.
        Kept per set of terms (few recur)."""
        actions = tuple({self._actions[i][:2]: self._actions[i] for i in owners}.values())
        if any(action == _HIDE for action, _, _ in actions):
            actions = ()
        if len(self._owned) < _CACHE:
            self._owned[owners] = actions
        return actions

    def _people_in(self, phrase: str) -> tuple[tuple[str, str, int, int], ...]:
        """(actor, side, start, end) of the people a joint phrase names, kept per phrase."""
        known = self._inside.get(phrase)
        if known is None:
            known = tuple(
                (*self._person[indexes[0]], start, end)
                for indexes, start, end in self._people.finditer(phrase)
            )
            if len(self._inside) < _CACHE:
                self._inside[phrase] = known
        return known

    def read(
        self, title: str, text: str, english: EvidenceOf | None = None
    ) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]], Evidence, Evidence, tuple[Tokens, Tokens]
    ]:
        """Sentence spans of title and text, the evidence of each (Latin-script words read by
        `english`, the English analyzer's evidence, where they do not overlap Russian), and
        their words (`tokens`)."""
        tokens = self.tokens(title), self.tokens(text)
        spans = split_russian_sentences(title), split_russian_sentences(text)
        title_evidence = _merged(
            self.evidence(title, "title", tokens[0], spans[0]), title, "title", english
        )
        text_evidence = _merged(
            self.evidence(text, "text", tokens[1], spans[1]), text, "text", english
        )
        settle_sides(title_evidence[2], text_evidence[2])
        return spans[0], spans[1], title_evidence, text_evidence, tokens


def _merged(ours: Evidence, body: str, field: TextField, english: EvidenceOf | None) -> Evidence:
    if english is None or not _LATIN.search(body):
        return ours
    themes, actors, sides = ours
    taken = [(m.start, m.end) for m in themes] + [(m.start, m.end) for m in actors]
    taken += [(start, end) for _, start, end in sides]

    def free(start: int, end: int) -> bool:
        return all(end <= left or start >= right for left, right in taken)

    their_themes, their_actors, their_sides = english(body, field)
    themes += [m for m in their_themes if free(m.start, m.end)]
    actors += [m for m in their_actors if free(m.start, m.end)]
    sides += [s for s in their_sides if free(s[1], s[2])]
    return themes, actors, sides


_LATIN = re.compile(r"[A-Za-z]")


def settle_sides(
    title_sides: list[tuple[str, int, int]], text_sides: list[tuple[str, int, int]]
) -> None:
    """A `joint_if_both` phrase («обе стороны») names the relationship only when both sides are
    named somewhere in the article: then it counts as `joint`, otherwise as nothing."""
    kinds = {kind for kind, _, _ in title_sides} | {kind for kind, _, _ in text_sides}
    both = kinds >= SIDE_KINDS
    for sides in (title_sides, text_sides):
        sides[:] = [
            ("joint", start, end) if kind == "joint_if_both" else (kind, start, end)
            for kind, start, end in sides
            if kind != "joint_if_both" or both
        ]


def analyze_russian(
    reader: RussianReader,
    title: str,
    text: str,
    *,
    english: EvidenceOf | None,
    lexicon: Lexicon,
    lexicon_version: str,
    analyzer_version: str,
    relations: RussianRelationsReader | None = None,
) -> Analysis:
    """One Russian article read like an English one (core/analysis/analyzer.py), tone None;
    the relations events by `relations` (core/analysis/relations_russian.py) where a side is
    named."""
    title_spans, text_spans, title_evidence, text_evidence, tokens = reader.read(
        title, text, english
    )
    sentences = [SentenceTone(start, end, None, "title") for start, end in title_spans]
    sentences += [SentenceTone(start, end, None, "text") for start, end in text_spans]
    themes = title_evidence[0] + text_evidence[0]
    sentence_starts = [start for start, _ in text_spans]
    relevance = relevance_score(
        title_spans=title_evidence[2], text_spans=text_evidence[2], sentence_starts=sentence_starts
    )
    reading = read_themes(
        lexicon, themes, sentence_starts, both_sides_sentences(text_evidence[2], sentence_starts)
    )
    relations_reading = title_reading = NO_RELATIONS
    if relations is not None and relevance > 0.0:
        title_events = relations.events(title, title_spans, title_evidence[2], "title", tokens[0])
        text_events = relations.events(text, text_spans, text_evidence[2], "text", tokens[1])
        relations_reading = read_relations(title_events + text_events)
        title_reading = read_relations(title_events)
    return Analysis(
        tone=None,
        tone_label="n/a",
        sentences=tuple(sentences),
        themes=tuple(themes),
        theme_names=reading.names,
        actors=tuple(title_evidence[1] + text_evidence[1]),
        relevance=relevance,
        relevant=relevance >= RELEVANT_AT,
        lang="ru",
        lexicon_version=lexicon_version,
        analyzer_version=f"{analyzer_version} {RUSSIAN_VERSION}",
        theme_salience=reading.salience,
        central_themes=reading.central,
        relations=relations_reading,
        title_relations=title_reading,
    )


@lru_cache(maxsize=1)
def default_russian_reader() -> RussianReader:
    """The reader built from the Russian terms in config/, once per process."""
    return RussianReader(load_russian_terms())
