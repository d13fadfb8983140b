"""Sentences, VADER scores and the article's tone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from vaderSentiment import vaderSentiment as stock_vader

from core.analysis.analyzer import analyze
from core.analysis.sentences import split_sentences
from core.analysis.tone import Vader, aggregate, article_tone, label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Treasury acted on Dec. 19. Mr. Peskov disagreed.",
            ["The U.S. Treasury acted on Dec. 19.", "Mr. Peskov disagreed."],
        ),
        (
            "Officials in the U.S. said the talks failed.",
            ["Officials in the U.S. said the talks failed."],
        ),
        (
            "Talks are set for Dec. 19 in Geneva. Officials agreed.",
            ["Talks are set for Dec. 19 in Geneva.", "Officials agreed."],
        ),
        (
            "Gen. Gerasimov and Lt. Col. Ivanov attended. It was short.",
            ["Gen. Gerasimov and Lt. Col. Ivanov attended.", "It was short."],
        ),
        ("Did it work? Nobody knows! Fine.", ["Did it work?", "Nobody knows!", "Fine."]),
        (
            "“We will not yield,” Lavrov said. “Never.”",
            ["“We will not yield,” Lavrov said.", "“Never.”"],
        ),
        ("Sanctions update\n\nThe Treasury acted.", ["Sanctions update", "The Treasury acted."]),
        ("  Leading and trailing space.  ", ["Leading and trailing space."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("", []),
        (" \n\n ", []),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in split_sentences(text)] == expected


def _sentences() -> list[str]:
    words = [
        *list(stock_vader.SentimentIntensityAnalyzer().lexicon)[:400],
        *stock_vader.BOOSTER_DICT,
        *stock_vader.NEGATE,
        *stock_vader.SPECIAL_CASES,
        *"but kind of never so this without doubt least at very no GOOD BAD !! ?? :) 😀 ❤".split(),
    ]
    rng = random.Random(7)
    made = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    return [
        *made,
        "The talks were not very good, but the Kremlin said they were kind of useful!",
        "Without doubt the summit was the bomb 😀",
        "Never so bad. At least it wasn't a disaster.",
        "",
    ]


def test_our_vader_scores_exactly_as_stock_vader() -> None:
    stock, ours = stock_vader.SentimentIntensityAnalyzer(), Vader()
    for sentence in _sentences():
        assert ours.polarity_scores(sentence) == stock.polarity_scores(sentence), sentence


def test_a_long_mildly_positive_article_does_not_saturate() -> None:
    text = " ".join(["The talks were somewhat helpful for both delegations."] * 40)
    whole = stock_vader.SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    result = analyze("", text)
    assert whole > 0.95  # whole-text VADER piles up valence
    assert result.tone is not None and 0.05 < result.tone < 0.6
    assert result.tone_label == "positive"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ([], [], None),
        ([], [0.5, -0.5], 0.0),
        ([0.9], [0.0, 0.0], 0.45),  # the headline weighs like two sentences: 1.8 / 4
        ([-0.6], [], -0.6),
    ],
)
def test_article_tone_weighs_the_headline_twice(
    title: list[float], text: list[float], expected: float | None
) -> None:
    assert article_tone(title, text) == expected


def test_aggregate_is_a_weighted_mean() -> None:
    assert aggregate([1.0, 0.0], [2.0, 1.0]) == pytest.approx(2 / 3)
    assert aggregate([]) is None and aggregate([0.2], [0.0]) is None


@pytest.mark.parametrize(
    ("tone", "expected"),
    [(0.3, "positive"), (0.05, "positive"), (0.049, "neutral"), (-0.05, "negative"), (None, "n/a")],
)
def test_label_follows_vader_convention(tone: float | None, expected: str) -> None:
    assert label(tone) == expected


def test_our_vader_scores_exactly_as_stock_vader_on_real_editorial_sentences() -> None:
    """The 5,190 human-rated NYT editorial sentences of the VADER paper (bench/data/NOTICE):
    real punctuation, quotes, capitals and numbers."""
    stock, ours = stock_vader.SentimentIntensityAnalyzer(), Vader()
    path = Path(__file__).resolve().parents[1] / "bench/data/nytEditorialSnippets_GroundTruth.txt"
    sentences = [line.split("\t", 2)[2] for line in path.read_text().splitlines() if line]
    assert len(sentences) == 5190
    for sentence in sentences:
        assert ours.polarity_scores(sentence) == stock.polarity_scores(sentence), sentence


def test_our_compound_alone_is_stock_vaders_compound() -> None:
    """`Vader.compound` (all the analyzer reads) is stock VADER's compound score, to the bit:
    the random lexicon sentences, capitals, emojis and the editorials' sentences."""
    stock, ours = stock_vader.SentimentIntensityAnalyzer(), Vader()
    path = Path(__file__).resolve().parents[1] / "bench/data/nytEditorialSnippets_GroundTruth.txt"
    editorials = [line.split("\t", 2)[2] for line in path.read_text().splitlines() if line]
    rng = random.Random(11)
    shouted = [s.upper() if rng.random() < 0.5 else s.title() for s in _sentences()]
    for sentence in [*_sentences(), *shouted, *editorials, "No. NO good", "not GOOD at all!!"]:
        want = stock.polarity_scores(sentence)["compound"]
        assert repr(ours.compound(sentence)) == repr(want), sentence  # repr: -0.0 too
