"""The article Détente was conceived from (issue #9): Russia's Foreign Ministry on "constructive
engagement" with the new US administration, cooperation "particularly around counterterrorism
and arms control", one mention of sanctions in a long text. The old rule (two hits in a long
text) missed sanctions, counterterrorism and arms control, each named once; every theme named
where the two sides meet must be listed now, and diplomacy must be central."""

from __future__ import annotations

from core.analysis.analyzer import analyze
from core.analysis.themes import CENTRAL_AT

TITLE = (
    "Russia's Foreign Ministry signals readiness for constructive engagement "
    "with new US administration"
)

TEXT = """MOSCOW, Nov. 12 — Russia's Foreign Ministry said on Wednesday that Moscow was ready for \
"constructive engagement" with the incoming administration in Washington, the clearest signal yet \
that the Kremlin hopes to reopen diplomatic channels after the US presidential election.

In a statement posted on the ministry's website, the ministry said Russia had "taken note" of \
President-elect Donald Trump's remarks during the campaign and would judge the new team by its \
deeds rather than its words.

"We have never refused dialogue and we are not refusing it now," Foreign Ministry spokeswoman \
Maria Zakharova told reporters at her weekly briefing. "The ball is in Washington's court."

Kremlin spokesman Dmitry Peskov struck a similarly cautious tone, saying that President Vladimir \
Putin had no plans yet to call Trump but was open to contacts "when the time is right."

According to the statement, Moscow sees room for cooperation with the United States, \
particularly around counterterrorism and arms control, two areas where the two countries have \
worked together in the past even at moments of deep mistrust.

Russian officials have repeatedly pointed to the exchange of information before the 2014 Sochi \
Olympics as an example of what they call pragmatic cooperation.

The ministry did not say whether it expected any early summit, and it gave no timetable for \
talks.

Deputy Foreign Minister Sergei Ryabkov, who oversees relations with the United States, told \
the RIA news agency that Moscow would not ask Washington for the lifting of US sanctions \
against Russia as a precondition for talks.

"We are not going to beg," Ryabkov said. "Normalization is in the interest of both sides, not \
only ours."

Analysts in Moscow cautioned against expecting a quick change in a relationship that has been \
in decline for more than a decade.

"There is a window, but it is a narrow one," said Fyodor Lukyanov, editor of the journal Russia \
in Global Affairs. "Both sides will first test each other with small steps: restoring embassy \
staffing, perhaps a meeting of foreign ministers."

The Russian embassy in Washington has operated with a skeleton staff since a series of tit-for-tat \
expulsions, and consular services in both countries remain limited.

The statement also repeated Moscow's position that Europe's security architecture must take \
Russian interests into account, a theme Putin has returned to in several recent speeches.

It ended on a note of guarded optimism. "Much will depend on the new administration's first \
steps," the ministry said. "Russia is ready to meet it halfway."

Officials in Washington did not immediately respond to a request for comment on the statement.
"""


def test_the_conception_article_lists_every_theme_named_where_the_sides_meet() -> None:
    result = analyze(TITLE, TEXT)
    assert result.relevant
    assert {"sanctions", "counterterrorism", "arms_control"} <= set(result.theme_names)
    assert "diplomacy" in result.central_themes
    salience = dict(result.theme_salience)
    assert salience["diplomacy"] >= CENTRAL_AT
    # each named once, in passing: listed, but not central
    for theme in ("sanctions", "counterterrorism", "arms_control"):
        assert 0 < salience[theme] < CENTRAL_AT, theme
        assert theme not in result.central_themes
    assert set(result.central_themes) <= set(result.theme_names)
    actors = {mention.actor for mention in result.actors}
    assert {"Vladimir Putin", "Donald Trump", "Dmitry Peskov"} <= actors
    # the single mention of each: exactly one sanctions match, with its span
    sanctions = [m for m in result.themes if m.theme == "sanctions"]
    assert [TEXT[m.start : m.end] for m in sanctions] == ["sanctions"]


def test_the_conception_article_is_long_enough_to_be_the_case_the_issue_describes() -> None:
    result = analyze(TITLE, TEXT)
    assert len([s for s in result.sentences if s.field == "text"]) >= 20
    assert len(TEXT) > 2500
