"""The Sources page's Add-a-feed form: the dashboard's only write, and off unless the operator
turns it on (DETENTE_DASHBOARD_WRITES=1), since anyone who reaches the page could use it.

An entry is checked by the rules of config/feeds.toml (core/ingest/feed_list.py: every message
shown) and written straight to the store, never through a cache; the cached reads are then
dropped so every page sees the new feed."""

from __future__ import annotations

import os

import streamlit as st

from core.dashboard.loaders import forget_reads, get_store
from core.dashboard.notices import plain
from core.ingest.feed_list import validate_feed
from core.models import BLOCS, FeedConfig

WRITES_ENV = "DETENTE_DASHBOARD_WRITES"
"""The operator's switch: "1" (or true/yes/on) lets the dashboard add feeds."""
READ_ONLY_NOTE = (
    "The dashboard is read-only: adding feeds here is switched off. Add them with "
    "`detente feeds add` or in config/feeds.toml, or start the dashboard with "
    f"`{WRITES_ENV}=1` on a desk only trusted people can reach (see the README)."
)


def writes_enabled() -> bool:
    """True when the operator has switched the dashboard's writes on."""
    return os.environ.get(WRITES_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def feed_problems(feed: FeedConfig) -> list[str]:
    """Every reason to refuse `feed` (validate_feed's messages); a URL the parser itself cannot
    read is one more reason, never a traceback."""
    try:
        return validate_feed(feed)
    except ValueError as error:
        return [f"url {feed.url!r} cannot be read as a URL ({error})"]


def add_feed_form() -> None:
    """The form, and what became of the last submission (added, refused with every reason, or
    already listed and left untouched); a note instead when writes are off."""
    if not writes_enabled():
        st.info(READ_ONLY_NOTE, icon=":material/lock:")
        return
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
            problems = feed_problems(feed)
            existing = None if problems else get_store().get_feed(feed.url)
            if problems:
                reasons = "\n".join(f"- {plain(problem)}" for problem in problems)
                st.error(f"Cannot add this feed:\n{reasons}")
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
