"""`detente stories rebuild` and `detente export --what stories` on a real SQLite file: the
demo corpus (clustered as it loads) reclustered to the same stories, exported with the filters,
and the articles CSV naming each article's story and original."""

from __future__ import annotations

import csv
from pathlib import Path

from core.commands.main import main
from core.models import Filters
from core.storage import Store

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
