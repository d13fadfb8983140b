"""Every dashboard read on a small hand-built dataset whose answers are known, on both engines;
plus query-plan checks on SQLite (rollup path never reads articles; the list uses an index)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import pytest
import sqlalchemy as sa

from core.models import FeedConfig, Filters
from core.storage import PollOutcome, Store
from tests.fixtures_db import analysed

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)
PUTIN, TRUMP = ("Putin", "russia"), ("Trump", "us")
RS, SANC, DIPL = "russian-state", "sanctions", "diplomacy"
RUBIO, LAVROV, ZELENSKY = ("Rubio", "us"), ("Lavrov", "russia"), ("Zelensky", "ukraine")
DATASET = [
    # uid, day, outlet, bloc, themes, actors, tone, relevance, lang
    ("a1", D1, "TASS", RS, {SANC: ["sanctions"]}, [PUTIN, TRUMP], 0.5, 0.9, "en"),
    ("a2", D1, "Reuters", "wire", {SANC: ["sanctions"], DIPL: ["summit"]}, [TRUMP], -.5, .8, "en"),
    ("a3", D2, "NYT", "us", {"arms_control": ["New START"]}, [RUBIO, LAVROV], -0.2, 0.7, "en"),
    ("a4", D2, "TASS", RS, {DIPL: ["summit", "talks"]}, [PUTIN], None, 0.6, "ru"),
    ("a5", D3, "Meduza", "russian-independent", {}, [], 0.0, 0.1, "en"),
    ("a6", D3, "NYT", "us", {"sanctions": ["price cap"]}, [ZELENSKY], -0.9, 0.2, "en"),
]  # fmt: skip
FEEDS = {outlet: f"https://{outlet.lower()}.example/feed" for _, _, outlet, *_ in DATASET}


@pytest.fixture
def db(fresh_db: Store) -> Iterator[Store]:
    fresh_db.sync_feeds([FeedConfig(url, outlet, "us") for outlet, url in FEEDS.items()])
    fresh_db.save_articles(
        [
            analysed(
                uid, day=day, outlet=outlet, bloc=bloc, themes=themes, actors=actors, tone=tone,
                relevance=relevance, lang=lang, feed_url=FEEDS[outlet], title=f"Story {uid}",
                hour=6 + index,
            )
            for index, (uid, day, outlet, bloc, themes, actors, tone, relevance, lang) in enumerate(
                DATASET
            )
        ]
    )  # fmt: skip
    yield fresh_db


def titles(frame: Any) -> set[str]:
    return {title.removeprefix("Story ") for title in frame["title"]}


ALL = False
CASES = [
    (Filters(), {"a1", "a2", "a3", "a4"}),
    (Filters(relevant_only=ALL), {"a1", "a2", "a3", "a4", "a5", "a6"}),
    (Filters(themes=("sanctions",)), {"a1", "a2"}),
    (Filters(themes=("sanctions",), relevant_only=ALL), {"a1", "a2", "a6"}),
    (Filters(themes=("sanctions", "arms_control")), {"a1", "a2", "a3"}),
    (Filters(outlets=("TASS",)), {"a1", "a4"}),
    (Filters(blocs=("us",), relevant_only=ALL), {"a3", "a6"}),
    (Filters(blocs=("us", "wire")), {"a2", "a3"}),
    (Filters(actors=("Putin",)), {"a1", "a4"}),
    (Filters(actors=("Trump", "Rubio")), {"a1", "a2", "a3"}),
    (Filters(tone_min=0.0, tone_max=1.0), {"a1"}),
    (Filters(tone_min=0.0, tone_max=1.0, relevant_only=ALL), {"a1", "a5"}),
    (Filters(tone_min=-1.0, tone_max=-0.3, relevant_only=ALL), {"a2", "a6"}),
    (Filters(query="sanctions"), {"a1", "a2"}),
    (Filters(query="SUMMIT"), {"a2", "a4"}),
    (Filters(query="100%_"), set()),
    (Filters(date_from=D2), {"a3", "a4"}),
    (Filters(date_to=D1), {"a1", "a2"}),
    (Filters(date_from=D2, date_to=D2, outlets=("NYT",), relevant_only=ALL), {"a3"}),
    (Filters(themes=("diplomacy",), blocs=("russian-state",)), {"a4"}),
    (Filters(languages=("ru",)), {"a4"}),
    (Filters(languages=("en",), outlets=("TASS",)), {"a1"}),
    (Filters(languages=("en", "ru"), relevant_only=ALL), {"a1", "a2", "a3", "a4", "a5", "a6"}),
    (Filters(languages=("ru",), themes=("diplomacy",), actors=("Putin",)), {"a4"}),
]


@pytest.mark.parametrize(("f", "expected"), CASES)
def test_every_read_applies_every_filter(db: Store, f: Filters, expected: set[str]) -> None:
    assert db.count_matching(f) == len(expected)
    assert titles(db.list_articles(f)) == expected
    assert titles(db.export_articles(f)) == expected
    assert db.overview_figures(f)["articles"] == len(expected)
    volume = db.volume_by_day(f, "total")
    assert int(volume["articles"].sum()) == len(expected)
    by_bloc = db.volume_by_day(f, "bloc")
    assert int(by_bloc["articles"].sum()) == len(expected)
    if len(by_bloc):
        assert (
            by_bloc.groupby("day")["articles"].sum() == by_bloc.groupby("day")["total"].first()
        ).all()


def test_volume_by_day_by_bloc_and_theme(db: Store) -> None:
    by_bloc = db.volume_by_day(Filters(), "bloc")
    got = {(r.day, r.key): (r.articles, r.total) for r in by_bloc.itertuples()}
    assert got == {
        (D1, "russian-state"): (1, 2),
        (D1, "wire"): (1, 2),
        (D2, "us"): (1, 2),
        (D2, "russian-state"): (1, 2),
    }
    by_theme = db.volume_by_day(Filters(), "theme")
    got = {(r.day, r.key): (r.articles, r.total) for r in by_theme.itertuples()}
    assert got == {
        (D1, "sanctions"): (2, 2),
        (D1, "diplomacy"): (1, 2),
        (D2, "arms_control"): (1, 2),
        (D2, "diplomacy"): (1, 2),
    }
    # a theme filter shows the selected themes only
    only = db.volume_by_day(Filters(themes=("diplomacy",)), "theme")
    assert set(only["key"]) == {"diplomacy"} and int(only["articles"].sum()) == 2


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("bloc", {(D1, "russian-state"): 0.5, (D1, "wire"): -0.5, (D2, "us"): -0.2}),
        ("outlet", {(D1, "TASS"): 0.5, (D1, "Reuters"): -0.5, (D2, "NYT"): -0.2}),
        ("theme", {(D1, "sanctions"): 0.0, (D1, "diplomacy"): -0.5, (D2, "arms_control"): -0.2}),
    ],
)
def test_tone_by_day_ignores_null_tone(
    db: Store, by: Literal["bloc", "outlet", "theme"], expected: dict[tuple[date, str], float]
) -> None:
    frame = db.tone_by_day(Filters(), by)
    got = {(r.day, r.key): round(r.mean_tone, 6) for r in frame.itertuples()}
    assert got == expected


def test_theme_by_bloc_and_outlet_shares(db: Store) -> None:
    frame = db.theme_by_bloc(Filters())
    got = {(r.theme, r.bloc): (r.articles, r.bloc_articles, r.share) for r in frame.itertuples()}
    assert got == {
        ("sanctions", "russian-state"): (1, 2, 0.5),
        ("diplomacy", "russian-state"): (1, 2, 0.5),
        ("sanctions", "wire"): (1, 1, 1.0),
        ("diplomacy", "wire"): (1, 1, 1.0),
        ("arms_control", "us"): (1, 1, 1.0),
    }
    frame = db.theme_by_outlet(Filters(relevant_only=False, outlets=("NYT",)))
    by_outlet = {
        (r.outlet, r.bloc, r.theme): (r.articles, r.outlet_articles) for r in frame.itertuples()
    }
    assert by_outlet == {("NYT", "us", "arms_control"): (1, 2), ("NYT", "us", "sanctions"): (1, 2)}


def test_cooccurrence_terms_and_actors(db: Store) -> None:
    pairs = db.theme_cooccurrence(Filters())
    assert [tuple(r) for r in pairs.itertuples(index=False)] == [("diplomacy", "sanctions", 1)]
    terms = db.top_terms(Filters())
    got = {(r.theme, r.term): (r.hits, r.articles) for r in terms.itertuples()}
    assert got == {
        ("sanctions", "sanctions"): (2, 2),
        ("diplomacy", "summit"): (2, 2),
        ("diplomacy", "talks"): (1, 1),
        ("arms_control", "New START"): (1, 1),
    }
    assert len(db.top_terms(Filters(), limit_per_theme=1)) == 3
    actors = db.top_actors(Filters())
    assert [tuple(r) for r in actors.itertuples(index=False)] == [
        ("Putin", "russia", 2, 2),
        ("Trump", "us", 2, 2),
        ("Lavrov", "russia", 1, 1),
        ("Rubio", "us", 1, 1),
    ]
    assert list(db.top_actors(Filters(), limit=1)["actor"]) == ["Putin"]


def test_tone_histogram(db: Store) -> None:
    frame = db.tone_histogram(Filters(relevant_only=False), by="bloc", bins=4)
    got = {(r.key, r.bin_start, r.bin_end): r.articles for r in frame.itertuples()}
    assert got == {
        ("russian-state", 0.5, 1.0): 1,
        ("wire", -0.5, 0.0): 1,
        ("us", -0.5, 0.0): 1,
        ("us", -1.0, -0.5): 1,
        ("russian-independent", 0.0, 0.5): 1,
    }


def test_overview_figures_and_filter_options(db: Store) -> None:
    figures = db.overview_figures(Filters())
    assert figures["articles"] == 4
    assert figures["relevant_share"] == pytest.approx(4 / 6)
    assert figures["mean_tone"] == pytest.approx((0.5 - 0.5 - 0.2) / 3)
    assert figures["active_outlets"] == 3
    assert (figures["feeds"], figures["failing_feeds"], figures["demo"]) == (4, 0, False)
    assert figures["last_poll"] is None
    options = db.filter_options()
    assert options["outlets"] == ["Meduza", "NYT", "Reuters", "TASS"]
    assert options["themes"] == ["arms_control", "diplomacy", "sanctions"]
    assert options["actors"] == ["Lavrov", "Putin", "Rubio", "Trump", "Zelensky"]
    assert (options["date_min"], options["date_max"]) == (D1, D3)
    empty = db.overview_figures(Filters(outlets=("nobody",)))
    assert (empty["articles"], empty["mean_tone"], empty["relevant_share"]) == (0, None, 0.0)


def test_daily_summary(db: Store) -> None:
    frame = db.daily_summary(Filters())
    got = {
        (r.date, r.outlet, r.theme): (
            r.articles,
            r.outlet_articles,
            r.share,
            None if math.isnan(r.mean_tone) else round(r.mean_tone, 6),
        )
        for r in frame.itertuples()
    }
    assert got == {
        (D1, "TASS", "sanctions"): (1, 1, 1.0, 0.5),
        (D1, "Reuters", "sanctions"): (1, 1, 1.0, -0.5),
        (D1, "Reuters", "diplomacy"): (1, 1, 1.0, -0.5),
        (D2, "NYT", "arms_control"): (1, 1, 1.0, -0.2),
        (D2, "TASS", "diplomacy"): (1, 1, 1.0, None),
    }


@pytest.mark.parametrize(
    ("sort", "descending", "first"),
    [
        ("published", True, "a4"),
        ("published", False, "a1"),
        ("tone", False, "a2"),
        ("tone", True, "a1"),
        ("relevance", True, "a1"),
        ("title", False, "a1"),
    ],
)
def test_list_articles_sorts_and_pages(db: Store, sort: str, descending: bool, first: str) -> None:
    frame = db.list_articles(Filters(), sort=sort, descending=descending)
    assert frame["title"].iloc[0] == f"Story {first}"
    assert list(frame.columns[:11]) == [
        "id", "published", "outlet", "bloc", "title", "themes", "actors", "tone", "tone_label",
        "relevance", "lang",
    ]  # fmt: skip
    assert {"outlets", "blocs", "url"} <= set(frame.columns)
    pages = [db.list_articles(Filters(), limit=3, offset=o, sort=sort) for o in (0, 3)]
    assert [len(p) for p in pages] == [3, 1]
    # the null tone sorts last either way
    if sort == "tone":
        assert frame["title"].iloc[-1] == "Story a4"


def test_feed_health_and_coverage_gaps(db: Store) -> None:
    feed = db.get_feed(FEEDS["TASS"])
    assert feed is not None
    t0 = datetime(2026, 3, 1, 6, tzinfo=UTC)
    steps = [(0, None), (1, "HTTP 500"), (2, "timeout"), (3, None), (30, "DNS failure")]
    for hours, error in steps:
        at = t0 + timedelta(hours=hours)
        db.record_poll(
            feed.id,
            PollOutcome(
                status=None if error else 200, error=error, etag=None, last_modified=None,
                next_check_at=at + timedelta(hours=1), articles=(), not_modified=False, at=at,
            ),
        )  # fmt: skip
    health = db.feed_health(now=datetime(2026, 3, 20, tzinfo=UTC))
    tass = health[health["url"] == FEEDS["TASS"]].iloc[0]
    assert (tass["consecutive_errors"], tass["last_error"]) == (1, "DNS failure")
    assert tass["articles_per_day"] == pytest.approx(2 / 30)
    assert tass["last_success_at"] == t0 + timedelta(hours=3)
    gaps = db.coverage_gaps(Filters())
    rows = [(r.outlet, r.start, r.end, r.error) for r in gaps.itertuples()]
    assert rows[0] == ("TASS", t0 + timedelta(hours=1), t0 + timedelta(hours=3), "timeout")
    assert rows[1][:2] == ("TASS", t0 + timedelta(hours=30)) and rows[1][3] == "DNS failure"
    assert len(rows) == 2
    later = db.coverage_gaps(Filters(date_from=D2))
    assert [r.error for r in later.itertuples()] == ["DNS failure"]
    assert db.coverage_gaps(Filters(outlets=("NYT",))).empty
    assert db.overview_figures(Filters())["failing_feeds"] == 1


# --- query plans (SQLite) ------------------------------------------------------------------------


def _statements(store: Store, read: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    return seen


ROLLUP_FILTERS = Filters(date_from=D1, date_to=D3, blocs=("us", "wire"), themes=("sanctions",))


@pytest.mark.parametrize(
    "read",
    [
        lambda s: s.count_matching(ROLLUP_FILTERS),
        lambda s: s.volume_by_day(ROLLUP_FILTERS, "bloc"),
        lambda s: s.volume_by_day(Filters(), "theme"),
        lambda s: s.tone_by_day(ROLLUP_FILTERS, "outlet"),
        lambda s: s.theme_by_bloc(Filters(outlets=("NYT",))),
        lambda s: s.daily_summary(ROLLUP_FILTERS),
        lambda s: s.top_actors(Filters(blocs=("us",))),
        lambda s: s.top_terms(ROLLUP_FILTERS),
        lambda s: s.theme_cooccurrence(Filters(date_from=D1)),
        lambda s: s.tone_histogram(Filters(), "outlet", bins=10),
    ],
)
def test_rollup_reads_never_touch_articles(sqlite_db: Store, read: Any) -> None:
    sqlite_db.save_articles([analysed("p1", themes={"sanctions": ["sanctions"]})])
    statements = _statements(sqlite_db, lambda: read(sqlite_db))
    assert statements
    for sql, _ in statements:
        assert "FROM articles" not in sql and "JOIN articles" not in sql, sql


@pytest.mark.parametrize(
    "f", [Filters(), Filters(relevant_only=False), Filters(outlets=("TASS",), date_from=D1)]
)
def test_article_list_uses_an_index_and_no_sort(sqlite_db: Store, f: Filters) -> None:
    from tests.synthetic import fill_synthetic

    fill_synthetic(sqlite_db, 300, days=20, end=D3)
    with sqlite_db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    statements = _statements(sqlite_db, lambda: sqlite_db.list_articles(f, limit=50))
    sql, params = next((sql, p) for sql, p in statements if sql.lstrip().startswith("SELECT"))
    with sqlite_db.engine.connect() as conn:
        plan = " | ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    if not f.outlets:
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    "f", [Filters(languages=("ru",)), Filters(languages=("en",), relevant_only=ALL)]
)
def test_a_language_filter_is_answered_from_the_rollups(db: Store, f: Filters) -> None:
    from core.storage.plan import ACTORS, ARTICLES, TERMS, THEMES, plan

    for subject in (ARTICLES, THEMES, TERMS, ACTORS):
        assert plan(f, subject).rollup is not None
    expected = db.list_articles(f)
    assert db.count_matching(f) == len(expected)
    named = db.top_actors(f)
    assert set(named["actor"]) == {a for row in expected["actors"] for a in row.split(", ") if a}
