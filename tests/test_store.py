"""The write side of the store, on SQLite and on PostgreSQL: migrations, feeds, claims, polls,
dedupe and idempotence, retag. Every test runs on both engines through `fresh_db`."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta

import pytest

from core import storage as store_module
from core.models import FeedConfig, Filters
from core.storage import PollOutcome, Store
from tests.fixtures_db import analysed, assert_rollup_consistent, table_counts

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)
FEED_A = FeedConfig("https://a.example/feed", "TASS", "russian-state", "RU", "en")
FEED_B = FeedConfig("https://b.example/rss", "Reuters", "wire", "GB", "en")


def outcome(
    *articles: object, error: str | None = None, status: int | None = 200, **kw: object
) -> PollOutcome:
    values: dict[str, object] = {
        "status": status,
        "error": error,
        "etag": None,
        "last_modified": None,
        "next_check_at": NOW + timedelta(hours=1),
        "articles": tuple(articles),
        "not_modified": False,
        "at": NOW,
    }
    values.update(kw)
    return PollOutcome(**values)  # type: ignore[arg-type]


def feed_id(store: Store, url: str) -> int:
    row = store.get_feed(url)
    assert row is not None
    return row.id


# --- migrations -----------------------------------------------------------------------------------


def test_migrations_are_recorded_and_idempotent(fresh_db: Store) -> None:
    assert fresh_db.schema_versions() == [1, 2, 3, 4, 5, 6]
    assert fresh_db.migrate() == []
    again = Store.open(fresh_db.url)
    try:
        assert again.schema_versions() == [1, 2, 3, 4, 5, 6]
    finally:
        again.close()


def test_migration_3_backfills_the_rollups_of_an_older_database(fresh_db: Store) -> None:
    fresh_db.save_articles(
        [
            analysed(f"m{i}", themes={"sanctions": ["sanctions"], "diplomacy": ["talks"]},
                     actors=[("Putin", "russia")], tone=i / 10 - 0.3)
            for i in range(6)
        ]
    )  # fmt: skip
    with fresh_db.engine.begin() as conn:  # make it look like a database from before version 3
        for table in store_module.AUX_ROLLUPS:
            conn.execute(table.delete())
        conn.execute(store_module.schema_migrations.delete().where(
            store_module.schema_migrations.c.version >= 3))  # fmt: skip
    assert fresh_db.migrate() == [3, 4, 5, 6]
    assert len(fresh_db.top_actors(Filters())) == 1
    assert_rollup_consistent(fresh_db)


def test_concurrent_openers_do_not_race(db_url: str) -> None:
    errors: list[BaseException] = []
    opened: list[Store] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        try:
            start.wait()
            opened.append(Store.open(db_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert all(store.schema_versions() == [1, 2, 3, 4, 5, 6] for store in opened)
    finally:
        for store in opened:
            store.close()


# --- feeds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ([FEED_A, FEED_B], (0, 0)),
        ([dataclasses.replace(FEED_A, outlet="TASS English"), FEED_B], (0, 1)),
        ([FEED_A], (0, 0)),
        ([FEED_A, FEED_B, FeedConfig("https://c.example/", "DW", "european")], (1, 0)),
    ],
)
def test_sync_feeds_upserts_by_url_and_never_deletes(
    fresh_db: Store, second: list[FeedConfig], expected: tuple[int, int]
) -> None:
    assert fresh_db.sync_feeds([FEED_A, FEED_B]) == (2, 0)
    assert fresh_db.sync_feeds(second) == expected
    urls = {feed.url for feed in fresh_db.list_feeds()}
    assert {FEED_A.url, FEED_B.url} <= urls


def test_syncing_the_file_does_not_undo_a_disable(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A])
    fresh_db.set_feed_enabled(FEED_A.url, False)
    fresh_db.sync_feeds([FEED_A])
    assert [f.enabled for f in fresh_db.list_feeds()] == [False]
    fresh_db.sync_feeds([dataclasses.replace(FEED_A, enabled=False)])
    fresh_db.set_feed_enabled(FEED_A.url, True)
    assert [f.enabled for f in fresh_db.list_feeds()] == [True]


def test_a_poll_of_a_feed_removed_meanwhile_is_not_an_error(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A])
    fid = feed_id(fresh_db, FEED_A.url)
    fresh_db.remove_feed(FEED_A.url)
    assert fresh_db.record_poll(fid, outcome(analysed("gone"))).new == 1


def test_add_disable_remove_feed(fresh_db: Store) -> None:
    row = fresh_db.add_feed(FEED_A)
    assert (row.url, row.outlet, row.bloc, row.enabled) == (
        FEED_A.url,
        "TASS",
        "russian-state",
        True,
    )
    assert fresh_db.set_feed_enabled(FEED_A.url, False)
    assert fresh_db.claim_due_feeds(NOW, lease=LEASE, include_not_due=True) == []
    assert fresh_db.remove_feed(FEED_A.url)
    assert not fresh_db.remove_feed(FEED_A.url)
    assert not fresh_db.set_feed_enabled(FEED_A.url, True)
    assert fresh_db.list_feeds() == []


# --- claims ---------------------------------------------------------------------------------------


def test_claims_take_due_feeds_and_hold_them_for_the_lease(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A, FEED_B])
    later = datetime.now(UTC) + timedelta(minutes=1)
    first = fresh_db.claim_due_feeds(later, lease=LEASE)
    assert sorted(f.url for f in first) == sorted([FEED_A.url, FEED_B.url])
    assert fresh_db.claim_due_feeds(later, lease=LEASE) == []  # leased
    expired = later + LEASE + timedelta(seconds=1)
    assert len(fresh_db.claim_due_feeds(expired, lease=LEASE)) == 2
    # after a poll the feed is not due until its next check; --all ignores the schedule
    fresh_db.record_poll(first[0].id, outcome(at=expired, next_check_at=expired + LEASE * 10))
    much_later = expired + LEASE * 2
    due = fresh_db.claim_due_feeds(much_later, lease=LEASE)
    assert [f.id for f in due] == [f.id for f in first[1:]]
    forced = fresh_db.claim_due_feeds(much_later + LEASE * 2, lease=LEASE, include_not_due=True)
    assert len(forced) == 2


def test_claim_limit(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FeedConfig(f"https://f{i}.example/", f"O{i}", "us") for i in range(5)])
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert len(fresh_db.claim_due_feeds(later, lease=LEASE, limit=2)) == 2
    assert len(fresh_db.claim_due_feeds(later, lease=LEASE)) == 3


def test_two_pollers_claim_disjoint_feeds(db_url: str) -> None:
    """Several pollers (own engines, own connections) claiming at once never share a feed."""
    setup = Store.open(db_url)
    setup.sync_feeds([FeedConfig(f"https://f{i}.example/", f"O{i}", "us") for i in range(60)])
    stores = [Store.open(db_url) for _ in range(4)]
    claimed: list[list[int]] = [[] for _ in stores]
    start = threading.Barrier(len(stores))
    later = datetime.now(UTC) + timedelta(minutes=1)

    def poller(index: int) -> None:
        start.wait()
        for _ in range(10):
            rows = stores[index].claim_due_feeds(later, lease=LEASE, limit=3)
            claimed[index].extend(row.id for row in rows)

    threads = [threading.Thread(target=poller, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in (setup, *stores):
        store.close()
    every = [feed for ids in claimed for feed in ids]
    assert len(every) == len(set(every)) == 60


# --- polls ----------------------------------------------------------------------------------------


def test_record_poll_success_failure_and_not_modified(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A])
    fid = feed_id(fresh_db, FEED_A.url)
    fresh_db.claim_due_feeds(datetime.now(UTC), lease=LEASE)

    counts = fresh_db.record_poll(fid, outcome(analysed("a1"), etag='"v1"', last_modified="Mon"))
    row = fresh_db.get_feed(FEED_A.url)
    assert row is not None
    assert (counts.new, row.etag, row.last_modified, row.consecutive_errors) == (
        1,
        '"v1"',
        "Mon",
        0,
    )
    assert row.last_success_at == NOW and row.last_status == 200

    for expected in (1, 2):
        fresh_db.record_poll(fid, outcome(error="HTTP 500", status=500, etag='"bad"'))
        row = fresh_db.get_feed(FEED_A.url)
        assert row is not None
        assert (row.consecutive_errors, row.last_error, row.etag) == (expected, "HTTP 500", '"v1"')
        assert row.last_success_at == NOW

    later = NOW + timedelta(hours=2)
    counts = fresh_db.record_poll(
        fid, outcome(status=304, not_modified=True, etag='"v1"', last_modified="Mon", at=later)
    )
    row = fresh_db.get_feed(FEED_A.url)
    assert row is not None
    assert (counts.new, counts.updated, row.consecutive_errors, row.last_error) == (0, 0, 0, None)
    assert (row.last_status, row.last_success_at, row.etag) == (304, later, '"v1"')
    # the lease is released: the feed can be claimed again once due
    assert [f.id for f in fresh_db.claim_due_feeds(later + timedelta(hours=2), lease=LEASE)] == [
        fid
    ]
    assert table_counts(fresh_db)["feed_attempts"] == 4


def test_failed_poll_writes_no_articles_even_if_given(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A])
    fid = feed_id(fresh_db, FEED_A.url)
    fresh_db.record_poll(fid, outcome(error="boom", status=None))
    assert fresh_db.count_articles() == 0


def test_polling_unchanged_content_twice_writes_nothing(fresh_db: Store) -> None:
    fresh_db.sync_feeds([FEED_A])
    fid = feed_id(fresh_db, FEED_A.url)
    items = [
        analysed("u1", themes={"sanctions": ["sanctions"]}, actors=[("Putin", "russia")]),
        analysed("u2", themes={"diplomacy": ["summit", "talks"]}),
    ]
    first = fresh_db.record_poll(fid, outcome(*items))
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    before = table_counts(fresh_db)
    second = fresh_db.record_poll(fid, outcome(*items))
    after = table_counts(fresh_db)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    assert {k: v for k, v in after.items() if k != "feed_attempts"} == {
        k: v for k, v in before.items() if k != "feed_attempts"
    }
    assert after["feed_attempts"] == before["feed_attempts"] + 1


@pytest.mark.parametrize(
    ("second_uid", "second_url"),
    [
        ("same-uid", "https://news.example/story"),  # same canonical URL as uid
        ("other-guid", "https://news.example/story"),  # two GUIDs, one canonical URL
    ],
)
def test_the_same_article_from_two_feeds_is_one_article_with_both_outlets(
    fresh_db: Store, second_uid: str, second_url: str
) -> None:
    fresh_db.sync_feeds([FEED_A, FEED_B])
    first = analysed(
        "same-uid", url="https://news.example/story", outlet="TASS", feed_url=FEED_A.url
    )
    second = analysed(
        second_uid, url=second_url, outlet="Reuters", bloc="wire", feed_url=FEED_B.url
    )
    fresh_db.record_poll(feed_id(fresh_db, FEED_A.url), outcome(first))
    counts = fresh_db.record_poll(feed_id(fresh_db, FEED_B.url), outcome(second))
    assert counts.new == 0
    assert fresh_db.count_articles() == 1
    listed = fresh_db.list_articles(Filters(relevant_only=False))
    assert listed.loc[0, "outlets"] == "TASS, Reuters"
    assert listed.loc[0, "blocs"] == "russian-state, wire"
    detail = fresh_db.get_article(int(listed.loc[0, "id"]))
    assert detail is not None and detail.outlets == ("TASS", "Reuters")
    # counted once, under the outlet that published it first
    assert fresh_db.count_matching(Filters(relevant_only=False)) == 1
    assert fresh_db.count_matching(Filters(relevant_only=False, outlets=("Reuters",))) == 0
    assert_rollup_consistent(fresh_db)


def test_changed_content_updates_the_article_and_its_rollup(fresh_db: Store) -> None:
    old = analysed("c1", themes={"sanctions": ["sanctions"]}, tone=0.5)
    new = analysed(
        "c1", themes={"arms_control": ["New START"]}, tone=-0.5, extra_text="Updated.", hour=23
    )
    assert fresh_db.save_articles([old]).new == 1
    counts = fresh_db.save_articles([new])
    assert (counts.new, counts.updated) == (0, 1)
    detail = fresh_db.get_article(int(fresh_db.list_articles(Filters())["id"][0]))
    assert detail is not None
    assert detail.analysis.theme_names == ("arms_control",) and detail.tone == -0.5
    assert fresh_db.count_matching(Filters(themes=("sanctions",))) == 0
    assert fresh_db.count_matching(Filters(themes=("arms_control",))) == 1
    assert_rollup_consistent(fresh_db)


def test_a_duplicate_inside_one_batch_is_stored_once(fresh_db: Store) -> None:
    counts = fresh_db.save_articles([analysed("d1"), analysed("d1")])
    assert counts.new == 1 and fresh_db.count_articles() == 1


def test_get_article_rebuilds_the_evidence_exactly(fresh_db: Store) -> None:
    item = analysed(
        "e1",
        title="Sanctions news",
        themes={"sanctions": ["sanctions", "price cap"]},
        actors=[("Lavrov", "russia"), ("Rubio", "us")],
    )
    fresh_db.save_articles([item])
    detail = fresh_db.get_article(int(fresh_db.list_articles(Filters())["id"][0]))
    assert detail is not None
    assert detail.analysis == item.analysis
    assert detail.analyzed_text == item.article.body
    for match in detail.analysis.themes:
        assert detail.analyzed_text[match.start : match.end] == match.term
    assert fresh_db.get_article(999_999) is None


def test_retag_rewrites_themes_and_rollup(fresh_db: Store) -> None:
    fresh_db.save_articles(
        [analysed(f"r{i}", themes={"sanctions": ["sanctions"]}) for i in range(7)]
    )
    batches = list(fresh_db.iter_articles_for_retag(batch=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    rows = [row for batch in batches for row in batch]
    retagged = analysed("x", themes={"energy_trade": ["oil"]}, tone=-0.2, lexicon="test-lexicon-2")
    done = fresh_db.update_analyses([(row_id, retagged.analysis) for row_id, _, _ in rows])
    assert done == 7
    assert fresh_db.count_matching(Filters(themes=("sanctions",))) == 0
    assert fresh_db.count_matching(Filters(themes=("energy_trade",))) == 7
    assert fresh_db.analysis_versions()[0] == "test-lexicon-2"
    assert_rollup_consistent(fresh_db)


def test_demo_flag_and_counts(fresh_db: Store) -> None:
    assert not fresh_db.has_demo_data() and fresh_db.count_articles() == 0
    fresh_db.save_articles([analysed("demo-1", is_demo=True), analysed("live-1")])
    assert fresh_db.has_demo_data() and fresh_db.count_articles() == 2


def test_synthetic_fill_is_consistent_and_idempotent(fresh_db: Store) -> None:
    from tests.synthetic import fill_synthetic

    counts = fill_synthetic(fresh_db, 600, seed=3, days=30)
    assert counts.new == 600
    assert fill_synthetic(fresh_db, 600, seed=3, days=30).unchanged == 600
    assert fresh_db.count_articles() == 600
    assert_rollup_consistent(fresh_db)
    blocs = set(fresh_db.filter_options()["blocs"])
    from core.models import BLOCS

    assert blocs == set(BLOCS)


@pytest.mark.parametrize(
    ("content", "fulltext", "body"),
    [("Feed content.", "", "Feed content."), ("", "", "Only a summary."), ("C.", "Full.", "Full.")],
)
def test_analyzed_text_is_exactly_the_body(
    fresh_db: Store, content: str, fulltext: str, body: str
) -> None:
    item = analysed("t1")
    article = dataclasses.replace(
        item.article, summary="Only a summary.", content=content, fulltext=fulltext
    )
    fresh_db.save_articles([dataclasses.replace(item, article=article)])
    detail = fresh_db.get_article(int(fresh_db.list_articles(Filters())["id"][0]))
    assert detail is not None and detail.analyzed_text == body == article.body
    assert [row[2] for batch in fresh_db.iter_articles_for_retag() for row in batch] == [body]
