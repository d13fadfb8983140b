"""The splitter's shortcuts (core/analysis/sentences_punkt.py) decide every boundary and find
every span as nupunkt does."""

from __future__ import annotations

import random
from pathlib import Path

import nupunkt
from nupunkt.tokenizers.sentence_tokenizer import PunktSentenceTokenizer

from core.analysis.sentences_punkt import plain_punkt

EDITORIALS = Path(__file__).resolve().parents[1] / "bench/data/nytEditorialSnippets_GroundTruth.txt"


def _words(rng: random.Random) -> list[str]:
    """Words that reach every rule of the second pass: the model's abbreviations, collocations,
    sentence starters and break rates, initials, title abbreviations and plain words."""
    model = nupunkt._get_default_model()
    params = model._params
    alphabetic = sorted(
        {word for word in params.abbrev_types if word.isalpha() and word.isascii()}
        | {word for pair in params.collocations for word in pair if word.isalpha()}
        | {word for word in params.sent_starters if word.isalpha() and word.isascii()}
        | {word for word in params.abbrev_break_rates if word.isalpha() and word.isascii()}
        | set(model._TITLE_ABBREVS)
    )
    plain = "the said war peace Moscow it In Bush U.S a.m 1971 19 3.5 B52 I x".split()
    letters = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return [*rng.sample(alphabetic, 1500), *plain, *letters]


def _cased(rng: random.Random, word: str) -> str:
    return rng.choice([word, word.lower(), word.upper(), word.capitalize()])


def test_plain_contexts_are_decided_as_nupunkt_decides_them() -> None:
    rng = random.Random(5)
    words = _words(rng)
    ours, theirs = plain_punkt(nupunkt._get_default_model()), nupunkt._get_default_model()
    engine = PunktSentenceTokenizer._strings_contain_sentbreak
    ours_memo: dict[str, int] = {}
    theirs_memo: dict[str, int] = {}
    for _ in range(12000):
        before = _cased(rng, rng.choice(words)) + "."
        after = " " * rng.randint(1, 3) + _cased(rng, rng.choice(words)) + rng.choice(",;:  ")
        want = engine(theirs, before, after, theirs_memo)
        assert ours._strings_contain_sentbreak(before, after, ours_memo) == want, (before, after)
    assert ours_memo == theirs_memo  # the first-pass memo is kept as the engine keeps it


def test_texts_are_split_as_nupunkt_splits_them() -> None:
    rng = random.Random(9)
    words = _words(rng)
    pieces = [*words, "U.S.", "Dec. 19,", "3.5", "(a)", "“Yes.”", "—", "...", "!", "?", "\n\n"]
    texts = [line.split("\t", 2)[2] for line in EDITORIALS.read_text().splitlines() if line]
    texts += [
        " ".join(
            _cased(rng, rng.choice(pieces)) + rng.choice(["", "", ".", ".", ",", "!"])
            for _ in range(rng.randint(1, 30))
        )
        for _ in range(3000)
    ]
    # character soups for the walk over the candidates: ellipses, enumerators at line starts,
    # closing quotes, "!?" runs, blank lines
    soup = [*"ab Cd \n\t.!?…\"')”’»* ,;:-—1(", " ", "x", "Y", "\n\n", "\n1. ", "\n(a) ", " . . "]
    soup += ["--", "a.", "Ab.", "Gen.", "U.S.", "''", "i."]
    texts += ["".join(rng.choice(soup) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    ours, theirs = plain_punkt(nupunkt._get_default_model()), nupunkt._get_default_model()
    for text in texts:
        assert list(ours.span_tokenize(text)) == list(theirs.span_tokenize(text)), text
