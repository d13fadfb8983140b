"""Is this article about the US–Russia relationship, not merely about Russia (or America)?

Evidence comes from config/actors.toml: the side of every actor mentioned (us / russia), side
markers ("Washington", "Russian", "U.S.") and joint phrases that name the relationship itself
("US–Russia", "Moscow and Washington", "Russian-American", "Trump and Putin").

    score = 0.35 · [both sides present, or a joint phrase, anywhere]
          + 0.30 · [a joint phrase]
          + 0.20 · [one sentence of the text names both sides (or a joint phrase)]
          + 0.10 · [two or more such sentences]
          + 0.15 · [the headline names both sides (or a joint phrase)]      capped at 1.

One side only scores ONE_SIDE (0.1: a faint signal, never relevant); neither side scores 0.
An article is relevant at RELEVANT_AT (0.5) or more, which takes both sides plus at least one of:
a joint phrase, a sentence naming both, a headline naming both. Russia and China alone: 0.1.
A Kremlin statement about Washington ("The Kremlin said Washington was to blame."): 0.55.
Both sides only in separate sentences of the text ("Russia held drills. Separately, America
held an election."): 0.35, not relevant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from core.models import ActorMention

RELEVANT_AT = 0.5
ONE_SIDE = 0.1
SIDE_KINDS = frozenset({"us", "russia"})


def _names_both(kinds: set[str]) -> bool:
    return "joint" in kinds or kinds >= SIDE_KINDS


def relevance_score(
    *,
    title_spans: Iterable[tuple[str, int, int]],
    text_spans: Iterable[tuple[str, int, int]],
    sentence_starts: Sequence[int],
) -> float:
    """The score above, from (kind, start, end) evidence with kind in us / russia / joint;
    `sentence_starts` are the start offsets of the text's sentences, ascending."""
    title_kinds = {kind for kind, _, _ in title_spans}
    by_sentence: dict[int, set[str]] = {}
    for kind, start, _ in text_spans:
        by_sentence.setdefault(bisect_right(sentence_starts, start), set()).add(kind)
    kinds = title_kinds.union(*by_sentence.values())
    if not _names_both(kinds):
        return ONE_SIDE if kinds & SIDE_KINDS else 0.0
    pairs = sum(1 for sentence_kinds in by_sentence.values() if _names_both(sentence_kinds))
    score = (
        0.35
        + 0.30 * ("joint" in kinds)
        + 0.20 * (pairs >= 1)
        + 0.10 * (pairs >= 2)
        + 0.15 * _names_both(title_kinds)
    )
    return round(min(1.0, score), 4)


def side_spans(
    markers: Iterable[tuple[str, int, int]], actors: Iterable[ActorMention]
) -> list[tuple[str, int, int]]:
    """Markers plus the mentions of actors on the two sides, as (kind, start, end)."""
    spans = list(markers)
    spans.extend((a.side, a.start, a.end) for a in actors if a.side in SIDE_KINDS)
    return spans


def both_sides_sentences(
    text_spans: Iterable[tuple[str, int, int]], sentence_starts: Sequence[int]
) -> frozenset[int]:
    """Indexes of the text's sentences about the relationship: a US-side and a Russia-side
    party both present, or a joint phrase (same evidence as relevance_score)."""
    by_sentence: dict[int, set[str]] = {}
    for kind, start, _ in text_spans:
        by_sentence.setdefault(bisect_right(sentence_starts, start) - 1, set()).add(kind)
    return frozenset(index for index, kinds in by_sentence.items() if _names_both(kinds))
