"""Sources: feed health, coverage gaps, and adding a feed."""

from __future__ import annotations

import streamlit as st

from core.dashboard import loaders
from core.dashboard.downloads import download_csv
from core.dashboard.feed_form import add_feed_form
from core.dashboard.notices import plain, poller_notice
from core.dashboard.page import start_page
from core.dashboard.tables import table, when, wide

HEALTH_COLUMNS = ["outlet", "bloc", "enabled", "consecutive_errors", "last_status", "last_error",
                  "last_success_at", "last_attempt_at", "next_check_at", "articles_per_day", "url",
                  "id"]  # fmt: skip

f = start_page("Sources", "Sources")

health = loaders.feed_health()
notice = poller_notice(health)
if notice is not None:
    level, message = notice
    (st.warning if level == "warning" else st.info)(plain(message), icon=":material/rss_feed:")
if len(health):
    st.subheader("Feed health")
    shown = health[HEALTH_COLUMNS]
    table(
        shown,
        {
            "consecutive_errors": st.column_config.NumberColumn("errors in a row"),
            "last_status": st.column_config.NumberColumn("HTTP status", format="%d"),
            "last_error": wide("last error"),
            "last_success_at": when("last success"),
            "last_attempt_at": when("last attempt"),
            "next_check_at": when("next check"),
            "articles_per_day": st.column_config.NumberColumn("articles/day (30 d)", format="%.1f"),
            "url": st.column_config.TextColumn("url"),
        },
    )
    download_csv(shown, "feed-health", f)

st.subheader("Coverage gaps")
gaps = loaders.coverage_gaps(f)
if gaps.empty:
    st.caption("No period of repeated feed failures in this selection.")
else:
    st.caption(
        "Periods when a feed kept failing, from its first failed attempt to its next success. "
        "Trend charts shade them: fewer articles there may be a blind spot, not a quiet day."
    )
    table(gaps)
download_csv(gaps, "coverage-gaps", f)

st.subheader("Add a feed")
add_feed_form()
