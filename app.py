"""Overview: how much coverage, how it feels, what it is about — over time and by bloc."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from core.dashboard import charts, loaders
from core.dashboard.barometer import barometer_section
from core.dashboard.downloads import download_csv
from core.dashboard.loaders import Grouping, OverviewFigures
from core.dashboard.notices import ago, plain
from core.dashboard.page import chart_section, data_context, start_page
from core.dashboard.url import COUNTS, counting

STACKS: tuple[Grouping, ...] = ("bloc", "theme", "outlet")


def headline(figures: OverviewFigures) -> None:
    """The demo notice and the six headline metrics (shown even for an empty selection)."""
    if figures["demo"]:
        st.info(
            "Showing the bundled **demo data**: invented articles written for Détente to show "
            "what the desk does, not real coverage. Live articles arrive with `detente poll`.",
            icon=":material/science:",
        )
    top = st.columns(3)
    top[0].metric("Articles", f"{figures['articles']:,}")
    share = figures["relevant_share"]
    top[1].metric(
        "US–Russia relevant",
        "–" if share is None else f"{share:.0%}",
        help="Share of the articles matching the other filters that are about the relationship.",
    )
    tone = figures["mean_tone"]
    top[2].metric(
        "Mean tone",
        "n/a" if tone is None else f"{tone:+.2f}",
        help=(
            "Mean of article tones in [-1, 1] (VADER, sentence by sentence). Russian articles "
            "have none (no offline Russian sentiment model measured well enough), nor has "
            "other non-English text: n/a, never 0."
        ),
    )
    bottom = st.columns(3)
    bottom[0].metric("Active outlets", figures["active_outlets"])
    last = figures["last_poll"]
    bottom[1].metric(
        "Last poll",
        ago(last, datetime.now(UTC)),
        help=f"{last:%Y-%m-%d %H:%M} UTC" if last else "The poller has not run yet.",
    )
    bottom[2].metric(
        "Failing feeds",
        f"{figures['failing_feeds']} / {figures['feeds']}",
        help="Feeds whose last attempt failed; see the Sources page for why.",
    )


def count_switch(column: Any) -> str:
    """All articles or independent reports, seeded from and written to the URL's `count=`."""
    asked, notice = counting(st.query_params.get("count"))
    if notice:
        st.warning(plain(notice))
    if "ov_count" not in st.session_state:
        st.session_state["ov_count"] = asked
    chosen = (
        column.radio(
            "Count", list(COUNTS), format_func=COUNTS.__getitem__, horizontal=True,
            key="ov_count", help="Independent reports leave syndicated copies out (Stories).",
        )
        or "articles"
    )  # fmt: skip
    if chosen == "articles":
        if "count" in st.query_params:
            del st.query_params["count"]
    elif st.query_params.get("count") != chosen:
        st.query_params["count"] = chosen
    return str(chosen)


f = start_page("Overview", "Détente — US–Russia coverage monitor")
figures = loaders.page_figures(f)
headline(figures)
page = data_context(f, figures["articles"])
if page is not None:
    gaps, every, labels = page.gaps(), page.every, page.labels

    st.subheader("Volume over time")
    left, mid, right = st.columns([5, 5, 4])
    by = left.radio("Stack by", STACKS, horizontal=True, key="ov_by") or STACKS[0]
    counted = count_switch(mid)
    as_share = right.toggle("Share of the day's articles", key="ov_share")
    volume = charts.with_share(loaders.volume_by_day(f, by, counted == "reports"))
    unusual = page.unusual(volume)
    figure = charts.volume_chart(volume, by, as_share, labels, unusual)
    st.plotly_chart(charts.shade_gaps(figure, gaps), width="stretch")
    if len(unusual):
        days = ", ".join(f"{d:%d %b}" for d in unusual["day"])
        st.caption(f"★ Unusual volume (above the mean of the 14 days before + 3σ): {days}")
    if by == "theme":
        st.caption("An article with several themes counts once under each.")
    if counted == "reports":
        st.caption("Independent reports: syndicated copies of another outlet's text left out.")
    download_csv(charts.mark_unusual(volume, unusual).assign(counted=counted), "volume", f)

    st.subheader(f"Tone over time by bloc (per {every})")
    chart_section(
        page.trend(loaders.tone_by_day(f, "bloc")),
        "tone (no English-language article)",
        lambda tone: charts.shade_gaps(charts.line_chart(tone, "mean_tone", "bloc"), gaps),
        "tone-by-bloc",
        f,
    )

    barometer_section(page)

    left, right = st.columns(2)
    with left:
        st.subheader(f"Theme share (per {every})")
        chart_section(
            page.trend(charts.with_share(loaders.volume_by_day(f, "theme"))),
            "themes",
            lambda share: charts.line_chart(share, "share", "theme", labels),
            "theme-share",
            f,
        )
    with right:
        st.subheader("Top actors")
        chart_section(
            loaders.top_actors(f, limit=15), "actors", charts.top_actors_chart, "top-actors", f
        )
