"""The relations barometer's pure chart builders and the central-versus-mentions counts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from core.dashboard import charts, relations_charts

START = date(2026, 9, 7)  # a Monday


def relations(rows: list[tuple[int, str, float, int, int]]) -> pd.DataFrame:
    """(day offset, key, score, events, articles) rows as the relations read gives them."""
    return pd.DataFrame(
        [(START + timedelta(days=d), k, s, e, a) for d, k, s, e, a in rows],
        columns=["day", "key", "score", "events", "articles"],
    )


def test_weekly_index_is_the_mean_over_the_weeks_events() -> None:
    daily = relations(
        [
            (0, "russia-us", -0.8, 3, 2),
            (1, "russia-us", 0.4, 1, 1),
            (7, "russia-us", 0.2, 2, 2),
            (0, "mutual", 0.6, 2, 1),
        ]
    )
    weekly = relations_charts.barometer_over_time(daily, "week")
    assert list(weekly.columns) == list(daily.columns)
    first = weekly[(weekly["key"] == "russia-us") & (weekly["day"] == START)].iloc[0]
    assert first["events"] == 4 and first["articles"] == 3
    assert first["score"] == pytest.approx((-0.8 * 3 + 0.4) / 4)
    assert len(weekly) == 3
    assert relations_charts.barometer_over_time(daily, "day") is daily


def test_days_without_events_are_not_filled_with_a_zero_index() -> None:
    daily = relations([(0, "us-russia", -0.5, 1, 1), (5, "us-russia", 0.5, 1, 1)])
    figure = relations_charts.barometer_chart(daily, "direction")
    line = next(t for t in figure.data if t.type == "scatter")
    assert len(line.x) == 2


def test_the_barometer_names_directions_keeps_their_colours_and_order() -> None:
    daily = relations(
        [(0, "mutual", 0.7, 1, 1), (0, "russia-us", -0.4, 2, 2), (0, "us-russia", -0.6, 1, 1)]
    )
    figure = relations_charts.barometer_chart(daily, "direction")
    lines = [t for t in figure.data if t.type == "scatter"]
    assert [t.name for t in lines] == ["US → Russia", "Russia → US", "mutual"]
    assert lines[1].line.color == charts.DIRECTION_COLOURS["russia-us"]
    bars = [t for t in figure.data if t.type == "bar"]
    assert [list(t.y) for t in bars] == [[1], [2], [1]]
    assert not any(t.showlegend for t in bars)
    assert tuple(figure.layout.yaxis.range) == (-1.05, 1.05)


def test_the_barometer_by_bloc_uses_the_bloc_colours() -> None:
    daily = relations([(0, "us", 0.3, 1, 1), (0, "russian-state", -0.5, 4, 3)])
    figure = relations_charts.barometer_chart(daily, "bloc")
    lines = [t for t in figure.data if t.type == "scatter"]
    assert [t.name for t in lines] == ["russian-state", "us"]
    assert lines[0].line.color == charts.BLOC_COLOURS["russian-state"]


def test_unusual_event_days_are_judged_as_volume_is_and_starred() -> None:
    quiet = [(d, "russia-us", -0.3, 1 + d % 2, 1) for d in range(20)]
    daily = relations([*quiet, (20, "russia-us", -0.9, 9, 5), (20, "us-russia", -0.7, 6, 3)])
    unusual = relations_charts.unusual_event_days(daily)
    assert list(unusual["day"]) == [START + timedelta(days=20)]
    assert list(unusual["articles"]) == [15]  # events of every direction that day
    figure = relations_charts.barometer_chart(daily, "direction", unusual)
    stars = [t for t in figure.data if t.name == "unusual event count"]
    assert stars and list(stars[0].y) == [15]
    marked = charts.mark_unusual(daily, unusual)
    assert marked["unusual_day"].sum() == 2


def test_an_empty_read_has_no_unusual_day_and_draws_an_empty_chart() -> None:
    empty = relations([])
    assert relations_charts.unusual_event_days(empty).empty
    assert relations_charts.barometer_over_time(empty, "week").empty
    assert len(relations_charts.barometer_chart(empty, "direction").data) == 0


def test_gaps_shade_both_panels_of_the_barometer() -> None:
    daily = relations([(0, "mutual", 0.5, 1, 1), (3, "mutual", 0.5, 1, 1)])
    gaps = pd.DataFrame(
        {"outlet": ["RT"], "start": [START + timedelta(days=1)], "end": [START + timedelta(2)]}
    )
    figure = charts.shade_gaps(relations_charts.barometer_chart(daily, "direction"), gaps)
    assert [s.type for s in figure.layout.shapes].count("rect") == 2


def test_category_labels_reach_plotly_escaped_and_coloured_by_quad() -> None:
    frame = pd.DataFrame(
        {
            "category": ["expel", "agree", "odd"],
            "quad": ["material_conflict", "verbal_cooperation", "verbal_conflict"],
            "events": [5, 2, 1],
            "articles": [4, 2, 1],
        }
    )
    figure = relations_charts.events_by_category_chart(
        frame, {"expel": "Expel diplomats", "odd": "<b>odd</b>"}
    )
    names = {t.name: t.marker.color for t in figure.data}
    assert names["material_conflict"] == charts.QUAD_COLOURS["material_conflict"]
    shown = [y for t in figure.data for y in t.y]
    assert "Expel diplomats" in shown and "&lt;b&gt;odd&lt;/b&gt;" in shown


def test_central_and_mentioned_counts_per_theme() -> None:
    central = pd.DataFrame(
        {"day": [START, START], "key": ["diplomacy", "sanctions"], "articles": [5, 2]}
    )
    mentioned = pd.DataFrame(
        {
            "day": [START, START, START + timedelta(1)],
            "key": ["diplomacy", "sanctions", "arms_control"],
            "articles": [9, 2, 3],
        }
    )
    both = charts.central_and_mentioned(central, mentioned)
    assert both.to_dict("records") == [
        {"theme": "diplomacy", "central": 5, "mentioned": 9, "passing": 4},
        {"theme": "arms_control", "central": 0, "mentioned": 3, "passing": 3},
        {"theme": "sanctions", "central": 2, "mentioned": 2, "passing": 0},
    ]
    figure = charts.central_and_mentioned_chart(both, {"arms_control": "Arms control"})
    assert [t.name for t in figure.data] == ["central", "with passing mentions"]
    assert list(figure.data[0].y) == ["diplomacy", "Arms control", "sanctions"]
