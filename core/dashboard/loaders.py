"""The typed, cached reads behind the pages: one function per query, named after the `Store`
method it calls (core/storage), cached on its plain arguments by `st.cache_data`.

Pages reach data only through these functions, so a reader (and mypy) can follow a page to its
query. They are pure functions of their arguments and the database; writes never go through a
cache (see core/dashboard/feed_form.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, TypedDict, cast

import pandas as pd
import streamlit as st

from core.models import Filters
from core.storage import ArticleDetail, Store, digest, matches
from core.storage.columns import ARTICLE_TABLE_COLUMNS, SORTABLE
from core.storage.reads_stories import STORY_SORTS as STORY_SORTS_STORED
from core.storage.reads_stories import StoryDetail

CACHE_TTL = 60
"""Seconds a read is reused: a dashboard left open shows what the poller brings within a minute."""

Grouping = Literal["bloc", "theme", "outlet"]
Barometer = Literal["direction", "bloc"]
"""How the relations barometer splits its index: by the events' direction or the outlet's bloc."""
SortKey = Literal["published", "tone", "relevance", "outlet", "title"]
SORT_KEYS = cast(tuple[SortKey, ...], SORTABLE)
"""What the Articles list can be sorted by (core/storage/columns.py)."""
TABLE_COLUMNS = list(ARTICLE_TABLE_COLUMNS)
"""The Articles page's table columns, in order (core/storage/columns.py)."""


class FilterOptions(TypedDict):
    """Everything the sidebar offers (Store.filter_options)."""

    outlets: list[str]
    blocs: list[str]
    themes: list[str]
    actors: list[str]
    languages: list[str]
    date_min: date | None
    date_max: date | None
    event_categories: list[str]


class OverviewFigures(TypedDict):
    """The headline figures of a selection (Store.overview_figures)."""

    articles: int
    all_articles: int
    relevant_share: float
    mean_tone: float | None
    active_outlets: int
    last_poll: datetime | None
    failing_feeds: int
    feeds: int
    demo: bool


@st.cache_resource
def get_store() -> Store:
    """The one store of this Streamlit process (the database named by DETENTE_DB)."""
    return Store.open()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def filter_options() -> FilterOptions:
    return cast(FilterOptions, get_store().filter_options())


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _match_frame(key: Filters) -> pd.DataFrame:
    return get_store().match_frame(key)


def match_frame(f: Filters) -> pd.DataFrame:
    """A filtered page's matches read once, one line per article (core/storage/matches.py),
    shared by its charts and by every page under the same other filters."""
    return _match_frame(matches.frame_key(f))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _article_digest(key: Filters) -> pd.DataFrame:
    return matches.article_digest_from(match_frame(key), key)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _theme_digest(key: Filters) -> pd.DataFrame:
    return matches.theme_digest_from(match_frame(key), key)


def article_digest(f: Filters) -> pd.DataFrame:
    """A filtered page's articles per day, bloc, outlet and relevance (core/storage/digest.py),
    counted from its match frame."""
    return _article_digest(digest.article_key(f))


def theme_digest(f: Filters) -> pd.DataFrame:
    """A filtered page's themes per day, bloc, theme and centrality, from its match frame."""
    return _theme_digest(digest.theme_key(f))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _desk_figures() -> dict[str, object]:
    return get_store().desk_figures()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def overview_figures(f: Filters) -> OverviewFigures:
    return cast(OverviewFigures, get_store().overview_figures(f))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def count_matching(f: Filters) -> int:
    """How many articles the filters match: what a page that shows no headline figure and
    reads no match frame (Articles, Stories) needs to know (a count costs less than the
    figures: no distinct outlets)."""
    return get_store().count_matching(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def page_figures(f: Filters) -> OverviewFigures:
    """The headline figures for a page that reads its match frame anyway (the Overview,
    Themes and Outlets pages): counted from it under a filter the rollups cannot answer.
    A page that does not (Articles, Stories) reads a count alone (`count_matching`)."""
    if digest.reads_matches(f):
        figures = matches.figures_from(match_frame(f), f, _desk_figures())
        return cast(OverviewFigures, figures)
    return overview_figures(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def volume_by_day(f: Filters, by: Grouping, independent: bool = False) -> pd.DataFrame:
    """Articles per day and key; `independent` leaves syndicated copies out."""
    if digest.reads_matches(f) and not independent:
        themes = theme_digest(f) if by == "theme" else None
        return digest.volume_from(article_digest(f), themes, f, by)
    return get_store().volume_by_day(f, by, independent=independent)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def tone_by_day(f: Filters, by: Grouping) -> pd.DataFrame:
    if digest.reads_matches(f):
        if by == "theme":
            return digest.tone_from(None, theme_digest(f), f, by)
        return digest.tone_from(article_digest(f), None, f, by)
    return get_store().tone_by_day(f, by)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def theme_tone_by_bloc_day(f: Filters) -> pd.DataFrame:
    if digest.reads_matches(f):
        return digest.theme_tone_by_bloc_day_from(theme_digest(f), f)
    return get_store().theme_tone_by_bloc_day(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def theme_by_bloc(f: Filters) -> pd.DataFrame:
    if digest.reads_matches(f):
        return digest.theme_by_bloc_from(article_digest(f), theme_digest(f), f)
    return get_store().theme_by_bloc(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _outlet_blocs(outlets: tuple[str, ...]) -> pd.DataFrame:
    return get_store().outlet_blocs(Filters(outlets=outlets))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def theme_by_outlet(f: Filters) -> pd.DataFrame:
    if digest.reads_matches(f):
        blocs = _outlet_blocs(f.outlets)
        return matches.theme_by_outlet_from(match_frame(f), f, blocs)
    return get_store().theme_by_outlet(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def theme_cooccurrence(f: Filters) -> pd.DataFrame:
    if digest.reads_matches(f):
        return matches.cooccurrence_from(match_frame(f), f)
    return get_store().theme_cooccurrence(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _match_terms(key: Filters) -> pd.DataFrame:
    return get_store().match_terms(key)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def top_terms(f: Filters, limit_per_theme: int) -> pd.DataFrame:
    if digest.reads_matches(f):
        terms = _match_terms(matches.terms_key(f))
        return matches.top_terms_from(terms, f, limit_per_theme)
    return get_store().top_terms(f, limit_per_theme=limit_per_theme)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def top_actors(f: Filters, limit: int) -> pd.DataFrame:
    if digest.reads_matches(f):
        return matches.top_actors_from(match_frame(f), f, limit)
    return get_store().top_actors(f, limit=limit)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def tone_histogram(f: Filters, by: Literal["outlet", "bloc"], bins: int) -> pd.DataFrame:
    if digest.reads_matches(f):
        return matches.tone_histogram_from(match_frame(f), f, by, bins)
    return get_store().tone_histogram(f, by=by, bins=bins)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def list_articles(
    f: Filters, *, limit: int, offset: int, sort: SortKey, descending: bool
) -> pd.DataFrame:
    return get_store().list_articles(
        f, limit=limit, offset=offset, sort=sort, descending=descending
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def get_article(article_id: int) -> ArticleDetail | None:
    return get_store().get_article(article_id)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def feed_health() -> pd.DataFrame:
    return get_store().feed_health()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def coverage_gaps(f: Filters) -> pd.DataFrame:
    return get_store().coverage_gaps(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def relations_by_day(f: Filters, by: Barometer) -> pd.DataFrame:
    if digest.reads_matches(f):
        return matches.relations_by_day_from(match_frame(f), f, by)
    return get_store().relations_by_day(f, by)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def relations_by_category(f: Filters) -> pd.DataFrame:
    if digest.reads_matches(f):
        return matches.relations_by_category_from(match_frame(f), f)
    return get_store().relations_by_category(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def stale_analyses(lexicon_version: str, analyzer_versions: tuple[str, ...]) -> int:
    return get_store().stale_analyses(lexicon_version, analyzer_versions)


@st.cache_data(ttl=600, show_spinner=False)
def analysis_versions() -> tuple[str, str]:
    """The lexicon and analyzer versions of the stored articles (a full scan: only on download)."""
    return get_store().analysis_versions()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def editions(f: Filters) -> pd.DataFrame:
    """One row per outlet and language (Store.editions; the Outlets page's editions)."""
    return get_store().editions(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def edition_themes(f: Filters, outlet: str) -> pd.DataFrame:
    return get_store().edition_themes(f, outlet)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def edition_actors(f: Filters, outlet: str, limit: int) -> pd.DataFrame:
    return get_store().edition_actors(f, outlet, limit=limit)


StorySort = Literal["recent", "size", "gap"]
STORY_SORTS = cast(dict[StorySort, str], STORY_SORTS_STORED)
"""What the Stories list can be sorted by, with its label (core/storage/reads_stories.py)."""


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def list_stories(
    f: Filters, *, limit: int, offset: int, sort: StorySort, blindspots_only: bool
) -> pd.DataFrame:
    return get_store().list_stories(
        f, limit=limit, offset=offset, sort=sort, blindspots_only=blindspots_only
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def count_stories(f: Filters, *, blindspots_only: bool) -> int:
    return get_store().count_stories(f, blindspots_only=blindspots_only)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def story_totals(f: Filters) -> tuple[int, int, int]:
    return get_store().story_totals(f)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def get_story(story_id: int) -> StoryDetail | None:
    return get_store().get_story(story_id)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def story_of_article(article_id: int) -> tuple[int, int | None, list[int]] | None:
    return get_store().story_of_article(article_id)


QUERIES = (
    _match_frame,
    _match_terms,
    _desk_figures,
    _outlet_blocs,
    page_figures,
    count_matching,
    _article_digest,
    _theme_digest,
    filter_options,
    overview_figures,
    volume_by_day,
    tone_by_day,
    theme_tone_by_bloc_day,
    theme_by_bloc,
    theme_by_outlet,
    theme_cooccurrence,
    top_terms,
    top_actors,
    tone_histogram,
    list_articles,
    get_article,
    feed_health,
    coverage_gaps,
    relations_by_day,
    relations_by_category,
    stale_analyses,
    editions,
    edition_themes,
    edition_actors,
    list_stories,
    count_stories,
    story_totals,
    get_story,
    story_of_article,
)


def forget_reads() -> None:
    """Drop every cached read (after a write), so the next run shows the change."""
    for query in QUERIES:
        query.clear()
