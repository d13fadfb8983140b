"""The one entry point: title + text -> Analysis, with explicit lexicons and exact spans."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.analysis.actors import default_gazetteer, load_gazetteer
from core.analysis.analyzer import (
    ANALYZER_VERSION,
    Analyzer,
    _new_actor_mention,
    _new_analysis,
    _new_sentence_tone,
    _new_theme_match,
    analyze,
    default_analyzer,
    installed_version,
)
from core.analysis.themes import default_lexicon, load_lexicon, normalize
from core.analysis.tone_domain import _new_adjustment, load_tone_domain
from core.models import (
    ActorMention,
    Analysis,
    SentenceTone,
    ThemeMatch,
    ToneAdjustment,
)


def test_analyze_reads_title_and_text_with_their_own_offsets() -> None:
    title = "Kremlin rejects new sanctions"
    text = "Dmitry Peskov said Washington was wrong. The sanctions will fail, he said."
    result = analyze(title, text)
    assert result.lang == "en" and result.tone is not None and result.relevant
    assert [s.field for s in result.sentences] == ["title", "text", "text"]
    spans: tuple[SentenceTone | ThemeMatch | ActorMention, ...] = (
        *result.sentences,
        *result.themes,
        *result.actors,
    )
    for item in spans:
        body = title if item.field == "title" else text
        assert 0 <= item.start < item.end <= len(body)
    assert {(m.field, title[m.start : m.end] if m.field == "title" else text[m.start : m.end])
            for m in result.themes} >= {("title", "sanctions"), ("text", "sanctions")}  # fmt: skip
    assert "sanctions" in result.theme_names
    assert list(result.theme_names) == sorted(set(result.theme_names))
    assert result.analyzer_version == ANALYZER_VERSION
    assert result.lexicon_version == default_analyzer().lexicon_version
    assert default_lexicon().version in result.lexicon_version
    assert analyze(title, text) == result  # pure: same input, same value


def test_explicit_lexicons(tmp_path: Path) -> None:
    themes = tmp_path / "themes.toml"
    themes.write_text(
        'version = "t1"\n[themes.tea]\nlabel = "Tea"\nterms = ["samovar*"]\nmin_hits = 1\n',
        encoding="utf-8",
    )
    actors = tmp_path / "actors.toml"
    actors.write_text(
        'version = "a1"\n[markers]\njoint = ["tea party"]\n'
        '[[actor]]\nname = "Ivan"\nside = "russia"\naliases = ["Ivan"]\n',
        encoding="utf-8",
    )
    tone = tmp_path / "tone.toml"
    tone.write_text('version = "o1"\n[valence]\n"polished" = -3.0\n', encoding="utf-8")
    analyzer = Analyzer(
        load_lexicon(themes), load_gazetteer(actors), tone_domain=load_tone_domain(tone)
    )
    result = analyzer.analyze("", "Ivan polished the samovars before the tea party in Moscow.")
    assert [(m.theme, m.term) for m in result.themes] == [("tea", "samovar*")]
    assert [(m.actor, m.side) for m in result.actors] == [("Ivan", "russia")]
    assert result.theme_names == ("tea",)
    assert result.lexicon_version.startswith("themes-t1+actors-a1+tone-o1+relations-")
    assert [(a.phrase, a.valence) for a in result.sentences[0].adjustments] == [("polished", -3.0)]
    assert result.sentences[0].vader == 0.4019 and result.tone is not None and result.tone < 0
    assert result.relevant  # the joint phrase of this gazetteer


def test_empty_input() -> None:
    result = analyze("", "")
    assert result.sentences == () and result.themes == () and result.actors == ()
    assert result.tone is None and result.tone_label == "n/a" and result.relevance == 0.0


def test_fast_constructors_make_the_same_values() -> None:
    assert _new_theme_match("a", "b", 1, 2, "title") == ThemeMatch("a", "b", 1, 2, "title")
    assert _new_actor_mention("a", "us", 1, 2, "text") == ActorMention("a", "us", 1, 2, "text")
    assert _new_sentence_tone(1, 2, None, "text", None, ()) == SentenceTone(1, 2, None, "text")
    adjustment = ToneAdjustment(3, 9, "relief", 0.0, 1.8, "title")
    assert _new_adjustment(3, 9, "relief", 0.0, 1.8, "title") == adjustment
    expected = Analysis(0.1, "positive", (), (), ("s",), (), 0.5, True, "en", "l", "a", (("s", 1),))
    made = _new_analysis(*(getattr(expected, field.name) for field in fields(Analysis)))
    assert made == expected and type(made) is Analysis


# Annotated: mypy reads a bare ("Cs",) as tuple[str], not as hypothesis's category names.
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
TERMS = sorted({term for theme in default_lexicon().themes for term in theme.terms})
ALIASES = sorted({alias for actor in default_gazetteer().actors for alias in actor.aliases})
AROUND = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=SURROGATES),
        st.sampled_from(["İ", "ß", "\u0301", "\u0307", "ǅ", "ﬁ", " ", "-", "—", "K"]),
    ),
    max_size=15,
)


def _written(term: str) -> str:
    """A term as a writer might write it: without syntax, `*` continued."""
    return term.lstrip("=").replace("*", "ed")


def _fits(piece: str, term: str) -> bool:
    """Does the matched piece read as the term, case-insensitively (the `*` word continued by
    word characters, as regular expressions count them: letters, digits, underscore)?"""
    want = normalize(term.rstrip("*"))
    got = normalize(piece)
    if term.endswith("*"):
        return got.startswith(want) and re.fullmatch(r"\w*", got[len(want) :]) is not None
    return got == want


@settings(max_examples=300, deadline=None)
@given(
    before=AROUND,
    after=AROUND,
    term=st.sampled_from(TERMS + ALIASES),
    case=st.sampled_from(["same", "upper", "lower", "title"]),
)
@example(before="", after="CYBER_", term="=GRU", case="same")  # `*` continues over "_" too
def test_every_span_slices_the_original_text_to_its_term(
    before: str, after: str, term: str, case: str
) -> None:
    written = _written(term)
    if not term.startswith("="):
        written = {"same": written, "upper": written.upper(), "lower": written.lower(),
                   "title": written.title()}[case]  # fmt: skip
    text = f"{before} {written} {after}"
    result = analyze(written if case == "title" else "", text)
    bodies = {"title": written if case == "title" else "", "text": text}
    for match in result.themes:
        assert _fits(bodies[match.field][match.start : match.end], match.term), match
    for mention in result.actors:
        piece = bodies[mention.field][mention.start : mention.end]
        aliases = next(a.aliases for a in default_gazetteer().actors if a.name == mention.actor)
        assert any(_fits(piece, alias) for alias in aliases), (piece, aliases)


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Lavrov and Rubio meet in Geneva", {"Lavrov": "Sergei Lavrov", "Rubio": "Marco Rubio"}),
        ("Trump and Putin to speak by phone", {"Trump": "Donald Trump", "Putin": "Vladimir Putin"}),
        ("Rubio and Lavrov talk", {"Rubio": "Marco Rubio", "Lavrov": "Sergei Lavrov"}),
    ],
)
def test_a_joint_phrase_of_names_still_mentions_each_actor(
    title: str, named: dict[str, str]
) -> None:
    """ "Lavrov and Rubio" is a joint phrase (it names the relationship) and the longest match;
    the two actors inside it must still be found, with spans on their names."""
    result = analyze(title, "")
    found = {title[m.start : m.end]: m.actor for m in result.actors if m.field == "title"}
    assert found == named
    assert result.relevance >= 0.5


@pytest.mark.parametrize("distribution", ["vaderSentiment", "nupunkt", "py3langid", "pymorphy3"])
def test_installed_version_reads_what_importlib_metadata_reads(distribution: str) -> None:
    from importlib.metadata import version

    assert installed_version(distribution) == version(distribution)
