"""The analysis core: sentences, tone, themes, actors, relevance, language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.actors import default_gazetteer, load_gazetteer
from core.analyze import analyze
from core.config import ConfigError
from core.language import detect_language
from core.themes import PhraseMatcher, default_lexicon, load_lexicon, normalize
from core.tone import aggregate, label, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The U.S. Treasury acted on Dec. 19. Mr. Peskov disagreed.", 2),
        ("Talks resumed in Geneva. Did they work? Nobody knows!", 3),
        ("Dr. Smith met Gen. Gerasimov at 5 p.m. on Friday. It was short.", 2),
        ("No full stop at the end", 1),
        ("", 0),
    ],
)
def test_sentence_splitting_respects_abbreviations(text: str, sentences: int) -> None:
    spans = split_sentences(text)
    assert len(spans) == sentences, [text[s:e] for s, e in spans]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_long_mildly_positive_article_does_not_saturate() -> None:
    sentence = "The talks were somewhat helpful for both delegations."
    text = " ".join([sentence] * 40)
    whole = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    ours = analyze("", text).tone
    assert whole > 0.95  # what whole-text VADER does
    assert ours is not None and 0.05 < ours < 0.6


@pytest.mark.parametrize(
    ("scores", "weights", "expected"),
    [([0.5, -0.5], None, 0.0), ([1.0, 0.0], [2.0, 1.0], 2 / 3), ([], None, None)],
)
def test_aggregate(
    scores: list[float], weights: list[float] | None, expected: float | None
) -> None:
    result = aggregate(scores, weights)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize(
    ("tone", "expected"),
    [(0.3, "positive"), (0.05, "positive"), (0.0, "neutral"), (-0.05, "negative"), (None, "n/a")],
)
def test_label_follows_vader_convention(tone: float | None, expected: str) -> None:
    assert label(tone) == expected


THEME_CASES = [
    ("sanctions", "The Treasury sanctioned three banks and froze assets.", True),
    ("sanctions", "The referee sanctioned by the league left.", False),
    ("arms_control", "Both sides said New START limits would hold.", True),
    ("arms_control", "Officials debated the CTBT and a return to nuclear testing.", True),
    ("arms_control", "The town welcomed the refugees with open arms.", False),
    ("counterterrorism", "Officials shared intelligence on an ISIS-K terror plot.", True),
    ("counterterrorism", "He is a militant vegan.", False),
    ("diplomacy", "The foreign ministers held talks ahead of the summit.", True),
    ("diplomacy", "She hosts a talk show on Sundays.", False),
    ("ukraine_war", "A ceasefire along the front line was discussed.", True),
    ("ukraine_war", "The remark was offensive language, critics said.", False),
    ("energy_trade", "Oil exports and LNG tariffs dominated the agenda.", True),
    ("energy_trade", "It was a trade-off between speed and safety.", False),
    ("cyber_election", "Hackers linked to the GRU ran an influence operation.", True),
    ("cyber_election", "The phrase was hackneyed.", False),
    ("prisoners_consular", "A prisoner swap freed two detained journalists.", True),
    ("prisoners_consular", "Collectors met at a swap meet.", False),
    ("military_nato", "NATO troops deployed to the Baltic for drills.", True),
    ("information_propaganda", "State media ran propaganda about the summit.", True),
    ("information_propaganda", "The doctor will see you now.", False),
]


@pytest.mark.parametrize(("theme", "text", "hit"), THEME_CASES)
def test_every_theme_hits_and_false_friends(theme: str, text: str, hit: bool) -> None:
    found = {m.theme for m in default_lexicon().matches(text)}
    assert (theme in found) is hit, default_lexicon().matches(text)


def test_theme_spans_index_the_original_text_after_length_changing_characters() -> None:
    text = "İİİ ßß The new sanctions on İstanbul banks"
    matches = default_lexicon().matches(text)
    assert [text[m.start : m.end] for m in matches if m.theme == "sanctions"] == ["sanctions"]


def test_a_theme_counts_with_a_title_hit_or_two_text_hits() -> None:
    lexicon = default_lexicon()
    long_text = "Filler sentence about nothing. " * 30
    one = analyze("", long_text + " The sanctions were discussed.")
    two = analyze("", long_text + " The sanctions were discussed. More sanctions came.")
    titled = analyze("New sanctions", long_text)
    assert "sanctions" not in one.theme_names
    assert "sanctions" in two.theme_names
    assert "sanctions" in titled.theme_names
    assert len(lexicon.theme_names) >= 10


@pytest.mark.parametrize(
    ("text", "actor", "side"),
    [
        ("Kremlin spokesperson Dmitry Peskov said no.", "Dmitry Peskov", "russia"),
        ("The Russian President spoke.", "Vladimir Putin", "russia"),
        ("Secretary of State Rubio landed.", "Marco Rubio", "us"),
        ("Zelenskyy met Witkoff.", "Volodymyr Zelensky", "ukraine"),
        ("The UN Security Council voted.", "UN Security Council", "other"),
    ],
)
def test_actors_with_aliases_and_sides(text: str, actor: str, side: str) -> None:
    mentions = default_gazetteer().mentions(text)
    assert any(m.actor == actor and m.side == side for m in mentions), mentions
    assert all(text[m.start : m.end] for m in mentions)
    assert len(default_gazetteer().actors) >= 25


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
        ("", "US-Russia relations are at a low, analysts said.", True),
        ("Moscow court jails a director", "A court in Moscow sentenced a theatre director.", False),
        ("", "Russia held drills. Separately, America held an election.", False),
    ],
)
def test_relevance(title: str, text: str, relevant: bool) -> None:
    result = analyze(title, text)
    assert result.relevant is relevant, result.relevance
    assert 0.0 <= result.relevance <= 1.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Putin and Trump met in Alaska to discuss the war in Ukraine and the relationship.", "en"),
        ("Песков прокомментировал новые санкции США и заявил о готовности к диалогу.", "ru"),
        ("Der Bundestag hat heute neue Sanktionen gegen russische Banken beschlossen.", "de"),
        ("امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے", "ur"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_non_english_tone_is_null_not_zero() -> None:
    result = analyze("Песков о санкциях", "Песков заявил, что санкции бесполезны.")
    assert result.tone is None and result.tone_label == "n/a"
    assert all(s.tone is None for s in result.sentences)


TERMS = sorted(
    {t for theme in default_lexicon().themes for t in theme.terms if not t.endswith("*")}
)[:80]
ALIASES = sorted({a for actor in default_gazetteer().actors for a in actor.aliases})[:60]
SURROUND = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(before=SURROUND, after=SURROUND, term=st.sampled_from(TERMS + ALIASES), upper=st.booleans())
def test_every_span_slices_to_its_term(before: str, after: str, term: str, upper: bool) -> None:
    body = term.lstrip("=")
    text = f"{before} {body.upper() if upper else body} {after}"
    result = analyze("", text)
    for match in result.themes:
        assert normalize(text[match.start : match.end]) == normalize(
            match.term
        ) or match.term.endswith("*")
    for mention in result.actors:
        piece = text[mention.start : mention.end]
        aliases = next(a.aliases for a in default_gazetteer().actors if a.name == mention.actor)
        assert any(normalize(piece) == normalize(alias) for alias in aliases), (piece, aliases)


def test_phrase_matcher_prefers_the_longest_term() -> None:
    matcher = PhraseMatcher(["sanction*", "sanctions relief", "=US"])
    text = "Sanctions relief for the US, not for us."
    found = [
        (matcher.terms[owners[0]], text[start:end]) for owners, start, end in matcher.finditer(text)
    ]
    assert found == [("sanctions relief", "Sanctions relief"), ("=US", "US")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('version = "1"\n[themes.x]\nterms = ["a"\n', ":3:"),
        ('version = "1"\n[themes.x]\nlabel = "X"\nterms = []\n', ":2: theme 'x' has no terms"),
        ('version = "1"\n[themes.x]\nterms = ["bad*term"]\n', "'*' may only end a term"),
        ('[themes.x]\nterms = ["a"]\n', "version"),
    ],
)
def test_a_malformed_lexicon_names_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_lexicon(path)
    assert str(path) in str(caught.value)


def test_a_malformed_gazetteer_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text('version = "1"\n\n[[actor]]\nname = "X"\nside = "mars"\naliases = ["X"]\n')
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: actor 'X': side")):
        load_gazetteer(path)
