"""The theme lexicon: every theme, false friends, inflections, counting, spans, config errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.analysis.analyzer import analyze
from core.analysis.themes import (
    BROAD_WEIGHT,
    CENTRAL_AT,
    PhraseMatcher,
    default_lexicon,
    fold,
    load_lexicon,
    read_themes,
)
from core.config import ConfigError
from core.models import ThemeMatch

REQUIRED = {
    "sanctions", "arms_control", "counterterrorism", "diplomacy", "ukraine_war", "energy_trade",
    "cyber_election", "prisoners_consular", "military_nato", "information_propaganda",
}  # fmt: skip

CASES = [
    ("sanctions", "The Treasury sanctioned three banks.", "sanctioned"),
    ("sanctions", "New SANCTIONS were announced.", "SANCTIONS"),
    ("sanctions", "It was an officially sanctioned event.", None),
    ("arms_control", "Both sides said New START limits would hold.", "New START"),
    ("arms_control", "Officials debated the CTBT.", "CTBT"),
    ("arms_control", "A return to nuclear testing was feared.", "nuclear testing"),
    ("arms_control", "They warned of a new arms race.", "arms race"),
    ("arms_control", "The town welcomed refugees with open arms.", None),
    ("arms_control", "He rested on the arms of the chair.", None),
    ("counterterrorism", "Officials shared intelligence on an ISIS-K terror plot.", "ISIS-K"),
    ("counterterrorism", "He is a militant vegan.", None),
    ("diplomacy", "The foreign ministers held talks in Riyadh.", "foreign ministers"),
    ("diplomacy", "She hosts a talk show on Sundays.", None),
    ("ukraine_war", "A ceasefire along the front line was discussed.", "ceasefire"),
    ("ukraine_war", "Critics called it offensive language.", None),
    ("energy_trade", "Oil exports and LNG deliveries fell.", "Oil"),
    ("energy_trade", "They kept buying Russian gas through TurkStream.", "Russian gas"),
    ("energy_trade", "Flows through the Druzhba pipeline resumed.", "Druzhba"),
    ("energy_trade", "Europe's energy supplies were tight.", "energy supplies"),
    ("energy_trade", "Police used tear gas on the crowd.", None),
    ("energy_trade", "It was a trade-off between speed and safety.", None),
    ("energy_trade", "It is important to listen.", None),
    ("cyber_election", "Hackers linked to the GRU ran an influence operation.", "Hackers"),
    ("cyber_election", "The phrase was hackneyed.", None),
    ("prisoners_consular", "A prisoner swap freed two detained journalists.", "prisoner swap"),
    ("prisoners_consular", "Collectors met at a swap meet.", None),
    ("military_nato", "NATO troops deployed to the Baltic.", "NATO"),
    ("military_nato", "The patriotic crowd cheered.", None),
    ("information_propaganda", "State media ran propaganda about the summit.", "State media"),
    ("information_propaganda", "The doctor will see you now.", None),
]


def test_the_lexicon_has_the_required_themes_with_labels() -> None:
    lexicon = default_lexicon()
    assert set(lexicon.theme_names) >= REQUIRED
    assert all(lexicon.labels[theme] for theme in lexicon.theme_names)
    assert lexicon.version


@pytest.mark.parametrize(("theme", "text", "matched"), CASES)
def test_every_theme_hits_and_its_false_friends_do_not(
    theme: str, text: str, matched: str | None
) -> None:
    found = [text[m.start : m.end] for m in default_lexicon().matches(text) if m.theme == theme]
    assert (found[0] if found else None) == matched, found


def test_every_theme_is_exercised_by_a_hit_and_a_false_friend() -> None:
    hits = {theme for theme, _, matched in CASES if matched}
    misses = {theme for theme, _, matched in CASES if matched is None}
    assert hits >= REQUIRED and misses >= REQUIRED


@pytest.mark.parametrize(
    "text", ["İİİ ßß The new sanctions on İstanbul banks", "ǅ Σ ﬁ sanctions", "e\u0301 sanctions"]
)
def test_spans_index_the_original_text_where_lower_casing_changes_length(text: str) -> None:
    found = [text[m.start : m.end] for m in default_lexicon().matches(text)]
    assert "sanctions" in found
    assert len(fold(text)) == len(text)


def test_the_longest_term_wins_and_case_sensitive_terms_keep_their_case() -> None:
    matcher = PhraseMatcher(["sanction*", "sanctions relief", "=US", "us-russia*"])
    text = "Sanctions relief for the US, not for us; US–Russian ties."
    found = [(matcher.terms[i[0]], text[s:e]) for i, s, e in matcher.finditer(text)]
    assert found == [
        ("sanctions relief", "Sanctions relief"),
        ("=US", "US"),
        ("us-russia*", "US–Russian"),
    ]


def test_a_theme_counts_in_the_title_in_a_sentence_about_the_relationship_or_when_central() -> None:
    filler = "Filler sentence about nothing in particular. " * 20
    assert "sanctions" not in analyze("", filler + "The sanctions were discussed.").theme_names
    # two passing hits in a one-sided text: recorded with a low salience, not listed (the
    # old rule listed any theme with two hits)
    passing = analyze("", filler + "Sanctions came. More sanctions came.")
    assert "sanctions" not in passing.theme_names
    assert 0 < dict(passing.theme_salience)["sanctions"] < CENTRAL_AT
    # one hit in a sentence where both sides meet is listed, though not central
    relation = analyze("", filler + "Washington and Moscow discussed sanctions.")
    assert "sanctions" in relation.theme_names and "sanctions" not in relation.central_themes
    assert "sanctions" in analyze("New sanctions", filler).theme_names
    summary = analyze("", "The sanctions were discussed.")
    assert "sanctions" in summary.theme_names and summary.central_themes == ("sanctions",)
    many = analyze("", "New sanctions were imposed. " * 5 + filler[:90])
    assert many.central_themes == ("sanctions",)


def test_salience_follows_the_documented_formula() -> None:
    lexicon = default_lexicon()
    title = [ThemeMatch("sanctions", "sanction*", 0, 9, "title")]
    text = [
        ThemeMatch("sanctions", "sanction*", 5, 14),  # sentence 0 (lead)
        ThemeMatch("sanctions", "sanction*", 20, 29),  # sentence 0 again
        ThemeMatch("sanctions", "sanction*", 120, 129),  # sentence 3
        ThemeMatch("diplomacy", "talks", 130, 135),  # broad, sentence 3, in a relation sentence
    ]
    starts = [0, 40, 80, 110, 150, 190, 230, 270, 310, 350]  # ten sentences
    reading = read_themes(lexicon, title + text, starts, relation_sentences={3})
    # sanctions: 0.35·1 + 0.15·1 + 0.35·min(1, (2/10)/0.5) + 0.15·min(1, (3-1)/4)
    assert dict(reading.salience)["sanctions"] == round(0.35 + 0.15 + 0.35 * 0.4 + 0.15 * 0.5, 4)
    # diplomacy, one broad hit outside the lead: 0.35·min(1, (0.5/10)/0.5), no repetition
    assert dict(reading.salience)["diplomacy"] == round(0.35 * 0.1, 4)
    assert reading.names == ("diplomacy", "sanctions") and reading.central == ("sanctions",)
    assert [theme for theme, _ in reading.salience] == ["sanctions", "diplomacy"]


def test_broad_diplomacy_terms_weigh_less_than_full_ones() -> None:
    lexicon = default_lexicon()
    assert lexicon.weights[("diplomacy", "talks")] == BROAD_WEIGHT < 1
    assert ("diplomacy", "summit*") not in lexicon.weights
    filler = " Markets were calm." * 8
    talks = analyze("", "The talks went on." + filler)
    summit = analyze("", "The summit went on." + filler)
    assert dict(talks.theme_salience)["diplomacy"] < dict(summit.theme_salience)["diplomacy"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('version = "1"\n[themes.x]\nterms = ["a"\n', ":3:"),
        ('version = "1"\n\n[themes.x]\nlabel = "X"\nterms = []\n', ":3: theme 'x' has no terms"),
        ('version = "1"\n[themes.x]\nterms = [\n  "ok",\n  "bad*term",\n]\n', ":5: theme 'x'"),
        ('version = "1"\n[themes.x]\nterms = ["-dash"]\n', ":3: theme 'x': a term must start"),
        ('version = "1"\n[themes.Bad-Id]\nterms = ["a"]\n', "must be snake_case"),
        ('version = "1"\n[themes.x]\nterms = ["a"]\nmin_hits = 0\n', ":2: theme 'x': min_hits"),
        ('version = "1"\n[themes.x]\nterms = ["a"]\nbroad = ["*"]\n', ":4: theme 'x': empty"),
        ('version = "1"\n[themes.x]\nterms = ["a"]\nbroad = "talks"\n', "`broad` must be"),
        ('[themes.x]\nterms = ["a"]\n', ":1: a top-level `version"),
    ],
)
def test_a_malformed_lexicon_names_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith(f"{path}:")
