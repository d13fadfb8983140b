"""An article whose date was estimated (the feed gave none usable, so `published` is when it was
first seen) keeps that flag in storage: in ArticleDetail and as a column of the articles CSV.
Every database has the column: it is in the schema every migration 1 made (tests/schema/)."""

from __future__ import annotations

import csv
import dataclasses
import io

from core.export import export_articles_csv
from core.models import Filters
from core.storage import ARTICLE_COLUMNS, Store
from tests.fixtures_db import analysed


def test_an_estimated_date_is_stored_shown_and_exported(fresh_db: Store) -> None:
    dated = analysed("dated", title="Dated story")
    undated = analysed("undated", title="Undated story")
    undated = dataclasses.replace(
        undated, article=dataclasses.replace(undated.article, published_estimated=True)
    )
    fresh_db.save_articles([dated, undated])
    listed = fresh_db.list_articles(Filters(relevant_only=False))
    ids = dict(zip(listed["title"], listed["id"], strict=True))
    detail = {title: fresh_db.get_article(int(ids[title])) for title in ids}
    assert {t: d.published_estimated for t, d in detail.items() if d} == {
        "Dated story": False,
        "Undated story": True,
    }

    assert "published_estimated" in ARTICLE_COLUMNS
    stream = io.StringIO()
    export_articles_csv(fresh_db, Filters(), stream, include_all=True)
    rows = {
        r["title"]: r["published_estimated"] for r in csv.DictReader(io.StringIO(stream.getvalue()))
    }
    assert rows == {"Dated story": "False", "Undated story": "True"}
