"""Theme and event labels: charts and widgets key themes by id ("arms_control") and show the
label the lexicon gives it ("Arms control"), read once from config/themes.toml; relations event
categories likewise from config/relations.toml."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st


@st.cache_data(ttl=3600, show_spinner=False)
def theme_labels() -> dict[str, str]:
    """Theme id -> label, from the lexicon; empty when the lexicon cannot be read."""
    from core.analysis.themes import default_lexicon

    try:
        return dict(default_lexicon().labels)
    except Exception:  # a broken lexicon file must not take the dashboard down
        return {}


def label(theme: str) -> str:
    """The label of one theme; a theme the lexicon no longer knows gets its id, readable."""
    return theme_labels().get(theme, theme.replace("_", " ").capitalize())


def labels_for(themes: Iterable[str]) -> dict[str, str]:
    return {theme: label(theme) for theme in themes}


QUAD_LABELS = {
    "verbal_cooperation": "Any verbal cooperation",
    "material_cooperation": "Any material cooperation",
    "verbal_conflict": "Any verbal conflict",
    "material_conflict": "Any material conflict",
}
"""The four CAMEO quad classes, as the event filter offers them beside the categories."""


@st.cache_data(ttl=3600, show_spinner=False)
def event_labels() -> dict[str, str]:
    """Relations event category id -> label (config/relations.toml); empty when unreadable."""
    from core.analysis.relations_lexicon import default_relations

    try:
        return {c.code: c.label for c in default_relations().categories}
    except Exception:  # a broken lexicon file must not take the dashboard down
        return {}


def event_label(code: str) -> str:
    """The label of an event category or quad class; an unknown id gets itself, readable."""
    return QUAD_LABELS.get(code) or event_labels().get(code, code.replace("_", " ").capitalize())
