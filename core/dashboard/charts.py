"""Pure chart builders and the small computations behind them: DataFrames in, DataFrames or
plotly figures out. No Streamlit, no database.

Colours are fixed per bloc, per theme and per actor side, so "russian-state" or "Sanctions" has the
same colour on every chart whatever else the selection contains. Charts are keyed by ids (theme
ids, bloc names) and show labels; the colour follows the id.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from core.models import BLOCS, DATE_FLOOR

BLOC_COLOURS: dict[str, str] = {
    "russian-state": "#c0392b",
    "russian-independent": "#e67e22",
    "us": "#2c5aa0",
    "european": "#16a085",
    "ukrainian": "#d4ac0d",
    "wire": "#7f8c8d",
    "other": "#8e44ad",
}
THEME_COLOURS: dict[str, str] = {
    "sanctions": "#1f77b4",
    "arms_control": "#d62728",
    "counterterrorism": "#8c564b",
    "diplomacy": "#2ca02c",
    "ukraine_war": "#ff7f0e",
    "energy_trade": "#17becf",
    "cyber_election": "#9467bd",
    "prisoners_consular": "#e377c2",
    "military_nato": "#393b79",
    "information_propaganda": "#bcbd22",
}
SIDE_COLOURS: dict[str, str] = {
    "us": "#2c5aa0",
    "russia": "#c0392b",
    "ukraine": "#d4ac0d",
    "other": "#7f8c8d",
}
DIRECTION_COLOURS: dict[str, str] = {
    "us-russia": "#2c5aa0",
    "russia-us": "#c0392b",
    "mutual": "#6f42c1",
}
DIRECTION_LABELS: dict[str, str] = {
    "us-russia": "US → Russia",
    "russia-us": "Russia → US",
    "mutual": "mutual",
}
"""The directions of relations events (core/storage), as the barometer's legend names them."""
QUAD_COLOURS: dict[str, str] = {
    "verbal_cooperation": "#82c99a",
    "material_cooperation": "#1a7f37",
    "verbal_conflict": "#f0a39c",
    "material_conflict": "#cf222e",
}
_SPARE = px.colors.qualitative.Dark24
MARGIN = {"t": 30, "b": 10, "l": 10, "r": 10}
# DATE_FLOOR (core/models.py) is the earliest day a chart fills with zero days and the earliest
# default start of the date range: older databases hold items dated year 1 or 1600, and filling
# from year 1 would build ~740,000 days per series.
MAX_FILL_DAYS = 366 * 50
"""The most days one series is zero-filled over (a date far in the future must not stretch it)."""


def safe_text(text: object) -> str:
    """A name as plotly should show it: plotly reads <b>, <a href=…> and friends in any label,
    so '<' and '&' are escaped (it decodes the entities back for display)."""
    return escape(str(text), quote=False)


def stable_colour(key: str) -> str:
    """A colour for a key no fixed table knows (a new theme, an outlet): the same on every run."""
    return str(_SPARE[zlib.crc32(key.encode("utf-8")) % len(_SPARE)])


def colour_of(by: str, key: str) -> str:
    table = {
        "bloc": BLOC_COLOURS,
        "theme": THEME_COLOURS,
        "side": SIDE_COLOURS,
        "direction": DIRECTION_COLOURS,
        "quad": QUAD_COLOURS,
    }.get(by, {})
    return table.get(key) or stable_colour(key)


def key_order(by: str, keys: Sequence[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Legend order: blocs in their canonical order, everything else alphabetically by label."""
    distinct = list(dict.fromkeys(keys))
    fixed = {"bloc": BLOCS, "direction": tuple(DIRECTION_LABELS), "quad": tuple(QUAD_COLOURS)}
    if by in fixed:
        known = [b for b in fixed[by] if b in distinct]
        return known + sorted(k for k in distinct if k not in fixed[by])
    return sorted(distinct, key=lambda k: (labels or {}).get(k, k).lower())


def display_frame(
    frame: pd.DataFrame, by: str, labels: Mapping[str, str] | None, column: str = "key"
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The frame with ids replaced by labels, the colour of each label, and the legend order."""
    keys = [str(k) for k in frame[column].unique()] if len(frame) else []
    order = key_order(by, keys, labels)
    names = {k: safe_text((labels or {}).get(k, k)) for k in order}
    shown = frame.assign(**{column: frame[column].map(lambda k: names.get(str(k), str(k)))})
    return shown, {names[k]: colour_of(by, k) for k in order}, [names[k] for k in order]


# --- computations ---------------------------------------------------------------------------------


def with_share(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `share` = articles / total of the day (NaN on a day without articles)."""
    out = frame.copy()
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    return out


def daily_totals(volume: pd.DataFrame) -> pd.DataFrame:
    """One row per day with all articles of that day (the `total` column of a volume read)."""
    if volume.empty:
        return pd.DataFrame({"day": [], "articles": []})
    return (
        volume.groupby("day", as_index=False)["total"]
        .first()
        .rename(columns={"total": "articles"})
        .sort_values("day", ignore_index=True)
    )


def fill_span(
    days: Iterable[date], start: date | None = None, end: date | None = None
) -> tuple[date, date] | None:
    """The days a series is zero-filled over: from its first to its last day inside the selected
    range (`start`, `end`) and not before DATE_FLOOR, at most MAX_FILL_DAYS long; None when no
    day qualifies. Never the data's extremes: an article dated year 1 stretches nothing."""
    lowest = max(DATE_FLOOR, start) if start else DATE_FLOOR
    inside = [d for d in set(days) if d >= lowest and (end is None or d <= end)]
    if not inside:
        return None
    low, high = min(inside), max(inside)
    if (high - low).days >= MAX_FILL_DAYS:
        high = low + timedelta(days=MAX_FILL_DAYS - 1)
    return low, high


def unusual_days(
    daily: pd.DataFrame,
    window: int = 14,
    sigmas: float = 3.0,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Days whose volume exceeds the mean + `sigmas`·σ of the `window` days before them.

    Days missing from `daily` count as zero-article days, so a quiet stretch is part of the
    baseline. The day itself is left out of its own baseline, or a spike would hide itself.
    Only days inside `fill_span` (the selected range, from DATE_FLOOR on) are judged."""
    span = None if daily.empty else fill_span(daily["day"], start, end)
    if span is None:
        return pd.DataFrame({"day": [], "articles": [], "threshold": []})
    series = daily.groupby("day")["articles"].sum().astype(float)
    series = series[[span[0] <= d <= span[1] for d in series.index]]
    index = pd.date_range(span[0], span[1], freq="D")
    dense = series.set_axis(pd.to_datetime(series.index)).reindex(index, fill_value=0.0)
    past = dense.shift(1).rolling(window, min_periods=max(3, window // 2))
    threshold = past.mean() + sigmas * past.std().fillna(0.0)
    flagged = dense[(dense > threshold) & threshold.notna()]
    return pd.DataFrame(
        {
            "day": [d.date() for d in flagged.index],
            "articles": flagged.to_numpy(),
            "threshold": threshold[flagged.index].to_numpy(),
        }
    )


def mark_unusual(volume: pd.DataFrame, unusual: pd.DataFrame) -> pd.DataFrame:
    """The volume rows with an `unusual_day` column, so the CSV carries what the chart marks."""
    days = set(unusual["day"]) if len(unusual) else set()
    return volume.assign(unusual_day=volume["day"].map(lambda d: d in days).astype(bool))


def symmetric_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Co-occurrence rows (theme_a < theme_b) mirrored, so a heat map fills both triangles."""
    mirrored = pairs.rename(columns={"theme_a": "theme_b", "theme_b": "theme_a"})
    return pd.concat([pairs, mirrored], ignore_index=True)


def merge_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Overlapping coverage gaps merged into bands naming every outlet that was failing, so a
    chart draws one shaded band per blind period instead of a stack of labels."""
    if gaps.empty:
        return pd.DataFrame({"start": [], "end": [], "outlets": []})
    bands: list[dict[str, Any]] = []
    for gap in gaps.sort_values("start").itertuples():
        if bands and gap.start <= bands[-1]["end"]:
            bands[-1]["end"] = max(bands[-1]["end"], gap.end)
            bands[-1]["outlets"].add(gap.outlet)
        else:
            bands.append({"start": gap.start, "end": gap.end, "outlets": {gap.outlet}})
    return pd.DataFrame(
        {
            "start": [b["start"] for b in bands],
            "end": [b["end"] for b in bands],
            "outlets": [", ".join(sorted(b["outlets"])) for b in bands],
        }
    )


def only_theme(frame: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The framing-gap series of one theme: tone per day and bloc (`key` becomes the bloc)."""
    chosen = frame[frame["key"] == theme].drop(columns=["key"])
    return chosen.rename(columns={"bloc": "key"}).reset_index(drop=True)


def complete_days(
    frame: pd.DataFrame, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """A volume series with every (day, key) between its first and last day: a day without
    articles for a key is a real zero, and a line must dip to it rather than skip it.

    Only days inside `fill_span` (the selected range, from DATE_FLOOR on) are filled; rows
    outside it (an article dated year 1) are kept as they are, so they are neither lost nor a
    reason to fill centuries."""
    if frame.empty or "mean_tone" in frame:
        return frame
    span = fill_span(frame["day"], start, end)
    if span is None:
        return frame
    days = pd.date_range(span[0], span[1], freq="D").date
    keys = list(dict.fromkeys(frame["key"]))
    full = pd.MultiIndex.from_product([days, keys], names=["day", "key"])
    inside = frame["day"].map(lambda d: span[0] <= d <= span[1]).astype(bool)
    indexed = frame[inside].set_index(["day", "key"])[["articles"]]
    out = indexed.reindex(full, fill_value=0).reset_index()
    if not inside.all():
        outside = frame.loc[~inside, ["day", "key", "articles"]]
        out = pd.concat([outside, out], ignore_index=True).sort_values("day", kind="stable")
        out = out.reset_index(drop=True)
    if "total" in frame:
        totals = frame.drop_duplicates("day").set_index("day")["total"]
        out["total"] = out["day"].map(totals).fillna(0).astype(int)
    if "share" in frame:
        out = with_share(out)
    return out[[c for c in frame.columns if c in out.columns]]


def week_start(days: pd.Series) -> pd.Series:
    when = pd.to_datetime(days)
    return (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).dt.date


def resample(frame: pd.DataFrame, every: str) -> pd.DataFrame:
    """A daily series as weekly (`every="week"`, weeks starting on Monday) or unchanged ("day").

    Articles and totals add up; mean tone is re-weighted by the number of scored articles, so a
    week's tone is the mean over its articles, not the mean of daily means; share is recomputed."""
    if every != "week" or frame.empty:
        return frame
    out = frame.copy()
    out["day"] = week_start(out["day"])
    keys = ["day"] + [c for c in ("key", "bloc") if c in out]
    if "mean_tone" in out:
        out["tone_sum"] = out["mean_tone"] * out["articles"]
    sums = ["articles"] + (["tone_sum"] if "mean_tone" in out else [])
    weekly = out.groupby(keys, as_index=False)[sums].sum()
    if "mean_tone" in out:
        weekly["mean_tone"] = weekly["tone_sum"] / weekly["articles"].where(weekly["articles"] > 0)
    if "total" in frame:
        per_day = frame.drop_duplicates("day")[["day", "total"]].copy()
        per_day["day"] = week_start(per_day["day"])
        weekly = weekly.merge(per_day.groupby("day", as_index=False)["total"].sum(), on="day")
    if "share" in frame:
        weekly = with_share(weekly)
    return weekly[[c for c in frame.columns if c in weekly.columns]].reset_index(drop=True)


def over_time(
    frame: pd.DataFrame, every: str, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """What a trend chart draws: zero-filled days (within the selected range), then the chosen
    resolution."""
    return resample(complete_days(frame, start, end), every)


# --- figures --------------------------------------------------------------------------------------


def _legend_below_for_long_names(figure: go.Figure, by: str) -> None:
    """Theme labels are long: beside the plot they would squeeze it in a narrow column."""
    if by == "theme":
        figure.update_layout(
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title_text": ""},
            height=520,
        )


def volume_chart(
    frame: pd.DataFrame,
    by: str,
    share: bool,
    labels: Mapping[str, str] | None = None,
    unusual: pd.DataFrame | None = None,
) -> go.Figure:
    """Articles per day stacked by `by`, raw or as a share of the day; unusual days starred."""
    y = "share" if share else "articles"
    shown, colours, order = display_frame(frame, by, labels)
    figure = px.bar(
        shown,
        x="day",
        y=y,
        color="key",
        color_discrete_map=colours,
        category_orders={"key": order},
        labels={"key": by, "day": "", y: "share of the day's articles" if share else "articles"},
    )
    figure.update_layout(barmode="stack", legend_title_text=by, margin=MARGIN)
    _legend_below_for_long_names(figure, by)
    if share:
        figure.update_yaxes(tickformat=".0%")
    if unusual is not None and len(unusual) and not share:
        figure.add_trace(unusual_stars(unusual, "unusual volume", "articles"))
    return figure


def unusual_stars(unusual: pd.DataFrame, name: str, unit: str) -> go.Scatter:
    """Stars on the unusual days (`unusual_days`), at their count of `unit`."""
    return go.Scatter(
        x=list(unusual["day"]),
        y=list(unusual["articles"]),
        mode="markers",
        name=name,
        marker={"symbol": "star", "size": 14, "color": "black"},
        hovertemplate=f"%{{x}}: %{{y}} {unit} (unusual)<extra></extra>",
    )


def line_chart(
    frame: pd.DataFrame, y: str, by: str, labels: Mapping[str, str] | None = None
) -> go.Figure:
    """One line per key over days; tone charts get a fixed [-1, 1] axis and a zero line."""
    shown, colours, order = display_frame(frame, by, labels)
    figure = px.line(
        shown,
        x="day",
        y=y,
        color="key",
        markers=True,
        color_discrete_map=colours,
        category_orders={"key": order},
        labels={"key": by, "day": "", y: y.replace("_", " ")},
    )
    if y == "mean_tone":
        figure.update_yaxes(range=[-1, 1])
        figure.add_hline(y=0, line_dash="dot", line_color="grey")
    if y == "share":
        figure.update_yaxes(tickformat=".0%")
    figure.update_layout(legend_title_text=by, margin=MARGIN)
    _legend_below_for_long_names(figure, by)
    return figure


def shade_gaps(figure: go.Figure, gaps: pd.DataFrame) -> go.Figure:
    """Grey bands where a feed was failing: fewer articles there may mean a blind spot."""
    for band in merge_gaps(gaps).itertuples():
        outlets = safe_text(band.outlets)
        figure.add_vrect(
            x0=band.start,
            x1=band.end,
            fillcolor="grey",
            opacity=0.15,
            line_width=0,
            annotation_text=f"feed gap: {outlets if len(outlets) < 40 else 'several feeds'}",
            annotation_position="top left",
            annotation_font_size=10,
        )
    return figure


def heatmap(
    frame: pd.DataFrame,
    x: str,
    y: str,
    z: str,
    labels: Mapping[str, str] | None = None,
    x_order: Sequence[str] | None = None,
) -> go.Figure:
    """A pivot of `z` over `y` × `x` (ids shown through `labels`), shares as percentages."""
    table = frame.pivot_table(index=y, columns=x, values=z, aggfunc="sum").fillna(0)
    if x_order is not None:
        table = table.reindex(columns=[c for c in x_order if c in table.columns])
    names = labels or {}
    table.index = [safe_text(names.get(str(i), str(i))) for i in table.index]
    table.columns = [safe_text(names.get(str(c), str(c))) for c in table.columns]
    figure = px.imshow(
        table,
        text_auto=".0%" if z == "share" else True,
        aspect="auto",
        color_continuous_scale="Blues",
        labels={"color": z},
    )
    figure.update_layout(margin=MARGIN, height=max(320, 28 * len(table.index) + 160))
    figure.update_xaxes(side="bottom", tickangle=-30)
    return figure


def bar_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    by: str,
    orders: Mapping[str, list[str]] | None = None,
    **kwargs: Any,
) -> go.Figure:
    """Bars coloured by a fixed-colour dimension (`by`: bloc, theme or side)."""
    shown, colours, order = display_frame(frame, by, None, column=color)
    figure = px.bar(
        shown,
        x=x,
        y=y,
        color=color,
        color_discrete_map=colours,
        category_orders={color: order, **(orders or {})},
        **kwargs,
    )
    figure.update_layout(margin=MARGIN)
    return figure


def ranked_bars(shown: pd.DataFrame, x: str, y: str, by: str, **kwargs: Any) -> go.Figure:
    """Horizontal bars of `x` per `y`, the largest on top, coloured by `by` (side, quad …)."""
    ranked = list(shown.sort_values(x, ascending=False, kind="stable")[y])
    figure = bar_chart(
        shown, x=x, y=y, color=by, by=by, orders={y: ranked}, orientation="h", **kwargs
    )
    figure.update_yaxes(title="")
    figure.update_layout(height=max(320, 24 * len(shown) + 120))
    return figure


def top_actors_chart(actors: pd.DataFrame) -> go.Figure:
    """The most mentioned actors, most mentioned on top, coloured by side."""
    return ranked_bars(
        actors.assign(actor=actors["actor"].map(safe_text)), "articles", "actor", "side"
    )


def _bloc_rank(bloc: str | None) -> int:
    return BLOCS.index(bloc) if bloc in BLOCS else len(BLOCS)


def tone_histogram_chart(frame: pd.DataFrame, outlet_blocs: Mapping[str, str]) -> go.Figure:
    """One small histogram per outlet (same bins, same axes), coloured by the outlet's bloc."""
    shown = frame.assign(
        key=frame["key"].map(safe_text),
        bloc=frame["key"].map(lambda k: outlet_blocs.get(k, "other")),
        tone=(frame["bin_start"] + frame["bin_end"]) / 2,
        width=frame["bin_end"] - frame["bin_start"],
    )
    rank = {safe_text(k): _bloc_rank(b) for k, b in outlet_blocs.items()}
    outlets = sorted(shown["key"].unique(), key=lambda k: (rank.get(k, len(BLOCS)), k))
    columns = 4
    rows = max(1, -(-len(outlets) // columns))
    figure = px.bar(
        shown,
        x="tone",
        y="articles",
        color="bloc",
        facet_col="key",
        facet_col_wrap=columns,
        facet_row_spacing=min(0.08, 0.5 / rows),
        category_orders={"key": outlets, "bloc": [b for b in BLOCS if b in set(shown["bloc"])]},
        color_discrete_map=BLOC_COLOURS,
        labels={"key": "", "tone": "tone", "articles": "articles"},
    )
    figure.update_traces(width=float(shown["width"].max()) if len(shown) else 0.1)
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1]))
    figure.update_xaxes(range=[-1, 1])
    figure.update_layout(height=170 * rows + 80, margin=MARGIN, bargap=0.05)
    return figure


# --- themes: central and passing mentions (issue 9) ------------------------------------------


def central_and_mentioned(central: pd.DataFrame, mentioned: pd.DataFrame) -> pd.DataFrame:
    """Per theme: articles where it is central, articles that mention it at all, and the passing
    mentions between them, from two volume reads (day, key, articles) of the same selection."""
    both = pd.concat(
        [
            central.groupby("key")["articles"].sum().rename("central"),
            mentioned.groupby("key")["articles"].sum().rename("mentioned"),
        ],
        axis=1,
    )
    both = both.fillna(0).astype(int).rename_axis("theme").reset_index()
    both["passing"] = both["mentioned"] - both["central"]
    return both.sort_values(["mentioned", "theme"], ascending=[False, True], ignore_index=True)


def central_and_mentioned_chart(frame: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Two bars per theme: central articles, and every article that mentions it."""
    names = frame["theme"].map(lambda t: safe_text(labels.get(t, t)))
    long = pd.DataFrame(
        {
            "theme": list(names) * 2,
            "count": ["central"] * len(frame) + ["with passing mentions"] * len(frame),
            "articles": list(frame["central"]) + list(frame["mentioned"]),
        }
    )
    figure = px.bar(
        long,
        x="articles",
        y="theme",
        color="count",
        barmode="group",
        orientation="h",
        category_orders={"theme": list(names)},
        color_discrete_map={"central": "#2c5aa0", "with passing mentions": "#9ecae1"},
    )
    figure.update_yaxes(title="")
    figure.update_layout(
        margin=MARGIN, height=max(320, 44 * len(frame) + 120), legend_title_text=""
    )
    return figure
