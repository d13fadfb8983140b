"""CSV summaries that are safe to open in a spreadsheet and say where they came from.

A text cell that begins with =, +, -, @, tab or carriage return is prefixed with an apostrophe so
a spreadsheet shows it instead of evaluating it (OWASP "CSV injection"); numeric columns stay
numeric. Every row carries the filters that selected it and the lexicon and analyzer versions
that produced it. No Streamlit here: the dashboard's download buttons reuse `formula_safe` and
`with_provenance`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from core.models import Filters
from core.storage import ARTICLE_COLUMNS as STORED_ARTICLE_COLUMNS
from core.storage import Store
from core.storage.reads_stories import STORY_COLUMNS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PROVENANCE_COLUMNS = ("filters", "lexicon_version", "analyzer_version")


def neutralise(value: Any) -> Any:
    """A text value a spreadsheet would evaluate, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot be read as formulas; numbers stay numbers."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def describe_filters(f: Filters) -> str:
    """The filters as compact JSON, for the provenance column."""
    values: dict[str, Any] = {}
    if f.date_from:
        values["from"] = f.date_from.isoformat()
    if f.date_to:
        values["to"] = f.date_to.isoformat()
    for name in ("outlets", "blocs", "themes", "actors", "languages"):
        if getattr(f, name):
            values[name] = list(getattr(f, name))
    if f.tone_min > -1.0 or f.tone_max < 1.0:
        values["tone"] = [f.tone_min, f.tone_max]
    if f.query.strip():
        values["q"] = f.query.strip()
    if f.event_categories:
        values["events"] = list(f.event_categories)
    if f.mentions:
        values["mentions"] = True
    values["relevant_only"] = f.relevant_only
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def with_provenance(
    frame: pd.DataFrame,
    f: Filters,
    lexicon_version: str | None = None,
    analyzer_version: str | None = None,
) -> pd.DataFrame:
    """Append the filters and (unless the rows carry their own) the versions; formula-safe.

    Versions default to those of the analyzer in this checkout (what new articles get); pass
    `store.analysis_versions()` to name the versions of the stored articles instead."""
    out = frame.copy()
    out["filters"] = describe_filters(f)
    if lexicon_version is None or analyzer_version is None:
        from core.analysis.analyzer import (  # loads the lexicon: lazily
            ANALYZER_VERSION,
            default_analyzer,
        )

        lexicon_version = lexicon_version or default_analyzer().lexicon_version
        analyzer_version = analyzer_version or ANALYZER_VERSION
    if "lexicon_version" not in out:
        out["lexicon_version"] = lexicon_version
    if "analyzer_version" not in out:
        out["analyzer_version"] = analyzer_version
    return formula_safe(out)


ARTICLE_COLUMNS = [*STORED_ARTICLE_COLUMNS, "filters"]
"""An article's columns (core/storage/columns.py) and the filters that selected it."""
DAILY_COLUMNS = [
    "date", "outlet", "bloc", "theme", "articles", "outlet_articles", "share", "mean_tone",
    "relations_score", "relations_events", "cooperation_events", "conflict_events",
    "filters", "lexicon_version", "analyzer_version",
]  # fmt: skip
"""A row of the daily CSV: day × outlet × theme, with the outlet's relations that day
(core/storage/reads_themes.py, daily_summary)."""


def _scope(f: Filters, include_all: bool) -> Filters:
    return dataclasses.replace(f, relevant_only=False) if include_all else f


def _write(frames: Iterable[pd.DataFrame], out: TextIO | Path, columns: list[str]) -> int:
    """Write frames as one CSV (header once, even when nothing matched); returns the row count."""
    rows = 0
    handle = open(out, "w", encoding="utf-8", newline="") if isinstance(out, Path) else out  # noqa: SIM115
    try:
        header = True
        for frame in frames:
            frame.to_csv(handle, index=False, header=header)
            header = False
            rows += len(frame)
        if header:
            pd.DataFrame(columns=columns).to_csv(handle, index=False)
    finally:
        if isinstance(out, Path):
            handle.close()
    return rows


def export_articles_csv(
    store: Store, f: Filters, out: TextIO | Path, *, include_all: bool = False
) -> int:
    """One row per matching article (relevant only unless include_all); returns rows written."""
    scope = _scope(f, include_all)

    def frames() -> Iterable[pd.DataFrame]:
        for chunk in store.iter_export_articles(scope):
            chunk = chunk.copy()
            chunk["published"] = chunk["published"].map(lambda d: d.isoformat())
            chunk["filters"] = describe_filters(scope)
            yield formula_safe(chunk[ARTICLE_COLUMNS])

    return _write(frames(), out, ARTICLE_COLUMNS)


STORY_EXPORT_COLUMNS = [*STORY_COLUMNS, "filters"]
"""A story's columns (core/storage/reads_stories.py) and the filters that selected it."""


def export_stories_csv(
    store: Store, f: Filters, out: TextIO | Path, *, include_all: bool = False
) -> int:
    """One row per matching story (core/storage/reads_stories.py says which filters apply to
    stories), most recently seen first; returns rows written."""
    scope = _scope(f, include_all)

    def frames() -> Iterable[pd.DataFrame]:
        for chunk in store.iter_export_stories(scope):
            chunk = chunk.copy()
            for column in ("first_seen", "last_seen"):
                chunk[column] = chunk[column].map(lambda d: d.isoformat())
            chunk["filters"] = describe_filters(scope)
            yield formula_safe(chunk[STORY_EXPORT_COLUMNS])

    return _write(frames(), out, STORY_EXPORT_COLUMNS)


def export_daily_csv(
    store: Store, f: Filters, out: TextIO | Path, *, include_all: bool = False
) -> int:
    """date × outlet × theme: articles, share of the outlet's articles, mean tone, and the
    outlet's relations index and event counts that day."""
    scope = _scope(f, include_all)
    summary = store.daily_summary(scope)
    summary["date"] = summary["date"].map(lambda d: d.isoformat())
    lexicon, analyzer = store.analysis_versions()
    frame = with_provenance(summary, scope, lexicon_version=lexicon, analyzer_version=analyzer)
    return _write([frame[DAILY_COLUMNS]], out, DAILY_COLUMNS)
