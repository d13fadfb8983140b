"""`detente analyze --jsonl`'s lines (`analysis_line`): the general encoding of `analysis_json`,
for every kind of article and id, and a value JSON cannot hold is refused."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bench.bench_analysis import make_articles, nyt_editorials
from core.analysis.analyzer import analyze
from core.commands.analyze import _encode, analysis_json, analysis_line

REPO = Path(__file__).resolve().parents[1]
IDS = [0, 7, -3, 2.5, 1e20, None, True, "a", 'quote " and \\ and \n and ё', [1, "x"], {"k": [None]}]


def _articles() -> list[tuple[str, str]]:
    """Editorials, generated news with headlines (events in both fields), Russian texts and
    texts without a sentence, a theme or an event."""
    russian = [
        json.loads(line)["text"]
        for line in (REPO / "tests/data/relations_ru_eval.jsonl").read_text().splitlines()[:60]
        if line.strip()
    ]
    return [
        *nyt_editorials()[:60],
        *make_articles(60, seed=3),
        *(("Лавров и Рубио", text) for text in russian),
        ("", ""),
        ("Hi", "No themes here."),
        ("Putin and Trump talk", "Moscow and Washington agreed to restore embassy staffing."),
    ]


def test_analysis_line_is_the_general_encoding() -> None:
    for number, (title, text) in enumerate(_articles()):
        analysis = analyze(title, text)
        item_id = IDS[number % len(IDS)]
        assert analysis_line(item_id, analysis) == _encode(
            {"id": item_id, **analysis_json(analysis)}
        )


def test_a_value_json_cannot_hold_is_refused_as_before() -> None:
    analysis = dataclasses.replace(analyze("", "Sanctions were lifted."), relevance=float("nan"))
    with pytest.raises(ValueError, match="Out of range float"):
        _encode({"id": 1, **analysis_json(analysis)})
    with pytest.raises(ValueError, match="Out of range float"):
        analysis_line(1, analysis)
