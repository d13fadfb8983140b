"""nupunkt's sentence tokenizer with two shortcuts: the commonest boundary decided from its two
words, and the walk over the candidates in one loop.

Punkt decides a candidate full stop from its context: the chunk holding the stop ("word.") and
the whitespace and chunk after it (" Next"). nupunkt's string-level engine
(`PunktSentenceTokenizer._strings_contain_sentbreak`, nupunkt 0.8) word-tokenizes that context
line by line before it reads the two tokens; on unseen editorial text that tokenizing is most
of the splitter's time, and most contexts are a plain word and a full stop followed by spaces
and a plain word (81 % of the 4,799 decisions of the 498 NYT editorials).
Such a context tokenizes to exactly those two words, so here its decision is read from them
directly, with nupunkt's own first-pass and second-pass rules and the same memo of first-pass
outcomes; every other context goes to nupunkt's engine. `span_tokenize` walks the candidates
as nupunkt's `_slices_from_text` and `_realign_boundaries` do, in one loop without the
generators and slice objects between them (on the synthetic news, where nearly every decision
is remembered, that walk is the splitter's time). The decisions and the spans are the same
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

    def span_tokenize(self, text: str, realign_boundaries: bool = True) -> Any:
        """nupunkt's `span_tokenize` (`_slices_from_text`, then `_realign_boundaries`) in one
        loop over the candidates, without the generators and slice objects between them; the
        same spans (tests/test_sentences_punkt.py)."""
        if not realign_boundaries or not self._uses_decision_engine():
            return super().span_tokenize(text, realign_boundaries)
        spans: list[tuple[int, int]] = []
        length = len(text)
        decide = self._decision_state()[3]
        closing = self._CLOSING_CHARS
        lowercase_continues = self.EXCL_QUEST_LOWERCASE_CONTINUES
        realign = self._lang_vars.re_boundary_realignment.match
        shift = 0  # how far the next sentence's start moves right (realignment)
        held = None  # the last slice found, waiting for the next one to realign against
        last_break = 0
        for match, context in self._match_potential_end_contexts(text):
            pos = match.start()
            if text[pos] == "." and self._is_line_start_enumerator(text, pos):
                continue
            end = pos = match.end()
            if pos < length and text[pos] in "!?":
                continue
            k = pos
            while k < length and text[k] in " \t":
                k += 1
            if (
                k > pos
                and k < length
                and text[k] in "!?"
                and (k + 1 == length or text[k + 1].isspace() or text[k + 1] in "!?")
            ):
                continue
            if lowercase_continues and text[pos - 1] in "!?" and k < length and text[k].islower():
                continue
            if pos < length and text[pos] in closing:
                while pos < length and text[pos] in closing:
                    pos += 1
                while pos < length and text[pos] in " \t":
                    pos += 1
                if pos < length and text[pos].islower():
                    continue
            if decide(context):
                if held is not None:
                    shift = _realigned(text, held, last_break, end, shift, realign, spans)
                held = (last_break, end)
                if match.group("next_tok"):
                    last_break = match.start("next_tok")
                else:
                    last_break = end
                    while last_break < length and text[last_break].isspace():
                        last_break += 1
        text_end = len(text.rstrip())
        if last_break < text_end:
            if held is not None:
                shift = _realigned(text, held, last_break, text_end, shift, realign, spans)
            held = (last_break, text_end)
        if held is not None and held[1] > held[0] + shift:
            spans.append((held[0] + shift, held[1]))
        return spans

    def _outcome(self, token: str, first_memo: dict[str, int]) -> int:
        """The first-pass outcome of a token, through the engine's memo as it keeps it."""
        outcome: int | None = first_memo.get(token)
        if outcome is None:
            outcome = self._first_pass_outcome(token)
            if len(first_memo) < self._DECISION_MEMO_SIZE:
                first_memo[token] = outcome
        return outcome


def _realigned(
    text: str,
    held: tuple[int, int],
    start: int,
    stop: int,
    shift: int,
    realign: Any,
    spans: list[tuple[int, int]],
) -> int:
    """`_realign_boundaries` for one pair: append the held slice, moved `shift` right and
    extended over closing punctuation that begins the next slice (start, stop); return the
    shift of the next slice."""
    left = held[0] + shift
    found = realign(text, start, stop)
    if found:
        spans.append((left, start + len(found.group(0).rstrip())))
        return int(found.end()) - start
    if held[1] > left:
        spans.append((left, held[1]))
    return 0


def plain_punkt(model: Any) -> PlainPunkt:
    """A PlainPunkt holding the state of `model` (nupunkt's loaded default model: its
    parameters and language variables, shared) with a memo of decisions of its own."""
    tokenizer: PlainPunkt = PlainPunkt.__new__(PlainPunkt)
    tokenizer.__dict__.update(
        (name, value) for name, value in vars(model).items() if name != "_decision_memo"
    )
    return tokenizer
