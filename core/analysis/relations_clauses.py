"""The grammar the relations reading (core/analysis/relations.py) walks within one sentence:
where its clauses break, which parties it names, and which side an act falls on. Pure functions
over the folded text and party spans."""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter

Party = tuple[str, int, int]
"""(side, start, end): a party named in the text — us, russia, mutual or other."""

# A clause ends at a strong break (the subject is looked for within it) or a weak one (the
# target and the cue window stop there); found in one regex pass (`_BREAKS`).
_STRONG_MARKS = frozenset(";:()[]—–")
_WEAK_MARKS = re.compile(r"[,;:()\[\]\"“”—–]")
_STRONG_WORDS = (" but ", " while ", " whereas ", " although ", " though ", " meanwhile ",
                 " separately ", " - ")  # fmt: skip
_WEAK_WORDS = (*_STRONG_WORDS, " and ", " because ", " after ", " before ", " when ", " where ",
               " which ", " who ")  # fmt: skip
_STRONG_BARE = frozenset(word.strip() for word in _STRONG_WORDS)
_BREAKS = re.compile(
    _WEAK_MARKS.pattern
    + r"| (?=("
    + "|".join(re.escape(word.strip()) for word in _WEAK_WORDS)
    + r") )"
)
"""A weak mark, or the space before a weak word (the word itself is group 1)."""


def merge_parties(sides: Sequence[tuple[str, int, int]], ours: list[Party]) -> list[Party]:
    """The gazetteer's side evidence within the sentence (a joint phrase is mutual) and this
    lexicon's parties, by position; where they overlap the longer span wins ("Kremlin critic"
    is no Kremlin). Plain loops: called per sentence with act phrases, in both readings."""
    if not sides:
        return sorted(ours, key=_START)
    merged = list(ours)
    for kind, start, end in sides:
        overlapping: list[Party] = []
        shorter = False  # whether an overlapping party is as long as the side, or longer
        for party in ours:
            if party[1] < end and start < party[2]:
                overlapping.append(party)
                shorter = shorter or end - start <= party[2] - party[1]
        if overlapping:
            if shorter:
                continue
            merged = [p for p in merged if p not in overlapping]
        merged.append(("mutual" if kind == "joint" else kind, start, end))
    merged.sort(key=_START)
    return merged


_START = itemgetter(1)


def clause_breaks(
    folded: str, s_start: int, s_end: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(strong, weak) clause breaks of a sentence as (start, end) spans, in order; every strong
    break is a weak one too. One regex pass finds the marks and the words (a word's span is the
    word without its spaces; the regex consumes only the space before it, so "and and" gives
    two breaks, as a search from every position would)."""
    strong: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []
    for found in _BREAKS.finditer(folded, s_start, s_end):
        word = found.group(1)
        if word is None:
            span = found.span()
            weak.append(span)
            if found.group() in _STRONG_MARKS:
                strong.append(span)
        else:
            span = found.span(1)
            weak.append(span)
            if word in _STRONG_BARE:
                strong.append(span)
    strong.sort()
    weak.sort()
    return strong, weak


def breaks_between(breaks: list[tuple[int, int]], left: int, right: int) -> bool:
    return any(left <= start and end <= right for start, end in breaks)


def target_side(folded: str, side: str, after: list[Party]) -> str | None:
    """The side acted upon: the first party after the phrase of another side; a third party
    ("accused Kyiv") means none, unless joined to ours ("Kyiv and Washington")."""
    for position, party in enumerate(after):
        if party[0] == side:
            continue
        if party[0] == "mutual":
            return "russia" if side == "us" else "us"
        if party[0] != "other":
            return party[0]
        for following in after[position + 1 :]:
            between = folded[party[2] : following[1]].strip()
            if between not in ("and", ",", "and the", "as well as"):
                return None
            if following[0] not in (side, "other"):
                return "russia" if side == "us" else "us"
            party = following
        return None
    return None


def speaker_direction(
    speaker: Party | None, parties: list[Party], weight: float
) -> tuple[str, str] | None:
    """A judging phrase is the speaker's act against the other side."""
    if speaker is None:
        return None
    side = speaker[0]
    if side == "mutual":
        return ("mutual", "mutual") if weight > 0 else None
    other = "russia" if side == "us" else "us"
    if not any(p[0] in (other, "mutual") for p in parties):
        return None
    return side, other
