"""The Russian half of a relations lexicon compiled for matching by lemma, and the phrases of a
sentence found with it: what core/analysis/relations_russian.py reads its events from. The
phrases are written in dictionary forms (config/relations.toml, `[categories.<code>.ru]`): a
head, then later parts each within a few words and before a comma («ввести ... санкция»)."""

from __future__ import annotations

import re

from core.analysis import russian_kept
from core.analysis.relations_clauses import Party
from core.analysis.relations_lexicon import (
    GAP_WORDS,
    PARTY_KINDS,
    RelationsLexicon,
    RussianRelations,
    split_phrase,
)
from core.analysis.relations_russian_grammar import (
    fronted,
    openings,
    shadowed_forms,
    words_before,
)
from core.analysis.russian_terms import RussianTerms
from core.analysis.russian_words import (
    DEFAULT_BACKEND,
    RUSSIAN_MEMO_LIMIT,
    Backend,
    LemmaMatcher,
    Tokens,
    bounds,
    find_in,
)

BOTH = frozenset({"us", "russia"})
WORD = re.compile(r"\w+")
_CLAUSE_MARK = re.compile("[,;:]")
_NOT_MUTUAL_AFTER = frozenset("со с по одной другой той этой".split())
"""«со стороны США», «с другой стороны»: no «стороны» that means the two sides."""
_GAP = GAP_WORDS + 2  # Russian puts the recipient between: «вернули российской стороне одну из дач»


def _reach(
    text: str, tokens: Tokens | None, start: int, limit: int
) -> tuple[int, tuple[int, int] | None]:
    """(stop, its words) of where a phrase's next part is looked for after `start`: up to the
    first clause mark or `limit`; the words (`bounds`) when `tokens` hold them, else None (the
    stretch is read anew, as `find_in` does)."""
    mark = _CLAUSE_MARK.search(text, start, limit)
    stop = mark.start() if mark else limit
    return stop, bounds(tokens, start, stop) if tokens is not None else None


class RussianPhraseMatcher:
    """The Russian phrases, false friends, parties and cues of a relations lexicon compiled into
    two lemma matchers (acts and parties; cues), and a sentence's parties and act heads read
    with them (`_scan`); the reading itself is RussianRelationsReader's
    (core/analysis/relations_russian.py)."""

    def __init__(
        self,
        lexicon: RelationsLexicon,
        terms: RussianTerms,
        backend: Backend = DEFAULT_BACKEND,
    ) -> None:
        if lexicon.ru is None:
            raise ValueError("the relations lexicon has no Russian half")
        ru: RussianRelations = lexicon.ru
        self.lexicon = lexicon
        texts: list[str] = []
        # Per term: ("event", code, tails), ("party", side, ()) or ("hide", "", ()).
        kinds: list[tuple[str, str, tuple[LemmaMatcher, ...]]] = []
        tails_of: dict[str, LemmaMatcher] = {}
        for category in lexicon.categories:
            for phrase in ru.phrases.get(category.code, ()):
                head, tails = split_phrase(phrase)
                matchers = tuple(  # one matcher per tail, built once (~0.3 s for them all)
                    tails_of[tail]
                    if tail in tails_of
                    else tails_of.setdefault(tail, LemmaMatcher(tail.split("|"), backend))
                    for tail in tails
                )
                texts.append(head)
                kinds.append(("event", category.code, matchers))
                if " " not in head and not head.startswith("=") and not head.endswith("*"):
                    # «закрыты», «пришли»: forms the dictionary reads first as another word
                    for form in shadowed_forms(head):
                        texts.extend(("=" + form, "=" + form.capitalize()))
                        kinds.extend([("event", category.code, matchers)] * 2)
            for term in ru.exclude.get(category.code, ()):
                texts.append(term)
                kinds.append(("hide", "", ()))
        for side in PARTY_KINDS:
            for term in ru.parties.get(side, ()):
                texts.append(term)
                kinds.append(("party", side, ()))
        for name, aliases in terms.aliases.items():
            if terms.sides[name] not in BOTH:
                texts.extend(aliases)
                kinds.extend([("party", "other", ())] * len(aliases))
        for term in terms.markers.get("neutral", ()):
            texts.append(term)
            kinds.append(("hide", "", ()))
        self._kinds = tuple(kinds)
        self._owned: dict[tuple[int, ...], tuple[bool, tuple[str, ...], tuple[int, ...]]] = {}
        self._matcher = LemmaMatcher(texts, backend)
        cue_kinds = [(kind, term) for kind, cue_terms in ru.cues.items() for term in cue_terms]
        self._cue_kinds = tuple(kind for kind, _ in cue_kinds)
        self._cues = LemmaMatcher([term for _, term in cue_kinds], backend)
        self._weights = {category.code: category.weight for category in lexicon.categories}
        self._quads = lexicon.quads
        self._speaker_acts = frozenset(c.code for c in lexicon.categories if c.speaker)
        self._mutual_acts = frozenset(c.code for c in lexicon.categories if c.mutual)
        # Sentences without side evidence are scanned only when they hold a word that may begin
        # a mutual party («обе стороны», «две страны») or a missing side's party beyond the
        # markers («ФСБ», «Минюст США»): a cheap test on the lower-case text, per missing sides.
        self._hints = {
            missing: openings((ru.parties.get("mutual", ()), 3), *(
                (ru.parties.get(side, ()), 4) for side in missing
            ))
            for missing in (frozenset({"us"}), frozenset({"russia"}), BOTH)
        }  # fmt: skip
        russian_kept.save()  # the words of the phrases, for the next process to build from

    # --- matching -------------------------------------------------------------------------------

    def _scan(
        self, text: str, tokens: Tokens, words: tuple[int, int]
    ) -> tuple[list[Party], list[tuple[list[int], int, int]]]:
        """(parties, act heads as (term indexes, start, end)) of a sentence: `words` (first,
        last excluded) of the `tokens` of `text`."""
        parties: list[Party] = []
        heads: list[tuple[list[int], int, int]] = []
        first, last = words
        left = tokens.spans[first][0] if first < last else 0
        known = self._owned
        for owners, start, end in self._matcher.finditer(text, tokens, first, last):
            hide, sides, events = known.get(owners) or self._owners(owners)
            if hide:
                continue
            if sides == ("mutual",) and set(words_before(text, left, start)) & _NOT_MUTUAL_AFTER:
                sides = ()
            if sides:
                side = "mutual" if "mutual" in sides else sides[0]
                parties.append((side, start, end))
            if events:
                heads.append((list(events), start, end))
        return parties, heads

    def _owners(self, owners: tuple[int, ...]) -> tuple[bool, tuple[str, ...], tuple[int, ...]]:
        """(hidden, party sides, act terms) of a hit's terms, kept per set of terms."""
        kinds = [self._kinds[index] for index in owners]
        read = (
            any(kind[0] == "hide" for kind in kinds),
            tuple(kind[1] for kind in kinds if kind[0] == "party"),
            tuple(index for index in owners if self._kinds[index][0] == "event"),
        )
        if len(self._owned) < RUSSIAN_MEMO_LIMIT:
            self._owned[owners] = read
        return read

    def _phrase_span(
        self,
        text: str,
        index: int,
        head_end: int,
        limit: int,
        tokens: Tokens | None = None,
        reach: tuple[int, tuple[int, int] | None] | None = None,
    ) -> tuple[int, int]:
        """(where its next part begins, where it ends) of the phrase of term `index` whose head
        ends at `head_end`, both `head_end` for a bare head; (-1, -1) when its later parts are
        not found (each within _GAP words, before a comma or `limit`). `tokens`: the words of the
        text (or of a stretch of it that holds the sentence), when already made; `reach`: the
        `_reach` of `head_end`, when already found."""
        end = nearest = head_end
        for position, tail in enumerate(self._kinds[index][2]):
            stop, inside = reach if position == 0 and reach else _reach(text, tokens, end, limit)
            if inside is None:
                hits = find_in(tail, text, end, stop)
            else:
                hits = tail.finditer(text, tokens, *inside)
            if not hits or len(WORD.findall(text, end, hits[0][1])) > _GAP:
                return -1, -1
            if position == 0:
                nearest = hits[0][1]
            end = hits[0][2]
        return nearest, end

    def _best_phrase(
        self, text: str, indexes: list[int], head_end: int, limit: int, tokens: Tokens
    ) -> tuple[int, str]:
        """(end, category) of the phrase a head begins: a phrase with later parts before a bare
        head, the one whose next part is nearest (the verb's own object: «передала … данные о
        подозреваемых» is data, not a suspect), then the longest; (-1, "") when none is whole.
        Where the next part is looked for is the same for every phrase: found once."""
        best: tuple[tuple[int, int, int], int, str] | None = None
        reach: tuple[int, tuple[int, int] | None] | None = None
        for index in indexes:
            _, code, tails = self._kinds[index]
            if tails:
                reach = reach or _reach(text, tokens, head_end, limit)
                nearest, end = self._phrase_span(text, index, head_end, limit, tokens, reach)
                if end < 0:
                    continue
                candidate = ((0, nearest, -end), end, code)
            else:
                candidate = ((1, head_end, -head_end), head_end, code)
            if best is None or candidate < best:
                best = candidate
        return (-1, "") if best is None else (best[1], best[2])

    def _fronted(self, text: str, indexes: list[int], left: int, start: int) -> tuple[int, str]:
        """(start, category) of a fronted passive's object before its head (grammar.fronted)."""
        candidates = [
            (self._kinds[i][1], self._kinds[i][2][0]) for i in indexes if self._kinds[i][2]
        ]
        return fronted(text, candidates, left, start, _GAP + 4)

    def matches(self, code: str, fragment: str) -> bool:
        """Whether `fragment` is, from its first to its last character, a Russian phrase of
        category `code` (what an event's span must be: the tests rely on it), or a fronted
        passive of one: its object, then its participle («Ограничения … смягчены»)."""
        hits = self._matcher.finditer(fragment)
        if not hits:
            return False
        owners, start, head_end = hits[0]
        if start == 0 and any(
            self._kinds[index][:2] == ("event", code)
            and self._phrase_span(fragment, index, head_end, len(fragment))[1] == len(fragment)
            for index in owners
        ):
            return True
        owners, start, head_end = hits[-1]
        heads = [index for index in owners if self._kinds[index][:2] == ("event", code)]
        return (
            head_end == len(fragment)
            and bool(heads)
            and self._fronted(fragment, heads, 0, start) == (0, code)
        )
