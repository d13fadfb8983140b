"""The pure chart helpers: fixed colours, shares, unusual days, gaps, pivots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go
import pytest

from core.dashboard import charts
from core.models import BLOCS

THEMES = [
    "sanctions",
    "arms_control",
    "counterterrorism",
    "diplomacy",
    "ukraine_war",
    "energy_trade",
    "cyber_election",
    "prisoners_consular",
    "military_nato",
    "information_propaganda",
]
START = date(2026, 9, 1)


def days(n: int) -> list[date]:
    return [START + timedelta(days=i) for i in range(n)]


def colours_in(figure: go.Figure) -> dict[str, str]:
    return {t.name: t.marker.color for t in figure.data}


def test_every_bloc_and_theme_has_its_own_fixed_colour() -> None:
    assert set(charts.BLOC_COLOURS) == set(BLOCS)
    assert set(charts.THEME_COLOURS) == set(THEMES)
    assert len(set(charts.BLOC_COLOURS.values())) == len(BLOCS)
    assert len(set(charts.THEME_COLOURS.values())) == len(THEMES)


@pytest.mark.parametrize(
    "subset",
    [["sanctions"], ["diplomacy", "sanctions"], THEMES, ["new_theme", "sanctions"]],
)
def test_a_theme_keeps_its_colour_whatever_else_is_on_the_chart(subset: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "day": [START] * len(subset),
            "key": subset,
            "articles": [1] * len(subset),
            "total": [len(subset)] * len(subset),
        }
    )
    labels = {"sanctions": "Sanctions", "diplomacy": "Diplomacy and summits"}
    shown = colours_in(charts.volume_chart(frame, "theme", False, labels))
    assert shown["Sanctions"] == charts.THEME_COLOURS["sanctions"]
    if "new_theme" in subset:
        assert shown["new_theme"] == charts.stable_colour("new_theme")


def test_blocs_keep_their_colour_and_canonical_order_on_line_charts() -> None:
    frame = pd.DataFrame(
        {"day": [START] * 3, "key": ["us", "russian-state", "wire"], "mean_tone": [0.1, -0.2, 0.0]}
    )
    figure = charts.line_chart(frame, "mean_tone", "bloc")
    assert [t.name for t in figure.data] == ["russian-state", "us", "wire"]
    assert {t.name: t.line.color for t in figure.data} == {
        b: charts.BLOC_COLOURS[b] for b in ("russian-state", "us", "wire")
    }
    assert list(figure.layout.yaxis.range) == [-1, 1]


def test_stable_colour_does_not_depend_on_the_run() -> None:
    assert charts.stable_colour("Meduza") == charts.stable_colour("Meduza")
    assert charts.colour_of("side", "russia") == charts.SIDE_COLOURS["russia"]


def test_share_is_the_fraction_of_the_day_and_nan_on_an_empty_day() -> None:
    frame = pd.DataFrame({"day": days(2), "key": ["us", "us"], "articles": [2, 0], "total": [8, 0]})
    share = charts.with_share(frame)["share"]
    assert share.iloc[0] == 0.25 and pd.isna(share.iloc[1])


def test_daily_totals_take_one_total_per_day() -> None:
    frame = pd.DataFrame(
        {
            "day": [START, START, START + timedelta(days=1)],
            "key": ["us", "wire", "us"],
            "articles": [3, 2, 4],
            "total": [5, 5, 4],
        }
    )
    totals = charts.daily_totals(frame)
    assert list(totals["articles"]) == [5, 4] and list(totals["day"]) == days(2)


@pytest.mark.parametrize(
    ("counts", "flagged"),
    [
        ([10] * 20, []),  # flat: nothing unusual
        ([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 10, 60, 10], [14]),  # one spike
        ([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 10, 12, 10], []),  # within 3σ
        ([5, 60], []),  # too little history to judge
        ([], []),
    ],
)
def test_unusual_days_exceed_the_mean_plus_three_sigma_of_the_days_before(
    counts: list[int], flagged: list[int]
) -> None:
    daily = pd.DataFrame({"day": days(len(counts)), "articles": counts})
    found = charts.unusual_days(daily)
    assert list(found["day"]) == [START + timedelta(days=i) for i in flagged]
    assert all(found["articles"] > found["threshold"])


@pytest.mark.parametrize(("last", "unusual"), [(6, False), (12, True)])
def test_missing_days_count_as_quiet_days_in_the_baseline(last: int, unusual: bool) -> None:
    spread = [START + timedelta(days=2 * i) for i in range(12)]  # 4 articles every other day
    final = spread[-1] + timedelta(days=1)
    daily = pd.DataFrame({"day": [*spread, final], "articles": [4] * 12 + [last]})
    found = charts.unusual_days(daily)
    assert list(found["day"]) == ([final] if unusual else [])


def test_unusual_days_are_marked_on_the_chart_and_in_its_rows() -> None:
    counts = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 10, 60]
    volume = pd.DataFrame(
        {"day": days(15), "key": ["us"] * 15, "articles": counts, "total": counts}
    )
    unusual = charts.unusual_days(charts.daily_totals(volume))
    figure = charts.volume_chart(volume, "bloc", False, None, unusual)
    assert figure.data[-1].name == "unusual volume" and list(figure.data[-1].y) == [60]
    marked = charts.mark_unusual(volume, unusual)
    assert list(marked["unusual_day"]) == [False] * 14 + [True]


def test_cooccurrence_is_mirrored_for_the_heat_map() -> None:
    pairs = pd.DataFrame({"theme_a": ["arms_control"], "theme_b": ["sanctions"], "articles": [7]})
    both = charts.symmetric_pairs(pairs)
    table = both.pivot_table(index="theme_b", columns="theme_a", values="articles")
    assert table.loc["sanctions", "arms_control"] == table.loc["arms_control", "sanctions"] == 7


def test_heat_map_shows_labels_and_keeps_the_bloc_order() -> None:
    frame = pd.DataFrame(
        {
            "theme": ["sanctions", "sanctions", "diplomacy"],
            "bloc": ["us", "russian-state", "us"],
            "share": [0.5, 0.25, 0.1],
        }
    )
    figure = charts.heatmap(frame, "bloc", "theme", "share", {"sanctions": "Sanctions"}, BLOCS)
    assert list(figure.data[0].x) == ["russian-state", "us"]
    assert "Sanctions" in list(figure.data[0].y)


def at(day: int) -> datetime:
    return datetime(2026, 9, day, tzinfo=UTC)


def test_overlapping_gaps_merge_into_one_band_naming_every_outlet() -> None:
    gaps = pd.DataFrame(
        {
            "outlet": ["RT", "TASS", "BBC"],
            "start": [at(1), at(2), at(10)],
            "end": [at(4), at(5), at(11)],
        }
    )
    bands = charts.merge_gaps(gaps)
    assert list(bands["outlets"]) == ["RT, TASS", "BBC"]
    assert list(bands["start"]) == [at(1), at(10)] and list(bands["end"]) == [at(5), at(11)]
    series = pd.DataFrame({"day": [at(1), at(12)], "key": ["x", "x"], "articles": [1, 2]})
    figure = charts.shade_gaps(charts.line_chart(series, "articles", "theme"), gaps)
    assert len(figure.layout.shapes) == 2


def test_framing_gap_keeps_one_theme_keyed_by_bloc() -> None:
    frame = pd.DataFrame(
        {
            "day": [START] * 3,
            "key": ["sanctions", "sanctions", "diplomacy"],
            "bloc": ["us", "russian-state", "us"],
            "mean_tone": [0.2, -0.4, 0.1],
            "articles": [3, 2, 1],
        }
    )
    gap = charts.only_theme(frame, "sanctions")
    assert list(gap.columns) == ["day", "key", "mean_tone", "articles"]
    assert list(gap["key"]) == ["us", "russian-state"]


def test_tone_histograms_are_small_multiples_coloured_by_bloc() -> None:
    frame = pd.DataFrame(
        {
            "key": ["TASS", "TASS", "NYT"],
            "bin_start": [-0.1, 0.0, 0.0],
            "bin_end": [0.0, 0.1, 0.1],
            "articles": [3, 1, 2],
        }
    )
    figure = charts.tone_histogram_chart(frame, {"TASS": "russian-state", "NYT": "us"})
    colours = {t.name: t.marker.color for t in figure.data}
    assert colours == {"russian-state": charts.BLOC_COLOURS["russian-state"], "us": "#2c5aa0"}
    titles = [a.text for a in figure.layout.annotations]
    assert titles == ["TASS", "NYT"]  # russian-state before us


def test_top_actors_are_coloured_by_side() -> None:
    actors = pd.DataFrame(
        {
            "actor": ["Putin", "Rubio"],
            "side": ["russia", "us"],
            "articles": [9, 4],
            "mentions": [12, 5],
        }
    )
    colours = colours_in(charts.top_actors_chart(actors))
    assert colours == {"russia": charts.SIDE_COLOURS["russia"], "us": charts.SIDE_COLOURS["us"]}


def test_missing_days_are_zero_in_a_volume_series_and_share_follows() -> None:
    volume = charts.with_share(
        pd.DataFrame(
            {
                "day": [START, START, START + timedelta(days=2)],
                "key": ["us", "wire", "us"],
                "articles": [2, 1, 3],
                "total": [3, 3, 3],
            }
        )
    )
    full = charts.complete_days(volume)
    assert len(full) == 6  # 3 days x 2 keys
    gap_day = full[full["day"] == START + timedelta(days=1)]
    assert list(gap_day["articles"]) == [0, 0] and list(gap_day["total"]) == [0, 0]
    wire_last = full[(full["day"] == START + timedelta(days=2)) & (full["key"] == "wire")]
    assert wire_last["articles"].item() == 0 and wire_last["share"].item() == 0.0
    assert list(full.columns) == list(volume.columns)


def test_tone_series_are_not_zero_filled() -> None:
    tone = pd.DataFrame(
        {"day": [START, START + timedelta(days=3)], "key": ["us"] * 2, "mean_tone": [0.2, 0.4]}
    )
    assert charts.complete_days(tone) is tone


def test_weekly_resolution_adds_articles_and_weights_tone_by_articles() -> None:
    monday = date(2026, 8, 31)
    tone = pd.DataFrame(
        {
            "day": [monday, monday + timedelta(days=1), monday + timedelta(days=7)],
            "key": ["us"] * 3,
            "mean_tone": [0.5, -0.1, 0.3],
            "articles": [1, 3, 2],
        }
    )
    weekly = charts.resample(tone, "week")
    assert list(weekly["day"]) == [monday, monday + timedelta(days=7)]
    assert weekly["mean_tone"].iloc[0] == pytest.approx((0.5 - 0.3) / 4)
    assert list(weekly["articles"]) == [4, 2]
    assert list(weekly.columns) == list(tone.columns)


def test_weekly_share_is_the_weeks_articles_over_the_weeks_total() -> None:
    monday = date(2026, 8, 31)
    volume = charts.with_share(
        pd.DataFrame(
            {
                "day": [monday, monday, monday + timedelta(days=2)],
                "key": ["sanctions", "diplomacy", "sanctions"],
                "articles": [1, 2, 4],
                "total": [3, 3, 5],
            }
        )
    )
    weekly = charts.over_time(volume, "week").set_index("key")
    assert weekly.loc["sanctions", "total"] == 8  # each day's total counted once
    assert weekly.loc["sanctions", "share"] == pytest.approx(5 / 8)
    assert weekly.loc["diplomacy", "share"] == pytest.approx(2 / 8)
    assert charts.resample(volume, "day") is volume


def test_names_reach_plotly_escaped_so_its_label_markup_cannot_fire() -> None:
    hostile = '<a href="javascript:alert(1)">x</a> & <b>y</b>'
    frame = pd.DataFrame({"day": [START], "key": [hostile], "articles": [1], "total": [1]})
    figure = charts.volume_chart(frame, "outlet", False)
    assert (
        figure.data[0].name
        == '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &amp; &lt;b&gt;y&lt;/b&gt;'
    )
    gaps = pd.DataFrame({"outlet": [hostile], "start": [at(1)], "end": [at(2)]})
    shaded = charts.shade_gaps(charts.volume_chart(frame, "outlet", False), gaps)
    assert "<" not in shaded.layout.annotations[0].text
    heat = charts.heatmap(
        pd.DataFrame({"outlet": [hostile], "theme": ["sanctions"], "share": [1.0]}),
        "theme", "outlet", "share",
    )  # fmt: skip
    assert all("<" not in str(name) for name in heat.data[0].y)


def test_top_actors_read_from_the_most_mentioned_down_whatever_their_side() -> None:
    actors = pd.DataFrame(
        {
            "actor": ["EU", "Kremlin", "Putin", "Rubio"],
            "side": ["other", "russia", "russia", "us"],
            "articles": [30, 80, 40, 35],
            "mentions": [30, 90, 41, 36],
        }
    )
    axis = charts.top_actors_chart(actors).layout.yaxis
    bottom_to_top = list(axis.categoryarray)
    assert bottom_to_top[::-1] == ["Kremlin", "Putin", "Rubio", "EU"]


def test_theme_legends_go_below_the_plot() -> None:
    frame = pd.DataFrame({"day": [START], "key": ["sanctions"], "share": [0.5]})
    assert charts.line_chart(frame, "share", "theme").layout.legend.orientation == "h"
    bloc = pd.DataFrame({"day": [START], "key": ["us"], "mean_tone": [0.5]})
    assert charts.line_chart(bloc, "mean_tone", "bloc").layout.legend.orientation is None


ANCIENT = [date(1, 6, 1), date(1000, 6, 1), date(1600, 6, 1)]


def test_days_before_the_floor_are_kept_but_never_filled() -> None:
    modern = days(3)
    volume = pd.DataFrame(
        {
            "day": [*ANCIENT, *modern],
            "key": ["us"] * 6,
            "articles": [1, 1, 1, 2, 0, 3],
            "total": [1, 1, 1, 2, 0, 3],
        }
    )
    full = charts.complete_days(volume)
    assert len(full) == 6  # three ancient rows as they were, three modern days
    assert list(full["day"]) == [*ANCIENT, *modern]
    assert list(full["articles"]) == [1, 1, 1, 2, 0, 3]


def test_filling_is_bounded_by_the_selected_range() -> None:
    volume = pd.DataFrame({"day": [START, START + timedelta(days=30)], "key": ["us", "us"],
                           "articles": [1, 1]})  # fmt: skip
    within = charts.complete_days(volume, START, START + timedelta(days=9))
    assert within["day"].max() == START + timedelta(days=30)  # kept, not filled up to
    assert len(within) == 2  # the span inside the range is a single day


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ([date(1, 1, 1), START, START + timedelta(days=3)], (START, START + timedelta(days=3))),
        ([date(1600, 1, 1)], None),
        ([START, date(9999, 12, 31)], (START, START + timedelta(days=charts.MAX_FILL_DAYS - 1))),
        ([], None),
    ],
)
def test_the_fill_span_ignores_the_data_extremes(
    series: list[date], expected: tuple[date, date] | None
) -> None:
    assert charts.fill_span(series) == expected


def test_unusual_days_are_judged_from_the_floor_on() -> None:
    counts = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 10, 60]
    daily = pd.DataFrame({"day": [*ANCIENT, *days(15)], "articles": [500] * 3 + counts})
    found = charts.unusual_days(daily)
    assert list(found["day"]) == [START + timedelta(days=14)]
