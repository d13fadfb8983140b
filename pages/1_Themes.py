"""Themes: each theme's volume and tone over time, its share of each bloc, co-occurrence, terms."""

from __future__ import annotations

import streamlit as st

from core.dashboard import charts
from core.dashboard.ui import (
    download_csv,
    empty_note,
    labels_for,
    load,
    options,
    page_setup,
    require_data,
    resolution,
    sidebar_filters,
)
from core.models import BLOCS

page_setup("Themes")
st.title("Themes")
f = sidebar_filters()
if require_data(load("overview_figures", f)):
    labels = labels_for(options()["themes"])
    gaps = load("coverage_gaps", f)
    every = resolution()
    st.caption(
        "A theme counts for an article when its terms appear in the title or repeatedly "
        "in the text; an article with several themes counts under each."
    )

    st.subheader(f"Volume by theme (articles per {every})")
    volume = charts.over_time(load("volume_by_day", f, by="theme"), every)
    if empty_note(volume, "themes"):
        figure = charts.line_chart(volume, "articles", "theme", labels)
        st.plotly_chart(charts.shade_gaps(figure, gaps), width="stretch")
    download_csv(volume, "theme-volume", f)

    st.subheader(f"Tone by theme (mean per {every})")
    tone = charts.over_time(load("tone_by_day", f, by="theme"), every)
    if empty_note(tone, "tone (no English-language article)"):
        figure = charts.line_chart(tone, "mean_tone", "theme", labels)
        st.plotly_chart(charts.shade_gaps(figure, gaps), width="stretch")
    download_csv(tone, "theme-tone", f)

    st.subheader("Theme × bloc: share of each bloc's articles")
    by_bloc = load("theme_by_bloc", f)
    if empty_note(by_bloc, "themes by bloc"):
        st.plotly_chart(
            charts.heatmap(by_bloc, "bloc", "theme", "share", labels, x_order=BLOCS),
            width="stretch",
        )
    download_csv(by_bloc, "theme-by-bloc", f)

    st.subheader("Themes that appear together (articles with both)")
    pairs = load("theme_cooccurrence", f)
    if len(pairs):
        both = charts.symmetric_pairs(pairs)
        st.plotly_chart(
            charts.heatmap(both, "theme_a", "theme_b", "articles", labels), width="stretch"
        )
    else:
        st.caption("No article in this selection has two themes.")
    download_csv(pairs, "theme-cooccurrence", f)

    st.subheader("Terms that triggered each theme")
    terms = load("top_terms", f, limit_per_theme=8)
    shown = terms.assign(theme=terms["theme"].map(lambda t: labels.get(t, t)))
    if empty_note(shown, "theme terms"):
        st.dataframe(shown, hide_index=True, width="stretch", height=420)
    download_csv(shown, "top-terms", f)
