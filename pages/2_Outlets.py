"""Outlets: what each outlet emphasises, how its tone is distributed, the framing gap, and one
outlet's editions (Russian and English) side by side."""

from __future__ import annotations

import streamlit as st

from core.dashboard import charts, loaders
from core.dashboard.downloads import download_csv
from core.dashboard.editions import show_editions
from core.dashboard.page import chart_section, open_page

page = open_page("Outlets", "Outlets and blocs", reads_matches=True)
if page is not None:
    f, themes, labels = page.filters, list(page.themes), page.labels

    st.subheader("Outlet × theme emphasis: share of the outlet's articles")
    emphasis = loaders.theme_by_outlet(f)
    chart_section(
        emphasis,
        "themes by outlet",
        lambda frame: charts.heatmap(frame, "theme", "outlet", "share", labels),
        "outlet-theme",
        f,
    )

    st.subheader("Tone distribution per outlet")
    histogram = loaders.tone_histogram(f, by="outlet", bins=20)
    if len(histogram):
        outlet_blocs = dict(zip(emphasis["outlet"], emphasis["bloc"], strict=False))
        st.plotly_chart(charts.tone_histogram_chart(histogram, outlet_blocs), width="stretch")
        st.caption("Article tones in 20 bins over [-1, 1]; colour is the outlet's bloc.")
    else:
        st.caption("No English-language article to score in this selection (tone is n/a).")
    download_csv(histogram, "tone-histogram", f)

    st.subheader("Framing gap: tone by bloc for one theme")
    if themes:
        chosen = [t for t in f.themes if t in themes]
        theme = st.selectbox(
            "Theme",
            themes,
            index=themes.index(chosen[0]) if chosen else 0,
            format_func=lambda t: labels.get(t, t),
            key="gap_theme",
        )
        gap = page.trend(charts.only_theme(loaders.theme_tone_by_bloc_day(f), theme))
        if len(gap):
            figure = charts.line_chart(gap, "mean_tone", "bloc")
            st.plotly_chart(charts.shade_gaps(figure, page.gaps()), width="stretch")
            st.caption(
                f"Mean tone per {page.every} of each bloc's articles on this theme: how "
                "differently the blocs sound on the same subject."
            )
        else:
            st.caption("No scored article on this theme in the selection.")
        download_csv(gap.assign(theme=theme), "framing-gap", f)
    else:
        st.caption("No themes in the database yet.")

    show_editions(f, labels)
