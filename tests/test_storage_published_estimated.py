"""An article whose date was estimated (the feed gave none usable, so `published` is when it was
first seen) keeps that flag in storage: in ArticleDetail and as a column of the articles CSV.
Every database has the column: it is in the schema every migration 1 made (tests/schema/)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, time

from core.export import export_articles_csv
from core.models import AnalyzedArticle, Filters
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


def _estimated(day: date, summary: str) -> AnalyzedArticle:
    """The same undated item as a poll on `day` cleans it: first seen then, flagged."""
    item = analysed("undated", title="Undated story", day=day, summary=summary)
    seen = datetime.combine(day, time(9), UTC)
    article = dataclasses.replace(
        item.article, published=seen, fetched=seen, published_estimated=True
    )
    return dataclasses.replace(item, article=article)


def test_an_estimated_date_stays_the_first_seen_time_when_the_text_changes(
    fresh_db: Store,
) -> None:
    first, later = date(2026, 3, 10), date(2026, 3, 14)
    fresh_db.save_articles([_estimated(first, "The first text.")])
    saved = fresh_db.save_articles([_estimated(later, "The text, edited days later.")])
    assert saved.updated == 1
    listed = fresh_db.list_articles(Filters(relevant_only=False))
    detail = fresh_db.get_article(int(listed["id"][0]))
    assert detail is not None and detail.summary == "The text, edited days later."
    assert detail.published == datetime.combine(first, time(9), UTC)
    assert detail.published_estimated is True
    # the rollups count it on the day first seen, as the articles do
    for day, expected in ((first, 1), (later, 0)):
        on_day = Filters(relevant_only=False, date_from=day, date_to=day)
        assert fresh_db.count_matching(on_day) == expected
        assert len(fresh_db.list_articles(on_day)) == expected
