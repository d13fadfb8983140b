"""The annotated article: evidence marked, every character of feed text escaped."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.analysis.analyzer import analyze
from core.dashboard.annotate import annotate, article_html, evidence_rows, legend, tone_class
from core.models import (
    ActorMention,
    Analysis,
    RelationEvent,
    RelationsReading,
    SentenceTone,
    ThemeMatch,
    ToneAdjustment,
)

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


# --- relations events and the domain tone layer (issue 9) ------------------------------------

CATEGORIES = {"expel": "Expel diplomats", "swap_prisoners": "Swap prisoners", "agree": "Agree"}


def with_events(
    events: tuple[RelationEvent, ...], sentences: tuple[SentenceTone, ...] = ()
) -> Analysis:
    return replace(analysis(sentences), relations=RelationsReading(-0.5, "conflict", events))


def test_an_event_is_marked_with_its_arrow_category_weight_and_direction() -> None:
    text = "Moscow ordered two US diplomats to leave."
    event = RelationEvent(7, 40, "expel", -7.0, "russia", "us")
    html = annotate(text, with_events((event,)), "text", LABELS, CATEGORIES)
    assert (
        '<span class="dt-rel dt-rel-conf dt-rel-from dt-rel-to" '
        'title="Russia → US: Expel diplomats, weight -7.0">' in html
    )
    assert "to leave<sup>RU→US Expel diplomats</sup></span>" in html
    assert visible_text(html) == text


@pytest.mark.parametrize(
    ("event", "css", "tag", "hover"),
    [
        (
            RelationEvent(0, 6, "agree", 4.0, "mutual", "mutual"),
            "dt-rel-coop",
            "US⇄RU Agree",
            "mutual (both sides): Agree, weight +4.0",
        ),
        (
            RelationEvent(0, 6, "agree", -4.0, "us", "russia", negated=True),
            "dt-rel-conf",
            "US→RU Agree ✗",
            "US → Russia: Agree, weight -4.0 (negated)",
        ),
        (
            RelationEvent(0, 6, "expel", -3.5, "russia", "us", hypothetical=True),
            "dt-rel-conf",
            "RU→US Expel diplomats ?",
            "Russia → US: Expel diplomats, weight -3.5 (hypothetical)",
        ),
        (
            RelationEvent(0, 6, "expel", 0.0, "russia", "us", negated=True),
            "dt-rel-flat",
            "RU→US Expel diplomats ✗",
            "(negated)",
        ),
        (
            RelationEvent(0, 6, "new_code", 2.0, "us", "russia"),
            "dt-rel-coop",
            "US→RU new_code",
            "US → Russia: new_code, weight +2.0",
        ),
    ],
)
def test_direction_negation_and_hypotheticals_are_shown(
    event: RelationEvent, css: str, tag: str, hover: str
) -> None:
    html = annotate("agreed to talk", with_events((event,)), "text", LABELS, CATEGORIES)
    assert f"dt-rel {css}" in html
    assert f"<sup>{tag}</sup>" in html
    assert hover in unescape(html)


def test_events_of_the_other_field_and_outside_the_text_are_not_marked() -> None:
    events = (
        RelationEvent(0, 6, "expel", -7.0, "russia", "us", field="title"),
        RelationEvent(3, 99, "expel", -7.0, "russia", "us"),
    )
    html = annotate("Moscow acted.", with_events(events), "text", LABELS, CATEGORIES)
    assert "dt-rel" not in html


def test_domain_tone_words_show_stock_vader_against_the_adjusted_score() -> None:
    text = "Washington froze Russian assets worth $300 billion."
    adjustment = ToneAdjustment(32, 42, "worth #", 0.0, 0.9)
    sentence = SentenceTone(0, len(text), 0.0, vader=0.3818, adjustments=(adjustment,))
    html = annotate(text, analysis(sentences=(sentence,)), "text", LABELS)
    assert (
        '<span class="dt-adj" title="domain tone “worth #”: +0.0 (stock VADER +0.9)">worth $300'
        in html
    )
    assert 'title="sentence tone +0.00 (stock VADER +0.38; moved by “worth #”)"' in html
    assert visible_text(html) == text


def test_the_real_reader_marks_events_and_tone_words_of_a_real_sentence() -> None:
    title = "Kremlin: sanctions relief shows Washington's double standards"
    text = "Moscow ordered two US diplomats to leave. The two countries agreed to a prisoner swap."
    found = analyze(title, text)
    body = annotate(text, found, "text", LABELS, CATEGORIES)
    assert "RU→US Expel diplomats" in body and "US⇄RU" in body
    assert "dt-adj" in annotate(title, found, "title", LABELS, CATEGORIES)
    rows = evidence_rows(title, text, found, LABELS, CATEGORIES)
    events = [r for r in rows if r["kind"] == "event"]
    assert {"text": "ordered two US diplomats to leave", "weight": -7.0}.items() <= events[
        1 if events[0]["field"] == "title" else 0
    ].items()
    assert any(r["kind"] == "tone word" and "stock VADER" in str(r["meaning"]) for r in rows)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_category_labels_and_event_text_are_escaped(hostile: str) -> None:
    text = f"Moscow {hostile} expelled US diplomats."
    event = RelationEvent(0, len(text) - 1, "expel", -7.0, "russia", "us")
    html = annotate(text, with_events((event,)), "text", LABELS, {"expel": hostile})
    for tag in ("<script", "<img", "<iframe", "<a ", "<b>"):
        assert tag not in html
    assert 'onmouseover="' not in html
    assert visible_text(html) == text


@given(
    st.text(max_size=120),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120), st.booleans()), max_size=6),
)
def test_any_events_and_tone_words_round_trip_to_the_same_visible_text(
    text: str, bounds: list[tuple[int, int, bool]]
) -> None:
    events = tuple(
        RelationEvent(min(a, b), max(a, b), "expel", -7.0, "russia", "us", negated=flag)
        for a, b, flag in bounds
    )
    words = tuple(ToneAdjustment(min(a, b), max(a, b), "w", 0.0, 1.0) for a, b, _ in bounds)
    sentence = SentenceTone(0, len(text), 0.1, vader=0.2, adjustments=words)
    html = annotate(text, with_events(events, sentences=(sentence,)), "text", LABELS, CATEGORIES)
    assert "<" not in re.sub(r"</?(mark|sup|span|br)\b[^>]*>", "", html)
    assert visible_text(html) == text


def test_an_event_cut_by_other_marks_is_one_box_open_at_its_start_closed_at_its_end() -> None:
    text = "Moscow ordered two US diplomats to leave."
    event = RelationEvent(7, 40, "expel", -7.0, "russia", "us")
    actor = ActorMention("United States", "us", 19, 21)
    found = replace(with_events((event,)), actors=(actor,))
    html = annotate(text, found, "text", LABELS, CATEGORIES)
    classes = re.findall(r'class="(dt-rel [^"]*)"', html)
    assert classes == [
        "dt-rel dt-rel-conf dt-rel-from",
        "dt-rel dt-rel-conf",
        "dt-rel dt-rel-conf dt-rel-to",
    ]
    assert html.count("<sup>") == 1 and visible_text(html) == text
