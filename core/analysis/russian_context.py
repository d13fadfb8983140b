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
  «войска заняли пять населённых пунктов в Донбассе» is the war alone);
- weapons, aid or frozen assets are the war's too where Kyiv is named (`cues`).

A term whose condition fails is dropped from the theme's matches and its span is given to the
learned theme model as read (core/analysis/russian_model.py `readable`), like a false friend's,
so the model does not count «арестовал» where the terms do not.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from core.analysis.russian_terms import Condition, RussianTheme
from core.analysis.russian_words import Backend, LemmaMatcher, Tokens, grammemes
from core.models import ThemeMatch

_BOTH = frozenset({"us", "russia"})


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
        spans of those are added to `hidden`."""
        rule = self._rule
        if not any((match.theme, match.term) in rule for match in themes):
            return themes
        firsts = [start for start, _ in sentences] or [0]

        def sentence(at: int) -> int:
            return bisect_right(firsts, at) - 1

        kinds: dict[int, set[str]] = {}
        for kind, start, _ in sides:
            kinds.setdefault(sentence(start), set()).add(kind)
        named: dict[int, set[str]] = {}
        for match in themes:
            if (match.theme, match.term) not in rule:
                named.setdefault(sentence(match.start), set()).add(match.theme)
        cued: dict[int, set[int]] | None = None
        side_starts = {start for _, start, _ in sides}
        kept = []
        for match in themes:
            found_rule = rule.get((match.theme, match.term))
            if found_rule is None:
                kept.append(match)
                continue
            number, condition = found_rule
            at = sentence(match.start)
            found = kinds.get(at, set())
            holds = not named.get(at, set()).intersection(condition.unless_themes)
            if holds and (condition.sides or condition.cues):
                sided = (
                    (
                        "joint" in found or found >= _BOTH
                        if condition.sides == "both"
                        else bool(found & {"us", "russia", "joint"})
                    )
                    if condition.sides
                    else False
                )
                if not sided and condition.cues:
                    if cued is None:
                        cued = self._cues_by_sentence(body, tokens, firsts)
                    sided = number in cued.get(at, set())
                holds = sided
            if holds and condition.owned_by_side:
                holds = not _owned_by_other(tokens, match.end, side_starts)
            if holds:
                kept.append(match)
            else:
                hidden.append((match.start, match.end))
        return kept

    def _cues_by_sentence(
        self, body: str, tokens: Tokens, firsts: list[int]
    ) -> dict[int, set[int]]:
        """Sentence -> numbers of the conditions one of whose cues it holds."""
        out: dict[int, set[int]] = {}
        if self._cues is not None:
            for indexes, start, _ in self._cues.finditer(body, tokens):
                found = out.setdefault(bisect_right(firsts, start) - 1, set())
                found.update(self._cued[i] for i in indexes)
        return out


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
