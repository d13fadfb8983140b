"""How a page draws a table: full width without the index (`table`), or with one row to select
(`pickable`, opened by core/dashboard/page.py open_selected), and the kinds of column the pages
share — a moment, a signed score, a wide text, an "open" link — each written once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

MINUTE = "YYYY-MM-DD HH:mm"
"""How a moment is shown in a table: to the minute (every time stored is UTC)."""


def when(label: str) -> Any:
    """A moment, to the minute."""
    return st.column_config.DatetimeColumn(label, format=MINUTE)


def signed(label: str, **options: Any) -> Any:
    """A score that may be negative (tone, relations): its sign and two decimals."""
    return st.column_config.NumberColumn(label, format="%+.2f", **options)


def wide(label: str) -> Any:
    """The text a row is read by (a title, a headline, a summary): the widest column."""
    return st.column_config.TextColumn(label, width="large")


def opens(label: str, text: str = "open") -> Any:
    """A link to the item's own view."""
    return st.column_config.LinkColumn(label, display_text=text)


def table(data: Any, columns: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """`data` as a full-width table without its index; `columns` is its column config."""
    config = dict(columns) if columns is not None else None
    return st.dataframe(data, hide_index=True, width="stretch", column_config=config, **options)


def page_offset(where: Any, total: int, what: str, key: str, size: int) -> int:
    """A page number input (in `where`, a column) over `total` items of `size` a page; the
    offset of the first item of the page chosen."""
    pages = max(1, -(-total // size))
    page = where.number_input(f"Page (of {pages:,}; {total:,} {what})", 1, pages, 1, key=key)
    return (int(page) - 1) * size


def pickable(data: Any, key: str, columns: Mapping[str, Any], **options: Any) -> Any:
    """A table of items (each with its `id`, shown first and narrow) of which the reader can
    select one row; the selection event, which core/dashboard/page.py open_selected opens."""
    columns = {"id": st.column_config.NumberColumn("id", width="small"), **columns}
    return table(data, columns, on_select="rerun", selection_mode="single-row", key=key, **options)
