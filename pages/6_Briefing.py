"""Briefing: the day in one page, as `detente brief` writes it (core/alerts/briefing.py) —
volume and tone by bloc against the week, top articles per bloc, unusual days, failing feeds.
Feed text only in dataframes (plain text), never through Markdown."""

from __future__ import annotations

import streamlit as st

from core.alerts.briefing import briefing_figure, briefing_html, briefing_text
from core.alerts.delivery import load_settings
from core.dashboard import alert_loaders
from core.dashboard.briefing_tables import (
    blindspot_rows,
    linked_table,
    top_article_rows,
    top_story_rows,
)
from core.dashboard.page import start_page
from core.dashboard.tables import signed, table

f = start_page("Briefing", "Daily briefing")

latest = alert_loaders.briefing_day()
if latest is None:
    st.info("No articles yet: the briefing needs a day with articles.", icon=":material/today:")
    st.stop()
day = st.date_input("Day (UTC)", value=latest, max_value=latest, key="brief_day")
b = alert_loaders.briefing(day)
if b is None:
    st.info("No articles on this day.")
    st.stop()
st.caption(
    f"Relevant articles on {b.day} against the 7 days before. The same briefing is sent by "
    "`detente brief --send` and, once a day, by `detente poll --every`."
)
st.subheader("Volume and tone by bloc")
st.plotly_chart(briefing_figure(b), width="stretch")
table(
    b.blocs,
    {
        "articles": st.column_config.NumberColumn("articles"),
        "week_mean": st.column_config.NumberColumn("week mean per day", format="%.1f"),
        "tone": signed("tone"),
        "week_tone": signed("week tone"),
    },
)
st.subheader("Top articles per bloc")
linked_table(top_article_rows(b), "title", "article", {}, "No relevant article on this day.")
st.subheader("Top stories per bloc")
linked_table(
    top_story_rows(b),
    "headline",
    "story",
    {
        "reports": st.column_config.NumberColumn("reports", help="independent reports"),
        "articles": st.column_config.NumberColumn("articles", help="the bloc's articles"),
    },
    "No story seen on this day.",
)
st.subheader("Blindspots")
linked_table(blindspot_rows(b), "headline", "story", {}, "No blindspot on this day.")
st.subheader("Unusual days this week")
if b.unusual.empty:
    st.caption("None this week.")
else:
    st.dataframe(b.unusual, hide_index=True)
st.subheader("Feeds failing (coverage gaps)")
if b.gaps.empty:
    st.caption("No feed failing this week.")
else:
    table(b.gaps)
base = load_settings().dashboard_url
downloads = (
    ("Download Markdown", briefing_text(b, base, markdown=True), "md", "text/markdown", None),
    ("Download HTML (tables)", briefing_html(b, base, images=False), "html", "text/html",
     "`detente brief --out FILE.html` embeds the chart as an image too."),
)  # fmt: skip
for column, (label, body, suffix, mime, tip) in zip(st.columns(2), downloads, strict=True):
    column.download_button(
        label,
        body,
        file_name=f"briefing-{b.day}.{suffix}",
        mime=mime,
        icon=":material/download:",
        help=tip,
    )
