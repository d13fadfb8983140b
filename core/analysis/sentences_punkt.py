"""nupunkt's sentence tokenizer with one shortcut for the commonest boundary it decides.

Punkt decides a candidate full stop from its context: the chunk holding the stop ("word.") and
the whitespace and chunk after it (" Next"). nupunkt's string-level engine
(`PunktSentenceTokenizer._strings_contain_sentbreak`, nupunkt 0.8) word-tokenizes that context
line by line before it reads the two tokens; on unseen editorial text that tokenizing is most
of the splitter's time, and most contexts are a plain word and a full stop followed by spaces
and a plain word (81 % of the 4,799 decisions of the 498 NYT editorials).
Such a context tokenizes to exactly those two words, so here its decision is read from them
directly, with nupunkt's own first-pass and second-pass rules and the same memo of first-pass
outcomes; every other context goes to nupunkt's engine. The decisions are the same
(tests/test_sentences_punkt.py compares them context by context and text by text).
"""

from __future__ import annotations

import re
from typing import Any

from nupunkt.tokenizers.sentence_tokenizer import PunktSentenceTokenizer

_PLAIN_WORD_END = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*\.")
"""A chunk nupunkt's word tokenizer keeps whole: letters and digits ending in a full stop, with
single full stops inside ("word.", "C.", "U.S.", "1971.")."""
_PLAIN_NEXT = re.compile(r" +([A-Za-z0-9]+)[,;:]?")
"""Spaces (no line break: a paragraph start changes the rules), a word of letters and digits
(the next token), and perhaps a comma, semicolon or colon, which the tokenizer splits off."""


class PlainPunkt(PunktSentenceTokenizer):
    """PunktSentenceTokenizer, deciding a plain "word. Next" context without word-tokenizing
    it (see the module docstring)."""

    def _strings_contain_sentbreak(
        self, before: str, after: str, first_memo: dict[str, int]
    ) -> bool:
        following = _PLAIN_NEXT.fullmatch(after)
        if following is None or not _PLAIN_WORD_END.fullmatch(before):
            return bool(super()._strings_contain_sentbreak(before, after, first_memo))
        # The tokens are (before, not a paragraph start, decided) and (the next word, context
        # only): the loop of the engine reduces to the first token's outcomes.
        outcome = self._outcome(before, first_memo)
        if not outcome:
            return False
        word = following.group(1)
        return bool(
            self._second_pass_outcome(before, outcome, word, self._outcome(word, first_memo), False)
        )

    def _outcome(self, token: str, first_memo: dict[str, int]) -> int:
        """The first-pass outcome of a token, through the engine's memo as it keeps it."""
        outcome: int | None = first_memo.get(token)
        if outcome is None:
            outcome = self._first_pass_outcome(token)
            if len(first_memo) < self._DECISION_MEMO_SIZE:
                first_memo[token] = outcome
        return outcome


def plain_punkt(model: Any) -> PlainPunkt:
    """A PlainPunkt holding the state of `model` (nupunkt's loaded default model: its
    parameters and language variables, shared) with a memo of decisions of its own."""
    tokenizer: PlainPunkt = PlainPunkt.__new__(PlainPunkt)
    tokenizer.__dict__.update(
        (name, value) for name, value in vars(model).items() if name != "_decision_memo"
    )
    return tokenizer
