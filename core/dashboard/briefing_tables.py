"""The Briefing page's tables (pages/6_Briefing.py): the briefing's top articles, top stories and
blindspots (core/alerts/briefing.py) as rows with a link to their view, shown as plain text."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.alerts.briefing import Briefing
from core.dashboard.tables import opens, table, wide


def top_article_rows(b: Briefing) -> list[dict[str, Any]]:
    return [
        {"bloc": bloc, "outlet": a["outlet"], "title": a["title"], "tone": a["tone"],
         "open": f"/Articles?article={a['id']}"}
        for bloc, items in b.top.items()
        for a in items
    ]  # fmt: skip


def top_story_rows(b: Briefing) -> list[dict[str, Any]]:
    return [
        {"bloc": bloc, "headline": story["headline"], "reports": story["reports"],
         "articles": story["articles"], "open": f"/Stories?story={story['id']}"}
        for bloc, items in b.stories.items()
        for story in items
    ]  # fmt: skip


def blindspot_rows(b: Briefing) -> list[dict[str, Any]]:
    return [
        {"headline": story["headline"], "blindspot": story["blindspot"], "blocs": story["blocs"],
         "reports": story["reports"], "open": f"/Stories?story={story['id']}"}
        for story in b.blindspots
    ]  # fmt: skip


def linked_table(rows: list[dict[str, Any]], text: str, link: str, columns: dict[str, Any],
                 empty: str) -> None:  # fmt: skip
    """Rows with a wide `text` column and an "open" link column named `link`, or `empty`."""
    if not rows:
        st.caption(empty)
        return
    table(rows, {text: wide(text), **columns, "open": opens(link)})
