"""The words a LemmaMatcher reads (core/analysis/russian_words.py `LemmaMatcher.tokens`), checked
against their definition on generated text: every run of word characters in order, its span,
its lower case (ё as е), and whether the gap before it is one a term may span (white space,
dashes, quotes only). The tokens are built from one `re.split` and a memo of gaps; this says
they are still the words the definition gives, whatever the gaps."""

from __future__ import annotations

import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.russian_words import LemmaMatcher

_SPANNABLE = re.compile(r"[\s\-‐‑‒–—«»\"„“”'’]*")
"""What a term may span between two of its words (the module's own definition, restated)."""

_WORDS = st.sampled_from(
    ["США", "Россия", "Путина", "ещё", "Ёлка", "и", "NATO", "2026", "G7", "под_стражей", "Ли"]
)
_GAPS = st.sampled_from(
    [" ", "  ", "\n", "\n\n", " — ", "-", "«", "» ", ", ", ". ", "; ", " (", ") ", "…", "\u00a0",
     " «", "» — ", "' ", "’", "\t", " " * 40, " «" + " " * 35 + "» ", "!? ", "/", ""]
)  # fmt: skip


@st.composite
def _texts(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(_GAPS, _WORDS), max_size=12))
    return "".join(gap + word for gap, word in pieces) + draw(_GAPS)


_MATCHER = LemmaMatcher(["санкция"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(_texts(), st.text(max_size=80)))
def test_the_tokens_are_the_words_their_spans_and_joins(text: str) -> None:
    tokens = _MATCHER.tokens(text)
    found = list(re.finditer(r"\w+", text))
    assert tokens.words == [match.group() for match in found]
    assert tokens.spans == [match.span() for match in found]
    assert tokens.lowered == [match.group().lower().replace("ё", "е") for match in found]
    expected = [False] + [
        _SPANNABLE.fullmatch(text, before.end(), after.start()) is not None
        for before, after in pairwise(found)
    ]
    assert tokens.joined == expected


def test_a_long_gap_joins_as_a_short_one_does() -> None:
    """Gaps longer than the memo keeps are read each time, alike."""
    for gap, joined in ((" " * 50, True), (" " * 50 + ".", False), ("«" + " " * 40 + "»", True)):
        assert _MATCHER.tokens(f"санкции{gap}США").joined == [False, joined]
        assert _MATCHER.tokens(f"санкции{gap}США").joined == [False, joined]  # memo or not
