"""What the pages say when there is nothing (or something wrong) to show: the wording of feed
health and relative times (pure), and the empty states drawn on a page."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from core.dashboard.loaders import filter_options, stale_analyses


def plain(text: str) -> str:
    """Feed text for Markdown-interpreting widgets: every Markdown and HTML character escaped."""
    specials = "\\`*_{}[]()<>#+-.!|:$~&=^\"'"
    return "".join(f"\\{c}" if c in specials else c for c in text)


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


def require_data(articles: int) -> bool:
    """Explain an empty database or an empty selection (`articles`: how many the filters
    match); True when there is something to show."""
    if filter_options()["date_max"] is None:  # no article at all (from the rollup: cheap)
        st.info(
            "No articles yet. Load the bundled demo corpus with `detente demo` (or `make run`), "
            "or fetch live feeds with `detente poll --once`.",
            icon=":material/inbox:",
        )
        return False
    if articles == 0:
        st.info(
            "No article matches these filters. Widen the date range, clear a filter, or turn "
            "off “US–Russia relevant only”.",
            icon=":material/filter_alt_off:",
        )
        return False
    return True


def stale_message(stale: int) -> str | None:
    """What to tell when `stale` stored articles were read with older lexicons (or analyzer)."""
    if stale <= 0:
        return None
    articles = "1 article was" if stale == 1 else f"{stale:,} articles were"
    return (
        f"{articles} read with older lexicons — run `detente retag` to read them again with "
        "the current config/ (charts mix both readings until then)."
    )


def stale_notice() -> None:
    """The stale-analyses notice, on every page; silent when the lexicons cannot be read."""
    from core.analysis.analyzer import default_analyzer

    try:
        analyzer = default_analyzer()
        stale = stale_analyses(analyzer.lexicon_version, analyzer.analyzer_versions())
    except Exception:  # a broken lexicon or an old database: the pages say so elsewhere
        return
    message = stale_message(stale)
    if message is not None:
        st.info(message, icon=":material/history:")


def empty_note(frame: pd.DataFrame, what: str) -> bool:
    """A caption for an empty chart; True when there is data to draw."""
    if len(frame):
        return True
    st.caption(f"Nothing to show for {what} in this selection.")
    return False
