"""Themes: each theme's volume and tone over time, its share of each bloc, co-occurrence, terms."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.dashboard import charts, loaders
from core.dashboard.downloads import download_csv
from core.dashboard.notices import empty_note
from core.dashboard.page import chart_section, open_page
from core.models import BLOCS

page = open_page("Themes", "Themes", reads_matches=True)
if page is not None:
    f, labels, every = page.filters, page.labels, page.every
    gaps = page.gaps()
    st.caption(
        "A theme counts for an article when it is central to it (enough of the article is about "
        "it); “Include passing mentions” in the sidebar counts every theme named in the headline "
        "or in a sentence about the relationship. An article with several themes counts under each."
    )

    st.subheader(f"Volume by theme (articles per {every})")
    chart_section(
        page.trend(loaders.volume_by_day(f, "theme")),
        "themes",
        lambda volume: charts.shade_gaps(
            charts.line_chart(volume, "articles", "theme", labels), gaps
        ),
        "theme-volume",
        f,
    )

    st.subheader(f"Tone by theme (mean per {every})")
    chart_section(
        page.trend(loaders.tone_by_day(f, "theme")),
        "tone (no English-language article)",
        lambda tone: charts.shade_gaps(charts.line_chart(tone, "mean_tone", "theme", labels), gaps),
        "theme-tone",
        f,
    )

    st.subheader("Central themes and passing mentions (articles)")
    chart_section(
        charts.central_and_mentioned(
            loaders.volume_by_day(replace(f, mentions=False), "theme"),
            loaders.volume_by_day(replace(f, mentions=True), "theme"),
        ),
        "themes",
        lambda both: charts.central_and_mentioned_chart(both, labels),
        "theme-central-and-mentions",
        f,
    )

    st.subheader("Theme × bloc: share of each bloc's articles")
    chart_section(
        loaders.theme_by_bloc(f),
        "themes by bloc",
        lambda by_bloc: charts.heatmap(by_bloc, "bloc", "theme", "share", labels, x_order=BLOCS),
        "theme-by-bloc",
        f,
    )

    st.subheader("Themes that appear together (articles with both)")
    pairs = loaders.theme_cooccurrence(f)
    if len(pairs):
        both = charts.symmetric_pairs(pairs)
        st.plotly_chart(
            charts.heatmap(both, "theme_a", "theme_b", "articles", labels), width="stretch"
        )
    else:
        st.caption("No article in this selection has two themes.")
    download_csv(pairs, "theme-cooccurrence", f)

    st.subheader("Terms that triggered each theme")
    terms = loaders.top_terms(f, limit_per_theme=8)
    shown = terms.assign(theme=terms["theme"].map(lambda t: labels.get(t, t)))
    if empty_note(shown, "theme terms"):
        st.dataframe(shown, hide_index=True, width="stretch", height=420)
    download_csv(shown, "top-terms", f)
