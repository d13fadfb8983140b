"""An article as one line of a filtered page's match frame, and a page's lines read back.

Under a filter no rollup answers (core/storage/plan.py) every chart reads the matching articles,
and SQLite groups by sorting every row it reads (it has no hash aggregation): at 1M articles
one pass over an actor's 223,000 matches costs ~0.1 s, grouping them ~0.2 s more, and the
Overview made six such passes. Each article's facts row therefore carries what the Overview's
and the Themes page's charts count it by, as text (migration 14): its day, outlet, bloc,
relevance and tone, its themes (central or not), its actors and its relations events
(`line`), and its terms (`terms`). A page's matches are then read in one pass that only
concatenates these lines (`group_concat`, `string_agg`: no sort) and are counted here, in
pandas, where grouping hashes (core/storage/matches.py).

A line's fields are separated by FIELD (the lines of a page by FIELD too, so one split gives
every field of every line), a field's parts by PART, the items of a list by ITEM: control
characters no name should hold (core/ingest/feed_list.py refuses them in outlet names; the
lexicons' names are words), and that a name is written without (`_name`). Floats are written
as Python's `repr`, which reads back to the same float.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from core.storage.values import as_day

FIELD, ITEM, PART = "\x1f", "\x1e", "\x1d"
LINE_FIELDS = ("cell", "tone", "themes", "actors", "events")
"""A line's fields: the cell (day, outlet, bloc, relevance), the tone, the lists."""
FRAME_COLUMNS = ("day", "outlet", "bloc", "relevant", "tone", "themes", "actors", "events")
"""A match frame's columns (`frame_of`): one row per article."""

Theme = tuple[str, bool]  # theme, central
Actor = tuple[str, str, int]  # actor, side, mentions
Event = tuple[str, str, str, float]  # direction, category, quad, weight
Term = tuple[str, str, int]  # theme, term, hits


_SEPARATORS = {ord(FIELD): " ", ord(ITEM): " ", ord(PART): " "}


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
        PART.join((stored.isoformat(), _name(outlet), _name(bloc), "1" if relevant else "0")),
        _number(tone),
        ITEM.join(f"{_name(t)}{PART}{int(central)}" for t, central in sorted(set(themes))),
        ITEM.join(PART.join((_name(a), _name(s), str(n))) for a, s, n in sorted(named.values())),
        ITEM.join(PART.join((d, _name(c), _name(q), _number(w))) for d, c, q, w in events),
    )
    return FIELD.join(fields)


def terms_of(terms: Iterable[Term], central: Iterable[str]) -> str:
    """An article's terms, each with its theme and whether that theme is central to it."""
    kept = set(central)
    return ITEM.join(
        PART.join((_name(theme), _name(term), str(hits), "1" if theme in kept else "0"))
        for theme, term, hits in sorted(terms)
    )


def _codes(values: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    codes, uniques = pd.factorize(values)
    return codes, np.asarray(uniques, dtype=object)


def _categorical(codes: np.ndarray[Any, Any], uniques: Any) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def frame_of(text: str | None) -> pd.DataFrame:
    """The match frame of a page's lines joined by FIELD: one row per article, its lists as
    categories (few distinct values: they are expanded once per value, not per article)."""
    if not text:
        return pd.DataFrame(
            {c: pd.Series(dtype=float if c == "tone" else object) for c in FRAME_COLUMNS}
        )
    fields = np.array(text.split(FIELD), dtype=object).reshape(-1, len(LINE_FIELDS))
    cell, cells = _codes(fields[:, 0])
    parts = np.array([c.split(PART) for c in cells], dtype=object).reshape(-1, 4)
    columns: dict[str, Any] = {}
    for i, name in enumerate(("day", "outlet", "bloc")):
        codes, uniques = _codes(parts[:, i])
        if name == "day":
            uniques = np.array([date.fromisoformat(d) for d in uniques], dtype=object)
        columns[name] = _categorical(codes[cell], uniques)
    columns["relevant"] = (parts[:, 3] == "1")[cell]
    tone = fields[:, 1]
    columns["tone"] = np.where(tone == "", "nan", tone).astype(float)
    for i, name in enumerate(("themes", "actors", "events"), start=2):
        columns[name] = _categorical(*_codes(fields[:, i]))
    return pd.DataFrame(columns)


def items(value: str) -> list[list[str]]:
    """A list field's items, each split into its parts."""
    return [item.split(PART) for item in value.split(ITEM)] if value else []


def terms_frame_of(text: str | None) -> pd.DataFrame:
    """Each distinct term item of a page's `terms` joined by ITEM, with how many times it
    occurs: theme, term, hits, central, count."""
    columns = ["theme", "term", "hits", "central", "count"]
    found = [t for t in text.split(ITEM) if t] if text else []
    if not found:
        return pd.DataFrame(columns=columns)
    codes, uniques = _codes(np.array(found, dtype=object))
    frame = pd.DataFrame(
        [u.split(PART) for u in uniques], columns=["theme", "term", "hits", "central"]
    )
    return frame.assign(
        hits=frame["hits"].astype(np.int64),
        central=frame["central"] == "1",
        count=np.bincount(codes, minlength=len(uniques)),
    )
