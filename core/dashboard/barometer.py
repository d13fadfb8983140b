"""The Relations barometer on the Overview (issue 9): the cooperation–conflict index over time,
split by the events' direction or the reporting outlet's bloc, with its event counts, unusual
days, feed gaps, the events by category, and a Download CSV under each chart."""

from __future__ import annotations

import streamlit as st

from core.dashboard import charts, loaders, relations_charts
from core.dashboard.downloads import download_csv
from core.dashboard.labels import event_labels
from core.dashboard.loaders import Barometer
from core.dashboard.notices import empty_note
from core.dashboard.page import PageContext, chart_section

SPLITS: tuple[Barometer, ...] = ("direction", "bloc")
SPLIT_NAMES = {"direction": "direction of the act", "bloc": "bloc of the reporting outlet"}


def barometer_section(page: PageContext) -> None:
    """The barometer and the events by category, for the page's filters."""
    f, every = page.filters, page.every
    st.subheader(f"Relations barometer (per {every})")
    st.caption(
        "The cooperation–conflict index: the mean weight of the US–Russia events read in the "
        "articles (CAMEO categories on the Goldstein scale, / 10), from −1 (conflict) to +1 "
        "(cooperation); below it, how many events. Open an article to see each event marked."
    )
    by = st.radio(
        "Split by", SPLITS, horizontal=True, key="ov_barometer", format_func=SPLIT_NAMES.__getitem__
    )
    daily = loaders.relations_by_day(f, by or SPLITS[0])
    unusual = relations_charts.unusual_event_days(daily, f.date_from, f.date_to)
    shown = relations_charts.barometer_over_time(daily, every)
    if every == "day":
        shown = charts.mark_unusual(shown, unusual)
    if empty_note(shown, "relations events"):
        figure = relations_charts.barometer_chart(
            shown, by or SPLITS[0], unusual if every == "day" else None
        )
        st.plotly_chart(charts.shade_gaps(figure, page.gaps()), width="stretch")
        if len(unusual):
            days = ", ".join(f"{d:%d %b}" for d in unusual["day"])
            st.caption(f"★ Unusual number of events (as for volume: mean + 3σ): {days}")
    download_csv(shown, f"relations-by-{by}", f)

    st.subheader("Relations events by category")
    labels = event_labels()
    chart_section(
        loaders.relations_by_category(f),
        "relations events",
        lambda categories: relations_charts.events_by_category_chart(categories, labels),
        "relations-by-category",
        f,
    )
