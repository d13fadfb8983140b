"""An article as one line of a filtered page's match frame, and a page's lines read back.

Under a filter no rollup answers (core/storage/plan.py) every chart reads the matching articles,
and SQLite groups by sorting every row it reads (it has no hash aggregation): at 1M articles
one pass over an actor's 223,000 matches costs ~0.1 s, grouping them ~0.2 s more, and the
Overview made six such passes. Each article therefore has a row in `article_lines` (migration
14, a table of its own so the narrow facts rows stay narrow) holding what the Overview's and the
Themes page's charts count it by, as text: its day, outlet, bloc,
relevance and tone, its themes (central or not), its actors and its relations events
(`line`), and its terms (`terms`). A page's matches are then read in one pass that only
concatenates these lines (`group_concat`, `string_agg`: no sort) and are counted in pandas,
where grouping hashes (core/storage/matches.py).

The lines of a page are separated by LINE and a line's fields by FIELD, so they read back as
one CSV document: Arrow's reader parses it in C++ straight into dictionary-encoded columns
(pandas categories; about twice as fast as splitting the text in Python and factorizing). The
items of a list field are separated by ITEM and an item's parts by PART; an article's terms are
lines of PART-separated parts, so a page's terms read back as one document too. These are
characters no name should hold (core/ingest/feed_list.py refuses control characters in outlet
names; the lexicons' names are words), and a name is written without them (`_name`). Floats are
written as Python's `repr`, which reads back to the same float.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from core.storage.values import as_day

LINE, FIELD, ITEM, PART = "\n", "\x1f", "\x1e", "\x1d"
FRAME_COLUMNS = ("day", "outlet", "bloc", "relevant", "tone", "themes", "actors", "events")
"""A line's fields, and a match frame's columns (`frame_of`): one row per article."""
TERM_COLUMNS = ("theme", "term", "hits", "central")

Theme = tuple[str, bool]  # theme, central
Actor = tuple[str, str, int]  # actor, side, mentions
Event = tuple[str, str, str, float]  # direction, category, quad, weight
Term = tuple[str, str, int]  # theme, term, hits


_SEPARATORS = {ord(c): " " for c in (LINE, "\r", FIELD, ITEM, PART)}


def _name(text: str) -> str:
    """A name as a line holds it: a separator in it would cut the line elsewhere."""
    return text.translate(_SEPARATORS)


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def line_of(
    day: date,
    outlet: str,
    bloc: str,
    relevant: bool,
    tone: float | None,
    themes: Iterable[Theme],
    actors: Iterable[Actor],
    events: Iterable[Event],
) -> str:
    """An article's line: themes by name, actors by name (an actor once, with the side it was
    first stored with, as article_actors keeps it), events in their order."""
    named: dict[str, Actor] = {}
    for actor in actors:
        named.setdefault(actor[0], actor)
    stored = as_day(day)
    assert stored is not None, "an article has a day"
    fields = (
        stored.isoformat(),
        _name(outlet),
        _name(bloc),
        "1" if relevant else "0",
        _number(tone),
        ITEM.join(f"{_name(t)}{PART}{int(central)}" for t, central in sorted(set(themes))),
        ITEM.join(PART.join((_name(a), _name(s), str(n))) for a, s, n in sorted(named.values())),
        ITEM.join(PART.join((d, _name(c), _name(q), _number(w))) for d, c, q, w in events),
    )
    return FIELD.join(fields)


def terms_of(terms: Iterable[Term], central: Iterable[str]) -> str:
    """An article's terms, each with its theme and whether that theme is central to it."""
    kept = set(central)
    return LINE.join(
        PART.join((_name(theme), _name(term), str(hits), "1" if theme in kept else "0"))
        for theme, term, hits in sorted(terms)
    )


_TEXT = pa.dictionary(pa.int32(), pa.string())


def _tables(
    texts: Iterable[str | None], names: tuple[str, ...], types: dict[str, Any], delimiter: str
) -> Any:
    """Documents of lines (LINE) of `delimiter`-separated fields (a page's, read in parts) as
    one Arrow table, its dictionaries unified; None when there is no line."""
    tables = [
        pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=list(names), use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, escape_char=False, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=False
            ),
        )
        for text in texts
        if text and text.strip(LINE)
    ]
    return pa.concat_tables(tables).unify_dictionaries() if tables else None


_FRAME_TYPES = {
    **{name: _TEXT for name in ("day", "outlet", "bloc", "themes", "actors", "events")},
    "relevant": pa.int8(),
    "tone": pa.float64(),
}


def frame_of(texts: Iterable[str | None]) -> pd.DataFrame:
    """The match frame of a page's lines (in parts, each joined by LINE): one row per article,
    its texts as categories (few distinct values: a list is expanded once per value, not per
    article), its days as dates."""
    table = _tables(texts, FRAME_COLUMNS, _FRAME_TYPES, FIELD)
    if table is None:
        kinds = {"relevant": bool, "tone": float}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, "category")) for c in FRAME_COLUMNS})
    frame = table.to_pandas()
    days = frame["day"].cat.categories
    frame["day"] = frame["day"].cat.rename_categories([date.fromisoformat(d) for d in days])
    frame["relevant"] = frame["relevant"].to_numpy() == 1
    return frame


def items(value: str) -> list[list[str]]:
    """A list field's items, each split into its parts."""
    return [item.split(PART) for item in value.split(ITEM)] if value else []


def terms_frame_of(texts: Iterable[str | None]) -> pd.DataFrame:
    """Each distinct term item of a page's `terms` (in parts, each joined by LINE), with how
    many times it occurs: theme, term, hits, central, count. An item is read whole, as one
    dictionary-encoded column, counted by its code and split once per distinct item (a few
    thousand of the actor's 550,000 at 1M)."""
    columns = [*TERM_COLUMNS, "count"]
    table = _tables(texts, ("item",), {"item": _TEXT}, FIELD)
    if table is None:
        kinds = {"hits": "int64", "central": bool, "count": "int64"}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in columns})
    chunks = table.column("item").chunks
    found = chunks[0].dictionary.to_pylist()
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in chunks])
    counts = np.bincount(codes, minlength=len(found))
    rows = [(*item.split(PART), n) for item, n in zip(found, counts, strict=True) if n]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(hits=frame["hits"].astype(np.int64), central=frame["central"] == "1")
