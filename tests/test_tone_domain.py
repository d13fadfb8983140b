"""The domain tone layer (config/tone.toml): in-domain signs, evidence, stock VADER kept, no loss
on human-rated text, and a malformed file refused with file, line and entry."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bench.bench_tone import SIGNS, in_domain_cases, nyt_correlations
from core.analysis.analyzer import analyze
from core.analysis.sentences import split_sentences
from core.analysis.themes import fold
from core.analysis.tone_domain import _atoms, default_tone_domain, load_tone_domain
from core.config import ConfigError
from core.models import SentenceTone, ToneAdjustment

CASES = in_domain_cases()


@pytest.fixture(scope="module")
def stock() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def test_the_in_domain_set_is_large_enough_and_starts_with_the_issue_cases() -> None:
    assert len(CASES) >= 45
    assert CASES[0] == (
        "Kremlin: sanctions relief for Aeroflot parts shows Washington's double standards",
        "-",
    )
    assert {sign for _, sign in CASES} <= set(SIGNS)


@pytest.mark.parametrize(("sentence", "sign"), CASES)
def test_every_in_domain_case_gets_its_sign(sentence: str, sign: str) -> None:
    result = analyze("", sentence)
    assert len(result.sentences) == 1
    tone = result.sentences[0].tone
    assert tone is not None  # English text: VADER always scores it
    assert SIGNS[sign](tone), (sentence, result.sentences[0])


@pytest.mark.parametrize(("sentence", "_sign"), CASES)
def test_stock_vader_stays_available_unchanged(
    stock: SentimentIntensityAnalyzer, sentence: str, _sign: str
) -> None:
    (read,) = analyze("", sentence).sentences
    assert read.vader == stock.polarity_scores(sentence)["compound"]


def test_each_adjustment_shows_which_words_moved_the_score_and_by_how_much() -> None:
    title = "Kremlin: sanctions relief for Aeroflot parts shows Washington's double standards"
    result = analyze(
        title, "The officials met on Monday. A prisoner swap freed the American journalist."
    )
    head = result.sentences[0]
    assert head.tone is not None  # English text: VADER always scores it
    assert head.field == "title" and head.vader == 0.4767 and head.tone < -0.05
    moved = [
        (title[a.start : a.end], a.phrase, a.valence, a.vader_valence) for a in head.adjustments
    ]
    assert moved == [
        ("sanctions relief", "sanctions relief", 0.0, 2.1),
        ("double standards", "double standard*", -2.0, 0.0),
    ]
    plain, swap = result.sentences[1:]
    assert plain.adjustments == () and plain.vader == plain.tone
    assert [(a.phrase, a.vader_valence, a.field) for a in swap.adjustments] == [
        ("prisoner swap*", -2.5, "text")
    ]


def test_worth_is_neutral_only_before_an_amount() -> None:
    domain = default_tone_domain()
    for text, phrase in [
        ("The deal is worth $300 billion.", "worth #"),
        ("Assets worth an estimated €40bn were frozen.", "worth an estimated #"),
        ("The talks were worth it.", None),
    ]:
        ((_, _, adjustments),) = domain.score_field(text, split_sentences(text))
        found = [a.phrase for a in adjustments if a.phrase.startswith("worth")]
        assert found == ([phrase] if phrase else []), text


def test_a_phrase_across_a_sentence_boundary_is_not_applied() -> None:
    text = "They spoke of double. Standards fell."
    scores = default_tone_domain().score_field(text, split_sentences(text))
    assert all(adjustments == () for _, _, adjustments in scores)


def test_sentences_with_adjustments_pickle_by_value() -> None:
    sentence = analyze("", "Moscow called it blackmail.").sentences[0]
    assert isinstance(sentence.adjustments[0], ToneAdjustment)
    assert pickle.loads(pickle.dumps(sentence)) == sentence
    assert SentenceTone(0, 1, 0.5) == SentenceTone(0, 1, 0.5, "text", None, ())


def test_the_layer_is_no_worse_than_stock_vader_on_the_nyt_ratings() -> None:
    """The VADER paper's 498 human-rated NYT editorials (bench/data/NOTICE): Pearson r of the
    mean sentence score against the mean human rating, per editorial and per sentence."""
    figures = nyt_correlations(default_tone_domain())
    assert figures["editorials"] == 498 and figures["sentences"] == 5190
    assert figures["domain"] >= figures["stock"]
    assert figures["domain_sentence"] >= figures["stock_sentence"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('version = "1"\n[valence]\n"a" = \n', ":3:"),
        ('version = "1"\nneutral = ["ok", ""]\n', ":2: neutral entry '': empty phrase"),
        ('version = "1"\n\n[valence]\n"calm" = 1.0\n"fury" = -7\n', ":5: valence entry 'fury'"),
        ('version = "1"\n[valence]\n"fury" = -7\n', "outside -4 … +4"),
        ('version = "1"\n[valence]\n"fury" = "bad"\n', ":3: valence entry 'fury': valence 'bad'"),
        ('version = "1"\n[valence]\n"a*b" = 1\n', ":3: valence entry 'a*b': '*' may only end"),
        ('version = "1"\n[valence]\n"# a" = 1\n', "must start with a word"),
        ('version = "1"\nneutral = ["relief"]\n[valence]\n"Relief" = 1\n', "listed twice"),
        ('version = "1"\nwords = []\n', ":2: unknown key 'words'"),
        ('[valence]\n"a" = 1\n', ":1: a top-level `version"),
    ],
)
def test_a_malformed_tone_file_names_file_line_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "tone.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_tone_domain(path)
    assert str(caught.value).startswith(f"{path}:")


def test_the_shipped_tone_file_loads_with_a_version() -> None:
    domain = load_tone_domain()
    assert domain.version and len(domain.phrases) >= 50
    assert all(-4 <= phrase.valence <= 4 for phrase in domain.phrases)


PHRASES = sorted(phrase.phrase for phrase in default_tone_domain().phrases)


def _written(phrase: str) -> str:
    """A phrase as a writer might write it: `*` continued, `#` an amount."""
    return " ".join("$300" if word == "#" else word.replace("*", "s") for word in phrase.split(" "))


@settings(max_examples=100, deadline=None)
@given(
    before=st.text(alphabet=st.sampled_from(list("ab ,.;:-İß'\"")), max_size=12),
    after=st.text(alphabet=st.sampled_from(list("ab ,.;:-İß'\"")), max_size=12),
    phrase=st.sampled_from(PHRASES),
    upper=st.booleans(),
)
def test_every_adjustment_span_slices_the_text_to_its_phrase(
    before: str, after: str, phrase: str, upper: bool
) -> None:
    written = _written(phrase)
    text = f"{before} {written.upper() if upper else written} {after}"
    domain = default_tone_domain()
    for (left, right), (_, _, adjustments) in zip(
        split_sentences(text), domain.score_field(text, split_sentences(text)), strict=True
    ):
        for adjustment in adjustments:
            assert left <= adjustment.start < adjustment.end <= right
            piece = fold(text[adjustment.start : adjustment.end])
            assert re.fullmatch("".join(_atoms(adjustment.phrase)), piece), (piece, adjustment)


def test_a_phrase_in_capitals_reads_as_a_word_in_capitals() -> None:
    """An all-capitals headline stays all capitals for VADER once a phrase is replaced (no
    emphasis appears that the headline did not have)."""
    domain = default_tone_domain()
    upper = "KREMLIN CONDEMNS WASHINGTON'S DOUBLE STANDARDS"
    ((_, shouting, _),) = domain.score_field(upper, [(0, len(upper))])
    lower = upper.lower()
    ((_, calm, _),) = domain.score_field(lower, [(0, len(lower))])
    assert shouting == calm < -0.05
