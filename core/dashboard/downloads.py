"""The dashboard's one way out for data: a "Download CSV" button per chart and table, whose file
is exactly the rows shown plus provenance, every text cell formula-safe (core/export.py).

Streamlit's own table toolbar download (and clipboard copy) would write cells such as
`=HYPERLINK(…)` raw, so it is off: `client.disableDataExport` in .streamlit/config.toml, and set
again by `keep_exports_safe` on every page, for a `streamlit run` started from another folder."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.dashboard.loaders import analysis_versions
from core.export import with_provenance
from core.models import Filters


def keep_exports_safe() -> None:
    """Switch off the table toolbar's CSV download and copy (from the next run on, when the
    config file was not read)."""
    st.set_option("client.disableDataExport", True)


def csv_bytes(frame: pd.DataFrame, f: Filters, versions: tuple[str, str] | None) -> bytes:
    """A download: exactly the rows and columns of `frame`, then the provenance columns (filters,
    lexicon_version, analyzer_version), every text cell formula-safe."""
    lexicon, analyzer = versions if versions else (None, None)
    text: str = with_provenance(frame, f, lexicon, analyzer).to_csv(index=False)
    return text.encode("utf-8")


def download_csv(frame: pd.DataFrame, name: str, f: Filters) -> None:
    """A "Download CSV" button for exactly `frame` plus provenance, built only when clicked."""

    def payload() -> bytes:
        try:
            versions: tuple[str, str] | None = analysis_versions()
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
