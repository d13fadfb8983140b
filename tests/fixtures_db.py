"""Database fixtures: `fresh_db` is a migrated, empty Store on SQLite and, when
DETENTE_TEST_PG_URL is set, on the real PostgreSQL (unless DETENTE_REQUIRE_PG=1, which makes a
missing URL a failure). `db_url` is a brand-new, unmigrated database (a file, or a schema of its
own) for tests about opening and migrating; `fresh_db` reuses a migrated template for speed."""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core import storage as store_module
from core.analysis.relevance import RELEVANT_AT
from core.analysis.tone import label as tone_label
from core.models import (
    ActorMention,
    Analysis,
    AnalyzedArticle,
    Article,
    SentenceTone,
    ThemeMatch,
)
from core.storage import Store
from core.storage.migrations import facts_lines
from tests.synthetic import fill_synthetic

ENGINES = ["sqlite", "postgresql"]


def pg_url() -> str | None:
    url = os.environ.get("DETENTE_TEST_PG_URL")
    if not url and os.environ.get("DETENTE_REQUIRE_PG") == "1":
        pytest.fail("DETENTE_REQUIRE_PG=1 but DETENTE_TEST_PG_URL is not set")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if url and worker else url


@functools.cache
def _worker_database(base: str, worker: str) -> str:
    """Under pytest-xdist, a database of each worker's own beside the named one (test_gw0, …):
    the workers' advisory locks (core/storage/migrations.py, writes.py) never meet."""
    url = sa.make_url(base)
    name = f"{url.database}_{worker}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}).first()  # fmt: skip
            if found is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _pg_schema_url(base: str, schema: str) -> str:
    """The schema's URL. Its sessions commit without waiting for the WAL flush
    (synchronous_commit=off: what a crash of the *server* could lose, which no test does), a
    flush per commit being most of a small test's time; what a transaction sees is unchanged."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


def make_db_url(engine: str, tmp_path: Path) -> Generator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'detente.db'}"
        return
    base = pg_url()
    if not base:
        pytest.skip("DETENTE_TEST_PG_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from make_db_url(request.param, tmp_path)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file, made once: each test gets a copy (milliseconds)."""
    path = tmp_path_factory.mktemp("template") / "detente.db"
    Store.open(f"sqlite:///{path}").close()  # the last close checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def _pg_session_schema() -> Iterator[str | None]:
    """One migrated schema for the session; each test starts from its tables truncated."""
    if not os.environ.get("DETENTE_TEST_PG_URL"):
        yield None  # migrated_url skips (or, with DETENTE_REQUIRE_PG=1, fails) the PG tests
        return
    yield from make_db_url("postgresql", Path())


@pytest.fixture(params=ENGINES)
def migrated_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _pg_session_schema: str | None,
) -> Iterator[str]:
    """The URL of an empty, migrated database: a copy of the template file, or the session's
    PostgreSQL schema with every table emptied (much quicker than migrating per test)."""
    if request.param == "sqlite":
        path = tmp_path / "detente.db"
        shutil.copyfile(_sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if _pg_session_schema is None:
        pg_url()  # fails the test when DETENTE_REQUIRE_PG=1
        pytest.skip("DETENTE_TEST_PG_URL not set")
    engine = sa.create_engine(_pg_session_schema)
    try:
        store = Store.open(_pg_session_schema)  # re-applies a migration a test may have undone
        store.close()
        with engine.begin() as conn:  # DELETE: far quicker than TRUNCATE on tiny tables
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            for table in reversed(store_module.metadata.sorted_tables):
                if table.name != "schema_migrations":
                    conn.execute(table.delete())
    finally:
        engine.dispose()
    yield _pg_session_schema


@pytest.fixture
def fresh_db(migrated_url: str) -> Iterator[Store]:
    store = Store.open(migrated_url)
    try:
        yield store
    finally:
        store.close()


def read_only_store(
    engine: str, folder: Path, template: Path, fill: Callable[[Store], object]
) -> Iterator[Store]:
    """A store filled once and shared by tests that only read it (a module's or the session's):
    filling one per test was most of those tests' time. Its table counts must be unchanged when
    the last of them is done, or that test reports an error."""
    if engine == "sqlite":
        shutil.copyfile(template, folder / "detente.db")
        yield from _filled(f"sqlite:///{folder / 'detente.db'}", fill)
        return
    for url in make_db_url("postgresql", folder):  # a schema of its own, dropped after
        yield from _filled(url, fill)


def _filled(url: str, fill: Callable[[Store], object]) -> Iterator[Store]:
    with Store.open(url) as store:
        fill(store)
        counts = table_counts(store)
        yield store
        assert table_counts(store) == counts, "a test wrote to a store shared for reading"


SYNTHETIC_END = date(2026, 3, 20)


@pytest.fixture(scope="session", params=ENGINES)
def synthetic_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
) -> Iterator[Store]:
    """400 synthetic articles (tests/synthetic.py) over the 20 days to SYNTHETIC_END, written once
    per engine for the session: the reads compared in tests/test_facts.py, test_digest_reads.py,
    test_match_frames.py and test_actor_reads.py only read them."""
    folder = tmp_path_factory.mktemp("synthetic")
    yield from read_only_store(
        request.param,
        folder,
        _sqlite_template,
        lambda store: fill_synthetic(store, 400, days=20, end=SYNTHETIC_END),
    )


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'detente.db'}")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def pg_base_url(tmp_path: Path) -> Iterator[str]:
    yield from make_db_url("postgresql", tmp_path)


# --- builders: analyzed articles without the analysis core ---------------------------------------

DAY = date(2026, 3, 10)
LEXICON = "test-lexicon-1"
ANALYZER = "test-analyzer-1"


def analysed(
    uid: str,
    *,
    outlet: str = "TASS",
    bloc: str = "russian-state",
    feed_url: str | None = None,
    day: date = DAY,
    hour: int = 12,
    title: str | None = None,
    themes: dict[str, list[str]] | None = None,
    actors: list[tuple[str, str]] | None = None,
    tone: float | None = 0.1,
    relevance: float = 0.8,
    lang: str = "en",
    url: str | None = None,
    summary: str | None = None,
    extra_text: str = "",
    is_demo: bool = False,
    lexicon: str = LEXICON,
) -> AnalyzedArticle:
    """An AnalyzedArticle whose evidence spans really index its title and text.

    `themes` maps a theme to the terms found in the text (one sentence each); `actors` are
    (name, side) pairs mentioned by name in the text."""
    themes = themes or {}
    actors = actors or []
    title = title if title is not None else f"Story {uid}"
    sentences = [f"{term} was discussed." for terms in themes.values() for term in terms]
    sentences += [f"{name} spoke." for name, _ in actors]
    if extra_text:
        sentences.append(extra_text)
    text = " ".join(sentences) or "Nothing to see."
    matches: list[ThemeMatch] = []
    cursor = 0
    for theme, terms in themes.items():
        for term in terms:
            start = text.index(term, cursor)
            matches.append(ThemeMatch(theme, term, start, start + len(term), "text"))
            cursor = start + len(term)
    mentions = []
    for name, side in actors:
        start = text.index(f"{name} spoke.")
        mentions.append(ActorMention(name, side, start, start + len(name), "text"))
    spans, at = [], 0
    for sentence in text.split(". "):
        end = at + len(sentence) + (0 if sentence.endswith(".") else 1)
        spans.append(SentenceTone(at, min(end, len(text)), tone, "text"))
        at = end + 1
    published = datetime.combine(day, time(hour), UTC)
    article = Article(
        uid=uid,
        url=url if url is not None else f"https://news.example/{uid}",
        title=title,
        summary=summary if summary is not None else text[:200],
        content=text,
        published=published,
        published_estimated=False,
        fetched=published + timedelta(minutes=5),
        feed_url=feed_url or f"https://{outlet.lower().replace(' ', '')}.example/feed",
        outlet=outlet,
        bloc=bloc,
        is_demo=is_demo,
    )
    analysis = Analysis(
        tone=tone,
        tone_label=tone_label(tone),
        sentences=tuple(spans),
        themes=tuple(matches),
        theme_names=tuple(sorted(themes)),
        actors=tuple(mentions),
        relevance=relevance,
        relevant=relevance >= RELEVANT_AT,
        lang=lang,
        lexicon_version=lexicon,
        analyzer_version=ANALYZER,
    )
    return AnalyzedArticle(article, analysis)


def table_counts(store: Store) -> dict[str, int]:
    """Rows in every table: 'nothing written' means these do not change."""
    with store.engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in store_module.metadata.sorted_tables
        }


def assert_rollup_consistent(store: Store) -> None:
    """The rollup the write path keeps equals a recount from the articles."""
    a, t = store_module.articles.c, store_module.article_themes.c
    with store.engine.connect() as conn:
        rollup = {
            (
                str(row.day),
                row.outlet,
                row.bloc,
                row.theme,
                bool(row.relevant),
                bool(row.central),
                row.lang,
            ): (
                row.articles,
                round(row.tone_sum, 6),
                row.tone_count,
            )
            for row in conn.execute(sa.select(store_module.daily_rollup)).all()
            if row.articles or row.tone_count
        }
        recount: dict[tuple[str, str, str, str, bool, bool, str], tuple[int, float, int]] = {}
        everything = sa.select(
            a.published_day, a.outlet, a.bloc, sa.literal("").label("theme"), a.relevant,
            sa.literal(True), sa.func.count(), sa.func.coalesce(sa.func.sum(a.tone), 0.0),
            sa.func.count(a.tone), a.lang,
        ).group_by(a.published_day, a.outlet, a.bloc, a.relevant, a.lang)  # fmt: skip
        themed = (
            sa.select(
                a.published_day,
                a.outlet,
                a.bloc,
                t.theme,
                a.relevant,
                t.central,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(a.tone), 0.0),
                sa.func.count(a.tone),
                a.lang,
            )
            .select_from(
                store_module.articles.join(store_module.article_themes, t.article_id == a.id)
            )
            .group_by(a.published_day, a.outlet, a.bloc, t.theme, a.relevant, t.central, a.lang)
        )
        for statement in (everything, themed):
            for row in conn.execute(statement):
                day, outlet, bloc, theme, relevant, central, n, tone_sum, tone_n, lang = row
                recount[(str(day), outlet, bloc, theme, bool(relevant), bool(central), lang)] = (
                    n,
                    round(tone_sum, 6),
                    tone_n,
                )
    assert rollup == recount
    per_bloc: dict[tuple[str, str, str, bool, bool, str], list[float]] = {}
    for (day, _, bloc, theme, relevant, central, lang), (n, tone_sum, tone_n) in recount.items():
        cell = per_bloc.setdefault((day, bloc, theme, relevant, central, lang), [0, 0.0, 0])
        cell[0] += n
        cell[1] += tone_sum
        cell[2] += tone_n
    with store.engine.connect() as conn:
        stored = {
            (str(row.day), row.bloc, row.theme, bool(row.relevant), bool(row.central), row.lang): (
                row.articles, round(row.tone_sum, 6), row.tone_count,
            )
            for row in conn.execute(sa.select(store_module.bloc_rollup)).all()
            if row.articles or row.tone_count
        }  # fmt: skip
    assert stored == {k: (int(n), round(t, 6), int(c)) for k, (n, t, c) in per_bloc.items()}
    _assert_aux_rollups_consistent(store)
    assert_facts_consistent(store)


def assert_facts_consistent(store: Store) -> None:
    """article_facts holds each article's columns of the same names, one row per article, and
    article_lines its line and terms as made from its stored evidence
    (core/storage/match_lines.py)."""
    names = store_module.FACT_COLUMNS
    f, lines = store_module.article_facts.c, store_module.article_lines.c
    with store.engine.connect() as conn:
        facts = conn.execute(sa.select(*(f[n] for n in names))).all()
        stored = conn.execute(sa.select(*(store_module.articles.c[n] for n in names))).all()
        written = {
            r.id: (r.line, r.terms)
            for r in conn.execute(sa.select(lines.id, lines.line, lines.terms))
        }
        ids = [r.id for r in facts]
        remade = {
            row["id"]: (row["line"], row["terms"])
            for row in facts_lines(conn, min(ids, default=0), max(ids, default=0))
        }
    assert len(facts) == len(stored)
    assert set(map(tuple, facts)) == set(map(tuple, stored))
    assert written == remade


def _assert_aux_rollups_consistent(store: Store) -> None:
    """The actor, term, theme-pair and tone rollups equal a recount in Python."""
    m = store_module
    with store.engine.connect() as conn:
        full = {
            r.id: (str(r.published_day), r.outlet, r.bloc, bool(r.relevant))
            for r in conn.execute(
                sa.select(m.articles.c.id, m.articles.c.published_day, m.articles.c.outlet,
                          m.articles.c.bloc, m.articles.c.relevant)
            )
        }  # fmt: skip
        langs = dict(conn.execute(sa.select(m.articles.c.id, m.articles.c.lang)).all())
        base = {i: (day, bloc, relevant) for i, (day, _, bloc, relevant) in full.items()}
        tones = dict(conn.execute(sa.select(m.articles.c.id, m.articles.c.tone)).all())
        themes: dict[int, dict[str, bool]] = {}
        for article_id, theme, central in conn.execute(
            sa.select(
                m.article_themes.c.article_id, m.article_themes.c.theme, m.article_themes.c.central
            )
        ):
            themes.setdefault(article_id, {})[theme] = bool(central)
        expected: dict[str, defaultdict[tuple[Any, ...], float]] = {
            name: defaultdict(float)
            for name in ("actor_rollup", "term_rollup", "pair_rollup", "tone_rollup",
                         "relations_rollup", "event_rollup")
        }  # fmt: skip
        for article_id, actor, side, mentions in conn.execute(
            sa.select(m.article_actors.c.article_id, m.article_actors.c.actor,
                      m.article_actors.c.side, m.article_actors.c.mentions)
        ):  # fmt: skip
            lang = langs[article_id]
            expected["actor_rollup"][(*base[article_id], actor, side, lang, "articles")] += 1
            expected["actor_rollup"][(*base[article_id], actor, side, lang, "mentions")] += mentions
        for article_id, theme, term, hits in conn.execute(
            sa.select(m.article_terms.c.article_id, m.article_terms.c.theme,
                      m.article_terms.c.term, m.article_terms.c.hits)
        ):  # fmt: skip
            central, lang = themes.get(article_id, {}).get(theme, True), langs[article_id]
            termed = (*base[article_id], theme, term, central, lang)
            expected["term_rollup"][(*termed, "hits")] += hits
            expected["term_rollup"][(*termed, "articles")] += 1
        for article_id, names in themes.items():
            ordered = sorted(names)
            for i, first in enumerate(ordered):
                for second in ordered[i + 1 :]:
                    both = names[first] and names[second]
                    pair = (*base[article_id], first, second, both, langs[article_id])
                    expected["pair_rollup"][(*pair, "articles")] += 1
        e = m.article_events.c
        events: dict[int, list[tuple[str, str, str, float]]] = {}
        for article_id, way, category, quad, weight in conn.execute(
            sa.select(e.article_id, e.direction, e.category, e.quad, e.weight)
        ):
            events.setdefault(article_id, []).append((way, category, quad, weight))
        for article_id, found_events in events.items():
            rel, lang = expected["relations_rollup"], langs[article_id]
            for way in {"", *(w for w, _, _, _ in found_events)}:
                mine = [x for x in found_events if way in ("", x[0])]
                key: tuple[Any, ...] = (*full[article_id], way, lang)
                rel[(*key, "articles")] += 1
                rel[(*key, "events")] += len(mine)
                rel[(*key, "weight_sum")] += round(sum(x[3] for x in mine), 6)
                rel[(*key, "cooperation")] += sum(x[3] > 0 for x in mine)
                rel[(*key, "conflict")] += sum(x[3] < 0 for x in mine)
            for category, quad in {(c, q) for _, c, q, _ in found_events}:
                mine = [x for x in found_events if (x[1], x[2]) == (category, quad)]
                key = (*base[article_id], category, quad, lang)
                expected["event_rollup"][(*key, "articles")] += 1
                expected["event_rollup"][(*key, "events")] += len(mine)
                expected["event_rollup"][(*key, "weight_sum")] += round(sum(x[3] for x in mine), 6)
        for article_id, tone in tones.items():
            if tone is not None:
                bucket = store_module.tone_bin(tone)
                key = (*full[article_id], bucket, langs[article_id], "articles")
                expected["tone_rollup"][key] += 1
        tables = (*store_module.AUX_ROLLUPS, *store_module.RELATIONS_ROLLUPS)
        for table in tables:
            keys = [c.name for c in table.columns if c.primary_key]
            measures = [c.name for c in table.columns if not c.primary_key]
            found: dict[tuple[Any, ...], float] = {}
            for row in conn.execute(sa.select(table)).mappings():
                for measure in measures:
                    if row[measure]:
                        key = tuple(
                            str(row[k])
                            if k == "day"
                            else bool(row[k])
                            if k in ("relevant", "central")
                            else row[k]
                            for k in keys
                        )
                        value = row[measure]
                        found[(*key, measure)] = (
                            round(value, 6) if isinstance(value, float) else value
                        )
            wanted = {
                k: round(v, 6) if isinstance(v, float) else v
                for k, v in expected[table.name].items()
                if round(v, 6)
            }
            assert found == wanted, table.name
