"""Text search through the full-text index (core/storage/search.py), on a real SQLite file and the
real PostgreSQL: what a query means (words ANDed, `*` prefixes, phrases, Cyrillic), hostile input
that never raises, an index that stays in step with saves, rewrites, retags and migration, and
filtered reads that use their indexes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Filters
from core.storage import Store
from core.storage.search import (
    FTS_TABLE,
    MAX_TERMS,
    PG_DOCUMENT,
    SEARCH_COLUMN,
    Term,
    fts5_query,
    parse_query,
    tsquery,
)
from tests.fixtures_db import ENGINES, analysed, read_only_store

ANY = Filters(relevant_only=False)
CORPUS = {
    # uid: (title, summary)
    "s1": ("Sanctions on Russian oil tighten", "The price cap was lowered again."),
    "s2": ("Talks on New START resume", "Envoys met in Geneva; US-Russia contacts grow."),
    "s3": ("Путин встретился с Трампом", "Переговоры о санкциях продолжатся в Женеве."),
    "s4": ("Sanctioned banks appeal", "A court in London heard the case (100% of claims)."),
    "s5": ("Price of caps rises", "Unrelated: the cap price of hats went up."),
}


@pytest.fixture(scope="module", params=ENGINES)
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
) -> Iterator[Store]:
    """The corpus, written once per engine for the module: the tests given it only read."""
    yield from read_only_store(
        request.param,
        tmp_path_factory.mktemp("search"),
        _sqlite_template,
        lambda store: store.save_articles(
            [analysed(uid, title=t, summary=s) for uid, (t, s) in CORPUS.items()]
        ),
    )


def found(store: Store, query: str, **filters: Any) -> set[str]:
    f = dataclasses.replace(ANY, query=query, **filters)
    uids = {CORPUS_TITLES[title] for title in store.list_articles(f)["title"]}
    assert store.count_matching(f) == len(uids)
    assert {CORPUS_TITLES[t] for t in store.export_articles(f)["title"]} == uids
    return uids


CORPUS_TITLES = {title: uid for uid, (title, _) in CORPUS.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sanctions", {"s1"}),  # a word, not a substring: "Sanctioned" is another word
        ("SANCTIONS", {"s1"}),  # case does not matter
        ("sanction*", {"s1", "s4"}),  # a trailing * continues the word
        ("oil sanctions", {"s1"}),  # every word, in any order
        ("oil court", set()),
        ('"price cap"', {"s1"}),  # a phrase: these words, in this order
        ('"cap price"', {"s5"}),
        ("price cap", {"s1", "s5"}),  # the same words unquoted: anywhere
        ('"price ca"*', {"s1"}),  # a phrase whose last word continues
        ("US-Russia", {"s2"}),  # joined by punctuation: a phrase
        ("russia us", {"s2"}),  # unquoted words: anywhere, in any order
        ('"russia us"', set()),
        ("new start", {"s2"}),
        ("Путин", {"s3"}),  # Cyrillic, any case
        ("путин трампом", {"s3"}),
        ("санкц*", {"s3"}),  # a Cyrillic prefix
        ("женеве", {"s3"}),
        ("100", {"s4"}),
        ("100%", {"s4"}),
        ("", {"s1", "s2", "s3", "s4", "s5"}),
    ],
)
def test_a_query_means_words_prefixes_and_phrases(
    db: Store, query: str, expected: set[str]
) -> None:
    assert found(db, query) == expected


def test_text_search_combines_with_the_other_filters(db: Store) -> None:
    assert found(db, "sanction*", outlets=("TASS",)) == {"s1", "s4"}
    assert found(db, "sanction*", outlets=("Reuters",)) == set()
    assert found(db, "sanction*", actors=("Nobody",)) == set()


HOSTILE = [
    '"',
    '""',
    "*",
    "**",
    "sanctions*",
    "NEAR(",
    "NEAR(sanctions oil, 2)",
    "-",
    "-sanctions",
    "OR",
    "sanctions OR oil",
    "AND",
    "NOT",
    "sanctions NOT",
    '"unbalanced',
    'sanctions "unbalanced',
    "(",
    ")",
    "title:sanctions",
    "^sanctions",
    "{title summary}: oil",
    "'",
    "''",
    "a'b",
    "\\",
    "%_",
    ":*",
    "<->",
    "!",
    "&|",
    "x" * 1000,
    "sanctions " * 100,
    "word " * 500,
    "й" * 1000,
    "\x00",
    "é\u0301",
    "🙂",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(db: Store, query: str) -> None:
    f = dataclasses.replace(ANY, query=query)
    db.count_matching(f)
    db.list_articles(f)
    db.export_articles(f)
    db.volume_by_day(f, "bloc")
    db.tone_by_day(f, "outlet")
    db.top_actors(f)
    db.overview_figures(f)


def test_hostile_words_are_searched_as_words(db: Store) -> None:
    assert found(db, "sanctions OR") == set()  # OR is a word like any other
    assert found(db, "-sanctions") == {"s1"}  # punctuation is not an operator
    assert found(db, 'NEAR("oil" sanctions') == set()  # "near" is a word too
    assert found(db, '"sanctions') == {"s1"}  # an unclosed quote runs to the end
    assert found(db, "*") == set(CORPUS)  # no letters or digits: no text filter


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_no_query_raises(db: Store, query: str) -> None:
    f = dataclasses.replace(ANY, query=query)
    db.count_matching(f)
    db.list_articles(f, limit=5)


def test_parse_query() -> None:
    assert parse_query("Oil  sanctions") == (Term(("Oil",)), Term(("sanctions",)))
    assert parse_query("sanction*") == (Term(("sanction",), prefix=True),)
    assert parse_query('"price cap" oil') == (Term(("price", "cap")), Term(("oil",)))
    assert parse_query('"price ca*"') == (Term(("price", "ca"), prefix=True),)
    assert parse_query('"price ca"*') == (Term(("price", "ca"), prefix=True),)
    assert parse_query("U.S.-Russia") == (Term(("U", "S", "Russia")),)
    assert parse_query('" * - ( ) "') == ()
    assert parse_query("a_b") == (Term(("a", "b")),)
    assert len(parse_query(" ".join(f"w{i}" for i in range(100)))) == MAX_TERMS
    long = parse_query("x" * 1000)[0]
    assert long.prefix and len(long.words[0]) < 1000


def test_engine_queries_quote_every_word() -> None:
    terms = parse_query('oil "price cap" sanction* NEAR(')
    assert fts5_query(terms) == '"oil" AND "price cap" AND "sanction"* AND "NEAR"'
    assert tsquery(terms) == "('oil') & ('price' <-> 'cap') & ('sanction':*) & ('NEAR')"


# --- the index stays in step ---------------------------------------------------------------------


def assert_index_consistent(store: Store) -> None:
    """SQLite: FTS5's own check of the index against the articles; PostgreSQL: every stored
    vector equals the document computed afresh."""
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
            )
            indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}_docsize").scalar()
        else:
            stale = conn.exec_driver_sql(
                "SELECT count(*) FROM articles "
                f"WHERE {SEARCH_COLUMN} IS DISTINCT FROM {PG_DOCUMENT}"
            ).scalar()
            assert stale == 0
            indexed = conn.exec_driver_sql(
                f"SELECT count(*) FROM articles WHERE {SEARCH_COLUMN} IS NOT NULL"
            ).scalar()
        assert indexed == conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()


def test_the_index_follows_saves_rewrites_and_retags(fresh_db: Store) -> None:
    fresh_db.save_articles([analysed("u1", title="Grain deal collapses", summary="Ships wait.")])
    assert found_uids(fresh_db, "grain") == {"u1"}
    assert_index_consistent(fresh_db)
    # the same uid with a new text: the old words are gone, the new ones found
    fresh_db.save_articles([analysed("u1", title="Prisoner swap agreed", summary="Two freed.")])
    assert found_uids(fresh_db, "grain") == set()
    assert found_uids(fresh_db, "prisoner swap") == {"u1"}
    assert_index_consistent(fresh_db)
    # a retag rewrites the analysis, not the text: still found by its words
    (row_id, _, _) = next(iter(fresh_db.iter_articles_for_retag()))[0]
    retagged = analysed("u1", title="Prisoner swap agreed", lexicon="test-lexicon-2")
    assert fresh_db.update_analyses([(row_id, retagged.analysis)]) == 1
    assert found_uids(fresh_db, "freed") == {"u1"}
    assert_index_consistent(fresh_db)


def found_uids(store: Store, query: str) -> set[str]:
    frame = store.list_articles(dataclasses.replace(ANY, query=query))
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, uid FROM articles"),
        ).all()
    uid_of = {row.id: row.uid for row in rows}
    return {uid_of[int(i)] for i in frame["id"]}


def _undo_text_migration(store: Store) -> None:
    """Make a migrated database look like one from before migration 8, the text index (with its
    articles)."""
    with store._write() as conn:
        if store.dialect == "sqlite":
            for event in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {FTS_TABLE}_{event}")
            conn.exec_driver_sql(f"DROP TABLE {FTS_TABLE}")
        else:
            conn.exec_driver_sql(f"ALTER TABLE articles DROP COLUMN {SEARCH_COLUMN}")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version = 8")


def test_migration_indexes_the_articles_of_an_existing_database(migrated_url: str) -> None:
    with Store.open(migrated_url) as store:
        store.save_articles([analysed(uid, title=t, summary=s) for uid, (t, s) in CORPUS.items()])
        _undo_text_migration(store)
    with Store.open(migrated_url) as store:
        assert 8 in store.schema_versions()
        assert_index_consistent(store)
        assert found_uids(store, "sanction*") == {"s1", "s4"}
        assert found_uids(store, "путин") == {"s3"}
        store.save_articles([analysed("s6", title="Sanctions after the migration")])
        assert found_uids(store, "sanctions") == {"s1", "s6"}
        assert_index_consistent(store)


# --- the filtered reads use their indexes -------------------------------------------------------


def _statements(store: Store, read: Any) -> list[tuple[str, Any]]:
    """Every SELECT a read runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    return [(sql, p) for sql, p in seen if sql.lstrip().startswith("SELECT")]


def _plan(store: Store, sql: str, params: Any) -> str:
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            return " | ".join(str(r[-1]) for r in rows)
        # a tiny table: ask the planner whether an index can find the rows, rather than how it
        # would read 300 rows (whole, or along the day index to save a sort)
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
        return " | ".join(str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {sql}", params))


FILTERED = [
    # name, filters, the index each engine must use (SQLite, PostgreSQL)
    ("text", Filters(query="sanctions oil"), ("VIRTUAL TABLE INDEX", "ix_articles_search")),
    # on 300 rows PostgreSQL may scan migration 13's covering index of article_actors (which
    # holds the actor, after the article id) instead of the one on the actor: either is an index
    (
        "actor",
        Filters(actors=("Vladimir Putin",)),
        ("ix_article_actors_actor", "ix_article_actors_"),
    ),
    ("tone", Filters(tone_min=0.5, tone_max=1.0), ("ix_articles_facts", "ix_articles_tone")),
]
"""SQLite plans as the dashboard asks (relevant articles in a date range; no ANALYZE: the store
never runs it); PostgreSQL plans with statistics over every article and is asked whether it can
use an index (on 300 rows it would rather read them all)."""


@pytest.mark.parametrize(("name", "f", "uses"), FILTERED, ids=[n for n, _, _ in FILTERED])
@pytest.mark.parametrize(
    "read",
    [
        lambda s, f: s.count_matching(f),
        lambda s, f: s.list_articles(f, limit=50),
        lambda s, f: s.volume_by_day(f, "bloc"),
        lambda s, f: s.tone_by_day(f, "outlet"),
    ],
    ids=["count", "list", "volume", "tone"],
)
def test_filtered_reads_use_the_index(
    fresh_db: Store, name: str, f: Filters, uses: tuple[str, str], read: Any
) -> None:
    from tests.synthetic import fill_synthetic

    fill_synthetic(fresh_db, 300, days=20, end=date(2026, 3, 20))
    if fresh_db.dialect == "postgresql":
        with fresh_db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        f = dataclasses.replace(f, relevant_only=False)
    else:  # the dashboard's default range
        f = dataclasses.replace(f, date_from=date(2026, 3, 1), date_to=date(2026, 3, 20))
    (sql, params), *rest = _statements(fresh_db, lambda: read(fresh_db, f))
    plan = _plan(fresh_db, sql, params)
    if name == "tone" and "tone_rollup" in sql:
        # a tone range's count: tone_rollup's bins inside the range, the articles at its ends
        # from migration 15's index of article_facts by tone (core/storage/tone_count.py)
        assert rest, sql
        for end_sql, end_params in rest:
            ends = _plan(fresh_db, end_sql, end_params)
            assert "ix_article_facts_tone" in ends, ends
            assert "articles" not in end_sql.replace("article_facts", ""), end_sql
        return
    if name == "actor" and "count" not in sql and "LIMIT" not in sql:
        # one actor's count: summed from actor_rollup (core/storage/plan.py, actor_count_where)
        assert "actor_rollup" in plan, plan
        return
    if fresh_db.dialect == "sqlite" and "LIMIT" in sql:
        # the newest 50: walk the articles newest first (no sort), each checked against the
        # filter (for text: against the id set its index gave; for an actor: by id in the
        # actors' index, the walk at most 16 articles per listed one)
        assert "USING INDEX ix_articles_relevant_published" in plan, plan
        if name == "actor":
            assert "SEARCH named USING INDEX sqlite_autoindex_article_actors_1" in plan, plan
            assert "CO-ROUTINE walked" in plan, plan
            return
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        if name != "tone":
            assert uses[0] in plan, plan
        return
    if name == "actor" and "LIMIT" in sql:  # PostgreSQL: the walk checks each id by its key
        assert "Index Cond: ((article_id = articles_1.id)" in plan, plan
        return
    assert uses[0 if fresh_db.dialect == "sqlite" else 1] in plan, plan
    if fresh_db.dialect == "sqlite":
        # an aggregate reads no article row (whole texts and evidence): with an id set (text,
        # actors) it looks each id up in the narrow article_facts, otherwise it walks a narrow
        # index of the articles
        steps = [step for step in plan.split(" | ") if " articles " in f"{step} "]
        assert all("COVERING INDEX" in step for step in steps), plan
        if name == "tone":
            assert steps, plan
        else:
            assert "SEARCH article_facts USING INTEGER PRIMARY KEY" in plan, plan
