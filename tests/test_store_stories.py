"""Stories stored (core/storage/story_store.py, core/storage/reads_stories.py) by the poll's
stories step and `rebuild` (core/ingest/stories.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from bench.bench_stories import Labelled, load_eval
from core.ingest.stories import StoryStep, rebuild
from core.models import AnalyzedArticle, Filters
from core.storage import Store
from core.stories import WINDOW, StoryIndex
from tests.alert_fixtures import TODAY, make_story
from tests.fixtures_db import analysed

ALL = Filters(relevant_only=False)


def stored(row: Labelled, **fields: object) -> AnalyzedArticle:
    """A labelled article as the poller would store it (its text as content)."""
    it = row.item
    item = analysed(
        it.article_id, outlet=it.outlet, bloc=it.bloc, title=it.title, extra_text=it.text,
        themes={"arms_control": ["nuclear"]} if "nuclear" in it.text else None, **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    article = dataclasses.replace(
        item.article, content=it.text, published=it.published, fetched=it.published
    )
    return AnalyzedArticle(article, item.analysis)


def partition(store: Store) -> dict[str, set[str]]:
    """uid → the uids of its story, as stored."""
    groups: defaultdict[int, set[str]] = defaultdict(set)
    uid_of = {}
    for story_id in store.list_stories(ALL, limit=10_000)["id"]:
        detail = store.get_story(int(story_id))
        assert detail is not None
        for article_id in detail.members["id"]:
            found = store.get_article(int(article_id))
            assert found is not None
            groups[int(story_id)].add(found.uid)
            uid_of[found.uid] = int(story_id)
    return {uid: groups[story] for uid, story in uid_of.items()}


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return load_eval()


def test_the_step_stores_the_index_assignments_copies_and_summaries(
    fresh_db: Store, labelled: list[Labelled]
) -> None:
    fresh_db.save_articles([stored(row) for row in labelled])
    report = StoryStep(first_window_only=False).run(fresh_db)
    assert report.articles == len(labelled)
    index = StoryIndex()
    expected: defaultdict[str, set[str]] = defaultdict(set)
    for row in labelled:
        expected[index.add(row.item).story_id].add(row.item.article_id)
    want = {uid: group for group in expected.values() for uid in group}
    assert partition(fresh_db) == want
    copies = [r for r in labelled if r.copy_of]
    assert report.copies == len(copies)
    total, articles, reports = fresh_db.story_totals(ALL)
    assert (total, articles) == (len(expected), len(labelled))
    assert reports == len(labelled) - len(copies)  # independent reports: copies left out
    # a copy names its original; the original lists its copies
    copy = copies[0]
    copy_id = fresh_db.list_articles(Filters(relevant_only=False, query=""), limit=1000)
    ids = {fresh_db.get_article(int(i)).uid: int(i) for i in copy_id["id"]}  # type: ignore[union-attr]
    story = fresh_db.story_of_article(ids[copy.item.article_id])
    assert story is not None and story[1] == ids[str(copy.copy_of)]
    original = fresh_db.story_of_article(ids[str(copy.copy_of)])
    assert original is not None and ids[copy.item.article_id] in original[2]


def test_a_restarted_step_continues_as_an_uninterrupted_one(
    fresh_db: Store, labelled: list[Labelled], tmp_path: object
) -> None:
    half = len(labelled) // 2
    fresh_db.save_articles([stored(row) for row in labelled[:half]])
    StoryStep(first_window_only=False).run(fresh_db)
    fresh_db.save_articles([stored(row) for row in labelled[half:]])
    StoryStep().run(fresh_db)  # a new process: restored from the stored stories
    restarted = partition(fresh_db)
    rebuild(fresh_db)  # one index over every article in order
    assert partition(fresh_db) == restarted


def test_the_order_of_feeds_within_a_round_does_not_matter(
    tmp_path: Path, labelled: list[Labelled]
) -> None:
    """The step sorts a round by (published, id): feeds stored in another order (so other ids)
    give the same stories, by article."""
    by_outlet: defaultdict[str, list[Labelled]] = defaultdict(list)
    for row in labelled:
        by_outlet[row.item.outlet].append(row)
    feeds = sorted(by_outlet)
    found = []
    for name, order in (("forward", feeds), ("backward", feeds[::-1])):
        with Store.open(f"sqlite:///{tmp_path / name}.db") as store:
            for outlet in order:  # one feed's articles after another's, as a round stores them
                store.save_articles([stored(row) for row in by_outlet[outlet]])
            StoryStep(first_window_only=False).run(store)
            found.append(partition(store))
    assert found[0] == found[1]


def test_rebuild_gives_every_stored_article_a_story(
    fresh_db: Store, labelled: list[Labelled]
) -> None:
    fresh_db.save_articles([stored(row) for row in labelled])
    chunks: list[int] = []
    report = rebuild(fresh_db, chunks.append)
    assert sum(chunks) == report.articles == len(labelled)
    assert fresh_db.story_totals(ALL)[1] == len(labelled)
    again = rebuild(fresh_db)
    assert again == report  # deterministic: the same stories again


def test_a_never_clustered_database_gets_its_last_window_clustered(
    fresh_db: Store, labelled: list[Labelled]
) -> None:
    old = [
        dataclasses.replace(
            r,
            item=dataclasses.replace(
                r.item,
                article_id="old-" + r.item.article_id,
                published=r.item.published - timedelta(days=60),
            ),
        )
        for r in labelled[:5]
    ]
    fresh_db.save_articles([stored(row) for row in old + labelled])
    report = StoryStep().run(fresh_db)
    newest = max(r.item.published for r in labelled)
    recent = [r for r in labelled if r.item.published >= newest - WINDOW]
    assert report.articles == len(recent) and report.left_to_rebuild
    assert "detente stories rebuild" in report.line()


def _only(column: str, value: str) -> Filters:
    """ALL narrowed to one bloc or one outlet (a keyword each, so mypy checks the field)."""
    if column == "blocs":
        return dataclasses.replace(ALL, blocs=(value,))
    return dataclasses.replace(ALL, outlets=(value,))


def test_the_filters_apply_to_stories(fresh_db: Store, labelled: list[Labelled]) -> None:
    fresh_db.save_articles([stored(row) for row in labelled])
    StoryStep(first_window_only=False).run(fresh_db)
    every = fresh_db.list_stories(ALL, limit=10_000)
    assert len(every) == fresh_db.count_stories(ALL)
    for column in ("blocs", "outlets"):
        chosen = sorted({v for cell in every[column] for v in cell.split(", ")})[0]
        got = fresh_db.list_stories(_only(column, chosen), limit=10_000)
        assert 0 < len(got) < len(every)
        assert all(chosen in cell.split(", ") for cell in got[column])
    themed = fresh_db.list_stories(dataclasses.replace(ALL, themes=("arms_control",)), limit=999)
    assert len(themed) > 0 and all("arms_control" in t for t in themed["themes"])
    first = min(r.item.published for r in labelled).date()
    one_day = dataclasses.replace(ALL, date_from=first, date_to=first)
    assert all(s.date() <= first for s in fresh_db.list_stories(one_day, limit=999)["first_seen"])
    assert fresh_db.count_stories(dataclasses.replace(ALL, languages=("ru",))) == 0
    assert fresh_db.count_stories(dataclasses.replace(ALL, outlets=("50%_off|",))) == 0
    by_size = fresh_db.list_stories(ALL, sort="size", limit=999)
    assert list(by_size["reports"]) == sorted(by_size["reports"], reverse=True)
    exported = fresh_db.export_stories(ALL)
    assert sorted(exported["id"]) == sorted(every["id"])


PIPELINE = (
    (
        "TASS",
        "Hungary and Russia to sign Budapest gas pipeline agreement next month",
        "The energy ministers of Russia and Hungary agreed in Budapest on Tuesday to sign a gas "
        "pipeline agreement next month, securing winter supplies for Hungary, the ministry said.",
    ),
    (
        "RT",
        "Budapest gas pipeline deal with Hungary set for signing, Kremlin says",
        "Moscow and Budapest will sign the pipeline agreement in December, Kremlin spokesman "
        "Dmitry Peskov told reporters, praising Hungary for resisting pressure over gas supplies.",
    ),
    (
        "Sputnik",
        "Hungary gas pipeline agreement: Budapest confirms signing date",
        "Hungarian Foreign Minister Peter Szijjarto confirmed that the gas pipeline agreement "
        "with Russia would be signed in Budapest next month, calling the supplies a matter of "
        "national security for Hungary.",
    ),
)


def test_a_story_of_one_bloc_is_a_blindspot_in_storage(fresh_db: Store) -> None:
    items = [
        analysed(f"b{n}", outlet=outlet, title=title, extra_text=text, hour=9 + n)
        for n, (outlet, title, text) in enumerate(PIPELINE)
    ]
    fresh_db.save_articles(items)
    StoryStep().run(fresh_db)
    spots = fresh_db.list_stories(ALL, blindspots_only=True)
    assert len(spots) == 1
    assert spots["blindspot"].iloc[0] == "covered only by Russian state media"
    detail = fresh_db.get_story(int(spots["id"].iloc[0]))
    assert detail is not None and detail.blocs == ("russian-state",)
    assert detail.coverage[0]["articles"] == detail.reports == 3


@pytest.mark.parametrize(
    "text",
    ["", "Sanctions", "x " * 500_000, "美国和俄罗斯在日内瓦举行会谈" * 50],
    ids=["empty", "one-word", "1MB", "no-stop-words"],
)
def test_bad_input_through_storage_never_crashes_nor_joins_everything(
    fresh_db: Store, labelled: list[Labelled], text: str
) -> None:
    rows = labelled[:20]
    bad = [
        dataclasses.replace(
            r, item=dataclasses.replace(r.item, article_id=f"bad-{n}", text=text, title=text[:40])
        )
        for n, r in enumerate(rows[:4])
    ]
    fresh_db.save_articles([stored(row) for row in rows + bad])
    report = StoryStep().run(fresh_db)
    assert report.articles == len(rows) + len(bad)
    assert fresh_db.count_stories(ALL) > 1
    assert fresh_db.list_stories(ALL, sort="size", limit=1)["articles"].iloc[0] < len(rows)


def test_volume_counts_independent_reports_or_every_copy(fresh_db: Store) -> None:
    """Issue 10: a wire report with two syndicated copies counts 3 articles but 1 report, per
    day, per key and in the day's total, whether the rollup or the articles answer."""
    wire = [("Reuters", "wire"), ("The New York Times", "us"), ("Politico", "us")]
    make_story(fresh_db, "Wire copy", wire, copies=2)  # NYT and Politico copy Reuters
    make_story(fresh_db, "Own reports", [("TASS", "russian-state"), ("Politico", "us")])
    day = TODAY
    for f in (ALL, dataclasses.replace(ALL, tone_max=0.9)):  # a rollup, then the articles
        every = fresh_db.volume_by_day(f, "bloc").set_index("key")
        reports = fresh_db.volume_by_day(f, "bloc", independent=True).set_index("key")
        assert every.loc["us", "articles"] == 3 and reports.loc["us", "articles"] == 1, f
        assert every["total"].iloc[0] == 5 and reports["total"].iloc[0] == 3
        assert set(reports.index) == {"wire", "us", "russian-state"}
    total = fresh_db.volume_by_day(ALL, "total", independent=True)
    assert list(total["articles"]) == [3] and list(total["day"]) == [day]
    outlets = fresh_db.volume_by_day(ALL, "outlet", independent=True).set_index("key")
    assert "The New York Times" not in outlets.index  # its one article is a copy
    assert outlets.loc["Politico", "articles"] == 1
    us = dataclasses.replace(ALL, blocs=("us",))
    assert list(fresh_db.volume_by_day(us, "total", independent=True)["articles"]) == [1]
