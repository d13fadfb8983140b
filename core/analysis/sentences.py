"""Sentence splitting for the analyzers: a trained Punkt model (nupunkt), which knows "Dec.",
"U.S." and "Mr.", plus two rules on top (a blank line ends a sentence; a name title does not).
Spans index the original text, so every sentence's tone can be shown where it was read."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

NAME_TITLES = frozenset(
    "lt. col. gen. maj. capt. sgt. cpl. adm. cmdr. brig. lieut. rep. reps. sen. sens. gov. "
    "amb. pres. sec. supt. insp. mr. mrs. ms. messrs. dr. prof. rev. fr. hon. st.".split()
)
"""Abbreviations that stand before a name and practically never end a sentence; Punkt splits
after some of them ("Lt. Col. Ivanov"), so a sentence ending in one is joined to the next."""
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """nupunkt's default model (the one nupunkt.sent_spans uses), deciding the plainest
    boundaries faster (core/analysis/sentences_punkt.py: the same decisions)."""
    import nupunkt

    from core.analysis.sentences_punkt import plain_punkt

    return plain_punkt(nupunkt._get_default_model())


@lru_cache(maxsize=1)
def _end_chars() -> tuple[str, ...]:
    """Every character at which Punkt looks for a sentence end (its quick check and its
    language's own): a text holding none is one sentence to it."""
    tokenizer = _tokenizer()
    return tuple(sorted(tokenizer._SENT_END_CHARS | tokenizer._lang_vars.sent_end_chars))


def _punkt_spans(text: str) -> Any:
    """nupunkt's spans of `text`; for a text without a sentence-end character (most
    headlines) the one span nupunkt gives, (0, end of the text without trailing whitespace),
    without the walk through its candidates."""
    for char in _end_chars():
        if char in text:
            return _tokenizer().span_tokenize(text)
    end = len(text.rstrip())
    return ((0, end),) if end else ()


def _cut_paragraphs(text: str, left: int, right: int, spans: list[tuple[int, int]]) -> int:
    """Append the pieces of `text[left:right]` separated by blank lines, except the last one,
    whose start is returned (it may still need joining with the next sentence)."""
    for gap in _PARAGRAPH_BREAK.finditer(text, left, right):
        if gap.start() > left:
            spans.append((left, len(text[left : gap.start()].rstrip()) + left))
        left = gap.end()
    return left


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans into `text`, with surrounding whitespace trimmed. Punkt decides; on top,
    a blank line always ends a sentence (a heading or a paragraph without a full stop), and a
    sentence ending in a name title ("Lt.") is joined to the next."""
    spans: list[tuple[int, int]] = []
    multiline = "\n" in text
    pending = -1  # start of a sentence that ended in a name title
    titles = NAME_TITLES
    for left, right in _punkt_spans(text):
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if left == right:
            continue
        if pending >= 0:
            left, pending = pending, -1
        if multiline and text.find("\n", left, right) >= 0:
            left = _cut_paragraphs(text, left, right, spans)
        if text[right - 1] == ".":
            space = text.rfind(" ", right - 9, right)
            word = text[max(space + 1, left) : right]
            if len(word) < 9 and word.lower() in titles:
                pending = left
                continue
        spans.append((left, right))
    if pending >= 0:
        spans.append((pending, len(text.rstrip())))
    return spans
