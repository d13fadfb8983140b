"""Every chart counted from a filtered page's match frame (core/storage/matches.py) equals the
read it replaces, on a real SQLite file and the real PostgreSQL, under every filter the frames
serve; an article's line (core/storage/match_lines.py) reads back as written."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any, Literal

import pandas as pd
import pytest

from core.models import Filters
from core.storage import Store, digest, matches
from core.storage.match_lines import LINE, PART, frame_of, items, line_of, terms_of
from tests.test_digest_reads import DIGEST_FILTERS
from tests.test_facts import RANGE, _assert_same

FRAME_FILTERS = {
    **DIGEST_FILTERS,
    "actor, theme and event": dataclasses.replace(
        RANGE,
        actors=("Vladimir Putin",),
        themes=("sanctions",),
        event_categories=("accuse", "consult"),
    ),
    # a range within the stored days: the lines are looked up through article_facts
    "actor, some days": dataclasses.replace(
        RANGE, actors=("Vladimir Putin",), date_from=date(2026, 3, 5), date_to=date(2026, 3, 16)
    ),
    "text, no range": dataclasses.replace(Filters(), query="sanctions"),
}
Counted = Callable[[Store, pd.DataFrame, pd.DataFrame, Filters], Any]
Read = tuple[Callable[[Store, Filters], Any], Counted]
Direction = Literal["direction", "bloc"]
Histogram = Literal["outlet", "bloc"]


def _relations(by: Direction) -> Read:
    return (
        lambda s, f: s.relations_by_day(f, by),
        lambda s, frame, terms, f: matches.relations_by_day_from(frame, f, by),
    )


def _histogram(by: Histogram, bins: int) -> Read:
    return (
        lambda s, f: s.tone_histogram(f, by=by, bins=bins),
        lambda s, frame, terms, f: matches.tone_histogram_from(frame, f, by, bins),
    )


DIRECTIONS: tuple[Direction, ...] = ("direction", "bloc")
HISTOGRAMS: tuple[tuple[Histogram, int], ...] = (("outlet", 20), ("bloc", 7))
READS: dict[str, Read] = {
    "article digest": (
        lambda s, f: s.article_digest(f),
        lambda s, frame, terms, f: matches.article_digest_from(frame, f),
    ),
    "theme digest": (
        lambda s, f: s.theme_digest(f),
        lambda s, frame, terms, f: matches.theme_digest_from(frame, f),
    ),
    "overview figures": (
        lambda s, f: s.overview_figures(f),
        lambda s, frame, terms, f: matches.figures_from(frame, f, s.desk_figures()),
    ),
    **{f"relations by {by}": _relations(by) for by in DIRECTIONS},
    "relations by category": (
        lambda s, f: s.relations_by_category(f),
        lambda s, frame, terms, f: matches.relations_by_category_from(frame, f),
    ),
    "top actors": (
        lambda s, f: s.top_actors(f, limit=100),
        lambda s, frame, terms, f: matches.top_actors_from(frame, f, 100),
    ),
    "theme pairs": (
        lambda s, f: s.theme_cooccurrence(f),
        lambda s, frame, terms, f: matches.cooccurrence_from(frame, f),
    ),
    "themes by outlet": (
        lambda s, f: s.theme_by_outlet(f),
        lambda s, frame, terms, f: matches.theme_by_outlet_from(frame, f, s.outlet_blocs(f)),
    ),
    **{f"tone histogram by {by}": _histogram(by, n) for by, n in HISTOGRAMS},
    "top terms": (
        lambda s, f: s.top_terms(f, limit_per_theme=50),
        lambda s, frame, terms, f: matches.top_terms_from(terms, f, 50),
    ),
}


@pytest.fixture
def filled(synthetic_store: Store) -> Store:
    """The session's synthetic articles (tests/fixtures_db.py), shared: these tests only read."""
    return synthetic_store


def _compare(store: Store, f: Filters, *, nonempty: tuple[str, ...] = ()) -> None:
    """Each read counted from the frame equals the per-chart read; those in `nonempty`
    compare something."""
    frame, terms = store.match_frame(f), store.match_terms(f)
    for read, (per_chart, counted) in READS.items():
        expected, found = per_chart(store, f), counted(store, frame, terms, f)
        if isinstance(expected, pd.DataFrame):
            assert list(found.columns) == list(expected.columns), read
            assert len(found) == len(expected), read
            assert len(expected) or read not in nonempty, f"{read}: nothing to compare"
        _assert_same(found, expected)


@pytest.mark.parametrize("name", list(FRAME_FILTERS))
def test_charts_counted_from_the_match_frame_equal_the_per_chart_reads(
    filled: Store, name: str
) -> None:
    f = FRAME_FILTERS[name]
    assert digest.reads_matches(f)
    assert filled.count_matching(f) > 0, "the filter matches nothing: the comparison is empty"
    # the actor filter's matches hold every kind of row: each read compares something
    _compare(filled, f, nonempty=tuple(READS) if name == "actor" else ("article digest",))
    # the Themes page reads the theme charts with passing mentions on and off
    _compare(filled, dataclasses.replace(f, mentions=not f.mentions))


@pytest.mark.parametrize("themes", [(), ("sanctions",)])
def test_a_filter_that_matches_nothing_counts_the_same_empty_charts(
    filled: Store, themes: tuple[str, ...]
) -> None:
    f = dataclasses.replace(RANGE, query="zzyzx", themes=themes)
    assert not len(filled.match_frame(f)) and not len(filled.match_terms(f))
    _compare(filled, f)


def test_a_frame_read_in_parts_is_the_frame_read_whole(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's lines are read a range of ids at a time (matches.LINES_PER_READ), each part
    parsed on its own: the frame and its counts do not depend on where the parts break."""
    f = FRAME_FILTERS["text"]
    whole, terms = filled.match_frame(f), filled.match_terms(f)
    monkeypatch.setattr(matches, "LINES_PER_READ", 37)
    parts, terms_in_parts = filled.match_frame(f), filled.match_terms(f)
    assert len(parts) == len(whole) > 37
    for _, counted in READS.values():
        _assert_same(counted(filled, parts, terms_in_parts, f), counted(filled, whole, terms, f))


def test_one_frame_serves_every_relevance_and_theme_filter(filled: Store) -> None:
    """The loaders key the frame's cache on `frame_key` (core/dashboard/loaders.py): a page and
    its charts under the same other filters share one frame, whatever their relevance, theme
    filter and passing mentions."""
    f = FRAME_FILTERS["actor"]
    themed = dataclasses.replace(f, themes=("sanctions",), mentions=True, relevant_only=False)
    assert matches.frame_key(f) == matches.frame_key(themed)
    assert matches.terms_key(f) == matches.terms_key(dataclasses.replace(f, themes=("x",)))
    assert matches.terms_key(f) != matches.terms_key(themed)  # relevance is read in SQL
    frame = filled.match_frame(f)
    assert set(frame["relevant"]) == {True, False}
    assert len(frame) == filled.count_matching(dataclasses.replace(f, relevant_only=False))


def test_a_line_reads_back_as_written() -> None:
    day = date(2026, 3, 1)
    first = line_of(
        day, "Le Monde\x1f", "european", True, 0.1 + 0.2,
        [("sanctions", True), ("diplomacy", False)],
        [("Vladimir Putin", "russia", 3), ("Vladimir Putin", "us", 9), ("NATO", "west", 1)],
        [("us-russia", "sanctions", "material_conflict", -3.5), ("mutual", "talks", "x", 2.0)],
    )  # fmt: skip
    second = line_of(day, "TASS", "russian-state", False, None, [], [], [])
    frame = frame_of([LINE.join([first]), None, LINE.join([second])])  # read in parts
    assert list(frame["outlet"]) == ["Le Monde ", "TASS"]  # a separator in a name is a space
    assert list(frame["day"]) == [day, day] and list(frame["relevant"]) == [True, False]
    assert frame["tone"][0] == 0.1 + 0.2 and pd.isna(frame["tone"][1])  # the same float
    assert items(frame["themes"][0]) == [["diplomacy", "0"], ["sanctions", "1"]]
    # an actor once, with the side it was first stored with (article_actors' key)
    assert items(frame["actors"][0]) == [["NATO", "west", "1"], ["Vladimir Putin", "russia", "3"]]
    weights = [float(e[3]) for e in items(frame["events"][0])]
    assert weights == [-3.5, 2.0] and frame["events"][1] == ""
    terms = terms_of([("sanctions", "embargo", 2), ("diplomacy", "talks", 1)], ["sanctions"])
    assert [t.split(PART) for t in terms.split(LINE)] == [
        ["diplomacy", "talks", "1", "0"],
        ["sanctions", "embargo", "2", "1"],
    ]


def test_a_frame_over_every_day_reads_its_lines_straight_from_the_driving_ids(
    filled: Store,
) -> None:
    """Under an actor or a text search (SQLite) alone, over a range spanning every stored day,
    there is nothing to check in article_facts (matches.MatchReads._every_day); any other
    filter, or a narrower range, is checked there."""
    every = matches.frame_key(FRAME_FILTERS["actor"])
    assert filled._every_day(matches.frame_key(RANGE)) and filled._every_day(
        matches.frame_key(Filters())
    )
    assert filled._every_day(
        matches.frame_key(dataclasses.replace(RANGE, date_from=date(2020, 1, 1)))
    )
    for narrower in (
        dataclasses.replace(every, date_from=date(2026, 3, 2)),
        dataclasses.replace(every, date_to=date(2026, 3, 19)),
        dataclasses.replace(every, blocs=("western",)),
        dataclasses.replace(every, languages=("en",)),
        dataclasses.replace(every, tone_min=0.0),
        dataclasses.replace(every, relevant_only=True),
        dataclasses.replace(every, event_categories=("accuse",)),
    ):
        assert not filled._every_day(narrower), narrower
