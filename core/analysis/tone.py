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
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
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

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self.lowered = [word.lower() for word in words]


class _SentiText:
    """vaderSentiment.SentiText, built faster: a word of letters and digits only needs no
    stripping of punctuation (SentiText._strip_punc_if_word returns it unchanged)."""

    __slots__ = ("is_cap_diff", "text", "words_and_emoticons")

    def __init__(self, text: str) -> None:
        self.text = text
        punctuation = string.punctuation
        words = []
        for token in text.split():
            if not token.isalnum():
                stripped = token.strip(punctuation)
                if len(stripped) > 2:
                    token = stripped
            words.append(token)
        self.words_and_emoticons = _Words(words)
        self.is_cap_diff = allcap_differential(words)


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
    find that out, and a plain word is not stripped of punctuation it does not have. The methods
    below are those of vaderSentiment 3.3.2 (MIT licence, C.J. Hutto) with only those changes;
    tests/test_tone.py checks that the scores equal stock VADER's (random lexicon words and the
    5,190 sentences of bench/data/nytEditorialSnippets_GroundTruth.txt)."""

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(emoji for emoji in self.emojis if len(emoji) == 1)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)  # type: ignore[no-any-return]
        text = text.strip()
        sentitext = _SentiText(text)
        words_and_emoticons = sentitext.words_and_emoticons
        lowered = words_and_emoticons.lowered
        lexicon = self.lexicon
        sentiments: list[float] = []
        last = len(words_and_emoticons) - 1
        for i, item in enumerate(words_and_emoticons):
            word = lowered[i]
            if word not in lexicon or word in BOOSTER_DICT:
                sentiments.append(0)  # what sentiment_valence gives a word not in the lexicon
                continue
            if i < last and word == "kind" and lowered[i + 1] == "of":
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)  # type: ignore[no-any-return]

    @staticmethod
    def _but_check(words_and_emoticons: list[str], sentiments: list[float]) -> list[float]:
        words_and_emoticons_lower = _lowered(words_and_emoticons)
        if "but" in words_and_emoticons_lower:
            bi = words_and_emoticons_lower.index("but")
            for sentiment in sentiments:
                si = sentiments.index(sentiment)
                if si < bi:
                    sentiments.pop(si)
                    sentiments.insert(si, sentiment * 0.5)
                elif si > bi:
                    sentiments.pop(si)
                    sentiments.insert(si, sentiment * 1.5)
        return sentiments

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        low = _lowered(words_and_emoticons)
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

    @staticmethod
    def _negation_check(
        valence: float, words_and_emoticons: list[str], start_i: int, i: int
    ) -> float:
        low = _lowered(words_and_emoticons)
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
