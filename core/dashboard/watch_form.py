"""The sidebar's "Watch this view": save the current filters as a watch (core/alerts checks it
after every poll round). A write, so it goes straight to the store, never through a cache, and
only when the operator enabled writes ($DETENTE_DASHBOARD_WRITES=1, core/dashboard/feed_form.py);
a read-only dashboard says how to save a watch instead."""

from __future__ import annotations

import dataclasses

import streamlit as st

from core.dashboard.alert_loaders import forget_alerts
from core.dashboard.feed_form import writes_enabled
from core.dashboard.loaders import get_store
from core.dashboard.notices import plain
from core.models import SENSITIVITIES, Filters, Watch

MAX_NAME = 100


def watch_this_view(f: Filters) -> None:
    """A name field, a sensitivity and a button in the sidebar that save `f` (without its
    dates: a watch looks at the days around each poll round)."""
    box = st.sidebar.expander("Watch this view", icon=":material/notifications:")
    if not writes_enabled():
        box.caption("This dashboard is read-only: use `detente watch add` to save a watch.")
        return
    name = box.text_input("Watch name", key="watch_name", max_chars=MAX_NAME)
    sensitivity = box.selectbox("Sensitivity", SENSITIVITIES, index=1, key="watch_sensitivity")
    if not box.button("Watch this view", key="watch_save", icon=":material/add_alert:"):
        return
    cleaned = " ".join(name.split())
    if not cleaned:
        box.error("Give the watch a name first.")
        return
    watch = Watch(cleaned, dataclasses.replace(f, date_from=None, date_to=None), sensitivity)  # type: ignore[arg-type]
    if get_store().add_watch(watch):
        forget_alerts()
        box.success(f"Watching “{plain(cleaned)}”: checked after every poll round.")
    else:
        box.warning(f"A watch named “{plain(cleaned)}” exists; nothing changed.")
