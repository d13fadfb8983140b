"""Language: English is scored, anything else gets tone null ("n/a"), never 0."""

from __future__ import annotations

import pytest

from core.analysis.analyzer import analyze
from core.analysis.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Putin and Trump met in Alaska to discuss the war in Ukraine and the relationship.", "en"),
        ("Putin warns Washington over sanctions", "en"),
        ("Putin’s warning — a headline", "en"),
        ("Песков прокомментировал новые санкции США и заявил о готовности к диалогу.", "ru"),
        ("Der Bundestag hat heute neue Sanktionen gegen russische Banken beschlossen.", "de"),
        ("امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے", "ur"),
        ("1234 — 5678", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Песков о санкциях", "Песков заявил, что санкции бесполезны. Диалог продолжится."),
        ("Neue Sanktionen", "Die Bundesregierung hat neue Sanktionen gegen Russland beschlossen."),
        ("", "امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے۔"),
    ],
)
def test_non_english_tone_is_null_not_zero(title: str, text: str) -> None:
    result = analyze(title, text)
    assert result.lang != "en"
    assert result.tone is None and result.tone_label == "n/a"
    assert result.sentences and all(s.tone is None for s in result.sentences)


def test_only_a_bounded_prefix_is_read() -> None:
    english = "The talks in Geneva were held behind closed doors for hours. " * 20
    assert detect_language(english + "Песков " * 5000) == "en"
