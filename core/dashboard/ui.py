"""Streamlit helpers shared by the pages: the store, cached loaders, the filter sidebar mirrored in
the URL, CSV download buttons and empty states. Pages stay thin: read filters, call core, draw.

The first part of this module is pure (no Streamlit call): the URL model (`filters_from_params`,
`params_from_filters`), the CSV payload and the wording of feed-health notices, tested on their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, cast

import pandas as pd
import streamlit as st

from core.export import with_provenance
from core.models import BLOCS, Filters
from core.storage import Store

URL_PARAMS = ("from", "to", "outlet", "bloc", "theme", "actor", "q", "tone", "relevant")
PAGE_PARAMS = ("article",)
LIST_PARAMS = {"outlet": "outlets", "bloc": "blocs", "theme": "themes", "actor": "actors"}
CACHE_TTL = 60
MAX_QUERY = 200
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "all")


# --- the URL model (pure) -------------------------------------------------------------------------


def _one(value: str | list[str]) -> str:
    return value[-1] if isinstance(value, list) else value


def _tone_range(text: str) -> tuple[float, float] | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(low) and math.isfinite(high) and -1.0 <= low <= high <= 1.0):
        return None
    return low, high


def filters_from_params(
    params: Mapping[str, str | list[str]], options: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Filter values named in the URL, and a notice for everything ignored.

    Keys of the result: from, to (dates), outlets, blocs, themes, actors (lists of known values),
    q (str), tone ((low, high)), relevant_only (bool). Unknown keys and values are dropped with a
    notice; nothing here raises on any input."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for key, raw in params.items():
        if key in PAGE_PARAMS:
            continue
        text = _one(raw).strip()
        shown = text if len(text) <= 60 else text[:57] + "…"
        if key not in URL_PARAMS:
            notices.append(f"Ignored unknown URL parameter '{key[:40]}'.")
        elif key in ("from", "to"):
            try:
                values[key] = date.fromisoformat(text)
            except ValueError:
                notices.append(f"Ignored '{key}={shown}': not a date like 2026-10-01.")
        elif key == "q":
            values["q"] = text[:MAX_QUERY]
        elif key == "tone":
            tone = _tone_range(text)
            if tone is None:
                notices.append(f"Ignored 'tone={shown}': expected two numbers like -0.5,0.5.")
            else:
                values["tone"] = tone
        elif key == "relevant":
            if text.lower() in TRUE_WORDS + FALSE_WORDS:
                values["relevant_only"] = text.lower() in TRUE_WORDS
            else:
                notices.append(f"Ignored 'relevant={shown}': expected 1 or 0.")
        else:
            wanted = [part.strip() for part in text.split(",") if part.strip()]
            known = set(BLOCS) if key == "bloc" else set(options.get(LIST_PARAMS[key], []))
            unknown = [part for part in wanted if part not in known]
            if unknown:
                listed = ", ".join(unknown)
                listed = listed if len(listed) <= 80 else listed[:77] + "…"
                notices.append(f"Ignored unknown {key} value(s): {listed}.")
            values[LIST_PARAMS[key]] = list(dict.fromkeys(p for p in wanted if p in known))
    if "from" in values and "to" in values and values["from"] > values["to"]:
        notices.append("Ignored 'from'/'to': 'from' is after 'to'.")
        del values["from"], values["to"]
    return values, notices


def params_from_filters(
    f: Filters, default_from: date | None, default_to: date | None
) -> dict[str, str]:
    """The URL parameters that reproduce a view (defaults left out, so URLs stay short)."""
    params: dict[str, str] = {}
    if f.date_from and f.date_from != default_from:
        params["from"] = f.date_from.isoformat()
    if f.date_to and f.date_to != default_to:
        params["to"] = f.date_to.isoformat()
    for key, name in LIST_PARAMS.items():
        chosen = getattr(f, name)
        if chosen:
            params[key] = ",".join(chosen)
    if f.query.strip():
        params["q"] = f.query.strip()
    if f.tone_min > -1.0 or f.tone_max < 1.0:
        params["tone"] = f"{f.tone_min:g},{f.tone_max:g}"
    if not f.relevant_only:
        params["relevant"] = "0"
    return params


def filters_from_values(
    values: Mapping[str, Any], default_from: date | None, default_to: date | None
) -> Filters:
    """The Filters a URL asks for (what `filters_from_params` accepted), defaults elsewhere."""
    tone = values.get("tone", (-1.0, 1.0))
    return Filters(
        date_from=values.get("from", default_from),
        date_to=values.get("to", default_to),
        outlets=tuple(values.get("outlets", ())),
        blocs=tuple(values.get("blocs", ())),
        themes=tuple(values.get("themes", ())),
        actors=tuple(values.get("actors", ())),
        tone_min=float(tone[0]),
        tone_max=float(tone[1]),
        relevant_only=bool(values.get("relevant_only", True)),
        query=str(values.get("q", "")),
    )


# --- other pure helpers -----------------------------------------------------------------------


def csv_bytes(frame: pd.DataFrame, f: Filters, versions: tuple[str, str] | None) -> bytes:
    """A download: exactly the rows and columns of `frame`, then the provenance columns (filters,
    lexicon_version, analyzer_version), every text cell formula-safe."""
    lexicon, analyzer = versions if versions else (None, None)
    text: str = with_provenance(frame, f, lexicon, analyzer).to_csv(index=False)
    return text.encode("utf-8")


def ago(when: datetime | None, now: datetime) -> str:
    """A short relative time for a metric ("12 min ago"); the full time goes in its help."""
    if when is None or pd.isna(when):
        return "never"
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def poller_notice(health: pd.DataFrame) -> tuple[str, str] | None:
    """(level, message) explaining the state of polling, or None when all is well.

    The cases an analyst must be told apart: the poller never ran; it ran but never fetched
    anything (typically no network: the last error says why); some feeds are failing."""
    if health.empty:
        return (
            "info",
            "No feeds are configured yet. `detente poll` syncs config/feeds.toml into the "
            "database; you can also add a feed below.",
        )
    attempted = health[health["last_attempt_at"].notna()]
    if attempted.empty:
        return (
            "info",
            "The poller has not run yet: start it with `detente poll --once` (or `make run`).",
        )
    failing = health[health["consecutive_errors"] > 0]
    if health["last_success_at"].isna().all():
        errors = failing["last_error"].dropna().astype(str)
        common = errors.value_counts().index[0] if len(errors) else "unknown"
        return (
            "warning",
            f"No feed has been fetched successfully yet ({len(attempted)} of {len(health)} "
            f"tried). The most common error was: “{common}”. Without network access every feed "
            "fails; the demo corpus is still shown on the other pages.",
        )
    if len(failing):
        return (
            "warning",
            f"{len(failing)} of {len(health)} feeds are failing; their last errors are in the "
            "table, and their gaps are shaded on the trend charts.",
        )
    return None


def plain(text: str) -> str:
    """Feed text for Markdown-interpreting widgets: every Markdown and HTML character escaped."""
    specials = "\\`*_{}[]()<>#+-.!|:$~&=^\"'"
    return "".join(f"\\{c}" if c in specials else c for c in text)


# --- data ---------------------------------------------------------------------------------------


@st.cache_resource
def get_store() -> Store:
    return Store.open()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def load(name: str, f: Filters | None = None, **kwargs: Any) -> Any:
    """A store read by name, cached per filters and arguments (pure function of plain values)."""
    method = getattr(get_store(), name)
    return method(f, **kwargs) if f is not None else method(**kwargs)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def options() -> dict[str, Any]:
    return get_store().filter_options()


@st.cache_data(ttl=600, show_spinner=False)
def stored_versions() -> tuple[str, str]:
    """The lexicon and analyzer versions of the stored articles (a full scan: only on download)."""
    return get_store().analysis_versions()


@st.cache_data(ttl=3600, show_spinner=False)
def theme_labels() -> dict[str, str]:
    from core.analysis.themes import default_lexicon

    try:
        return dict(default_lexicon().labels)
    except Exception:  # a broken lexicon file must not take the dashboard down
        return {}


def label(theme: str) -> str:
    return theme_labels().get(theme, theme.replace("_", " ").capitalize())


def labels_for(themes: list[str]) -> dict[str, str]:
    return {theme: label(theme) for theme in themes}


# --- the sidebar --------------------------------------------------------------------------------

_KEYS = (
    "f_dates",
    "f_every",
    "f_outlets",
    "f_blocs",
    "f_themes",
    "f_actors",
    "f_tone",
    "f_relevant",
    "f_q",
)
RESOLUTIONS = ("week", "day")


def _seed_from_url(opts: Mapping[str, Any]) -> None:
    values, notices = filters_from_params(st.query_params.to_dict(), opts)
    st.session_state["f_notices"] = (st.session_state.get("page"), notices)
    seeded = filters_from_values(values, opts["date_min"], opts["date_max"])
    start, end = seeded.date_from, seeded.date_to
    st.session_state["f_dates"] = (start, end) if start and end else ()
    st.session_state["f_outlets"] = list(seeded.outlets)
    st.session_state["f_blocs"] = list(seeded.blocs)
    st.session_state["f_themes"] = list(seeded.themes)
    st.session_state["f_actors"] = list(seeded.actors)
    st.session_state["f_q"] = seeded.query
    st.session_state["f_tone"] = (seeded.tone_min, seeded.tone_max)
    st.session_state["f_relevant"] = seeded.relevant_only
    st.session_state["f_every"] = RESOLUTIONS[0]
    st.session_state["f_seeded"] = True


def _write_url(wanted: Mapping[str, str]) -> None:
    current = {k: _one(v) for k, v in st.query_params.to_dict().items() if k in URL_PARAMS}
    if current == dict(wanted):
        return
    for key in URL_PARAMS:
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        st.query_params[key] = value


def extend_dates(
    chosen: tuple[date, ...],
    old: tuple[date | None, date | None] | None,
    low: date | None,
    high: date | None,
) -> tuple[date, ...]:
    """The date range once new articles widen the data: an end (or start) left at the old edge
    of the data follows it, so a dashboard left open keeps showing what the poller brings; a
    range the analyst narrowed stays as it is."""
    if not (low and high):
        return chosen
    if len(chosen) != 2 or old is None:
        return chosen if chosen else (low, high)
    start, end = chosen
    return (low if start == old[0] else start, high if end == old[1] else end)


def _follow_new_data(old: Any, low: date | None, high: date | None) -> None:
    st.session_state["f_dates"] = extend_dates(
        tuple(st.session_state.get("f_dates", ())), old, low, high
    )
    st.session_state["f_bounds"] = (low, high)


def sidebar_filters() -> Filters:
    """The shared filters: seeded from the URL on arrival, kept in the session across pages,
    written back to the URL on every run so the view can be shared."""
    opts = options()
    low, high = opts["date_min"], opts["date_max"]
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
    )
    _write_url(params_from_filters(filters, low, high))
    return filters


def resolution() -> str:
    """The time resolution of trend lines chosen in the sidebar ("week" or "day")."""
    every = st.session_state.get("f_every", RESOLUTIONS[0])
    return every if every in RESOLUTIONS else RESOLUTIONS[0]


# --- page furniture -----------------------------------------------------------------------------


NAVIGATION = (
    ("app.py", "Overview", ":material/monitoring:"),
    ("pages/1_Themes.py", "Themes", ":material/sell:"),
    ("pages/2_Outlets.py", "Outlets", ":material/newspaper:"),
    ("pages/3_Articles.py", "Articles", ":material/article:"),
    ("pages/4_Sources.py", "Sources", ":material/rss_feed:"),
)


def page_setup(title: str) -> None:
    """Page config and the navigation (drawn here so the first page reads "Overview", not "app";
    the pages/ folder does the routing, so no st.navigation)."""
    st.set_page_config(page_title=f"{title} · Détente", page_icon="🕊️", layout="wide")
    st.session_state["page"] = title
    for path, name, icon in NAVIGATION:
        st.sidebar.page_link(path, label=name, icon=icon)
    st.sidebar.divider()


def download_csv(frame: pd.DataFrame, name: str, f: Filters) -> None:
    """A "Download CSV" button for exactly `frame` plus provenance, built only when clicked."""

    def payload() -> bytes:
        try:
            versions: tuple[str, str] | None = stored_versions()
        except Exception:  # the button must still work if the version read fails
            versions = None
        return csv_bytes(frame, f, versions)

    st.download_button(
        "Download CSV",
        payload,
        file_name=f"detente-{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def require_data(figures: Mapping[str, Any]) -> bool:
    """Explain an empty database or an empty selection; True when there is something to show."""
    if options()["date_max"] is None:  # no article at all (from the rollup: cheap at any size)
        st.info(
            "No articles yet. Load the bundled demo corpus with `detente demo` (or `make run`), "
            "or fetch live feeds with `detente poll --once`.",
            icon=":material/inbox:",
        )
        return False
    if figures["articles"] == 0:
        st.info(
            "No article matches these filters. Widen the date range, clear a filter, or turn "
            "off “US–Russia relevant only”.",
            icon=":material/filter_alt_off:",
        )
        return False
    return True


def empty_note(frame: pd.DataFrame, what: str) -> bool:
    """A caption for an empty chart; True when there is data to draw."""
    if len(frame):
        return True
    st.caption(f"Nothing to show for {what} in this selection.")
    return False
