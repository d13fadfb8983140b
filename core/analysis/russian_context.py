"""Theme terms that count only in context: the [[themes.<id>.ru.when]] tables of
config/themes.toml (core/analysis/russian_terms.py `Condition`).

A word can mean a theme in one sentence and not in the next, and the words around it tell which,
as a Russian editor reads them (the labelling spec the evaluation sets follow):

- a detention, arrest or sentence is the prisoners story only where a national of one side is
  held by the other: the sentence names both sides («в Калининграде … гражданина США») or an
  exchange or extradition; «Суд в Перми арестовал журналистку» is domestic news;
- an expulsion, embassy staff or a meeting is consular affairs or diplomacy only where the US
  or Russia is in the sentence, and not where the term is another country's («посол Индии»,
  «саммит Евросоюза»: `owned_by_side`);
- troops and units are military posture, but not in a sentence about the fighting (`unless_themes`:
  «войска заняли пять населённых пунктов в Донбассе» is the war alone); a theme that a held
  condition without `unless_themes` keeps counts for those with it (an embassy in a sentence
  about an expulsion is consular affairs alone);
- weapons, aid or frozen assets are the war's too where Kyiv is named (`cues`).

A term whose condition fails is dropped from the theme's matches and its span is given to the
learned theme model as read (core/analysis/russian_model.py `readable`), like a false friend's,
so the model does not count «арестовал» where the terms do not.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from core.analysis.russian_terms import Condition, RussianTheme
from core.analysis.russian_words import Backend, LemmaMatcher, Tokens, find_in, grammemes
from core.models import ThemeMatch

_BOTH = frozenset({"us", "russia"})
_EITHER = frozenset({"us", "russia", "joint"})
_NONE: frozenset[str] = frozenset()


class Contexts:
    """The conditions of every theme's conditional terms, with one matcher for their cues."""

    def __init__(self, themes: Sequence[RussianTheme], backend: Backend) -> None:
        self._rule: dict[tuple[str, str], tuple[int, Condition]] = {}
        cues: list[str] = []
        self._cued: list[int] = []  # cue -> its condition's number
        conditions = [(theme.id, condition) for theme in themes for condition in theme.when]
        for number, (theme_id, condition) in enumerate(conditions):
            self._rule |= {(theme_id, term): (number, condition) for term in condition.terms}
            cues += condition.cues
            self._cued += [number] * len(condition.cues)
        self._cues = LemmaMatcher(cues, backend) if cues else None

    def __bool__(self) -> bool:
        return bool(self._rule)

    def apply(
        self,
        body: str,
        tokens: Tokens,
        sentences: Sequence[tuple[int, int]],
        themes: list[ThemeMatch],
        sides: Sequence[tuple[str, int, int]],
        hidden: list[tuple[int, int]],
    ) -> list[ThemeMatch]:
        """`themes` without the conditional matches whose sentence fails their condition; the
        spans of those are added to `hidden`. Only the sentences of conditional matches are
        read for cues."""
        rule = self._rule
        conditional = [rule.get((match.theme, match.term)) for match in themes]
        if not any(conditional):
            return themes
        firsts = [start for start, _ in sentences] or [0]
        kinds: dict[int, set[str]] = {}
        for kind, start, _ in sides:
            kinds.setdefault(bisect_right(firsts, start) - 1, set()).add(kind)
        named: dict[int, set[str]] = {}
        for match, found_rule in zip(themes, conditional, strict=True):
            if found_rule is None:
                named.setdefault(bisect_right(firsts, match.start) - 1, set()).add(match.theme)
        cued: dict[int, set[int]] = {}
        side_starts = {start for _, start, _ in sides}
        holding: list[bool | None] = [None] * len(themes)
        # conditions without `unless_themes` first: a theme they keep in a sentence is named
        # there for those with it («выслала сотрудников посольства» is consular, not diplomacy)
        for late in (False, True):
            for index, (match, found_rule) in enumerate(zip(themes, conditional, strict=True)):
                if found_rule is None or bool(found_rule[1].unless_themes) != late:
                    continue
                number, condition = found_rule
                at = bisect_right(firsts, match.start) - 1
                holds = not named.get(at, _NONE).intersection(condition.unless_themes)
                if holds and (condition.sides or condition.cues):
                    found = kinds.get(at, _NONE)
                    if condition.sides == "both":
                        holds = "joint" in found or found >= _BOTH
                    else:
                        holds = condition.sides == "either" and not found.isdisjoint(_EITHER)
                    if not holds and condition.cues:
                        if at not in cued:
                            cued[at] = self._cued_in(body, tokens, sentences, at)
                        holds = number in cued[at]
                if holds and condition.owned_by_side:
                    holds = not _owned_by_other(tokens, match.end, side_starts)
                holding[index] = holds
                if holds and not late:
                    named.setdefault(at, set()).add(match.theme)
        kept = []
        for match, held in zip(themes, holding, strict=True):
            if held is False:
                hidden.append((match.start, match.end))
            else:
                kept.append(match)
        return kept

    def _cued_in(
        self, body: str, tokens: Tokens, sentences: Sequence[tuple[int, int]], at: int
    ) -> set[int]:
        """The numbers of the conditions one of whose cues sentence `at` holds."""
        if self._cues is None:
            return set()
        start, stop = sentences[at] if sentences else (0, len(body))
        hits = find_in(self._cues, body, start, stop, tokens)
        return {self._cued[i] for indexes, _, _ in hits for i in indexes}


def _owned_by_other(tokens: Tokens, end: int, side_starts: set[int]) -> bool:
    """Whether the word right after a term (ending at `end`) names another country or body as
    its owner: a capitalised place, organisation or abbreviation in the genitive («посол
    Индии», «саммит Евросоюза», «посольство ФРГ») that is no side marker («посол США»)."""
    after = bisect_left(tokens.spans, (end,))
    if after >= len(tokens.spans) or not tokens.joined[after]:
        return False
    word = tokens.words[after]
    if not word[:1].isupper() or tokens.spans[after][0] in side_starts:
        return False
    if word.isupper() and len(word) > 1:
        return True
    return any(
        "gent" in reading and not reading.isdisjoint(("Geox", "Orgn", "Abbr"))
        for reading in grammemes(tokens.lowered[after])
    )
