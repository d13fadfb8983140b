"""Whether a Russian actor alias names the actor or someone else (core/analysis/russian.py).

An alias matched by lemma can name another person or a thing. These rules read the words around
it and the sentence it is in, and turn such a mention into side evidence only (the office of a
Russian deputy minister still says Russia is there):

- an office alias («министр иностранных дел РФ», «президент РФ») in the genitive right after a
  word of `[ru.someone_else] office_after` is another person's office: «заместитель министра
  иностранных дел РФ Сергей Рябков», «спецпредставитель президента РФ Кирилл Дмитриев»;
- an office alias followed by a given name that does not begin the actor's own name is that other
  person's office: «президент США Джон Кеннеди», «первого президента России Бориса Ельцина»;
  so is one after another person's name and a comma: «Энтони Блинкен, госсекретарь США»;
  so is one after «в» in the plural: «кандидат в президенты России»;
- a one-word name alias after a given name is a namesake: «Даниил Медведев», «Светлана
  Захарова» (the actor's own given names are longer aliases and match first); a given name is
  not a surname its stem happens to share («Дмитрий» is not «Дмитриев»);
- a name after a word of `name_after` is a thing, someone long dead or someone in another
  trade: «памятник Ермаку», «словарь Ушакова», «фрегат „Адмирал Ушаков“», «вратарь Медведев»;
  before a word of `name_before`, another person: «Дональд Трамп-младший»; all of a quotation,
  a title: «Ермак» (a hockey club);
- an actor is not read in a sentence that has one of its `[ru.unless_in_sentence]` terms:
  «Белый дом» with «Мишустин» or «вице-премьер» is the Russian government's building;
- an office alias right after a word of `office_before` is someone else's or nobody's: a
  former, past, next or hypothetical holder («бывший глава Пентагона», «тогдашний госсекретарь
  США», «следующим президентом США», «ни один американский президент», «будучи президентом
  России, Дмитрий Медведев»);
- a one-word alias listed in `bare` («МИД», «Минобороны», «Конгресс») names its actor (the
  Russian body, in Russian copy) only when no other country or body goes with it: followed by a
  place or an abbreviation («МИД Франции», «Минобороны КНР») or by a genitive that names
  another body («Конгресс русских общин»), or after an adjective («французский МИД»), it names
  nobody, not even a side.

Side markers are read the same way where they can name something else: a one-word capitalised
marker after a word of `name_after` or a given name is a thing or a person («улица Вашингтона»,
«Дензел Вашингтон»), and a nationality («американский», «российские и американские») before a
word of `name_after` (an occupation none of the actors has: «американский актёр», «российские
и американские онкологи») is a person's, not a state's: both name no side — unless the sentence
holds a term of the prisoners and consular theme: a citizen arrested, tried or sentenced abroad
is the state's concern («Мосгорсуд приговорил американского музыканта»).

Given names are those pymorphy3 tags `Name`. Configured in config/actors.toml.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from core.analysis.russian_sentences import split_russian_sentences
from core.analysis.russian_terms import RussianTerms
from core.analysis.russian_words import (
    Backend,
    LemmaMatcher,
    Tokens,
    _term_keys,
    grammemes,
    lemmas,
    modifier,
)

Hit = tuple[tuple[int, ...], int, int]
CONSULAR = "prisoners_consular"
"""The theme whose terms in a sentence keep a person's nationality a side."""
_AHEAD = 3
"""Tokens after an office in which the actor's own name may follow («президент США Дональд
Трамп», «вице-президент США Джеймс Дэвид Вэнс»)."""


def _keys(backend: Backend, words: Sequence[str]) -> frozenset[str]:
    return frozenset().union(*(_term_keys(backend, word.lower()) for word in words))


_OPENING, _CLOSING = '«„“"', '»“”"'


def _quoted(body: str, start: int, end: int) -> bool:
    """Whether a name is the whole of a quotation: «Ермак» (a club), «Путин» (a film)."""
    return start > 0 and end < len(body) and body[start - 1] in _OPENING and body[end] in _CLOSING


def _has(word: str, grammeme: str) -> bool:
    return any(grammeme in tags for tags in grammemes(word))


def _before_quotation(tokens: Tokens, body: str, at: int) -> int:
    """The word before a quotation of up to three words that ends right before word `at`
    («вратарь „Локомотива“ Медведев» -> вратарь), else -1."""
    spans = tokens.spans
    if at == 0 or not any(c in _CLOSING for c in body[spans[at - 1][1] : spans[at][0]]):
        return -1
    for first in range(at - 1, max(at - 4, 0), -1):
        gap = body[spans[first - 1][1] : spans[first][0]]
        if any(c in _OPENING for c in gap):
            return first - 1 if tokens.joined[first] else -1
    return -1


class SomeoneElse:
    """The rules above for one reader: `aliases` maps the reader's pattern index of every actor
    alias to (actor, alias as written)."""

    def __init__(
        self,
        terms: RussianTerms,
        backend: Backend,
        aliases: dict[int, tuple[str, str]],
        markers: dict[int, str] | None = None,
    ) -> None:
        """`markers`: the reader's pattern index of every side marker -> the marker as written."""
        self._actor = {index: actor for index, (actor, _) in aliases.items()}
        self._written = {i: alias.lower().replace("ё", "е") for i, (_, alias) in aliases.items()}
        self._office = frozenset(i for i, (_, alias) in aliases.items() if alias[:1].islower())
        self._surname = frozenset(
            i
            for i, (_, alias) in aliases.items()
            if alias[:1].isupper() and not alias.isupper() and len(alias.split()) == 1
        )
        rules = terms.someone_else
        bare = {word.lower().replace("ё", "е") for word in rules.get("bare", ())}
        self._bare = frozenset(i for i, alias in self._written.items() if alias in bare)
        markers = markers or {}
        self._place = frozenset(  # one capitalised word: «Вашингтон», «Москва»
            i for i, m in markers.items() if m[:1].isupper() and not m.isupper() and " " not in m
        )
        self._nation = frozenset(i for i, m in markers.items() if m[:1].islower())
        self._office_before = _keys(backend, rules.get("office_before", ()))
        self._office_after = _keys(backend, rules.get("office_after", ()))
        self._name_after = _keys(backend, rules.get("name_after", ()))
        self._name_before = _keys(backend, rules.get("name_before", ()))
        context = [
            (actor, term) for actor, found in terms.unless_in_sentence.items() for term in found
        ]
        self._context_of = tuple(actor for actor, _ in context)
        self._guarded = frozenset(
            i for i, actor in self._actor.items() if actor in self._context_of
        )
        self._context = LemmaMatcher([term for _, term in context], backend) if context else None
        held = [  # its conditional terms too: the condition is read after the sides
            term
            for theme in terms.themes
            if theme.id == CONSULAR
            for term in (*theme.terms, *(t for when in theme.when for t in when.terms))
        ]
        self._held = LemmaMatcher(held, backend) if held else None
        self._named: dict[tuple[int, ...], list[int]] = {}  # a hit's actor aliases, per terms

    def judge(
        self,
        hits: list[Hit],
        tokens: Tokens,
        body: str,
        sentences: list[tuple[int, int]] | None = None,
    ) -> tuple[set[int], set[int]]:
        """Positions in `hits` whose actor aliases name someone else, and those that name
        nobody, not even a side; `sentences`: the sentence spans of `body`, when already made."""
        others: set[int] = set()
        nobody: set[int] = set()
        people: set[int] = set()  # nationalities of people in another trade
        starts: list[int] = []
        known = self._named
        guarded: list[int] = []  # positions of the actors an `unless_in_sentence` term rules out
        for position, (owners, start, end) in enumerate(hits):
            named = known.get(owners)
            if named is None:
                named = known[owners] = [i for i in owners if i in self._actor]
            if not named:
                if owners[0] in self._place or owners[0] in self._nation:
                    starts = starts or [token[0] for token in tokens.spans]
                    if self._not_a_side(owners[0], start, end, tokens, starts):
                        (people if owners[0] in self._nation else nobody).add(position)
                continue
            if not self._guarded.isdisjoint(named):
                guarded.append(position)
            starts = starts or [token[0] for token in tokens.spans]
            at, after = bisect_left(starts, start), bisect_left(starts, end)
            before = at - 1 if at > 0 and tokens.joined[at] else -1
            previous = hits[position - 1] if position and position - 1 not in others else None
            if before >= 0 and previous is not None and previous[2] > starts[before]:
                before = -1  # the word before belongs to another match
            follows = after if after < len(starts) and tokens.joined[after] else -1
            if self._bare.issuperset(named) and self._foreign(tokens, before, follows):
                others.add(position)
                nobody.add(position)
            elif _quoted(body, start, end) or self._office_of_bare(named, tokens, before):
                others.add(position)
            elif self._office.issuperset(named):
                if self._office_of_other(named, position, hits, (tokens, starts), body):
                    others.add(position)
            elif self._namesake(named, tokens, at, before, follows, body):
                others.add(position)
        if self._context is not None and guarded:
            others |= self._in_context(guarded, hits, tokens, starts, body, sentences)
        if people:
            nobody |= self._not_held(people, hits, tokens, body, sentences)
        return others, nobody

    def _not_held(
        self,
        people: set[int],
        hits: list[Hit],
        tokens: Tokens,
        body: str,
        sentences: list[tuple[int, int]] | None,
    ) -> set[int]:
        """The nationalities of people in another trade whose sentence holds no term of the
        prisoners and consular theme (those keep their side)."""
        if self._held is None:
            return people
        sentences = split_russian_sentences(body) if sentences is None else sentences
        firsts = [start for start, _ in sentences]
        held = [start for _, start, _ in self._held.finditer(body, tokens)]
        kept = {bisect_right(firsts, start) - 1 for start in held}
        return {p for p in people if bisect_right(firsts, hits[p][1]) - 1 not in kept}

    def _office_of_bare(self, named: list[int], tokens: Tokens, before: int) -> bool:
        """A bare alias after a word of `office_after`: another person's office («замглавы МИД
        Сергей Рябков»)."""
        return (
            self._bare.issuperset(named)
            and before >= 0
            and not self._office_after.isdisjoint(tokens.keys[before])
        )

    def _not_a_side(
        self, marker: int, start: int, end: int, tokens: Tokens, starts: list[int]
    ) -> bool:
        """A side marker that names a thing or a person, not a state (the module's docstring)."""
        at = bisect_left(starts, start)
        if marker in self._place:
            if at == 0 or not tokens.joined[at]:
                return False
            return not self._name_after.isdisjoint(tokens.keys[at - 1]) or self._given_name(
                tokens, at - 1
            )
        after = bisect_left(starts, end)
        for index in range(after, min(after + 3, len(starts))):  # «и американские онкологи»
            if not tokens.joined[index]:
                return False
            if not self._name_after.isdisjoint(tokens.keys[index]):
                return True
            if tokens.lowered[index] != "и" and not modifier(tokens.lowered[index]):
                return False
        return False

    @staticmethod
    def _foreign(tokens: Tokens, before: int, follows: int) -> bool:
        """Whether a bare alias («МИД», «Конгресс») goes with another country or body: a place
        or an abbreviation after it, a genitive adjective or noun heading a longer name after
        it, or an adjective before it."""
        if before >= 0 and _has(tokens.lowered[before], "ADJF"):
            return True
        if follows < 0:
            return False
        word, low = tokens.words[follows], tokens.lowered[follows]
        if word.isupper() and len(word) > 1:
            return True
        readings = grammemes(low)
        if not readings:
            return False
        first = readings[0]
        if word[:1].isupper():
            return "Geox" in first or not first.isdisjoint(("Orgn", "Abbr"))
        return "gent" in first and not first.isdisjoint(("ADJF", "NOUN"))

    def _namesake(
        self, named: list[int], tokens: Tokens, at: int, before: int, follows: int, body: str
    ) -> bool:
        """A name alias that names someone else: after a given name or a word of `name_after`
        (also with a quoted name between: «вратарь „Локомотива“ Медведев»), before a word of
        `name_before`, or a given name read as a surname by its stem («Дмитрий» is not
        «Дмитриев»)."""
        if before >= 0:
            if not self._name_after.isdisjoint(tokens.keys[before]):
                return True
            head = _before_quotation(tokens, body, at)
            if head >= 0 and not self._name_after.isdisjoint(tokens.keys[head]):
                return True
            if self._surname.issuperset(named) and self._given_name(tokens, before):
                return True
        if follows >= 0 and not self._name_before.isdisjoint(tokens.keys[follows]):
            return True
        if self._surname.issuperset(named) and self._given_name(tokens, at):
            word = tokens.lowered[at]
            forms = (word, *lemmas(word))
            return not any(self._written[i] in forms for i in named)
        return False

    def _office_of_other(
        self,
        named: list[int],
        position: int,
        hits: list[Hit],
        words: tuple[Tokens, list[int]],
        body: str,
    ) -> bool:
        """An office alias that is another person's office (the module's docstring)."""
        tokens, starts = words
        start, end = hits[position][1], hits[position][2]
        at, after = bisect_left(starts, start), bisect_left(starts, end)
        before = at - 1 if at > 0 and tokens.joined[at] else -1
        if before >= 0:
            if not self._office_after.isdisjoint(tokens.keys[before]) and _has(
                tokens.lowered[at], "gent"
            ):
                return True
            if not self._office_before.isdisjoint(tokens.keys[before]):
                return True  # «бывший глава Пентагона», «будучи президентом России»
            if tokens.lowered[before] == "в" and _has(tokens.lowered[at], "plur"):
                return True  # «кандидат в президенты России»: the office, not its holder
        if self._apposition(named, at, position, hits, tokens, body):
            return True
        if after < len(starts) and tokens.joined[after] and self._given_name(tokens, after):
            actors = {self._actor[i] for i in named}
            return not self._named_next(actors, position, hits, starts, after)
        return False

    def _apposition(
        self, named: list[int], at: int, position: int, hits: list[Hit], tokens: Tokens, body: str
    ) -> bool:
        """Whether the office follows another person's given name and surname and a comma:
        «Энтони Блинкен, госсекретарь США при Байдене»."""
        if at < 2 or not tokens.joined[at - 1]:
            return False
        if body[tokens.spans[at - 1][1] : tokens.spans[at][0]].strip() != ",":
            return False
        surname = tokens.words[at - 1]
        if not surname[:1].isupper() or not self._given_name(tokens, at - 2):
            return False
        if position:  # «Марко Рубио, госсекретарь США»: the actor's own name
            owners, _, end = hits[position - 1]
            actors = {self._actor[i] for i in named}
            if end == tokens.spans[at - 1][1] and any(self._actor.get(i) in actors for i in owners):
                return False
        return True

    @staticmethod
    def _given_name(tokens: Tokens, index: int) -> bool:
        word = tokens.words[index]
        return len(word) > 1 and word[:1].isupper() and _has(tokens.lowered[index], "Name")

    def _named_next(
        self, actors: set[str], position: int, hits: list[Hit], starts: list[int], after: int
    ) -> bool:
        """Whether the next match, within `_AHEAD` tokens, is one of `actors` by name."""
        if position + 1 >= len(hits):
            return False
        owners, start, _ = hits[position + 1]
        if bisect_left(starts, start) > after + _AHEAD - 1:
            return False
        return any(self._actor.get(i) in actors for i in owners)

    def _in_context(
        self,
        positions: list[int],
        hits: list[Hit],
        tokens: Tokens,
        starts: list[int],
        body: str,
        sentences: list[tuple[int, int]] | None,
    ) -> set[int]:
        """Those of the guarded actors' hits at `positions` whose sentence has one of their
        `unless_in_sentence` terms; only those sentences are scanned for the terms, in place
        (`starts`: where each word of `tokens` starts)."""
        assert self._context is not None
        sentences = split_russian_sentences(body) if sentences is None else sentences
        firsts = [start for start, _ in sentences]
        guarded = [
            (position, {self._actor[i] for i in hits[position][0] if i in self._guarded})
            for position in positions
        ]
        unless: dict[int, set[str]] = {}
        for position, _ in guarded:
            number = bisect_right(firsts, hits[position][1]) - 1
            if number in unless or number < 0:
                continue
            left, right = sentences[number]
            first, last = bisect_left(starts, left), bisect_left(starts, right)
            found = self._context.finditer(body, tokens, first, last)
            unless[number] = {self._context_of[i] for owners, _, _ in found for i in owners}
        return {
            position
            for position, actors in guarded
            if actors & unless.get(bisect_right(firsts, hits[position][1]) - 1, set())
        }
