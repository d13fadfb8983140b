"""`detente stories rebuild` and `detente export --what stories` on a real SQLite file: the
demo corpus (clustered as it loads) reclustered to the same stories, exported with the filters,
and the articles CSV naming each article's story and original."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.commands.main import main
from core.models import FeedConfig, Filters
from core.storage import Store
from tests.fixtures_http import RSS_TYPE, FeedServer, Route, rss

ALL = Filters(relevant_only=False)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_demo_rebuild_and_export_of_stories(tmp_path: Path, capsys: object) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["--db", db, "demo"]) == 0
    with Store.open(db) as store:
        before = store.export_stories(ALL)
        totals = store.story_totals(ALL)
        stored = len(store.export_articles(ALL))
    assert totals[1] == stored  # every article has a story
    assert totals[1] > totals[2]  # syndicated copies in the demo
    assert (before["blindspot"] != "").any()  # and at least one blindspot
    assert main(["--db", db, "stories", "rebuild"]) == 0
    with Store.open(db) as store:
        after = store.export_stories(ALL)
    assert list(after["id"]) == list(before["id"])  # the same stories again
    out = tmp_path / "stories.csv"
    assert main(["--db", db, "export", "--what", "stories", "--bloc", "us", "--out", str(out)]) == 0
    exported = rows(out)
    assert exported and all("us" in row["blocs"].split(", ") for row in exported)
    assert {"headline", "reports", "articles", "blindspot", "filters"} <= set(exported[0])
    articles = tmp_path / "articles.csv"
    assert main(["--db", db, "export", "--all", "--out", str(articles)]) == 0
    listed = rows(articles)
    assert all(row["story_id"] for row in listed)
    ids = {row["id"] for row in listed}
    copies = [row for row in listed if row["copy_of"]]
    assert copies and all(row["copy_of"] in ids for row in copies)


def test_poll_no_stories_leaves_clustering_to_another_poller(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_ALLOW_PRIVATE_NETWORKS", "1")
    items = [(f"n{i}", f"Moscow and Washington talk {i}", "Lavrov met Rubio.") for i in range(3)]
    url = feed_server.add("/feed", Route(body=rss(items), headers={"Content-Type": RSS_TYPE}))
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with Store.open(db) as store:
        store.sync_feeds([FeedConfig(url, "Outlet", "wire")])
    assert main(["poll", "--db", db, "--no-sync", "--all", "--no-stories"]) == 0
    with Store.open(db) as store:
        assert store.count_articles() == 3
        assert store.story_totals(ALL) == (0, 0, 0)  # stored, not clustered
    assert main(["poll", "--db", db, "--no-sync", "--all"]) == 0  # the poller that clusters
    with Store.open(db) as store:
        assert store.story_totals(ALL)[1] == 3
