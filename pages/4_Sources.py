"""Sources: feed health, coverage gaps, and adding a feed."""

from __future__ import annotations

import streamlit as st

from core.dashboard.ui import (
    download_csv,
    get_store,
    load,
    page_setup,
    plain,
    poller_notice,
    sidebar_filters,
)
from core.ingest.feed_list import validate_feed
from core.models import BLOCS, FeedConfig

HEALTH_COLUMNS = ["outlet", "bloc", "enabled", "consecutive_errors", "last_status", "last_error",
                  "last_success_at", "last_attempt_at", "next_check_at", "articles_per_day", "url",
                  "id"]  # fmt: skip

page_setup("Sources")
st.title("Sources")
f = sidebar_filters()

health = load("feed_health")
notice = poller_notice(health)
if notice is not None:
    level, message = notice
    (st.warning if level == "warning" else st.info)(plain(message), icon=":material/rss_feed:")
if len(health):
    st.subheader("Feed health")
    shown = health[HEALTH_COLUMNS]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "consecutive_errors": st.column_config.NumberColumn("errors in a row"),
            "last_status": st.column_config.NumberColumn("HTTP status", format="%d"),
            "last_error": st.column_config.TextColumn("last error", width="large"),
            "last_success_at": st.column_config.DatetimeColumn(
                "last success", format="YYYY-MM-DD HH:mm"
            ),
            "last_attempt_at": st.column_config.DatetimeColumn(
                "last attempt", format="YYYY-MM-DD HH:mm"
            ),
            "next_check_at": st.column_config.DatetimeColumn(
                "next check", format="YYYY-MM-DD HH:mm"
            ),
            "articles_per_day": st.column_config.NumberColumn("articles/day (30 d)", format="%.1f"),
            "url": st.column_config.TextColumn("url"),
        },
    )
    download_csv(shown, "feed-health", f)

st.subheader("Coverage gaps")
gaps = load("coverage_gaps", f)
if gaps.empty:
    st.caption("No period of repeated feed failures in this selection.")
else:
    st.caption(
        "Periods when a feed kept failing, from its first failed attempt to its next success. "
        "Trend charts shade them: fewer articles there may be a blind spot, not a quiet day."
    )
    st.dataframe(gaps, hide_index=True, width="stretch")
download_csv(gaps, "coverage-gaps", f)

st.subheader("Add a feed")
with st.form("add_feed", clear_on_submit=False):
    url = st.text_input("Feed URL (RSS or Atom, http or https)", max_chars=2048)
    left, mid, right, last = st.columns([2, 2, 1, 1])
    outlet = left.text_input("Outlet name", max_chars=200)
    bloc = mid.selectbox("Bloc", BLOCS)
    country = right.text_input("Country code", max_chars=2, placeholder="US")
    language = last.text_input("Language", value="en", max_chars=3)
    if st.form_submit_button("Add feed", icon=":material/add:"):
        feed = FeedConfig(
            url.strip(), outlet.strip(), bloc, country.strip().upper(), language.strip().lower()
        )
        problems = validate_feed(feed)
        existing = None if problems else get_store().get_feed(feed.url)
        if problems:
            st.error("Cannot add this feed: " + plain("; ".join(problems)))
        elif existing is not None:
            st.warning(
                plain(
                    f"This feed is already in the list (outlet {existing.outlet}); nothing changed."
                )
            )
        else:
            get_store().add_feed(feed)
            load.clear()
            st.success(f"Added {plain(feed.outlet)}. `detente poll` fetches it on its next round.")
