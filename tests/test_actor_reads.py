"""The Articles page's reads under an actor filter (core/storage/reads_articles.py,
core/storage/reads_volume.py), on a real SQLite file and the real PostgreSQL: a page listed by
walking the other filters' articles in date order equals the page read whole, on every page,
in both orders, for a common, a rare and an absent actor and for two actors; the count from
the actors' rollup equals the articles counted."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from core.models import Filters
from core.storage import Store, reads_articles
from core.storage.columns import ARTICLE_LIST_COLUMNS
from core.storage.reads_articles import _a
from tests.test_facts import RANGE

ACTOR_FILTERS = {
    "common": dataclasses.replace(RANGE, actors=("Vladimir Putin",)),
    "rare": dataclasses.replace(RANGE, actors=("Sergei Lavrov",), relevant_only=False),
    "absent": dataclasses.replace(RANGE, actors=("Nobody at all",)),
    "two": dataclasses.replace(RANGE, actors=("Vladimir Putin", "Donald Trump")),
    "with tone and bloc": dataclasses.replace(
        RANGE, actors=("Vladimir Putin",), tone_min=-0.5, tone_max=1.0, blocs=("western",)
    ),
    "with theme": dataclasses.replace(RANGE, actors=("Vladimir Putin",), themes=("sanctions",)),
    "with language": dataclasses.replace(
        Filters(), actors=("Vladimir Putin",), languages=("en",), relevant_only=False
    ),
}


@pytest.fixture
def filled(synthetic_store: Store) -> Store:
    """The session's synthetic articles (tests/fixtures_db.py), shared: these tests only read."""
    return synthetic_store


def _whole(store: Store, f: Filters, limit: int, offset: int, descending: bool) -> pd.DataFrame:
    page = store._page(f, _a.published_at, limit, offset, descending)
    return store._frame(page, list(ARTICLE_LIST_COLUMNS))


@pytest.mark.parametrize("name", list(ACTOR_FILTERS))
def test_a_page_walked_in_date_order_is_the_page_read_whole(
    filled: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = ACTOR_FILTERS[name]
    monkeypatch.setattr(reads_articles, "WALKED", 4)  # so some pages are not in the walk
    total = filled.count_matching(f)
    walked = 0
    for descending in (True, False):
        for offset in range(0, total + 10, 7):
            expected = _whole(filled, f, 7, offset, descending)
            found = filled._named_page(f, 7, offset, descending)
            if found is not None:
                walked += 1
                pd.testing.assert_frame_equal(found, expected)
            listed = filled.list_articles(f, limit=7, offset=offset, descending=descending)
            assert list(listed["id"]) == list(expected["id"])
    assert walked or total < 7 or name == "rare", "no page came from the walk"


@pytest.mark.parametrize("name", list(ACTOR_FILTERS))
def test_an_actor_counted_from_its_rollup_is_the_articles_counted(filled: Store, name: str) -> None:
    f = ACTOR_FILTERS[name]
    listed = filled.list_articles(f, limit=10_000)
    assert filled.count_matching(f) == len(listed) == filled.overview_figures(f)["articles"]
