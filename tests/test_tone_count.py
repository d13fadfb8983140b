"""The count under a narrowed tone range from the tone bins' rollup (core/storage/tone_count.py)
equals the articles counted, on a real SQLite file and the real PostgreSQL: for every range the
sidebar's slider offers, with tones on the bins' edges and a hair either side of them (where a
bin computed in floating point differs from its nominal edges), and with the other filters a
rollup answers."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.models import Filters
from core.storage import Store
from core.storage.plan import article_where
from core.storage.schema import articles
from core.storage.tone_count import bins_within, tone_count
from tests.filter_fields import FilterFields
from tests.fixtures_db import ENGINES, analysed, read_only_store
from tests.synthetic import fill_synthetic

END = date(2026, 3, 20)
STEPS = [round(-1.0 + i * 0.05, 2) for i in range(41)]
"""The sidebar slider's values (step 0.05)."""
EDGES = [round(-1.0 + i * 0.1, 1) for i in range(21)] + [0.25, -0.35, 0.05, -0.05]


def _edge_tones() -> list[float]:
    """Every bin edge, the floats just either side of it, and tones whose computed bin is not
    their nominal one (-0.9 and -0.8 fall in the bin below)."""
    tones: list[float] = []
    for edge in EDGES:
        tones += [edge, math.nextafter(edge, -2.0), math.nextafter(edge, 2.0)]
    return [t for t in tones if -1.0 <= t <= 1.0]


def _fill(store: Store) -> None:
    fill_synthetic(store, 300, days=10, end=END)
    store.save_articles(
        [
            analysed(
                f"edge-{i}",
                tone=tone,
                bloc=("western", "russian-state")[i % 2],
                outlet=("Reuters", "TASS")[i % 2],
                relevance=(0.9, 0.1)[i % 3 == 0],
                day=END - timedelta(days=i % 10),
            )
            for i, tone in enumerate(_edge_tones())
        ]
    )


@pytest.fixture(scope="module", params=ENGINES)
def _toned_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _sqlite_template: Path,
) -> Iterator[Store]:
    """The synthetic articles and the edge tones, written once per engine: the tests only read."""
    yield from read_only_store(
        request.param, tmp_path_factory.mktemp("toned"), _sqlite_template, _fill
    )


def _counted(store: Store, f: Filters) -> int:
    """The articles of `f` counted one by one."""
    statement = sa.select(sa.func.count()).select_from(articles).where(*article_where(f))
    with store.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def test_bins_within_are_the_bins_inside_the_range() -> None:
    assert bins_within(0.0, 1.0) == range(10, 20)
    assert bins_within(-1.0, -0.7) == range(0, 3)
    assert bins_within(-0.95, -0.05) == range(1, 9)
    assert bins_within(0.25, 0.3) == range(13, 13)
    assert bins_within(0.9, 1.0) == range(19, 20)


def _slider_ranges() -> list[tuple[float, float]]:
    """Ranges the slider offers: every low end with a narrow, a middling and an open high end
    (every value of the slider is an end of some range)."""
    ranges = set()
    for i, low in enumerate(STEPS):
        for j in (i, i + 1, i + 5, len(STEPS) - 1):
            if j < len(STEPS) and (low, STEPS[j]) != (-1.0, 1.0):
                ranges.add((low, STEPS[j]))
    return sorted(ranges)


def test_every_slider_range_is_counted_exactly(_toned_store: Store) -> None:
    store = _toned_store
    base = Filters(date_from=END - timedelta(days=30), date_to=END, relevant_only=False)
    ranges = _slider_ranges()
    for low, high in ranges:
        f = dataclasses.replace(base, tone_min=low, tone_max=high)
        assert tone_count(f, store.engine.dialect.name) is not None
        assert store.count_matching(f) == _counted(store, f), (low, high)
    assert {low for low, _ in ranges} | {high for _, high in ranges} == set(STEPS)


NARROWED: list[FilterFields] = [
    {"relevant_only": True},
    {"blocs": ("western",)},
    {"outlets": ("TASS",), "relevant_only": True},
    {"languages": ("en",)},
    {"date_from": END - timedelta(days=3), "date_to": END - timedelta(days=1)},
]


def test_the_other_filters_a_rollup_answers_are_kept(_toned_store: Store) -> None:
    for narrowed in NARROWED:
        for low, high in [(0.0, 1.0), (-1.0, -0.05), (-0.35, 0.25), (0.05, 0.1), (-0.8, -0.8)]:
            f = dataclasses.replace(Filters(relevant_only=False), tone_min=low, tone_max=high)
            f = dataclasses.replace(f, **narrowed)
            assert tone_count(f, _toned_store.engine.dialect.name) is not None
            found = _toned_store.count_matching(f)
            assert found == _counted(_toned_store, f), (narrowed, low, high)


def test_filters_without_a_rollup_key_count_the_articles(_toned_store: Store) -> None:
    others: list[FilterFields] = [
        {"actors": ("Vladimir Putin",)},
        {"themes": ("sanctions",)},
        {"query": "sanctions"},
    ]
    for other in others:
        f = dataclasses.replace(Filters(relevant_only=False), tone_min=0.0, tone_max=1.0)
        f = dataclasses.replace(f, **other)
        assert tone_count(f, _toned_store.engine.dialect.name) is None
        assert _toned_store.count_matching(f) == _counted(_toned_store, f), other
