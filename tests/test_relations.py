"""Relations events: every category, direction, negation, hypotheticals, reported speech, false
friends, the reading's score and label, the lexicon's errors, and spans (property test)."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.analyzer import Analyzer, analyze, default_analyzer
from core.analysis.relations import HYPOTHETICAL_SHARE, REFUSAL_WEIGHT, read_relations
from core.analysis.relations_lexicon import (
    QUADS,
    default_relations,
    load_relations,
    phrase_regex,
)
from core.analysis.themes import fold
from core.commands.main import main
from core.config import CONFIG_DIR, ConfigError
from core.models import Analysis, RelationEvent, RelationsReading

# (category, sentence, the phrase read, source, target)
CATEGORY_CASES = [
    ("praise", "The Kremlin welcomed the U.S. decision.", "welcomed", "russia", "us"),
    ("approve", "Lavrov said the talks with Washington were constructive.", "constructive",
     "russia", "us"),
    ("thank", "Putin thanked Trump for the warning.", "thanked", "russia", "us"),
    ("consult", "Witkoff held talks with Putin in St. Petersburg.", "held talks", "us", "russia"),
    ("agree_talks", "Moscow agreed to hold talks with Washington.", "agreed to hold talks",
     "russia", "us"),
    ("agree", "Russia accepted the American offer.", "accepted", "russia", "us"),
    ("propose", "Rubio proposed a new channel to Lavrov.", "proposed", "us", "russia"),
    ("readiness", "Moscow is ready to work with the Trump administration.", "ready to", "russia",
     "us"),
    ("sign_agreement", "Washington signed a memorandum with Moscow.", "signed a memorandum", "us",
     "russia"),
    ("release_prisoners", "Russia released two American citizens on Friday.",
     "released two American", "russia", "us"),
    ("swap_prisoners", "A prisoner swap between Russia and the United States took place.",
     "prisoner swap", "mutual", "mutual"),
    ("ease_sanctions", "Washington lifted sanctions on Aeroflot.", "lifted sanctions", "us",
     "russia"),
    ("license", "The U.S. Treasury issued a general license for Rosneft.",
     "issued a general license", "us", "russia"),
    ("restore_relations", "Moscow restored the staffing of the U.S. embassy.",
     "restored the staffing", "russia", "us"),
    ("hand_over", "Russia handed over the suspect to U.S. investigators.", "handed over",
     "russia", "us"),
    ("exchange_data", "The FBI shared intelligence with Russian security services.",
     "shared intelligence", "us", "russia"),
    ("resume_flights", "Aeroflot resumed flights to the United States.", "resumed flights",
     "russia", "us"),
    ("accuse", "Lavrov accused Washington of lying.", "accused", "russia", "us"),
    ("charge", "Zakharova said U.S. policy was pure Russophobia.", "Russophobia", "russia", "us"),
    ("condemn", "The White House condemned the Russian strike.", "condemned", "us", "russia"),
    ("protest", "Moscow summoned the U.S. ambassador.", "summoned", "russia", "us"),
    ("criticise", "Rubio criticised the Kremlin's stance.", "criticised", "us", "russia"),
    ("mock", "Medvedev mocked the American president.", "mocked", "russia", "us"),
    ("dismiss", "Peskov dismissed the U.S. report.", "dismissed", "russia", "us"),
    ("warn", "Washington warned Moscow over the deployment.", "warned", "us", "russia"),
    ("threaten", "Trump threatened Russia with tariffs.", "threatened", "us", "russia"),
    ("demand", "Moscow demanded an apology from Washington.", "demanded", "russia", "us"),
    ("reject", "The Kremlin rejected the American plan.", "rejected", "russia", "us"),
    ("deny", "Moscow denied the U.S. accusations.", "denied", "russia", "us"),
    ("impose_sanctions", "Washington imposed new sanctions on Russian banks.",
     "imposed new sanctions", "us", "russia"),
    ("expel", "Russia expelled two U.S. diplomats.", "expelled", "russia", "us"),
    ("close_mission", "Washington closed the Russian consulate in San Francisco.",
     "closed the Russian consulate", "us", "russia"),
    ("seize_assets", "The United States seized a Russian oligarch's yacht.", "seized", "us",
     "russia"),
    ("indict", "U.S. prosecutors indicted a Russian hacker.", "indicted", "us", "russia"),
    ("arrest", "Russian police arrested an American teacher.", "arrested", "russia", "us"),
    ("suspend_treaty", "Russia suspended its participation in the treaty with the United States.",
     "suspended its participation", "russia", "us"),
    ("intercept", "U.S. jets intercepted Russian bombers near Alaska.", "intercepted", "us",
     "russia"),
    ("hack", "Russian hackers breached American water utilities.", "breached", "russia", "us"),
    ("harass", "A Russian jet harassed a U.S. drone over the Black Sea.", "harassed", "russia",
     "us"),
    ("retaliate", "Moscow retaliated against Washington.", "retaliated", "russia", "us"),
]  # fmt: skip


def events_of(text: str) -> tuple[RelationEvent, ...]:
    return analyze("", text).relations.events


def test_every_category_of_the_lexicon_has_a_case_and_a_valid_quad_and_weight() -> None:
    lexicon = default_relations()
    assert {case[0] for case in CATEGORY_CASES} == set(lexicon.by_code)
    assert set(lexicon.quads.values()) == set(QUADS)
    assert all(-10 <= c.weight <= 10 and c.weight != 0 for c in lexicon.categories)
    cooperation = {c.code for c in lexicon.categories if c.quad.endswith("cooperation")}
    assert all((c.weight > 0) == (c.code in cooperation) for c in lexicon.categories)


@pytest.mark.parametrize(("category", "text", "phrase", "source", "target"), CATEGORY_CASES)
def test_each_category_with_its_phrase_and_direction(
    category: str, text: str, phrase: str, source: str, target: str
) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found, f"no {category} event in {text!r}: {events_of(text)}"
    event = found[0]
    assert text[event.start : event.end] == phrase
    assert (event.source, event.target) == (source, target)
    assert not event.negated and not event.hypothetical
    assert event.weight == default_relations().by_code[category].weight


# (sentence, category, source, target): who acts on whom
DIRECTION_CASES = [
    ("Moscow expelled two American diplomats.", "expel", "russia", "us"),
    ("Washington expelled two Russian diplomats.", "expel", "us", "russia"),
    ("Two Russian diplomats were expelled by the United States.", "expel", "us", "russia"),
    ("Russian bombers were intercepted near Alaska by NORAD.", "intercept", "us", "russia"),
    ("Russia ordered two U.S. diplomats to leave the country.", "expel", "russia", "us"),
    ("The State Department ordered the Russian Embassy to cut its staff.", "close_mission", "us",
     "russia"),
    ("Moscow and Washington agreed to resume talks.", "agree_talks", "mutual", "mutual"),
    ("Lavrov and Secretary of State Marco Rubio agreed to meet again.", "agree_talks", "mutual",
     "mutual"),
    ("Russia and the United States accused each other of violating the treaty.", "accuse",
     "mutual", "mutual"),
    ("The U.S. embassy in Moscow condemned the attack on Russian journalists.", "condemn", "us",
     "russia"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "source", "target"), DIRECTION_CASES)
def test_direction(text: str, category: str, source: str, target: str) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found and (found[0].source, found[0].target) == (source, target), events_of(text)


# Both sides in the sentence, but no act between them: no event at all.
NO_EVENT_CASES = [
    "Moscow accused Kyiv of shelling, while Washington called for restraint.",
    "Putin condemned the attack in Dagestan; the White House also expressed condolences.",
    "Russia signed a gas deal with China while the United States signed a deal with Ukraine.",
    "The ruble strengthened against the U.S. dollar on Tuesday.",
    "Russian forward Alex Ovechkin scored twice for the Washington Capitals.",
    "Moscow and Washington condemned the attack on the concert hall.",  # no reciprocal cue
    "The Moscow Times reported that American companies were returning.",
]


@pytest.mark.parametrize("text", NO_EVENT_CASES)
def test_no_event_without_an_act_between_the_sides(text: str) -> None:
    assert events_of(text) == ()
    assert analyze("", text).relations == RelationsReading()


# (sentence, category): phrases that read like an act but are not one
FALSE_FRIEND_CASES = [
    ("The Kremlin issued a press release about the U.S. visit.", "release_prisoners"),
    ("Russian and American traders met at a swap meet.", "swap_prisoners"),
    ("Critics said Russia and the U.S. seized on the moment.", "seize_assets"),
    ("A hackneyed phrase about Russia was repeated in Washington.", "hack"),
    ("The Kremlin welcomed the U.S. delegation with open arms; welcome to Moscow.", "none"),
    ("Putin said the sanctioned by the league match between Russian and U.S. teams was fine.",
     "impose_sanctions"),
    ("Washington's detained Russian reporter case drew attention.", "arrest"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category"), FALSE_FRIEND_CASES)
def test_false_friends_are_not_events(text: str, category: str) -> None:
    assert category not in {e.category for e in events_of(text)}


# (sentence, category, weight after negation)
NEGATION_CASES = [
    ("The United States did not agree to lift sanctions on Russia.", "ease_sanctions",
     REFUSAL_WEIGHT),
    ("Moscow refused to release the American journalist.", "release_prisoners", REFUSAL_WEIGHT),
    ("Washington has no plans to expel Russian diplomats.", "expel", 0.0),
    ("Russia never hacked American networks, Peskov said.", "hack", 0.0),
    ("Peskov denied that Moscow had hacked U.S. networks.", "hack", 0.0),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "weight"), NEGATION_CASES)
def test_negation_marks_the_event_and_changes_its_weight(
    text: str, category: str, weight: float
) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found and found[0].negated and not found[0].hypothetical, events_of(text)
    assert found[0].weight == weight


def test_negated_cooperation_reads_as_conflict_and_negated_conflict_as_neutral() -> None:
    assert analyze("", "Washington refused to lift sanctions on Russia.").relations.label == (
        "conflict"
    )
    reading = analyze("", "Washington did not impose new sanctions on Russia.").relations
    assert (reading.score, reading.label) == (0.0, "neutral")


HYPOTHETICAL_CASES = [
    ("Washington threatened to impose new sanctions on Russia.", "impose_sanctions"),
    ("Russia could expel more U.S. diplomats.", "expel"),
    ("If Washington lifts sanctions, Russia will resume flights to the United States.",
     "resume_flights"),
    ("Moscow demanded that Washington return the seized compounds.", "restore_relations"),
    ("The United States is ready to ease sanctions on Russian banks.", "ease_sanctions"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category"), HYPOTHETICAL_CASES)
def test_hypotheticals_are_marked_and_weigh_half(text: str, category: str) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found and found[0].hypothetical and not found[0].negated, events_of(text)
    full = default_relations().by_code[category].weight
    assert found[0].weight == full * HYPOTHETICAL_SHARE


def test_a_threat_counts_in_full_beside_what_it_threatens() -> None:
    events = events_of("Washington threatened to impose new sanctions on Russia.")
    assert [(e.category, e.weight, e.hypothetical) for e in events] == [
        ("threaten", -6.0, False),
        ("impose_sanctions", -4.0, True),
    ]


# Reported speech is the speaker's act: (sentence, category, source, target)
SPEECH_CASES = [
    ("Zakharova said US statements were interference.", "charge", "russia", "us"),
    ("US statements were interference, Zakharova said.", "charge", "russia", "us"),
    ("Kremlin: sanctions relief for Aeroflot shows Washington's double standards", "charge",
     "russia", "us"),
    ("Rubio called the talks with the Russian side productive.", "approve", "us", "russia"),
    ("According to the Kremlin, U.S. policy is Russophobic.", "charge", "russia", "us"),
    ("Zakharova said Washington had expelled two diplomats.", "expel", "us", "russia"),
    ("Lavrov told his American counterpart that Moscow was interested in dialogue.", "readiness",
     "russia", "us"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "category", "source", "target"), SPEECH_CASES)
def test_reported_speech(text: str, category: str, source: str, target: str) -> None:
    found = [e for e in events_of(text) if e.category == category]
    assert found and (found[0].source, found[0].target) == (source, target), events_of(text)


def test_a_judgement_without_a_speaker_is_no_event() -> None:
    assert not [e for e in events_of("U.S. statements on Russia were interference.")]


# The issue's cases, which stock VADER reads the wrong way round
def test_the_issue_cases() -> None:
    assert analyze("", "Washington froze Russian assets worth $300 billion.").relations.label == (
        "conflict"
    )
    swap = analyze("", "A prisoner swap freed the American journalist and a Russian pilot.")
    assert swap.relations.label == "cooperation"
    intercept = analyze("", "Russian bombers were intercepted near Alaska by U.S. jets.")
    assert intercept.relations.label == "conflict"
    title = "Kremlin: sanctions relief for Aeroflot parts shows Washington's double standards"
    assert analyze(title, "").title_relations.label == "conflict"


def test_score_and_label_of_a_reading() -> None:
    def event(weight: float, hypothetical: bool = False) -> RelationEvent:
        return RelationEvent(0, 1, "x", weight, "us", "russia", False, hypothetical)

    assert read_relations([]) == RelationsReading(None, None, ())
    assert read_relations([event(8.0), event(-4.0)]).score == 0.2
    assert read_relations([event(8.0), event(-4.0)]).label == "cooperation"
    assert read_relations([event(-1.0)]).label == "conflict"  # -0.1: at the threshold
    assert read_relations([event(0.5)]).label == "neutral"
    assert read_relations([event(-10.0)] * 3).score == -1.0


def test_article_reading_covers_the_headline_and_the_text() -> None:
    result = analyze("Russia expels U.S. diplomats", "Washington welcomed Moscow's proposal.")
    assert [e.category for e in result.relations.events] == ["expel", "praise", "propose"]
    assert [e.field for e in result.relations.events] == ["title", "text", "text"]
    assert [e.field for e in result.title_relations.events] == ["title"]
    assert result.title_relations.label == "conflict"
    assert result.relations.score == round((-7.0 + 3.4 + 3.0) / 3 / 10, 4)


def test_the_two_countries_are_mutual_in_an_article_about_both() -> None:
    text = "Russia and the United States met in Geneva. The two countries agreed to resume flights."
    found = [e for e in analyze("", text).relations.events if e.category == "resume_flights"]
    assert found and (found[0].source, found[0].target) == ("mutual", "mutual")
    assert analyze("", "The two countries agreed to resume flights.").relations.events == ()


def test_an_analysis_without_relations_keeps_working() -> None:
    old = Analysis(None, "n/a", (), (), (), (), 0.0, False, "und", "l", "a")
    assert old.relations == RelationsReading() and old.title_relations == RelationsReading()
    import pickle

    result = analyze("Russia expels U.S. diplomats", "")
    assert pickle.loads(pickle.dumps(result)) == result


def test_analyze_json_emits_the_relations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "Moscow expelled two U.S. diplomats. Peskov said talks with Washington were constructive."
    )
    line = json.dumps({"id": "x", "title": "Kremlin slams Washington", "text": text})
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))
    assert main(["analyze", "--jsonl", "-"]) == 0
    row = json.loads(capsys.readouterr().out)
    keys = {"start", "end", "category", "weight", "source", "target", "negated", "hypothetical"}
    assert set(row["relations"]) == {"score", "label", "events"}
    assert all(set(event) == keys for event in row["relations"]["events"])
    assert [text[e["start"] : e["end"]] for e in row["relations"]["events"]] == [
        "expelled",
        "talks with",
        "constructive",
    ]
    assert row["title_relations"]["label"] == "conflict"
    assert row["title_relations"]["events"][0]["category"] == "condemn"
    assert row["relations"]["score"] == -0.15  # (-4 - 7 + 2 + 3) / 4 / 10, with the title


# --- the lexicon file ---------------------------------------------------------------------------

GOOD = """version = "t1"
[categories.expel]
quad = "material_conflict"
weight = -7
phrases = ["expel*", "order* ... to leave|to go"]
[parties]
mutual = ["the two countries"]
[cues]
negation = ["not"]
"""


def test_a_small_lexicon_loads_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "relations.toml"
    path.write_text(GOOD, encoding="utf-8")
    lexicon = load_relations(path)
    assert lexicon.version == "t1" and list(lexicon.by_code) == ["expel"]
    analyzer = Analyzer(default_analyzer().lexicon, default_analyzer().gazetteer, relations=lexicon)
    events = analyzer.analyze("", "Moscow ordered two American diplomats to go.").relations.events
    assert [(e.category, e.source, e.target) for e in events] == [("expel", "russia", "us")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD.replace('weight = -7\n', 'weight = -7\nphrases = ["x"\n'), ":6:1: Unclosed"),
        (GOOD.replace('"material_conflict"', '"material_conflcit"'),
         ":3: category 'expel': unknown category class 'material_conflcit'"),
        (GOOD.replace("weight = -7", "weight = -12"),
         ":4: category 'expel': weight -12 is outside −10 … +10"),
        (GOOD.replace("weight = -7", "weight = 10.5"), ":4: category 'expel': weight 10.5"),
        (GOOD.replace("weight = -7", 'weight = "high"'), ":4: category 'expel': weight must"),
        (GOOD.replace('"expel*", ', '"expel*", "", '), ":5: category 'expel': empty phrase ''"),
        (GOOD.replace("to leave|to go", "to leave|"), ":5: category 'expel': empty alternative"),
        (GOOD.replace("order* ... to", "order* ...  ... to"), ":5: category 'expel': empty part"),
        (GOOD.replace("weight = -7", "weight = -7\nwieght = 2"),
         ":5: category 'expel': unknown key"),
        (GOOD.replace("[categories.expel]", "[categories.Expel]"), "must be snake_case"),
        (GOOD.replace('mutual = ["the two countries"]', 'mutual = [""]'),
         ":7: parties.mutual: empty phrase"),
        (GOOD.replace("[cues]\nnegation", "[cues]\nnegations"),
         ":9: unknown cues list 'negations'"),
        (GOOD + "[extra]\nx = 1\n", ":10: unknown table 'extra'"),
        (GOOD.replace('version = "t1"\n', ""), ":1: a top-level `version"),
    ],
)  # fmt: skip
def test_a_malformed_lexicon_is_refused_naming_file_line_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "relations.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_relations(path)
    assert str(caught.value).startswith(f"{path}:")


def test_the_shipped_lexicon_is_versioned_and_documented() -> None:
    text = (CONFIG_DIR / "relations.toml").read_text(encoding="utf-8")
    assert text.startswith("# Détente relations lexicon")
    assert default_relations().version


# --- spans ----------------------------------------------------------------------------------------

SENTENCES = [case[1] for case in CATEGORY_CASES] + [case[0] for case in DIRECTION_CASES]
FILLER = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=150, deadline=None)
@given(before=FILLER, sentences=st.lists(st.sampled_from(SENTENCES), max_size=4), after=FILLER)
def test_every_event_span_slices_the_text_to_its_phrase(
    before: str, sentences: list[str], after: str
) -> None:
    text = " ".join([before, *sentences, after])
    lexicon = default_relations()
    for event in analyze(before[:20], text).relations.events:
        field = text if event.field == "text" else before[:20]
        span = field[event.start : event.end]
        assert span and span == span.strip()
        phrases = lexicon.by_code[event.category].phrases
        assert any(phrase_regex(phrase).fullmatch(fold(span)) for phrase in phrases), span
