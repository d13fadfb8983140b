"""Relevance to the US–Russia relationship: both sides, joint phrases, same-sentence pairs."""

from __future__ import annotations

import pytest

from core.analysis.analyzer import analyze
from core.analysis.relevance import RELEVANT_AT, relevance_score


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        (
            "Russia and China sign trade pact",
            "Putin and Xi Jinping met in Beijing. Trade grew.",
            False,
        ),
        (
            "Kremlin says Washington must drop sanctions",
            "The Kremlin said Washington was to blame.",
            True,
        ),
        ("", "Peskov said the White House had not answered the proposal.", True),
        ("", "US-Russia relations are at a low, analysts said.", True),
        ("", "Talks between Moscow and Washington resumed.", True),
        ("", "A Russian-American crew docked at the station.", True),
        ("Moscow court jails a director", "A court in Moscow sentenced a theatre director.", False),
        ("", "Russia held drills. Separately, America held an election.", False),
        ("", "Latin America watched as Russia held drills.", False),
        ("", "The weather in Paris was mild.", False),
    ],
)
def test_relevance(title: str, text: str, relevant: bool) -> None:
    result = analyze(title, text)
    assert result.relevant is relevant, result.relevance
    assert 0.0 <= result.relevance <= 1.0
    assert result.relevant is (result.relevance >= RELEVANT_AT)


@pytest.mark.parametrize(
    ("title", "text", "starts", "expected"),
    [
        ([], [], [0], 0.0),
        ([], [("russia", 0, 6)], [0], 0.1),
        ([], [("russia", 0, 6), ("us", 20, 22)], [0, 10], 0.35),  # different sentences
        ([], [("russia", 0, 6), ("us", 8, 10)], [0, 10], 0.55),  # same sentence
        ([], [("russia", 0, 6), ("us", 8, 10), ("russia", 12, 14), ("us", 16, 18)], [0, 11], 0.65),
        ([("us", 0, 2), ("russia", 5, 9)], [], [0], 0.5),  # both in the headline only
        ([("joint", 0, 9)], [("joint", 0, 9)], [0], 1.0),
    ],
)
def test_the_documented_formula(
    title: list[tuple[str, int, int]],
    text: list[tuple[str, int, int]],
    starts: list[int],
    expected: float,
) -> None:
    assert relevance_score(title_spans=title, text_spans=text, sentence_starts=starts) == expected
