"""Stories: one event, many outlets. A list of stories with coverage by bloc and blindspot
badges; `?story=<id>` opens one (core/dashboard/stories.py draws both)."""

from __future__ import annotations

import streamlit as st

from core.dashboard import loaders
from core.dashboard.downloads import download_csv
from core.dashboard.notices import plain
from core.dashboard.page import data_context, open_selected, start_page
from core.dashboard.stories import (
    APPLIED,
    PAGE_SIZE,
    coverage_chart,
    coverage_frame,
    list_table,
    show_story,
)
from core.dashboard.tables import opens, page_offset, pickable, when, wide
from core.dashboard.url import article_id

f = start_page("Stories")


def show_list() -> None:
    st.title("Stories")
    stories, articles, reports = loaders.story_totals(f)
    st.caption(
        f"{stories:,} stories: {articles:,} articles, {reports:,} independent reports "
        f"({articles - reports:,} syndicated copies of another outlet's text). {APPLIED}"
    )
    left, mid, right = st.columns([2, 2, 1])
    sorts = list(loaders.STORY_SORTS)
    sort = (
        mid.selectbox("Sort by", sorts, format_func=loaders.STORY_SORTS.__getitem__, key="s_sort")
        or sorts[0]
    )
    only = right.toggle("Blindspots only", key="s_blind")
    # the totals above already counted the stories the whole list shows
    total = loaders.count_stories(f, blindspots_only=True) if only else stories
    offset = page_offset(left, total, "stories", "s_page", PAGE_SIZE)
    listing = loaders.list_stories(
        f, limit=PAGE_SIZE, offset=offset, sort=sort, blindspots_only=only
    )
    if listing.empty:
        st.info("No story matches these filters.", icon=":material/filter_alt_off:")
        return
    shown = list_table(listing)
    event = pickable(
        shown,
        "s_table",
        {
            "headline": wide("headline"),
            "last_seen": when("last seen"),
            "first_seen": when("first seen"),
            "reports": st.column_config.NumberColumn("reports", help="independent reports"),
            "articles": st.column_config.NumberColumn("articles", help="every copy counted"),
            "coverage": st.column_config.TextColumn("articles by bloc"),
            "blindspot": st.column_config.TextColumn("blindspot", width="medium"),
            "gap": st.column_config.NumberColumn(
                "framing gap", format="%.2f", help="highest − lowest mean tone of the blocs"
            ),
            "open": opens("story"),
        },
    )
    st.caption("Select a row to open the story: its timeline and each bloc's headlines.")
    download_csv(listing, "stories", f)
    st.markdown("**Coverage by bloc** (the stories above, articles per bloc)")
    bars = coverage_frame(listing.head(25))
    st.plotly_chart(coverage_chart(bars), width="stretch")
    download_csv(bars, "stories-coverage", f)
    open_selected(event, shown, "story")


raw_id = st.query_params.get("story")
if raw_id is not None:
    if st.button("Back to the list", icon=":material/arrow_back:"):
        del st.query_params["story"]
        st.rerun()
    st.title("Story")
    chosen = article_id(raw_id)  # a story's id is the id of its first article
    detail = loaders.get_story(chosen) if chosen is not None else None
    if chosen is None:
        st.warning(plain(f"Ignored story={raw_id[:40]}: not a story id."))
    elif detail is None:
        st.warning(f"No story with id {chosen}.")
    else:
        show_story(detail, f)
elif data_context(f, loaders.count_matching(f)) is not None:
    show_list()
