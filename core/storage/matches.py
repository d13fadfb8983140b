"""A filtered page's matches read once, as a frame of one line per article, and every chart
of the Overview and the Themes page counted from it.

A filter no rollup has a key for (an actor, a text search, a narrowed tone: core/storage/plan.py)
makes every chart read the matching articles. At 1M articles one pass over them costs ~0.1 s
and SQLite's grouping (a sort of every row read) ~0.2 s more per chart; the Overview made six
such reads (1.3–2.0 s) and the Themes page five. Here a page reads its matches once: each
facts row holds the article as a line (core/storage/match_lines.py), the lines of the
matches come back concatenated, in one pass and no sort, and are counted in pandas (hashing):
~0.4–0.6 s for every chart of the Overview under an actor, text or tone filter. The terms,
three to an article, are a second read of the same kind, for the Themes page.

`match_frame` reads every article of the filters, relevant or not and whatever their themes
(the headline figures count both; a theme filter, relevance and passing mentions are applied
when counting), so every page and chart under the same other filters shares it. The pure
functions below count from it exactly what the per-chart reads give (tests/
test_match_frames.py compares them on SQLite and PostgreSQL); the dashboard's loaders use
them when `digest.reads_matches` says the page reads the articles
(core/dashboard/loaders.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
import sqlalchemy as sa

from core.models import Filters
from core.storage.base import StoreBase
from core.storage.digest import ARTICLE_DIGEST_COLUMNS, THEME_DIGEST_COLUMNS
from core.storage.match_lines import LINE, frame_of, items, terms_frame_of
from core.storage.plan import ARTICLES, article_where, driver
from core.storage.reads_relations import RELATIONS_CATEGORY_COLUMNS, RELATIONS_DAY_COLUMNS
from core.storage.reads_themes import with_blocs
from core.storage.reads_tone import histogram
from core.storage.reads_volume import article_figures
from core.storage.schema import article_facts, article_lines, articles
from core.storage.values import as_day

LINES_PER_READ = 1_000_000
"""Article ids whose lines one statement concatenates: SQLite refuses a string over 1 GB (~7M
lines), and a part is parsed before the next is read. Fewer ids per part would cost a page at
1M articles more (250,000: ~0.05–0.1 s a frame, each part a statement of its own)."""


def frame_key(f: Filters) -> Filters:
    """The filters a match frame is read under: every relevance, no theme filter."""
    return dataclasses.replace(f, relevant_only=False, themes=(), mentions=False)


def terms_key(f: Filters) -> Filters:
    """The filters the terms are read under: a theme filter keeps the selected themes' terms
    when counting (a term of a selected theme, central or passing as asked, is one of an
    article the filter keeps)."""
    return dataclasses.replace(f, themes=(), mentions=False)


class MatchReads(StoreBase):
    def _lines(self, f: Filters, column: str) -> Iterator[str | None]:
        """The article_lines `column` of the articles of `f`, joined by LINE, a range of
        LINES_PER_READ ids at a time: the matches found through article_facts
        (`plan(facts=True)`), each line looked up by id."""
        p = self.plan(f, ARTICLES, rollups=False, facts=True)
        lines, ids = article_lines.c, article_facts.c.id
        found = driver(p.filters, p.text_ids)
        if found is not None and self._every_day(found.left):
            # nothing to check but the ids: each line looked up straight from the driving ids
            # (with a lookup in article_facts as well, an actor's frame took ~1.8x as long)
            source, where = (
                found.table.join(article_lines, lines.id == found.ids),
                [found.condition],
            )
            ranged = [found.ids]
        else:
            source, where = p.source.join(article_lines, lines.id == ids), p.where
            # the range on the driving ids too: SQLite carries it into an index's range, not
            # into a virtual table's (FTS5 would read its whole list of matches for each part)
            ranged = [ids] if found is None else [ids, found.ids]
        span = [c.between(sa.bindparam("low"), sa.bindparam("high")) for c in ranged]
        statement = (
            sa.select(sa.func.aggregate_strings(lines[column], LINE))
            .select_from(source)
            .where(*where, *span)
        )
        with self.engine.connect() as conn:
            low, top = conn.execute(sa.select(sa.func.min(ids), sa.func.max(ids))).one()
            while low is not None and low <= top:
                high = low + LINES_PER_READ - 1
                yield conn.execute(statement, {"low": low, "high": high}).scalar_one()
                low = high + 1

    def _every_day(self, f: Filters) -> bool:
        """Do the filters keep every stored article: no filter but a date range spanning every
        stored day (the dashboard's default range, unless an article is dated before its floor)?"""
        if article_where(dataclasses.replace(f, date_from=None, date_to=None)):
            return False
        if f.date_from is None and f.date_to is None:
            return True
        day = articles.c.published_day
        with self.engine.connect() as conn:
            first, last = conn.execute(
                sa.select(sa.select(sa.func.min(day)).scalar_subquery(),
                          sa.select(sa.func.max(day)).scalar_subquery())
            ).one()  # fmt: skip
        first, last = as_day(first), as_day(last)
        if first is None or last is None:
            return False
        return (f.date_from is None or f.date_from <= first) and (
            f.date_to is None or f.date_to >= last
        )

    def match_frame(self, f: Filters) -> pd.DataFrame:
        """One row per article of `frame_key(f)` (match_lines.FRAME_COLUMNS)."""
        return frame_of(self._lines(frame_key(f), "line"))

    def match_terms(self, f: Filters) -> pd.DataFrame:
        """The term items of the articles of `terms_key(f)`, each with its count
        (match_lines.terms_frame_of)."""
        return terms_frame_of(self._lines(terms_key(f), "terms"))


def _has_theme(themes: str, chosen: tuple[str, ...], mentions: bool) -> bool:
    return any(t in chosen and (mentions or central == "1") for t, central in items(themes))


def selected(frame: pd.DataFrame, f: Filters, *, relevance: bool = True) -> pd.DataFrame:
    """The frame's articles `f` keeps: relevant ones unless it asks for all (when
    `relevance`), with a selected theme (central unless `f.mentions`) under a theme filter."""
    keep = np.ones(len(frame), dtype=bool)
    if relevance and f.relevant_only:
        keep &= frame["relevant"].to_numpy(dtype=bool)
    if f.themes:
        themes = frame["themes"].cat
        kept = [_has_theme(t, f.themes, f.mentions) for t in themes.categories]
        keep &= np.asarray([*kept, False], dtype=bool)[themes.codes]
    return frame[keep]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values (the per-chart reads' types)."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame.reset_index(drop=True)


def _tone_sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per combination of `keys`: the articles, the sum of their tones, how many have one."""
    tone = frame["tone"]
    counted = frame[keys].assign(
        articles=1, tone_sum=tone.fillna(0.0), tone_count=tone.notna().astype(np.int64)
    )
    summed = counted.groupby(keys, observed=True, sort=False).sum().reset_index()
    return _plain(summed)


def article_digest_from(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.article_digest(f) (core/storage/digest.py)."""
    keys = ["day", "bloc", "outlet", "relevant"]
    return _tone_sums(selected(frame, f), keys)[ARTICLE_DIGEST_COLUMNS]


def _expanded(
    frame: pd.DataFrame, column: str, keys: list[str], expand: Any, names: list[str]
) -> pd.DataFrame:
    """Per combination of `keys` and value of the list `column`, the articles (`n`), joined to
    the rows `expand` makes of each value (columns `names`)."""
    grouped = frame.groupby([*keys, column], observed=True, sort=False).size()
    grouped = _plain(grouped.rename("n").reset_index())
    values = grouped[column].unique()
    rows = [(value, *row) for value in values for row in expand(value)]
    table = pd.DataFrame(rows, columns=[column, *names])
    return grouped.merge(table, on=column).drop(columns=column)


def theme_digest_from(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.theme_digest(f) (core/storage/digest.py): every theme of the articles `f` keeps
    without its theme filter."""
    shown = selected(frame, dataclasses.replace(f, themes=()))
    keys = ["day", "bloc", "themes"]
    sums = _tone_sums(shown, keys)
    rows = [(v, t, c == "1") for v in sums["themes"].unique() for t, c in items(v)]
    table = pd.DataFrame(rows, columns=["themes", "theme", "central"])
    per_theme = sums.merge(table, on="themes").drop(columns="themes")
    measures = ["articles", "tone_sum", "tone_count"]
    summed = per_theme.groupby(["day", "bloc", "theme", "central"], sort=False)[measures].sum()
    return summed.reset_index()[THEME_DIGEST_COLUMNS]


def figures_from(frame: pd.DataFrame, f: Filters, desk: dict[str, Any]) -> dict[str, Any]:
    """Store.overview_figures(f), the figures no filter changes (`desk`:
    Store.desk_figures) given."""
    every = selected(frame, f, relevance=False)
    relevant = every["relevant"].to_numpy(dtype=bool)
    shown = every[relevant] if f.relevant_only else every
    tone = shown["tone"]
    count = int(tone.notna().sum())
    outlets = int(shown["outlet"].nunique())
    figures = article_figures(
        f, len(every), int(relevant.sum()), float(tone.sum()) if count else None, count, outlets
    )
    return {**figures, **desk}


def _relations(
    frame: pd.DataFrame, f: Filters, keys: list[str], event_keys: list[str]
) -> pd.DataFrame:
    """The events `f` counts (its categories or quad classes under an event filter) per
    combination of the article's `keys` and the event's `event_keys`: events, the articles
    holding one, the sum of their weights, cooperation (weight > 0) and conflict (< 0) events
    and the index (score). Each distinct list of events is counted once, then times the
    articles that have it."""
    kinds = set(f.event_categories)
    shown = selected(frame, f)
    shown = shown[shown["events"] != ""]
    article_keys = [k for k in keys if k in ("day", "bloc")]
    grouped = shown.groupby([*article_keys, "events"], observed=True, sort=False).size()
    grouped = _plain(grouped.rename("n").reset_index())
    rows = [
        (value, d, c, q, float(w))
        for value in grouped["events"].unique()
        for d, c, q, w in items(value)
        if not kinds or c in kinds or q in kinds
    ]
    names = ["direction", "category", "quad", "weight"]
    found = pd.DataFrame(rows, columns=["events", *names])
    weight = found["weight"]
    found = found.assign(
        weight_sum=weight, cooperation=(weight > 0).astype(np.int64),
        conflict=(weight < 0).astype(np.int64), count=1,
    )  # fmt: skip
    per_list = found.groupby(["events", *event_keys], sort=False)
    per_list = per_list[["count", "weight_sum", "cooperation", "conflict"]].sum().reset_index()
    merged = grouped.merge(per_list.rename(columns={"count": "held"}), on="events")
    n = merged["n"]
    counted = merged[keys].assign(
        events=merged["held"] * n, weight_sum=merged["weight_sum"] * n,
        cooperation=merged["cooperation"] * n, conflict=merged["conflict"] * n, articles=n,
    )  # fmt: skip
    summed = counted.groupby(keys, sort=False).sum().reset_index()
    events = summed["events"].where(summed["events"] > 0)
    score = (summed["weight_sum"].astype(float) / events / 10.0).clip(-1.0, 1.0).round(6)
    return summed.assign(score=score)


def relations_by_day_from(
    frame: pd.DataFrame, f: Filters, by: Literal["direction", "bloc"]
) -> pd.DataFrame:
    """Store.relations_by_day(f, by)."""
    summed = _relations(frame, f, ["day", by], ["direction"] if by == "direction" else [])
    if not len(summed):
        return pd.DataFrame(columns=list(RELATIONS_DAY_COLUMNS))
    summed = summed.rename(columns={by: "key"}).sort_values(["day", "key"])
    return summed[list(RELATIONS_DAY_COLUMNS)].reset_index(drop=True)


def relations_by_category_from(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.relations_by_category(f)."""
    summed = _relations(frame, f, ["category", "quad"], ["category", "quad"])
    if not len(summed):
        return pd.DataFrame(columns=list(RELATIONS_CATEGORY_COLUMNS))
    summed = summed.sort_values(["events", "category"], ascending=[False, True])
    return summed[list(RELATIONS_CATEGORY_COLUMNS)].reset_index(drop=True)


def top_actors_from(frame: pd.DataFrame, f: Filters, limit: int) -> pd.DataFrame:
    """Store.top_actors(f, limit)."""
    shown = selected(frame, f)

    def expand(value: str) -> list[tuple[str, str, int]]:
        return [(a, s, int(m)) for a, s, m in items(value)]

    rows = _expanded(shown, "actors", [], expand, ["actor", "side", "mentions"])
    columns = ["actor", "side", "articles", "mentions"]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    rows = rows.assign(articles=rows["n"], mentions=rows["mentions"] * rows["n"])
    summed = rows.groupby(["actor", "side"], sort=False)[["articles", "mentions"]].sum()
    summed = summed.reset_index().sort_values(
        ["articles", "actor", "side"], ascending=[False, True, True]
    )
    return summed[columns].head(limit).reset_index(drop=True)


def cooccurrence_from(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Store.theme_cooccurrence(f): pairs of themes (theme_a < theme_b) on the same article,
    both central unless `f.mentions`."""
    shown = selected(frame, f)

    def expand(value: str) -> list[tuple[str, str]]:
        themes = sorted(t for t, central in items(value) if f.mentions or central == "1")
        return list(combinations(themes, 2))

    rows = _expanded(shown, "themes", [], expand, ["theme_a", "theme_b"])
    columns = ["theme_a", "theme_b", "articles"]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    summed = rows.groupby(["theme_a", "theme_b"], sort=True)["n"].sum().rename("articles")
    return summed.reset_index()[columns]


def theme_by_outlet_from(frame: pd.DataFrame, f: Filters, blocs: pd.DataFrame) -> pd.DataFrame:
    """Store.theme_by_outlet(f), each outlet's bloc (`blocs`: Store.outlet_blocs(f)) given:
    per outlet and theme counted (central unless `f.mentions`, the selected ones under a
    theme filter), the articles and their share of the outlet's."""
    shown = selected(frame, f)
    totals = shown.groupby("outlet", observed=True, sort=False).size()
    totals = _plain(totals.rename("outlet_articles").reset_index())

    def expand(value: str) -> list[tuple[str]]:
        return [
            (t,) for t, central in items(value)
            if (f.mentions or central == "1") and (not f.themes or t in f.themes)
        ]  # fmt: skip

    rows = _expanded(shown, "themes", ["outlet"], expand, ["theme"])
    per_theme = rows.groupby(["outlet", "theme"], sort=False)["n"].sum().rename("articles")
    shares = per_theme.reset_index().merge(totals, on="outlet", how="left")
    shares = shares[shares["articles"] > 0] if len(shares) else shares
    total = shares["outlet_articles"]
    shares = shares.assign(share=shares["articles"] / total.where(total > 0))
    return with_blocs(shares.reset_index(drop=True), blocs)


def tone_histogram_from(
    frame: pd.DataFrame, f: Filters, by: Literal["outlet", "bloc"], bins: int
) -> pd.DataFrame:
    """Store.tone_histogram(f, by, bins): the bins as tone_bins.tone_bin computes them."""
    shown = selected(frame, f)
    shown = shown[shown["tone"].notna()]
    raw = np.floor((shown["tone"].to_numpy() + 1.0) * (bins / 2.0)).astype(np.int64)
    counted = shown[[by]].assign(bin=np.minimum(raw, bins - 1))
    counted = counted.groupby([by, "bin"], observed=True, sort=False).size()
    counted = _plain(counted.rename("articles").reset_index()).rename(columns={by: "key"})
    return histogram(counted, bins)


def top_terms_from(terms: pd.DataFrame, f: Filters, limit_per_theme: int) -> pd.DataFrame:
    """Store.top_terms(f, limit_per_theme) from Store.match_terms(f)."""
    columns = ["theme", "term", "hits", "articles"]
    kept = terms if f.mentions else terms.loc[terms["central"].to_numpy(dtype=bool)]
    if f.themes:
        kept = kept[kept["theme"].isin(f.themes)]
    if not len(kept):
        return pd.DataFrame(columns=columns)
    counted = kept.assign(hits=kept["hits"] * kept["count"], articles=kept["count"])
    frame = counted.groupby(["theme", "term"], sort=False)[["hits", "articles"]].sum()
    frame = frame.reset_index().sort_values(
        ["theme", "hits", "term"], ascending=[True, False, True]
    )
    return frame.groupby("theme", sort=True).head(limit_per_theme).reset_index(drop=True)
