"""The relations barometer's chart builders (issue 9): the cooperation–conflict index per day or
week by direction or bloc, its event counts and unusual days, events by category. Pure: frames
of the relations reads (core/storage) in, plotly figures out; colours and labels: charts.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.dashboard.charts import (
    DIRECTION_LABELS,
    MARGIN,
    display_frame,
    ranked_bars,
    safe_text,
    unusual_days,
    unusual_stars,
    week_start,
)


def barometer_over_time(frame: pd.DataFrame, every: str) -> pd.DataFrame:
    """A relations series (day, key, score, events, … counts) at the chosen resolution: weekly,
    the counts add up and the index is re-weighted by events, so a week's index is the mean over
    its events. Days without events stay absent: there the index is undefined."""
    if every != "week" or frame.empty:
        return frame
    out = frame.assign(day=week_start(frame["day"]), weighted=frame["score"] * frame["events"])
    counts = [c for c in out.columns if c not in ("day", "key", "score")]
    weekly = out.groupby(["day", "key"], as_index=False)[counts].sum()
    weekly["score"] = weekly["weighted"] / weekly["events"].where(weekly["events"] > 0)
    return weekly[list(frame.columns)].reset_index(drop=True)


def unusual_event_days(
    frame: pd.DataFrame, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Days with unusually many relations events (all keys together), judged as volume is
    (`unusual_days`); the `articles` column of the result counts events."""
    if frame.empty:
        return unusual_days(pd.DataFrame({"day": [], "articles": []}))
    daily = frame.groupby("day", as_index=False)["events"].sum()
    return unusual_days(daily.rename(columns={"events": "articles"}), start=start, end=end)


def barometer_chart(frame: pd.DataFrame, by: str, unusual: pd.DataFrame | None = None) -> go.Figure:
    """The cooperation–conflict index (−1 … +1) per key over time above, its event counts below;
    `by` is "direction" or "bloc"; unusual event days starred on the counts."""
    labels = DIRECTION_LABELS if by == "direction" else None
    shown, colours, order = display_frame(frame, by, labels)
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06
    )
    for name in order:
        rows = shown[shown["key"] == name].sort_values("day")
        colour = colours[name]
        figure.add_trace(
            go.Scatter(
                x=list(rows["day"]),
                y=list(rows["score"]),
                customdata=list(rows["events"]),
                mode="lines+markers",
                name=name,
                legendgroup=name,
                line={"color": colour},
                hovertemplate=f"{name}<br>%{{x}}: index %{{y:+.2f}} "
                "(%{customdata} events)<extra></extra>",
            ),
            row=1,
            col=1,
        )
        figure.add_trace(
            go.Bar(
                x=list(rows["day"]),
                y=list(rows["events"]),
                name=name,
                legendgroup=name,
                showlegend=False,
                marker={"color": colour},
                hovertemplate=f"{name}<br>%{{x}}: %{{y}} events<extra></extra>",
            ),
            row=2,
            col=1,
        )
    if unusual is not None and len(unusual):
        figure.add_trace(unusual_stars(unusual, "unusual event count", "events"), row=2, col=1)
    figure.add_hline(y=0, line_dash="dot", line_color="grey", row=1, col=1)
    figure.update_yaxes(range=[-1.05, 1.05], title_text="conflict ← index → cooperation", row=1)
    figure.update_yaxes(title_text="events", row=2)
    figure.update_layout(
        barmode="stack", legend_title_text=by, margin=MARGIN, height=520, hovermode="closest"
    )
    return figure


def events_by_category_chart(frame: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Events per category (most first), coloured by their CAMEO quad class."""
    shown = frame.assign(category=frame["category"].map(lambda c: safe_text(labels.get(c, c))))
    return ranked_bars(shown, "events", "category", "quad", hover_data=["articles"])
