"""The Sources page's Add-a-feed form: the dashboard's only write. The entry is checked by the
same rules as config/feeds.toml (core/ingest/feed_list.py) and written straight to the store,
never through a cache; the cached reads are then dropped so every page sees the new feed."""

from __future__ import annotations

import streamlit as st

from core.dashboard.loaders import forget_reads, get_store
from core.dashboard.notices import plain
from core.ingest.feed_list import validate_feed
from core.models import BLOCS, FeedConfig


def add_feed_form() -> None:
    """The form, and what became of the last submission (added, refused with every reason, or
    already listed and left untouched)."""
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
                        f"This feed is already in the list (outlet {existing.outlet}); "
                        "nothing changed."
                    )
                )
            else:
                get_store().add_feed(feed)
                forget_reads()
                st.success(
                    f"Added {plain(feed.outlet)}. `detente poll` fetches it on its next round."
                )
