"""The narrow per-article table filtered reads look their matches up in (article_facts, migration
13: core/storage/schema.py, core/storage/plan.py), on a real SQLite file and the real
PostgreSQL: every dashboard read under a text or actor filter gives through it exactly what it
gives from the articles; the table follows saves, rewrites and retags, and migration 13 fills it
for a database that had articles before it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from core.models import Filters
from core.storage import Store, matches, plan
from core.storage.migrations import COVERING_INDEXES
from tests.fixtures_db import (
    SYNTHETIC_END,
    analysed,
    assert_facts_consistent,
    assert_rollup_consistent,
)
from tests.synthetic import fill_synthetic

END = SYNTHETIC_END  # the shared synthetic store's last day
RANGE = Filters(date_from=date(2026, 3, 1), date_to=END)
FILTERS = {
    "text": dataclasses.replace(RANGE, query="sanctions"),
    "actor": dataclasses.replace(RANGE, actors=("Vladimir Putin",)),
    "two actors": dataclasses.replace(RANGE, actors=("Vladimir Putin", "Donald Trump")),
    "text and tone": dataclasses.replace(RANGE, query="oil", tone_min=-0.2, tone_max=1.0),
    "actor, all articles, mentions": dataclasses.replace(
        RANGE, actors=("Sergei Lavrov",), relevant_only=False, mentions=True
    ),
    "actor and theme": dataclasses.replace(
        RANGE, actors=("Vladimir Putin",), themes=("sanctions", "diplomacy")
    ),
    "text and outlet": dataclasses.replace(RANGE, query="talks", outlets=("TASS", "Reuters")),
    "text, bloc and language": dataclasses.replace(
        RANGE, query="sanctions", blocs=("russian-state",), languages=("ru",)
    ),
    "actor and event": dataclasses.replace(
        RANGE, actors=("Vladimir Putin",), event_categories=("material_conflict",)
    ),
    # no id set: only the reads by language (the editions) go through the facts
    "tone": dataclasses.replace(RANGE, tone_min=0.0, tone_max=1.0),
}
READS: dict[str, Callable[[Store, Filters], Any]] = {
    "overview_figures": lambda s, f: s.overview_figures(f),
    "volume bloc": lambda s, f: s.volume_by_day(f, "bloc"),
    "volume outlet independent": lambda s, f: s.volume_by_day(f, "outlet", independent=True),
    "volume theme": lambda s, f: s.volume_by_day(f, "theme"),
    "tone bloc": lambda s, f: s.tone_by_day(f, "bloc"),
    "tone theme": lambda s, f: s.tone_by_day(f, "theme"),
    "theme tone by bloc": lambda s, f: s.theme_tone_by_bloc_day(f),
    "theme by bloc": lambda s, f: s.theme_by_bloc(f),
    "theme by outlet": lambda s, f: s.theme_by_outlet(f),
    "cooccurrence": lambda s, f: s.theme_cooccurrence(f),
    "top terms": lambda s, f: s.top_terms(f, limit_per_theme=50),
    "top actors": lambda s, f: s.top_actors(f, limit=100),
    "histogram": lambda s, f: s.tone_histogram(f, by="outlet", bins=20),
    "relations direction": lambda s, f: s.relations_by_day(f, "direction"),
    "relations bloc": lambda s, f: s.relations_by_day(f, "bloc"),
    "relations category": lambda s, f: s.relations_by_category(f),
    "editions": lambda s, f: s.editions(f, min_languages=1),
    "edition themes": lambda s, f: s.edition_themes(f, "TASS"),
    "edition actors": lambda s, f: s.edition_actors(f, "TASS", limit=100),
    "count": lambda s, f: s.count_matching(f),
    "daily summary": lambda s, f: s.daily_summary(f),
}


@pytest.fixture
def filled(synthetic_store: Store) -> Store:
    """The session's synthetic articles (tests/fixtures_db.py), shared: these tests only read."""
    return synthetic_store


def _comparable(value: Any) -> Any:
    """A read's result in a form two equal results share: frames sorted by every column that is
    not a float, with a plain index."""
    if not isinstance(value, pd.DataFrame):
        return value
    keys = [c for c in value.columns if not pd.api.types.is_float_dtype(value[c])]
    ordered = value.sort_values(keys) if keys and len(value) else value
    return ordered.reset_index(drop=True)


def _assert_same(through_facts: Any, from_articles: Any) -> None:
    if isinstance(from_articles, pd.DataFrame):
        pd.testing.assert_frame_equal(
            _comparable(through_facts), _comparable(from_articles), check_dtype=False, rtol=1e-9
        )
    elif isinstance(from_articles, dict):
        assert through_facts.keys() == from_articles.keys()
        for key, expected in from_articles.items():
            if isinstance(expected, float):
                assert through_facts[key] == pytest.approx(expected, rel=1e-9), key
            else:
                assert through_facts[key] == expected, key
    else:
        assert through_facts == from_articles


@pytest.mark.parametrize("name", list(FILTERS))
def test_reads_through_the_facts_equal_reads_from_the_articles(
    filled: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = FILTERS[name]
    through_facts = {read: run(filled, f) for read, run in READS.items()}
    assert through_facts["count"] > 0, "the filter matches nothing: the comparison is empty"
    # the Articles page counts its list from the headline figures
    assert through_facts["overview_figures"]["articles"] == through_facts["count"]
    # the articles, as before migration 13
    monkeypatch.setattr(plan.Plan, "facts", property(lambda _: False))
    for read, run in READS.items():
        _assert_same(through_facts[read], run(filled, f))


def test_which_reads_go_through_the_facts(filled: Store) -> None:
    """A text (on SQLite) or actor filter, or a read by language from the articles, goes
    through the facts: the rest read a rollup or walk the articles' narrow indexes as they
    did."""
    assert plan.by_ids(FILTERS["actor"]) and plan.by_ids(FILTERS["text"], text_ids=True)
    assert not plan.by_ids(FILTERS["text"])  # PostgreSQL: its tsvector
    assert filled.plan(FILTERS["text"], plan.ARTICLES).facts == (filled.dialect == "sqlite")
    assert not plan.by_ids(FILTERS["tone"])
    assert not plan.by_ids(dataclasses.replace(RANGE, query="  * ( - "))
    assert not filled.plan(FILTERS["tone"], plan.ARTICLES, needs={"bloc"}).facts
    assert filled.plan(FILTERS["tone"], plan.ARTICLES, needs={"outlet", "lang"}).facts
    unfiltered = filled.plan(RANGE, plan.ARTICLES, needs={"lang"})
    assert unfiltered.rollup is not None and not unfiltered.facts


def test_the_facts_follow_saves_rewrites_and_retags(fresh_db: Store) -> None:
    fresh_db.save_articles([analysed("f1", tone=0.4), analysed("f2", lang="ru", tone=None)])
    assert_facts_consistent(fresh_db)
    # the same uid with a new text: another day, tone and relevance
    rewrite = analysed("f1", title="Rewritten", day=date(2026, 3, 11), tone=-0.6, relevance=0.1)
    assert fresh_db.save_articles([rewrite]).updated == 1
    assert_rollup_consistent(fresh_db)
    # a retag rewrites the analysis: its tone, relevance and language
    ids = {title: i for i, title, _ in next(iter(fresh_db.iter_articles_for_retag()))}
    retagged = analysed("f1", title="Rewritten", tone=0.9, relevance=0.9, lang="de")
    assert fresh_db.update_analyses([(ids["Rewritten"], retagged.analysis)]) == 1
    assert_rollup_consistent(fresh_db)
    facts = fresh_db.overview_figures(dataclasses.replace(Filters(), query="rewritten"))
    assert (facts["articles"], facts["mean_tone"]) == (1, pytest.approx(0.9))


def test_migration_13_fills_the_facts_of_an_existing_database(migrated_url: str) -> None:
    with Store.open(migrated_url) as store:
        fill_synthetic(store, 120, days=10, end=END)
        with store._write() as conn:  # as before migration 13
            conn.exec_driver_sql("DROP TABLE article_facts")
            for index in COVERING_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX {index}")
            conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version >= 13")
    with Store.open(migrated_url) as store:
        assert {13, 14} <= set(store.schema_versions())
        assert_facts_consistent(store)
        f = dataclasses.replace(Filters(relevant_only=False), actors=("Vladimir Putin",))
        before = store.count_matching(f)
        assert before > 0
        store.save_articles([analysed("after", actors=[("Vladimir Putin", "russia")])])
        assert store.count_matching(f) == before + 1
        assert_rollup_consistent(store)


def test_migration_14_writes_the_lines_of_an_existing_database(migrated_url: str) -> None:
    with Store.open(migrated_url) as store:
        fill_synthetic(store, 120, days=10, end=END)
        with store._write() as conn:  # as before migration 14
            conn.exec_driver_sql("DROP TABLE article_lines")
            conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version = 14")
    with Store.open(migrated_url) as store:
        assert 14 in store.schema_versions()
        assert_facts_consistent(store)
        f = dataclasses.replace(RANGE, actors=("Vladimir Putin",))
        frame = store.match_frame(f)
        assert len(frame) == store.count_matching(dataclasses.replace(f, relevant_only=False))
        _assert_same(matches.top_actors_from(frame, f, 100), store.top_actors(f, limit=100))
        store.save_articles([analysed("after", actors=[("Vladimir Putin", "russia")])])
        assert len(store.match_frame(f)) == len(frame) + 1
        assert_rollup_consistent(store)
