"""Alerts: what the watches fired (recorded even when no delivery is configured), the articles
behind one alert, and the watches themselves. Feed text is shown only in dataframes (plain
text), never through Markdown."""

from __future__ import annotations

import streamlit as st

from core.dashboard import alert_loaders
from core.dashboard.page import start_page
from core.dashboard.tables import opens, table, when, wide

f = start_page("Alerts", "Alerts")

alerts = alert_loaders.recent_alerts()
if alerts.empty:
    st.info(
        "No alert yet. Save a view with **Watch this view** in the sidebar (or `detente watch "
        "add`); after each poll round every watch is checked for a volume spike, a drop and a "
        "tone shift against the 14 days before.",
        icon=":material/notifications:",
    )
else:
    st.caption(
        "Each alert fires once per watch, kind and day. Undelivered alerts (no target in "
        "config/alerts.toml, or a failing one) are retried on the next poll round."
    )
    table(
        alerts.drop(columns=["key"]),
        {
            "fired_at": when("fired"),
            "summary": wide("what moved"),
            "view": opens("view", "open view"),
            "delivered_at": when("delivered"),
            "last_error": st.column_config.TextColumn("last delivery error"),
        },
    )
    labels = {
        row.key: f"{row.day} · {row.watch} · {row.kind}" for row in alerts.itertuples(index=False)
    }
    chosen = st.selectbox(
        "Articles behind the alert", list(labels), format_func=labels.__getitem__, key="alert_key"
    )
    evidence = alert_loaders.alert_articles(chosen) if chosen else None
    if evidence is not None and len(evidence):
        table(evidence, {"title": wide("title"), "open": opens("article")})
    elif chosen:
        st.caption("No article is recorded for this alert.")

st.subheader("Watches")
watches = alert_loaders.list_watches()
if not watches:
    st.caption("No watch yet.")
else:
    table(
        [
            {
                "name": w.name,
                "sensitivity": w.sensitivity,
                "outlets": ", ".join(w.filters.outlets),
                "blocs": ", ".join(w.filters.blocs),
                "themes": ", ".join(w.filters.themes),
                "actors": ", ".join(w.filters.actors),
                "text": w.filters.query,
                "relevant only": w.filters.relevant_only,
            }
            for w in watches
        ]
    )
