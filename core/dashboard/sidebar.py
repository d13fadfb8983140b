"""The shared filter sidebar: seeded from the URL on arrival (core/dashboard/url.py), kept in the
session across pages, written back to the URL on every run so a view can be shared."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import cast

import streamlit as st

from core.dashboard.labels import QUAD_LABELS, event_label, label
from core.dashboard.languages import language_label
from core.dashboard.loaders import FilterOptions, filter_options
from core.dashboard.notices import plain
from core.dashboard.url import (
    MAX_QUERY,
    URL_PARAMS,
    default_range,
    extend_dates,
    filters_from_params,
    filters_from_values,
    last_value,
    params_from_filters,
)
from core.models import BLOCS, Filters

_KEYS = (
    "f_dates",
    "f_every",
    "f_outlets",
    "f_blocs",
    "f_themes",
    "f_actors",
    "f_langs",
    "f_tone",
    "f_relevant",
    "f_q",
    "f_events",
    "f_mentions",
)
RESOLUTIONS = ("week", "day")


def _seed_from_url(opts: FilterOptions) -> None:
    values, notices = filters_from_params(st.query_params.to_dict(), opts)
    st.session_state["f_notices"] = (st.session_state.get("page"), notices)
    seeded = filters_from_values(values, *default_range(opts["date_min"], opts["date_max"]))
    start, end = seeded.date_from, seeded.date_to
    st.session_state["f_dates"] = (start, end) if start and end else ()
    st.session_state["f_outlets"] = list(seeded.outlets)
    st.session_state["f_blocs"] = list(seeded.blocs)
    st.session_state["f_themes"] = list(seeded.themes)
    st.session_state["f_actors"] = list(seeded.actors)
    st.session_state["f_langs"] = list(seeded.languages)
    st.session_state["f_q"] = seeded.query
    st.session_state["f_tone"] = (seeded.tone_min, seeded.tone_max)
    st.session_state["f_relevant"] = seeded.relevant_only
    st.session_state["f_events"] = list(seeded.event_categories)
    st.session_state["f_mentions"] = seeded.mentions
    st.session_state["f_every"] = RESOLUTIONS[0]
    st.session_state["f_seeded"] = True


def _write_url(wanted: Mapping[str, str]) -> None:
    current = {k: last_value(v) for k, v in st.query_params.to_dict().items() if k in URL_PARAMS}
    if current == dict(wanted):
        return
    for key in URL_PARAMS:
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        st.query_params[key] = value


def _follow_new_data(
    old: tuple[date | None, date | None] | None, low: date | None, high: date | None
) -> None:
    st.session_state["f_dates"] = extend_dates(
        tuple(st.session_state.get("f_dates", ())), old, low, high
    )
    st.session_state["f_bounds"] = (low, high)


def sidebar_filters() -> Filters:
    """The shared filters: seeded from the URL on arrival, kept in the session across pages,
    written back to the URL on every run so the view can be shared."""
    opts = filter_options()
    low, high = default_range(opts["date_min"], opts["date_max"])
    for key in _KEYS:  # keep widget values alive across page switches
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    if not st.session_state.get("f_seeded"):
        _seed_from_url(opts)
        st.session_state["f_bounds"] = (low, high)
    elif st.session_state.get("f_bounds") != (low, high):
        _follow_new_data(st.session_state.get("f_bounds"), low, high)
    notice_page, notices = st.session_state.get("f_notices", (None, []))
    if notice_page == st.session_state.get("page"):
        for notice in notices:
            st.warning(plain(notice), icon=":material/warning:")

    sidebar = st.sidebar
    sidebar.header("Filters")
    dates = sidebar.date_input("Date range (UTC)", key="f_dates", format="YYYY-MM-DD")
    sidebar.radio(
        "Trend lines per",
        RESOLUTIONS,
        key="f_every",
        horizontal=True,
        help="Weekly lines are steadier; the volume bars and unusual days stay daily.",
    )
    outlets = sidebar.multiselect("Outlets", opts["outlets"], key="f_outlets")
    blocs = sidebar.multiselect("Blocs", list(BLOCS), key="f_blocs")
    themes = sidebar.multiselect("Themes", opts["themes"], key="f_themes", format_func=label)
    actors = sidebar.multiselect("Actors", opts["actors"], key="f_actors")
    languages = sidebar.multiselect(
        "Languages",
        opts["languages"],
        key="f_langs",
        format_func=language_label,
        help="The language each article was detected in. Russian articles have no tone.",
    )
    tone_range = cast(
        tuple[float, float],
        sidebar.slider(
            "Tone range",
            -1.0,
            1.0,
            step=0.05,
            key="f_tone",
            help="Narrowing the range leaves out articles without a tone (non-English).",
        ),
    )
    relevant = sidebar.toggle(
        "US–Russia relevant only",
        key="f_relevant",
        help="Articles about the relationship, not merely mentioning Russia.",
    )
    events = sidebar.multiselect(
        "Relations events",
        list(dict.fromkeys([*QUAD_LABELS, *opts.get("event_categories", [])])),
        key="f_events",
        format_func=event_label,
        help="Only articles with such a cooperation or conflict event between the US and Russia "
        "(a category, or any of a class).",
    )
    mentions = sidebar.toggle(
        "Include passing mentions",
        key="f_mentions",
        help="Count an article under every theme it mentions, not only its central themes.",
    )
    query = sidebar.text_input("Search titles and summaries", key="f_q", max_chars=MAX_QUERY)
    start, end = (
        (dates[0], dates[-1]) if isinstance(dates, tuple | list) and dates else (None, None)
    )
    filters = Filters(
        date_from=start,
        date_to=end,
        outlets=tuple(outlets),
        blocs=tuple(blocs),
        themes=tuple(themes),
        actors=tuple(actors),
        tone_min=float(tone_range[0]),
        tone_max=float(tone_range[1]),
        relevant_only=bool(relevant),
        query=query,
        languages=tuple(languages),
        event_categories=tuple(events),
        mentions=bool(mentions),
    )
    _write_url(params_from_filters(filters, low, high))
    return filters


def resolution() -> str:
    """The time resolution of trend lines chosen in the sidebar ("week" or "day")."""
    every = st.session_state.get("f_every", RESOLUTIONS[0])
    return every if every in RESOLUTIONS else RESOLUTIONS[0]
