"""The prologue every page shares, written once: page config and navigation, the filter sidebar,
the empty states, theme labels and the trend resolution, handed to the page as a `PageContext`.

With a pages/ folder Streamlit does the routing, so there is no st.navigation here; the links are
drawn so the first page reads "Overview", not "app"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.dashboard import charts, loaders
from core.dashboard.downloads import download_csv, keep_exports_safe
from core.dashboard.labels import labels_for
from core.dashboard.notices import empty_note, require_data, stale_notice
from core.dashboard.sidebar import resolution, sidebar_filters
from core.dashboard.watch_form import watch_this_view
from core.models import Filters

NAVIGATION = (
    ("app.py", "Overview", ":material/monitoring:"),
    ("pages/1_Themes.py", "Themes", ":material/sell:"),
    ("pages/2_Outlets.py", "Outlets", ":material/newspaper:"),
    ("pages/3_Articles.py", "Articles", ":material/article:"),
    ("pages/7_Stories.py", "Stories", ":material/hub:"),
    ("pages/4_Sources.py", "Sources", ":material/rss_feed:"),
    ("pages/5_Alerts.py", "Alerts", ":material/notifications:"),
    ("pages/6_Briefing.py", "Briefing", ":material/today:"),
)


UNWATCHED = frozenset({"Sources"})
"""Pages without "Watch this view": Sources shows the feeds, not a view of the coverage."""


@dataclass(frozen=True, eq=False)
class PageContext:
    """What a page with data draws from: the filters, how many articles they match, the
    known themes with their labels, and the resolution of trend lines ("week" or "day")."""

    filters: Filters
    articles: int
    themes: tuple[str, ...]
    labels: Mapping[str, str]
    every: str

    def gaps(self) -> pd.DataFrame:
        """The feeds' coverage gaps in this selection (shaded on trend charts)."""
        return loaders.coverage_gaps(self.filters)

    def trend(self, daily: pd.DataFrame) -> pd.DataFrame:
        """A daily series as a trend line draws it: zero days filled within the selected range
        (from charts.DATE_FLOOR on), at the chosen resolution."""
        return charts.over_time(daily, self.every, self.filters.date_from, self.filters.date_to)

    def unusual(self, volume: pd.DataFrame) -> pd.DataFrame:
        """The unusual days of a volume read, judged within the selected range."""
        f = self.filters
        return charts.unusual_days(charts.daily_totals(volume), start=f.date_from, end=f.date_to)


def page_setup(title: str) -> None:
    """Page config and the navigation links in the sidebar."""
    st.set_page_config(page_title=f"{title} · Détente", page_icon="🕊️", layout="wide")
    keep_exports_safe()
    st.session_state["page"] = title
    for path, name, icon in NAVIGATION:
        st.sidebar.page_link(path, label=name, icon=icon)
    st.sidebar.divider()


def start_page(title: str, heading: str | None = None) -> Filters:
    """Set the page up, show its heading (when given) and the sidebar; the chosen filters."""
    page_setup(title)
    if heading is not None:
        st.title(heading)
    filters = sidebar_filters()
    if title not in UNWATCHED:
        watch_this_view(filters)
    stale_notice()
    return filters


def data_context(f: Filters, articles: int) -> PageContext | None:
    """The context of a page with data (`articles`: how many the filters match), or None once
    an empty state has been explained."""
    if not require_data(articles):
        return None
    themes = tuple(loaders.filter_options()["themes"])
    return PageContext(f, articles, themes, labels_for(themes), resolution())


def open_page(
    title: str, heading: str | None = None, *, reads_matches: bool = False
) -> PageContext | None:
    """The whole prologue of a data page: setup, heading, filters and the empty states.
    `reads_matches`: the page's charts read its match frame under a filter (the count then
    comes from it too: loaders.page_figures); else the count is read alone."""
    f = start_page(title, heading)
    if reads_matches:
        return data_context(f, loaders.page_figures(f)["articles"])
    return data_context(f, loaders.count_matching(f))


def chart_section(
    frame: pd.DataFrame,
    what: str,
    draw: Callable[[pd.DataFrame], go.Figure],
    name: str,
    f: Filters,
) -> None:
    """A chart of `frame` (or a caption saying it is empty), then its Download CSV button."""
    if empty_note(frame, what):
        st.plotly_chart(draw(frame), width="stretch")
    download_csv(frame, name, f)


def open_selected(event: Any, shown: pd.DataFrame, param: str) -> None:
    """The table row the reader selected opens its item: `?<param>=<id>`, and the page reruns
    to show it (the Articles and Stories pages)."""
    rows = event.selection.rows if event is not None else []
    if rows:
        st.query_params[param] = str(int(shown.iloc[rows[0]]["id"]))
        st.rerun()
