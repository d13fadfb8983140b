"""A filtered page's charts derived from its two digests (core/storage/digest.py) equal the
per-chart reads they replace, on a real SQLite file and the real PostgreSQL, under every filter
the digests serve (text, actor, tone, with themes, outlets, blocs, languages, events, passing
mentions and every article)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
import pytest

from core.models import Filters
from core.storage import Store, digest
from tests.test_facts import FILTERS, RANGE, _assert_same

DIGEST_FILTERS = {
    **FILTERS,
    "tone, all articles": dataclasses.replace(
        RANGE, tone_min=-1.0, tone_max=0.0, relevant_only=False
    ),
    "text and one theme, mentions": dataclasses.replace(
        RANGE, query="sanctions", themes=("sanctions",), mentions=True
    ),
    "actor, two themes, all articles": dataclasses.replace(
        RANGE, actors=("Vladimir Putin",), themes=("sanctions", "diplomacy"), relevant_only=False
    ),
}
Derived = Callable[[pd.DataFrame, pd.DataFrame, Filters], Any]
Read = tuple[Callable[[Store, Filters], Any], Derived]
Volume = Literal["bloc", "theme", "outlet", "total"]
Tone = Literal["bloc", "theme", "outlet"]


def _volume(by: Volume) -> Read:
    return (
        lambda s, f: s.volume_by_day(f, by),
        lambda a, t, f: digest.volume_from(a, t, f, by),
    )


def _tone(by: Tone) -> Read:
    return (lambda s, f: s.tone_by_day(f, by), lambda a, t, f: digest.tone_from(a, t, f, by))


VOLUMES: tuple[Volume, ...] = ("bloc", "outlet", "theme", "total")
TONES: tuple[Tone, ...] = ("bloc", "outlet", "theme")
READS: dict[str, Read] = {
    **{f"volume {by}": _volume(by) for by in VOLUMES},
    **{f"tone {by}": _tone(by) for by in TONES},
    "theme tone by bloc": (
        lambda s, f: s.theme_tone_by_bloc_day(f),
        lambda a, t, f: digest.theme_tone_by_bloc_day_from(t, f),
    ),
    "theme by bloc": (
        lambda s, f: s.theme_by_bloc(f),
        lambda a, t, f: digest.theme_by_bloc_from(a, t, f),
    ),
}


@pytest.fixture
def filled(synthetic_store: Store) -> Store:
    """The session's synthetic articles (tests/fixtures_db.py), shared: these tests only read."""
    return synthetic_store


@pytest.mark.parametrize("name", list(DIGEST_FILTERS))
def test_charts_derived_from_the_digests_equal_the_per_chart_reads(
    filled: Store, name: str
) -> None:
    f = DIGEST_FILTERS[name]
    assert digest.reads_matches(f)
    articles, themes = filled.article_digest(f), filled.theme_digest(f)
    assert filled.count_matching(f) > 0, "the filter matches nothing: the comparison is empty"
    for read, (per_chart, derived) in READS.items():
        expected = per_chart(filled, f)
        found = derived(articles, themes, f)
        if isinstance(expected, pd.DataFrame):
            assert list(found.columns) == list(expected.columns), read
            assert len(found) == len(expected), read
            assert len(expected) or "tone" in read, f"{read}: nothing to compare"
        _assert_same(found, expected)
    # the central vs passing-mentions chart reads the same filters with mentions on and off
    for mentions in (False, True):
        g = dataclasses.replace(f, mentions=mentions)
        both = filled.article_digest(g), filled.theme_digest(g)
        _assert_same(digest.volume_from(*both, g, "theme"), filled.volume_by_day(g, "theme"))


def test_one_digest_serves_the_filters_that_differ_only_in_what_it_keeps(filled: Store) -> None:
    """Centrality is a key of the theme digest, which ignores a theme filter, and "passing
    mentions" matters to the article digest only under a theme filter: the loaders key their
    cache on these (core/dashboard/loaders.py), so every chart of a page, and the pages under
    the same filters, share one."""
    f = FILTERS["text"]
    assert digest.article_key(f) == digest.article_key(dataclasses.replace(f, mentions=True))
    themed = dataclasses.replace(f, themes=("sanctions",))
    assert digest.theme_key(themed) == digest.theme_key(dataclasses.replace(f, mentions=True))
    assert digest.article_key(themed) != digest.article_key(
        dataclasses.replace(themed, mentions=True)
    )
    assert not digest.reads_matches(RANGE)
    everything = dataclasses.replace(f, relevant_only=False)
    assert set(filled.article_digest(everything)["relevant"]) == {True, False}


def test_a_filter_that_matches_nothing_derives_the_same_empty_charts(filled: Store) -> None:
    f = dataclasses.replace(RANGE, query="zzyzx")
    articles, themes = filled.article_digest(f), filled.theme_digest(f)
    assert not len(articles) and not len(themes)
    for read, (per_chart, derived) in READS.items():
        expected, found = per_chart(filled, f), derived(articles, themes, f)
        assert list(found.columns) == list(expected.columns) and not len(found), read
