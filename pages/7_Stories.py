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
    total = loaders.count_stories(f, blindspots_only=only)
    pages = max(1, -(-total // PAGE_SIZE))
    page = left.number_input(f"Page (of {pages:,}; {total:,} stories)", 1, pages, 1, key="s_page")
    listing = loaders.list_stories(
        f, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE, sort=sort, blindspots_only=only
    )
    if listing.empty:
        st.info("No story matches these filters.", icon=":material/filter_alt_off:")
        return
    shown = list_table(listing)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="s_table",
        column_config={
            "id": st.column_config.NumberColumn("id", width="small"),
            "headline": st.column_config.TextColumn("headline", width="large"),
            "last_seen": st.column_config.DatetimeColumn("last seen", format="YYYY-MM-DD HH:mm"),
            "first_seen": st.column_config.DatetimeColumn("first seen", format="YYYY-MM-DD HH:mm"),
            "reports": st.column_config.NumberColumn("reports", help="independent reports"),
            "articles": st.column_config.NumberColumn("articles", help="every copy counted"),
            "coverage": st.column_config.TextColumn("articles by bloc"),
            "blindspot": st.column_config.TextColumn("blindspot", width="medium"),
            "gap": st.column_config.NumberColumn(
                "framing gap", format="%.2f", help="highest − lowest mean tone of the blocs"
            ),
            "open": st.column_config.LinkColumn("story", display_text="open"),
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
elif data_context(f, loaders.overview_figures(f)) is not None:
    show_list()
