"""Tone, sentence by sentence: VADER on each sentence, then an average that cannot saturate.

VADER's compound score of a whole article saturates (docs/analysis.md, "Tone"): a long text piles
up valence until |compound| is near 1, whatever its sentences say. So we split the text with a
trained Punkt model (nupunkt, which knows "Dec.", "U.S.", "Mr."), score every sentence with one
shared analyzer, and take the weighted mean of the sentence scores: a mean of values in [-1, 1]
stays in [-1, 1] and does not grow with length — forty mildly positive sentences give a mildly
positive article. Neutral sentences count (they dilute, as they do for a reader). The headline
weighs like TITLE_WEIGHT body sentences. docs/analysis.md has the details.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from functools import lru_cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
    normalize,
)

from core.models import ToneLabel

TITLE_WEIGHT = 2.0
"""How many body sentences the headline weighs in the article's tone."""
NEUTRAL_BAND = 0.05
"""VADER's convention: compound >= 0.05 positive, <= -0.05 negative, neutral between."""
_NEGATE = frozenset(NEGATE)


class _Words(list[str]):
    """VADER's token list, carrying its lower-cased copy (VADER rebuilds that copy for every
    sentiment word it checks, which makes it quadratic in the sentence length)."""

    __slots__ = ("lowered",)

    def __init__(self, words: list[str], lowered: list[str] | None = None) -> None:
        super().__init__(words)
        self.lowered = lowered if lowered is not None else [word.lower() for word in words]


def _tokens(text: str) -> list[str]:
    """vaderSentiment.SentiText's words_and_emoticons: a word of letters and digits only needs
    no stripping of punctuation (SentiText._strip_punc_if_word returns it unchanged)."""
    punctuation = string.punctuation
    return [
        token if token.isalnum() or len(stripped := token.strip(punctuation)) <= 2 else stripped
        for token in text.split()
    ]


def _cap_differential(words: list[str], known: list[bool]) -> bool:
    """allcap_differential(words), computed once per sentence when first asked."""
    if not known:
        known.append(allcap_differential(words))
    return known[0]


def _lowered(words: list[str]) -> list[str]:
    return words.lowered if isinstance(words, _Words) else [str(w).lower() for w in words]


def _negated(word: str) -> bool:
    """vaderSentiment.negated([word]) for one lower-cased word."""
    return word in _NEGATE or "n't" in word


class Vader(SentimentIntensityAnalyzer):  # type: ignore[misc]
    """VADER 3.3.2 with the same scores, minus work it repeats. Stock `polarity_scores` walks
    every character in Python to swap emojis for words (news sentences almost never hold one;
    without an emoji the pass returns the text unchanged), and lower-cases the whole sentence
    again for every sentiment word it checks for negation, idioms and "but". Here the emoji pass
    is skipped when there is no emoji and the lower-cased words are computed once per sentence;
    a word that is in none of VADER's lists (most words) scores 0 without the call that would
    find that out, and a plain word is not stripped of punctuation it does not have. `compound`
    gives the compound score alone (all the analyzer reads): a sentence without a word of the
    lexicon scores 0 at once, and the positive, negative and neutral shares are not computed.
    The methods below are those of vaderSentiment 3.3.2 (MIT licence, C.J. Hutto) with only
    those changes; tests/test_tone.py checks that the scores equal stock VADER's (random lexicon
    words and the 5,190 sentences of bench/data/nytEditorialSnippets_GroundTruth.txt)."""

    def __init__(self) -> None:
        super().__init__()
        # Stock VADER reads emojis character by character: only one-character entries match.
        # None is ASCII (the lowest is "©"), so an ASCII text holds none.
        self._emoji_chars = frozenset(emoji for emoji in self.emojis if len(emoji) == 1)
        self._no_ascii_emoji = not any(emoji.isascii() for emoji in self._emoji_chars)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)  # type: ignore[no-any-return]
        text = text.strip()
        words = _Words(_tokens(text))
        sentiments = self._but_check(words, self._sentiments(words, words.lowered))
        return self.score_valence(sentiments, text)  # type: ignore[no-any-return]

    def compound(self, text: str) -> float:
        """`polarity_scores(text)["compound"]`, computed alone."""
        if not (text.isascii() and self._no_ascii_emoji) and not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)["compound"]  # type: ignore[no-any-return]
        text = text.strip()
        words = _tokens(text)
        if text.isascii():
            # the same list, lower-cased in C (an ASCII word holds no whitespace and none is
            # empty, so joining and splitting again gives the same words)
            lowered = " ".join(words).lower().split()
        else:
            lowered = [word.lower() for word in words]
        if self.lexicon.keys().isdisjoint(lowered):
            return 0.0  # every word scores 0: so does the sentence (score_valence)
        sentiments = _but(lowered, self._sentiments(words, lowered))
        total = float(sum(sentiments))  # score_valence, its compound part only
        if total > 0:
            total += self._punctuation_emphasis(text)
        elif total < 0:
            total -= self._punctuation_emphasis(text)
        compound: float = normalize(total)
        return round(compound, 4)

    def _sentiments(self, words: list[str], lowered: list[str]) -> list[float]:
        """The valence of every word, as stock polarity_scores finds them before "but"."""
        lexicon = self.lexicon
        sentiments: list[float] = [0] * len(words)  # what a word not in the lexicon gets
        last = len(words) - 1
        cap_diff: list[bool] = []  # allcap_differential(words), computed when first needed
        for i in [i for i, word in enumerate(lowered) if word in lexicon]:
            word = lowered[i]
            if word in BOOSTER_DICT or (i < last and word == "kind" and lowered[i + 1] == "of"):
                continue  # a booster, or "kind of": 0, as in stock polarity_scores
            sentiments[i] = self._valence(words, lowered, i, cap_diff)
        return sentiments

    def _valence(self, words: list[str], low: list[str], i: int, cap_diff: list[bool]) -> float:
        """SentimentIntensityAnalyzer.sentiment_valence of the lexicon word at `i`, reading the
        lower-cased words once made (and scalar_inc_dec, _least_check inlined)."""
        lexicon = self.lexicon
        item, item_lowercase = words[i], low[i]
        valence: float = lexicon[item_lowercase]
        if item_lowercase == "no" and i != len(words) - 1 and low[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and low[i - 1] == "no")
            or (i > 1 and low[i - 2] == "no")
            or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[item_lowercase] * N_SCALAR
        if item.isupper() and _cap_differential(words, cap_diff):
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        # The three words before, as stock VADER's loop over start_i 0, 1, 2 reads them
        # (scalar_inc_dec and _negation_check inlined, unrolled: the same operations in the
        # same order, so the same floats).
        if i > 0 and low[i - 1] not in lexicon:
            before = low[i - 1]
            s = 0.0
            if before in BOOSTER_DICT:
                s = self._booster(words, i - 1, before, valence, cap_diff)
            valence = valence + s
            if before in _NEGATE or "n't" in before:
                valence = valence * N_SCALAR
        if i > 1 and low[i - 2] not in lexicon:
            before = low[i - 2]
            s = 0.0
            if before in BOOSTER_DICT:
                s = self._booster(words, i - 2, before, valence, cap_diff)
                if s != 0:
                    s = s * 0.95
            valence = valence + s
            if before == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                valence = valence * 1.25
            elif before == "without" and low[i - 1] == "doubt":
                pass
            elif before in _NEGATE or "n't" in before:
                valence = valence * N_SCALAR
        if i > 2 and low[i - 3] not in lexicon:
            before = low[i - 3]
            s = 0.0
            if before in BOOSTER_DICT:
                s = self._booster(words, i - 3, before, valence, cap_diff)
                if s != 0:
                    s = s * 0.9
            valence = valence + s
            if (before == "never" and (low[i - 2] == "so" or low[i - 2] == "this")) or (
                low[i - 1] == "so" or low[i - 1] == "this"
            ):
                valence = valence * 1.25
            elif before == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                pass
            elif before in _NEGATE or "n't" in before:
                valence = valence * N_SCALAR
            valence = _idioms(valence, low, i)
        # _least_check
        if i > 1 and low[i - 1] not in lexicon and low[i - 1] == "least":
            if low[i - 2] != "at" and low[i - 2] != "very":
                valence = valence * N_SCALAR
        elif i > 0 and low[i - 1] not in lexicon and low[i - 1] == "least":
            valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _booster(
        words: list[str], at: int, before: str, valence: float, cap_diff: list[bool]
    ) -> float:
        """scalar_inc_dec of the booster `before` at `at`, for a word of `valence`."""
        s: float = BOOSTER_DICT[before]
        if valence < 0:
            s *= -1
        if words[at].isupper() and _cap_differential(words, cap_diff):
            if valence > 0:
                s += C_INCR
            else:
                s -= C_INCR
        return s

    @staticmethod
    def _but_check(words_and_emoticons: list[str], sentiments: list[float]) -> list[float]:
        return _but(_lowered(words_and_emoticons), sentiments)

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        return _idioms(valence, _lowered(words_and_emoticons), i)

    @staticmethod
    def _negation_check(
        valence: float, words_and_emoticons: list[str], start_i: int, i: int
    ) -> float:
        return _negation(valence, _lowered(words_and_emoticons), start_i, i)


_IDIOM_FIRST_WORDS = frozenset(
    phrase.split(" ")[0] for phrase in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in phrase
)
"""The words an idiom or a booster of several words starts with: the n-grams checked around a
word are joined with spaces from whole words, so one of them can only be such an idiom if it
starts with one of these."""


def _but(lowered: list[str], sentiments: list[float]) -> list[float]:
    """SentimentIntensityAnalyzer._but_check on the lower-cased words."""
    if "but" in lowered:
        bi = lowered.index("but")
        for sentiment in sentiments:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 0.5)
            elif si > bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _idioms(valence: float, low: list[str], i: int) -> float:
    """SentimentIntensityAnalyzer._special_idioms_check on the lower-cased words (its n-grams
    start at i - 3, i - 2, i - 1 or i: without an idiom's first word there, nothing changes)."""
    firsts = _IDIOM_FIRST_WORDS
    if not (
        low[i - 3] in firsts or low[i - 2] in firsts or low[i - 1] in firsts or low[i] in firsts
    ):
        return valence
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _negation(valence: float, low: list[str], start_i: int, i: int) -> float:
    """SentimentIntensityAnalyzer._negation_check on the lower-cased words."""
    if start_i == 0 and _negated(low[i - (start_i + 1)]):
        valence = valence * N_SCALAR
    if start_i == 1:
        if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            valence = valence
        elif _negated(low[i - (start_i + 1)]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if (low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this")) or (
            low[i - 1] == "so" or low[i - 1] == "this"
        ):
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            valence = valence
        elif _negated(low[i - (start_i + 1)]):
            valence = valence * N_SCALAR
    return valence


@lru_cache(maxsize=1)
def shared_analyzer() -> Vader:
    """The one VADER analyzer of this process (loading its lexicon takes ~50 ms)."""
    return Vader()


def article_tone(title_scores: list[float], text_scores: list[float]) -> float | None:
    """The article's tone: the mean of its sentence scores, each headline sentence weighing
    TITLE_WEIGHT; rounded to 4 places; None when there is no sentence."""
    weights = [TITLE_WEIGHT] * len(title_scores) + [1.0] * len(text_scores)
    tone = aggregate(title_scores + text_scores, weights)
    return None if tone is None else round(tone, 4)


def aggregate(scores: Iterable[float], weights: Iterable[float] | None = None) -> float | None:
    """Weighted mean of sentence scores; None when there is nothing to score (no sentence, or
    all weights zero)."""
    scores = list(scores)
    if not scores:
        return None
    if weights is None:
        return sum(scores) / len(scores)
    weights = list(weights)
    total = sum(weights)
    if not total:
        return None
    return sum(s * w for s, w in zip(scores, weights, strict=True)) / total


def label(tone: float | None) -> ToneLabel:
    """positive / neutral / negative by VADER's ±0.05 convention; "n/a" when there is no tone."""
    if tone is None:
        return "n/a"
    if tone >= NEUTRAL_BAND:
        return "positive"
    if tone <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"
