"""What the Russian relations reading (core/analysis/relations_russian.py) takes for no act or
a lesser one: negation and hypotheticals around a phrase, what did not or may not happen, plans
not made, hostile acts forgone, questions, and guesses by commentators and the press; and who
speaks. Kept apart from core/analysis/relations_russian_grammar.py so each module stays small."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.analysis.relations import CUE_WORDS
from core.analysis.relations_clauses import Party
from core.analysis.relations_russian_grammar import first_word
from core.analysis.russian_words import grammemes, lemma, modifier

_WORD = re.compile(r"\w+")


_NOT_YET = re.compile(r"\b(?:пока|ещё|еще|до сих пор)\s+не\b")
"""«пока не», «ещё не»: the act has not happened yet, which is not a refusal."""


_NONE_SUCH = re.compile(
    r"(?<!\w)(?:никак(?:ой|ая|ое|ие|ого|ому|ую|им|ими|их|ом)|отсутстви[еяию])(?!\w)"
)


def none_such(text: str, s_start: int, start: int) -> bool:
    """Whether «никакой» or «отсутствие» stands in the few words before a noun act («никаких
    договорённостей … нет», «несмотря на отсутствие прямых рейсов»): nothing of the kind was
    done, which is no refusal."""
    lowered = text[max(s_start, start - 30) : start].lower()
    return ("никак" in lowered or "отсутстви" in lowered) and _NONE_SUCH.search(lowered) is not None


def not_yet(text: str, s_start: int, start: int) -> bool:
    """Whether the negation before a phrase says the act has not happened yet («Минфин США пока
    не продлевал лицензию»): nothing was refused, so it weighs nothing."""
    return _NOT_YET.search(text[max(s_start, start - 60) : start].lower()) is not None


_COMMENTATORS = frozenset(
    "эксперт аналитик политолог наблюдатель обозреватель комментатор писать источник сми "
    "газета издание экс бывший экономист специалист профессор американист отрасль "
    "участник".split()
)
"""People who judge what the sides may do, and the press that reports what may happen («пишет
Bloomberg», «со ссылкой на источники», «газета утверждает»): what they guess is no act of either
side."""


def commentary(text: str, sentence: tuple[int, int], cues: Sequence[tuple[str, int, int]]) -> bool:
    """Whether a commentator speaks or guesses in the sentence («считают аналитики», «эксперты
    полагают», «аналитики ожидают»): a guess of theirs about what the sides may or may not do is
    no event (the sides' own hypotheticals and refusals still are)."""
    for kind, start, end in cues:
        if kind not in ("speech", "hypothetical"):
            continue
        left, right = max(sentence[0], start - 25), min(sentence[1], end + 25)
        near = _WORD.findall(text, left, start) + _WORD.findall(text, end, right)
        if any(lemma(word.lower()) in _COMMENTATORS or _outlet(word) for word in near):
            return True
    if _UNCONFIRMED.search(text[sentence[0] : sentence[1]].lower()):
        return True  # «…, но это пока не подтверждено»
    return any(lemma(word.lower()) in _PRESS for word in _WORD.findall(text, *sentence))


def _outlet(word: str) -> bool:
    """A word in Latin letters written as a name next to a speech word: an outlet («полагают в
    Bloomberg», «The Wall Street Journal сообщает»), not an agency named in capitals (OFAC)."""
    return word.isascii() and word[:1].isupper() and not word.isupper() and len(word) > 2


_PRESS = frozenset({"писать", "сми", "предсказывать", "предсказать", "прогнозировать", "гадать"})
"""«пишет Reuters», «по данным СМИ», «отказался предсказывать»: the press reporting, or anyone
forecasting, what may happen, anywhere in the sentence."""


_UNCONFIRMED = re.compile(r"(?<!\w)(?:не\s+подтвержд|неподтвержд|не\s+подтвердил)")
"""What the sentence itself calls unconfirmed is a guess."""


def asked(text: str, left: int, head_end: int, s_end: int) -> bool:
    """Whether «ли» follows the phrase's first word («звонил ли Путин Трампу») or stands before
    it in its clause, from `left` («спорят, выгодна ли России отмена пошлин»): a question whether
    an act happened or helps is no act."""
    at = head_end + 1 if text.startswith(" ", head_end) else head_end
    if text.startswith(_LI_FORMS, at):  # how every word that lowers to «ли» begins
        after = _WORD.match(text, at)
        if after is not None and after.end() <= s_end and after.group().lower() == "ли":
            return True
    # «спорят, выгодна ли России …»; the words are read only when the lower-cased text from
    # `lo` (where both readings below begin, or before) holds «ли» or an asking word before a
    # non-word or its end (_LI_TEXT, _ASKING_TEXT): a word that lowers to one puts it there
    # (what is no word character lowers to none), and most clauses have none. The question
    # reaches back to its comma over an «и» between the sides («спорят, смогут ли США и Россия
    # вернуться к переговорам»).
    lo = max(0, left - 60)
    lowered = text[lo:head_end].lower()
    if _LI_TEXT.search(lowered):
        comma = max(
            text.rfind(",", lo, head_end),
            text.rfind(":", lo, head_end),
            text.rfind(";", lo, head_end),
            text.rfind("—", lo, head_end),
            text.rfind("(", lo, head_end),
        )
        reach = min(left, comma + 1) if comma >= 0 else left
        if "ли" in (word.lower() for word in _WORD.findall(text, reach, head_end)):
            return True
    # «не ответил на вопрос, когда Путин и Трамп проведут переговоры» («когда» opens the clause)
    if _ASKING_TEXT.search(lowered) is None:
        return False  # no asking word, no opener
    wide = max(0, left - 50)
    words = [word.lower() for word in _WORD.findall(text, wide, head_end)]
    opener = max((i for i, word in enumerate(words) if word in _ASKING_WORDS), default=-1)
    return opener > 0 and not {
        lemma(word) for word in words[max(0, opener - 2) : opener]
    }.isdisjoint(_ASKED)


_ASKING_WORDS = frozenset("когда где как почему зачем сколько кто что".split())
_LI_FORMS = ("ли", "Ли", "лИ", "ЛИ")
_LI_TEXT = re.compile(r"ли(?!\w)")
_ASKING_TEXT = re.compile(r"(?:" + "|".join(sorted(_ASKING_WORDS)) + r")(?!\w)")
"""«ли» or an asking word ending a word of a lower-cased text (or the end of a word cut there):
no look-behind, so the search skips ahead to the letters that begin one."""


_ASKED = frozenset({"вопрос", "неизвестно", "неясно", "непонятно", "уточнить", "уточнять"})
"""Words after which a clause opened by «когда», «где» … is an indirect question."""


def modality(
    text: str,
    s_start: int,
    start: int,
    weak: list[tuple[int, int]],
    cues: list[tuple[str, int, int]],
) -> tuple[bool, bool]:
    """(negated, hypothetical) from the cues in the CUE_WORDS words before a phrase, within
    its clause, and a conditional anywhere before it in the sentence."""
    if not cues or cues[0][2] > start:
        return False, False  # no cue before it (most phrases): no window to find
    left = max(s_start, start - 80)
    for _, break_end in weak:
        if break_end > start:
            break
        left = max(left, break_end)
    window = _WORD.findall(text, left, start)
    if len(window) > CUE_WORDS:
        cut = [m.start() for m in _WORD.finditer(text, left, start)][-CUE_WORDS]
        left = max(left, cut)
    negated = hypothetical = False
    for kind, _, cue_end in cues:
        if cue_end > start:
            break
        if kind == "conditional":
            hypothetical = True
        elif cue_end > left:  # «так и не» reaches into the window
            negated = negated or kind == "negation"
            hypothetical = hypothetical or kind == "hypothetical"
    return negated, hypothetical


_PREDICATE_WORDS = 7
"""How far after a noun act its predicate may say it did not or may not happen."""


def predicate_after(
    text: str, end: int, s_end: int, cues: Sequence[tuple[str, int, int]]
) -> tuple[bool, bool]:
    """(negated, hypothetical) from the predicate that follows a noun act in its clause:
    «никаких договорённостей … пока нет», «переговоры завершились без результата», «встреча
    может не состояться», «введение пошлин обсуждается»."""
    if not cues:
        return False, False
    stop = min([s_end] + [at for at in (text.find(m, end, s_end) for m in ",;:()—–") if at >= 0])
    negated = hypothetical = False
    for kind, cue_start, _ in cues:
        if (
            not end <= cue_start < stop
            or len(_WORD.findall(text, end, cue_start)) > _PREDICATE_WORDS
        ):
            continue
        negated = negated or kind == "negation"
        hypothetical = hypothetical or kind == "hypothetical"
    return negated, hypothetical


_PLANS = frozenset({"планировать", "планироваться", "запланировать", "предполагаться"})


def no_plan(text: str, cues: Sequence[tuple[str, int, int]], start: int) -> bool:
    """Whether a negation before a phrase falls on a plan verb before it («Путин не планирует
    разговор с Трампом»): nothing is planned, which is no refusal."""
    negations = [c for c in cues if c[0] == "negation" and c[2] <= start]
    return any(
        kind == "hypothetical"
        and cue_end <= start
        and lemma(first_word(text, cue_start, cue_end)) in _PLANS
        and any(n[2] <= cue_start and cue_start - n[2] <= 3 for n in negations)
        for kind, cue_start, cue_end in cues
    )


def forgone(text: str, end: int, following: int) -> bool:
    """Whether a refusal's object is the act whose phrase begins at `following`, right after
    «от» and its modifiers («отказался от введения новых пошлин») or right after the refusal,
    in the infinitive («отказалась продлить запрет», «отказался вводить пошлины»)."""
    between = _WORD.findall(text, end, following)
    if not between:  # an infinitive right after the refusal
        verb = grammemes(first_word(text, following, following + 40))
        return not text[end:following].strip(" ") and bool(verb) and "INFN" in verb[0]
    return between[0].lower() == "от" and all(modifier(w.lower()) for w in between[1:])


_SPEAKER_REACH = 45
"""How far before a speech word its speaker may stand."""


def speaker_party(
    text: str,
    sentence: tuple[int, int],
    parties: list[Party],
    strong: list[tuple[int, int]],
    cues: list[tuple[str, int, int]],
) -> Party | None:
    """The party that speaks: a headline's «Кремль: …», the party after a speech word that
    follows a comma or dash («…, заявил Песков», «по словам Лаврова»), else the one before
    it («Захарова заявила», «в Кремле заявили»)."""
    s_start = sentence[0]
    first = parties[0]
    if first[1] - s_start < 3 and text.startswith(":", first[2]) and first[0] != "other":
        return first
    for kind, cue_start, cue_end in cues:
        if kind != "speech":
            continue
        lead = text[max(s_start, cue_start - 3) : cue_start].strip()
        after = [p for p in parties if 0 <= p[1] - cue_end <= 25]
        before = [
            p
            for p in parties
            if p[2] <= cue_start
            and cue_start - p[2] <= _SPEAKER_REACH
            and not any(p[2] <= b and e <= cue_start for b, e in strong)
        ]
        inverted = lead.endswith((",", "—", "–")) or cue_start == s_start
        nearest = [after[0] if after else None, before[-1] if before else None]
        for party in nearest if inverted else nearest[::-1]:
            if party is not None and party[0] != "other":
                return party
    return None
