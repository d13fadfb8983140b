"""The relations reading, the domain tone layer and theme salience in storage (issue 9): stored
and read back whole, rolled up per day by direction and bloc and per category, filtered by
event category, central themes counted by default and passing mentions on request, stale
analyses counted. On both engines; the query-plan checks on SQLite."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from core.analysis.analyzer import analyze
from core.models import AnalyzedArticle, Filters, RelationEvent, RelationsLabel, RelationsReading
from core.storage import Store
from tests.fixtures_db import DAY, analysed, assert_rollup_consistent

TITLE = "Washington froze Russian assets worth $300 billion, and Moscow condemned the move."
TEXT = (
    "Russia's Foreign Ministry said Moscow welcomed the talks with Washington. The United States "
    "expelled two Russian diplomats. Zakharova said US statements were interference and double "
    "standards. Sanctions relief for Aeroflot parts was discussed. The two countries agreed to a "
    "prisoner swap. Washington could impose new sanctions on Russia."
)
D1, D2 = date(2026, 3, 1), date(2026, 3, 2)


def event(category: str, quad: str, weight: float, source: str, target: str) -> RelationEvent:
    return RelationEvent(0, 4, category, weight, source, target, quad=quad)


EXPEL = event("expel", "material_conflict", -7.0, "us", "russia")
PRAISE = event("praise", "verbal_cooperation", 3.4, "russia", "us")
AGREE = event("agree", "verbal_cooperation", 4.0, "mutual", "mutual")
REFUSED = dataclasses.replace(AGREE, weight=-4.0, negated=True)


def with_events(
    item: AnalyzedArticle,
    *events: RelationEvent,
    central: tuple[str, ...] | None = None,
) -> AnalyzedArticle:
    """`item` with these relations events (score as the analyzer makes it) and, if given,
    salience with these central themes."""
    analysis = item.analysis
    if events:
        mean = sum(e.weight for e in events) / len(events) / 10
        label: RelationsLabel = (
            "cooperation" if mean >= 0.1 else "conflict" if mean <= -0.1 else "neutral"
        )
        analysis = dataclasses.replace(
            analysis, relations=RelationsReading(round(mean, 4), label, events)
        )
    if central is not None:
        salience = tuple((t, 0.5 if t in central else 0.05) for t in analysis.theme_names)
        analysis = dataclasses.replace(analysis, theme_salience=salience, central_themes=central)
    return AnalyzedArticle(item.article, analysis)


@pytest.fixture
def db(fresh_db: Store) -> Iterator[Store]:
    fresh_db.save_articles(
        [
            with_events(
                analysed("r1", day=D1, outlet="TASS", bloc="russian-state",
                         themes={"sanctions": ["sanctions"], "diplomacy": ["talks"]}),
                EXPEL, PRAISE, central=("sanctions",),
            ),
            with_events(
                analysed("r2", day=D1, outlet="NYT", bloc="us",
                         themes={"sanctions": ["sanctions"]}),
                EXPEL, central=("sanctions",),
            ),
            with_events(
                analysed("r3", day=D2, outlet="NYT", bloc="us", themes={"diplomacy": ["talks"]}),
                AGREE, REFUSED, central=(),
            ),
            analysed("r4", day=D2, outlet="TASS", bloc="russian-state",
                     themes={"diplomacy": ["talks"]}),
        ]
    )  # fmt: skip
    yield fresh_db


def rows(frame: Any, *columns: str) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in frame[list(columns)].itertuples(index=False)}


def test_an_analysis_is_read_back_whole(fresh_db: Store) -> None:
    analysis = analyze(TITLE, TEXT)
    assert analysis.relations.events and analysis.title_relations.events
    assert any(s.adjustments for s in analysis.sentences) and analysis.central_themes
    article = dataclasses.replace(analysed("whole").article, title=TITLE, content=TEXT)
    fresh_db.save_articles([AnalyzedArticle(article, analysis)])
    listed = fresh_db.list_articles(Filters(relevant_only=False))
    stored = fresh_db.get_article(int(listed["id"][0]))
    assert stored is not None
    back = stored.analysis
    assert back.relations == analysis.relations
    assert back.title_relations == analysis.title_relations
    assert [(s.vader, s.adjustments) for s in back.sentences] == [
        (s.vader, s.adjustments) for s in analysis.sentences
    ]
    assert back.theme_salience == analysis.theme_salience
    assert back.central_themes == analysis.central_themes
    assert back == analysis
    with fresh_db.engine.connect() as conn:
        score, label = conn.execute(
            sa.text("SELECT relations_score, relations_label FROM articles")
        ).one()
    assert (score, label) == (analysis.relations.score, analysis.relations.label)


def test_relations_by_day_by_direction_and_bloc(db: Store) -> None:
    by_direction = db.relations_by_day(Filters(), "direction")
    assert list(by_direction.columns) == [
        "day", "key", "score", "events", "articles", "weight_sum", "cooperation", "conflict",
    ]  # fmt: skip
    assert rows(by_direction, "day", "key", "score", "events", "articles") == {
        (D1, "us-russia", -0.7, 2, 2),
        (D1, "russia-us", 0.34, 1, 1),
        (D2, "mutual", 0.0, 2, 1),
    }
    assert rows(by_direction, "day", "key", "cooperation", "conflict") == {
        (D1, "us-russia", 0, 2),
        (D1, "russia-us", 1, 0),
        (D2, "mutual", 1, 1),
    }
    by_bloc = db.relations_by_day(Filters(), "bloc")
    assert rows(by_bloc, "day", "key", "score", "events", "articles") == {
        (D1, "russian-state", -0.18, 2, 1),
        (D1, "us", -0.7, 1, 1),
        (D2, "us", 0.0, 2, 1),
    }


@pytest.mark.parametrize("by", ["direction", "bloc"])
def test_the_rollup_and_the_articles_agree(db: Store, by: Any) -> None:
    every_theme = Filters(themes=("sanctions", "diplomacy"), mentions=True)  # from the articles
    assert db.relations_by_day(every_theme, by).equals(db.relations_by_day(Filters(), by))
    categories = db.relations_by_category(Filters(outlets=("TASS", "NYT")))  # articles
    assert categories.equals(db.relations_by_category(Filters()))


def test_relations_by_category(db: Store) -> None:
    frame = db.relations_by_category(Filters())
    assert list(frame.columns) == ["category", "quad", "events", "articles", "weight_sum", "score"]
    assert list(frame["category"]) == ["agree", "expel", "praise"]
    assert rows(frame, "category", "quad", "events", "articles", "score") == {
        ("expel", "material_conflict", 2, 2, -0.7),
        ("praise", "verbal_cooperation", 1, 1, 0.34),
        ("agree", "verbal_cooperation", 2, 1, 0.0),
    }


@pytest.mark.parametrize(
    ("kinds", "articles", "events"),
    [(("expel",), {"r1", "r2"}, 2), (("verbal_cooperation",), {"r1", "r3"}, 3), ((), None, 5)],
)
def test_the_event_category_filter(
    db: Store, kinds: tuple[str, ...], articles: set[str] | None, events: int
) -> None:
    f = Filters(event_categories=kinds)
    if articles is not None:
        listed = db.list_articles(f)
        assert {t.removeprefix("Story ") for t in listed["title"]} == articles
        assert db.count_matching(f) == len(articles)
    assert db.relations_by_day(f, "direction")["events"].sum() == events
    assert db.relations_by_day(f, "bloc")["events"].sum() == events
    assert db.relations_by_category(f)["events"].sum() == events


def test_central_themes_by_default_and_passing_mentions_on_request(db: Store) -> None:
    central = db.volume_by_day(Filters(), "theme")
    mentions = db.volume_by_day(Filters(mentions=True), "theme")
    # r4 has no salience (stored before it existed): its themes count as central
    assert rows(central, "day", "key", "articles") == {(D1, "sanctions", 2), (D2, "diplomacy", 1)}
    assert rows(mentions, "day", "key", "articles") == {
        (D1, "sanctions", 2), (D1, "diplomacy", 1), (D2, "diplomacy", 2),
    }  # fmt: skip
    assert db.count_matching(Filters(themes=("diplomacy",))) == 1
    assert db.count_matching(Filters(themes=("diplomacy",), mentions=True)) == 3
    from_articles = Filters(themes=("diplomacy",), query="story")  # a text query: the articles
    assert db.count_matching(from_articles) == 1
    assert db.count_matching(dataclasses.replace(from_articles, mentions=True)) == 3
    by_bloc = db.theme_by_bloc(Filters(mentions=True))
    assert rows(by_bloc, "bloc", "theme", "articles") >= {("us", "diplomacy", 1)}
    central_by_bloc = rows(db.theme_by_bloc(Filters()), "bloc", "theme", "articles")
    assert ("us", "diplomacy", 1) not in central_by_bloc
    pairs = db.theme_cooccurrence(Filters(mentions=True))
    assert rows(pairs, "theme_a", "theme_b", "articles") == {("diplomacy", "sanctions", 1)}
    assert db.theme_cooccurrence(Filters()).empty


def test_filter_options_list_the_event_categories(db: Store) -> None:
    assert db.filter_options()["event_categories"] == [
        "material_conflict", "verbal_cooperation", "agree", "expel", "praise",
    ]  # fmt: skip


def test_a_rewrite_keeps_every_rollup_consistent(db: Store) -> None:
    assert_rollup_consistent(db)
    batch = [row for rows_ in db.iter_articles_for_retag() for row in rows_]
    rewritten = [
        (row_id, with_events(analysed(f"x{row_id}", themes={"arms_control": ["treaty"]}),
                             PRAISE, central=("arms_control",)).analysis)
        for row_id, _, _ in batch
    ]  # fmt: skip
    db.update_analyses(rewritten)
    assert_rollup_consistent(db)
    assert rows(db.relations_by_day(Filters(), "direction"), "day", "key", "events") == {
        (D1, "russia-us", 2), (D2, "russia-us", 2),
    }  # fmt: skip


def test_stale_analyses(db: Store) -> None:
    lexicon, analyzer = db.analysis_versions()
    assert db.stale_analyses(lexicon, analyzer) == 0
    assert db.stale_analyses("themes-newer", analyzer) == 4
    db.save_articles([analysed("old", lexicon="test-lexicon-0", day=DAY)])
    assert db.stale_analyses(lexicon, analyzer) == 1


def test_the_language_filter_applies_to_the_barometer(db: Store) -> None:
    russian = analysed("ru1", day=D2, outlet="TASS", bloc="russian-state", lang="ru",
                       themes={"sanctions": ["sanctions"]})  # fmt: skip
    db.save_articles([with_events(russian, PRAISE, central=("sanctions",))])
    only_ru = Filters(languages=("ru",))
    by_direction = db.relations_by_day(only_ru, "direction")
    assert rows(by_direction, "day", "key", "events", "articles") == {(D2, "russia-us", 1, 1)}
    assert db.relations_by_day(Filters(languages=("en",)), "direction")["events"].sum() == 5
    assert rows(db.relations_by_category(only_ru), "category", "events") == {("praise", 1)}
    from_articles = dataclasses.replace(only_ru, themes=("sanctions", "diplomacy"), mentions=True)
    assert db.relations_by_day(from_articles, "bloc").equals(db.relations_by_day(only_ru, "bloc"))
    assert_rollup_consistent(db)


def test_a_russian_reading_is_current_only_with_the_current_libraries_and_theme_model(
    db: Store,
) -> None:
    """A Russian reading carries its libraries and theme model in its analyzer version
    (core/analysis/russian.py): current when they are today's, stale for `retag --stale` when
    the model was refit or pymorphy3 changed, or when a version merely starts alike."""
    from dataclasses import replace

    from core.analysis.russian import russian_analyzer_version
    from core.analysis.russian_model import default_theme_model

    lexicon, analyzer = db.analysis_versions()
    current = russian_analyzer_version(analyzer, default_theme_model())
    versions = (analyzer, current)
    for uid, version in (
        ("ru", current),
        ("refit", current.replace(default_theme_model().version, "older-model")),
        ("library", f"{analyzer} razdel-0.5.0 pymorphy3-0.0.1"),
        ("xx", f"{analyzer}x"),
    ):
        item = analysed(uid, lang="ru", day=DAY)
        db.save_articles([replace(item, analysis=replace(item.analysis, analyzer_version=version))])
    assert db.stale_analyses(lexicon, versions) == 3
    stale = [
        row for batch in db.iter_articles_for_retag(stale_for=(lexicon, versions)) for row in batch
    ]
    assert len(stale) == 3
    assert db.stale_analyses(lexicon, analyzer) == 4  # by the English version alone


# --- query plans (SQLite) ------------------------------------------------------------------------


def _statements(store: Store, read: Any) -> list[str]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    return seen


@pytest.mark.parametrize(
    "read",
    [
        lambda s: s.relations_by_day(Filters(blocs=("us",), date_from=D1), "direction"),
        lambda s: s.relations_by_day(Filters(outlets=("NYT",)), "bloc"),
        lambda s: s.relations_by_day(Filters(languages=("ru",)), "direction"),
        lambda s: s.relations_by_category(Filters(languages=("en",))),
        lambda s: s.relations_by_category(Filters(event_categories=("material_conflict",))),
        lambda s: s.relations_by_outlet_day(Filters()),
        lambda s: s.volume_by_day(Filters(mentions=True), "theme"),
        lambda s: s.theme_by_bloc(Filters(themes=("sanctions",), mentions=True)),
    ],
)
def test_rollup_reads_never_touch_articles(sqlite_db: Store, read: Any) -> None:
    sqlite_db.save_articles(
        [with_events(analysed("p1", themes={"sanctions": ["sanctions"]}), EXPEL, central=())]
    )
    statements = _statements(sqlite_db, lambda: read(sqlite_db))
    assert statements
    for sql in statements:
        assert "FROM articles" not in sql and "JOIN articles" not in sql, sql


# --- export -------------------------------------------------------------------------------------


def test_the_exports_carry_the_relations(db: Store) -> None:
    import io

    from core.export import DAILY_COLUMNS, export_daily_csv

    articles = db.export_articles(Filters()).set_index("title")
    r1, r4 = articles.loc["Story r1"], articles.loc["Story r4"]
    assert (r1["relations_score"], r1["relations_label"]) == (-0.18, "conflict")
    assert r4[["relations_score", "relations_label"]].isna().all()
    daily = db.daily_summary(Filters(mentions=True))
    got = {
        (r.date, r.outlet, r.theme): (r.relations_score, r.relations_events,
                                      r.cooperation_events, r.conflict_events)
        for r in daily.itertuples()
    }  # fmt: skip
    assert got[(D1, "TASS", "sanctions")] == (-0.18, 2, 1, 1)
    assert got[(D1, "NYT", "sanctions")] == (-0.7, 1, 0, 1)
    assert got[(D2, "NYT", "diplomacy")][1:] == (2, 1, 1)  # a passing mention: mentions=True
    assert got[(D2, "TASS", "diplomacy")][1:] == (0, 0, 0)
    out = io.StringIO()
    export_daily_csv(db, Filters(mentions=True), out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header == DAILY_COLUMNS and "cooperation_events" in header
