"""The annotated article: evidence marked, every character of feed text escaped."""

from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.analysis.analyzer import analyze
from core.dashboard.annotate import annotate, article_html, evidence_rows, legend, tone_class
from core.models import ActorMention, Analysis, SentenceTone, ThemeMatch

LABELS = {"sanctions": "Sanctions", "arms_control": "Arms control"}
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "![img](x)",
    ":red[x]",
    "$$\\LaTeX$$",
    ".streamlit/secrets.toml",
    '" onmouseover="alert(1)',
    "<iframe src=javascript:alert(2)></iframe>",
    "&lt;b&gt; already-escaped &amp;",
]


def analysis(
    sentences: tuple[SentenceTone, ...] = (),
    themes: tuple[ThemeMatch, ...] = (),
    actors: tuple[ActorMention, ...] = (),
) -> Analysis:
    return Analysis(
        tone=None,
        tone_label="n/a",
        sentences=sentences,
        themes=themes,
        theme_names=tuple(sorted({m.theme for m in themes})),
        actors=actors,
        relevance=0.0,
        relevant=False,
        lang="en",
        lexicon_version="test",
        analyzer_version="test",
    )


def visible_text(html: str) -> str:
    """What a browser shows: tags dropped (sup labels too), entities decoded, <br> as newline."""
    without_labels = re.sub(r"<sup>.*?</sup>", "", html)
    return unescape(re.sub(r"<[^>]+>", "", without_labels.replace("<br>", "\n")))


@pytest.mark.parametrize(
    ("tone", "css"),
    [
        (None, "dt-neu"),
        (0.0, "dt-neu"),
        (0.049, "dt-neu"),
        (-0.049, "dt-neu"),
        (0.05, "dt-pos1"),
        (0.3, "dt-pos2"),
        (0.6, "dt-pos3"),
        (-0.05, "dt-neg1"),
        (-0.45, "dt-neg2"),
        (-0.99, "dt-neg3"),
    ],
)
def test_sentences_are_tinted_by_tone_with_vaders_neutral_band(
    tone: float | None, css: str
) -> None:
    assert tone_class(tone) == css


def test_theme_terms_are_highlighted_and_labelled() -> None:
    text = "Washington extended sanctions. New START talks resumed."
    start = text.index("sanctions")
    html = annotate(
        text,
        analysis(
            sentences=(SentenceTone(0, 30, -0.4), SentenceTone(31, len(text), 0.5)),
            themes=(
                ThemeMatch("sanctions", "sanction*", start, start + 9),
                ThemeMatch("arms_control", "New START", 31, 40),
            ),
        ),
        "text",
        LABELS,
    )
    assert (
        '<mark class="dt-theme" title="Sanctions: matched “sanction*”">'
        "sanctions<sup>Sanctions</sup></mark>" in html
    )
    assert "New START<sup>Arms control</sup></mark>" in html
    assert 'class="dt-s dt-neg2" title="sentence tone -0.40"' in html
    assert 'class="dt-s dt-pos2" title="sentence tone +0.50"' in html
    assert visible_text(html) == text


def test_actors_are_marked_with_their_side() -> None:
    text = "The Kremlin replied."
    html = annotate(
        text, analysis(actors=(ActorMention("Kremlin", "russia", 4, 11),)), "text", LABELS
    )
    assert '<span class="dt-actor" title="Kremlin (russia)">Kremlin</span>' in html


def test_overlapping_evidence_nests_and_keeps_every_label() -> None:
    text = "The State Department sanctions office"
    html = annotate(
        text,
        analysis(
            sentences=(SentenceTone(0, len(text), None),),
            themes=(
                ThemeMatch("sanctions", "sanction*", 21, 30),
                ThemeMatch("arms_control", "department sanctions", 10, 30),
            ),
            actors=(ActorMention("State Department", "us", 4, 20),),
        ),
        "text",
        LABELS,
    )
    assert visible_text(html) == text
    assert (
        "<sup>Sanctions, Arms control</sup>" in html or "<sup>Arms control, Sanctions</sup>" in html
    )
    assert html.count("<span") == html.count("</span>") and html.count("<mark") == html.count(
        "</mark>"
    )
    assert 'title="sentence tone n/a"' in html


def test_only_the_evidence_of_the_field_is_used() -> None:
    title_match = ThemeMatch("sanctions", "sanction*", 0, 9, field="title")
    html = annotate("sanctions here", analysis(themes=(title_match,)), "text", LABELS)
    assert "<mark" not in html


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 999), (4, 4), (6, 2)])
def test_spans_outside_the_text_are_ignored(start: int, end: int) -> None:
    text = "short text"
    html = annotate(text, analysis(themes=(ThemeMatch("sanctions", "x", start, end),)), "text", {})
    assert "<mark" not in html and visible_text(html) == text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped_in_title_body_and_attributes(hostile: str) -> None:
    text = f"{hostile} Moscow rejected sanctions. {hostile}"
    found = analyze(hostile, text)
    html = article_html(hostile, text, found, {**LABELS, "sanctions": hostile})
    body = html.split("</style>", 1)[1]
    for tag in ("<script", "<img", "<iframe", "<a ", "<b>"):
        assert tag not in body
    assert 'onmouseover="' not in body
    assert visible_text(body.split("</div>", 1)[1]).count(hostile) >= 3  # title + twice in text


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200))))
def test_any_text_and_spans_round_trip_to_the_same_visible_text(
    text: str, bounds: list[tuple[int, int]]
) -> None:
    spans = tuple(ThemeMatch("sanctions", "t", min(a, b), max(a, b)) for a, b in bounds)
    html = annotate(text, analysis(themes=spans), "text", LABELS)
    assert "<" not in re.sub(r"</?(mark|sup|span|br)\b[^>]*>", "", html)
    assert visible_text(html) == text


def test_the_legend_explains_every_mark() -> None:
    html = legend()
    for css in ("dt-pos2", "dt-neg2", "dt-neu", "dt-theme", "dt-actor"):
        assert css in html


def test_the_whole_article_is_one_element_never_a_bare_path() -> None:
    html = article_html(".streamlit/secrets.toml", ".streamlit/secrets.toml", analysis(), {})
    assert html.lstrip().startswith("<style>") and "<div class='dt-article'>" in html
    assert visible_text(html.split("</style>", 1)[1]).count(".streamlit/secrets.toml") == 2


def test_evidence_rows_list_every_mark_with_the_text_it_covers() -> None:
    title = "Sanctions talk"
    text = "The Kremlin rejected sanctions. Talks go on."
    found = analysis(
        sentences=(SentenceTone(0, 31, -0.3), SentenceTone(32, len(text), 0.0)),
        themes=(
            ThemeMatch("sanctions", "sanction*", 0, 9, field="title"),
            ThemeMatch("sanctions", "sanction*", 21, 30),
        ),
        actors=(ActorMention("Kremlin", "russia", 4, 11),),
    )
    rows = evidence_rows(title, text, found, LABELS)
    assert [(r["kind"], r["field"], r["text"]) for r in rows] == [
        ("theme term", "title", "Sanctions"),
        ("sentence", "text", "The Kremlin rejected sanctions."),
        ("actor", "text", "Kremlin"),
        ("theme term", "text", "sanctions"),
        ("sentence", "text", "Talks go on."),
    ]
    assert rows[1]["tone"] == -0.3 and rows[2]["meaning"] == "Kremlin (russia)"
    assert rows[3]["meaning"] == "Sanctions (term “sanction*”)"
