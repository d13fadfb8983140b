"""Russian sentence spans: razdel's sentence segmenter (its delimiters, its split objects and its
rules), driven by offsets.

razdel (0.5) cuts a text at every match of its delimiter pattern and asks its rules
(`razdel.segmenters.sentenize.RULES`) at each cut whether to join there. Its driver builds every
sentence by concatenating strings (`Segmenter.segment`), strips it (`SentSegmenter.post`) and
finds it again in the text with `str.find` (`find_substrings`); its splitter's pattern (a group
of alternatives) is tried at every character, and it yields a `SentSplit` for every delimiter,
whose cached properties each cost a Python call and a regex search (`left_token` one that
backtracks through every position of the window). On the Russian articles of
bench/bench_russian.py (/work/wt/parts.py) razdel took ~0.114 ms per article; this ~0.056 ms.

Here the walk keeps offsets: candidates are found with a plain character class and matched
with razdel's own pattern at each; a `SentSplit` is built and razdel's rules asked, in their
order, only where one of them could split; a sentence is the text between two splits without
the whitespace around it (what `strip` and `find` gave). A delimiter followed by no whitespace
(or by the end of the paragraph) is joined without asking: razdel's first two rules,
`empty_side` and `no_space_prefix`, join it. Three properties nearly every split reads are set
before the rules read them, each to razdel's value. The spans are razdel's
(tests/test_russian_sentences.py compares them with `razdel.sentenize` on every Russian text of
the test data and the demo feeds, at the window's edges and on generated text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")

_LAST_TOKEN_BACKWARDS = re.compile(r"\s*([^\W\d]+|\d+|[^\w\s])")
r"""razdel's LAST_TOKEN, `([^\W\d]+|\d+|[^\w\s])\s*$`, matched on the reversed window: the
same token, reversed. Its three kinds of characters (letters, digits, the rest but whitespace)
do not overlap, so the leftmost match razdel's search finds starts where the last run of one
kind starts, which is the run this match takes whole; without a try at every position of the
window (each backtracking through the rest of a word), in one pass."""

Rule = Callable[[Any], Any]


class _Razdel(NamedTuple):
    starts: re.Pattern[str]
    delimiter: re.Pattern[str]
    window: int
    new_split: Any
    rules: tuple[Rule, ...]
    join: str
    first_token: re.Pattern[str]


@lru_cache(maxsize=1)
def _razdel() -> _Razdel:
    """razdel's pieces, loaded on the first Russian text: a class of every character a delimiter
    match starts with (a delimiter, or the first of a smile such as «:-)», see
    razdel.segmenters.punct.SMILES), the delimiter pattern and window, the split, the rules,
    and the pattern of the split's `right_token`."""
    from razdel.rule import JOIN
    from razdel.segmenters.sentenize import (
        DELIMITERS,
        FIRST_TOKEN,
        RULES,
        SentSplit,
        SentSplitter,
    )

    splitter = SentSplitter()
    starts = re.compile("[" + re.escape("=:" + DELIMITERS) + "]")
    rules = tuple(rule.function for rule in RULES)
    return _Razdel(starts, splitter.re, splitter.window, SentSplit, rules, JOIN, FIRST_TOKEN)


def split_russian_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans into `text`: razdel's sentences of each paragraph (as `razdel.sentenize`
    of its slice), a blank line ending one."""
    starts, delimiter, window, new_split, rules, join, first_token = _razdel()
    spans: list[tuple[int, int]] = []
    for left, right in _paragraphs(text):
        start = after = left  # the sentence's start; where the last delimiter ended
        for candidate in starts.finditer(text, left, right):
            at = candidate.start()
            if at < after:
                continue  # inside the last match (a smile)
            match = delimiter.match(text, at, right)
            if match is None:
                continue
            after = match.end()
            if after == right or not text[after].isspace():
                continue  # joined by empty_side or no_space_prefix
            split = new_split(
                text[max(left, at - window) : at],
                match.group(1),
                text[after : min(after + window, right)],
            )
            split.buffer = text[start:at]
            # razdel's values of three properties nearly every split reads, without a cached
            # property's call each: `right` starts with whitespace (its `\s` is str.isspace on
            # every character), its first token (razdel's pattern), the last token of `left`
            # (see _LAST_TOKEN_BACKWARDS).
            split.right_space_prefix = True
            token = first_token.match(split.right)
            split.right_token = token.group(1) if token else None
            token = _LAST_TOKEN_BACKWARDS.match(split.left[::-1])
            split.left_token = token.group(1)[::-1] if token else None
            for rule in rules:
                action = rule(split)
                if action:
                    break
            else:
                action = None
            if action != join:
                _add_stripped(spans, text, start, after)
                start = after
        _add_stripped(spans, text, start, right)
    return spans


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    left = 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        yield left, gap.start()
        left = gap.end()
    if left < len(text):
        yield left, len(text)


def _add_stripped(spans: list[tuple[int, int]], text: str, start: int, stop: int) -> None:
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        spans.append((start, stop))
