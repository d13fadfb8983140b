"""An outlet's editions (core/storage/reads_editions.py, core/dashboard/editions.py): the same
outlet in each language, compared — articles, tone or why none, theme shares, actors — on
SQLite and PostgreSQL, and the pure frames behind the Outlets page's comparison."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from core.dashboard.editions import (
    COMPARISON_COLUMNS,
    comparison_frame,
    language_order,
    theme_shares,
    tone_note,
)
from core.models import Filters
from core.storage import Store
from tests.fixtures_db import analysed

D1, D2 = date(2026, 3, 10), date(2026, 3, 11)
RS = "russian-state"
DATASET = [
    # uid, day, outlet, themes, actors, tone, lang
    ("t-en-1", D1, "TASS", {"sanctions": ["sanctions"]}, [("Putin", "russia")], 0.4, "en"),
    ("t-en-2", D2, "TASS", {"diplomacy": ["summit"]}, [("Trump", "us")], -0.2, "en"),
    ("t-ru-1", D1, "TASS", {"diplomacy": ["summit"]}, [("Putin", "russia")], None, "ru"),
    ("t-ru-2", D1, "TASS", {"diplomacy": ["talks"], "sanctions": ["sanctions"]},
     [("Putin", "russia"), ("Peskov", "russia")], None, "ru"),
    ("t-ru-3", D2, "TASS", {"arms_control": ["New START"]}, [("Ryabkov", "russia")], None, "ru"),
    ("rt-1", D1, "RT", {"sanctions": ["sanctions"]}, [], 0.1, "en"),
]  # fmt: skip


@pytest.fixture
def db(fresh_db: Store) -> Iterator[Store]:
    fresh_db.save_articles(
        [
            analysed(uid, day=day, outlet=outlet, bloc=RS, themes=themes, actors=actors,
                     tone=tone, lang=lang, hour=6 + index)
            for index, (uid, day, outlet, themes, actors, tone, lang) in enumerate(DATASET)
        ]
    )  # fmt: skip
    yield fresh_db


def test_only_outlets_with_two_languages_have_editions(db: Store) -> None:
    found = db.editions(Filters())
    assert list(found["outlet"]) == ["TASS", "TASS"]  # RT writes in English only
    by_lang = found.set_index("lang")
    assert by_lang.loc["ru", "articles"] == 3 and by_lang.loc["en", "articles"] == 2
    assert by_lang.loc["ru", "mean_tone"] is None and by_lang.loc["ru", "scored"] == 0
    assert by_lang.loc["en", "mean_tone"] == pytest.approx(0.1)
    assert len(db.editions(Filters(), min_languages=1)) == 3


def test_the_outlet_and_language_filters_do_not_narrow_the_comparison(db: Store) -> None:
    narrowed = Filters(outlets=("RT",), languages=("en",))
    assert db.editions(narrowed).equals(db.editions(Filters()))
    assert len(db.editions(Filters(date_from=D2))) == 2  # one article each on D2
    assert db.editions(Filters(date_from=D2, themes=("arms_control",))).empty


def test_theme_shares_are_shares_of_each_edition(db: Store) -> None:
    themes = db.edition_themes(Filters(), "TASS")
    share = {
        (r.lang, r.theme): (r.articles, r.edition_articles, r.share) for r in themes.itertuples()
    }
    assert share[("ru", "diplomacy")] == (2, 3, pytest.approx(2 / 3))
    assert share[("ru", "sanctions")] == (1, 3, pytest.approx(1 / 3))
    assert share[("en", "diplomacy")] == (1, 2, pytest.approx(0.5))
    assert ("en", "arms_control") not in share


def test_actors_named_per_edition(db: Store) -> None:
    actors = db.edition_actors(Filters(), "TASS", limit=2)
    ru = actors[actors["lang"] == "ru"]
    assert list(ru["actor"]) == ["Putin", "Peskov"]  # most articles first, then by name
    assert list(ru["articles"]) == [2, 1]
    assert set(actors[actors["lang"] == "en"]["actor"]) == {"Putin", "Trump"}


def test_the_comparison_frame_says_why_a_tone_is_missing(db: Store) -> None:
    shown = db.editions(Filters())
    frame = comparison_frame(
        "TASS", shown, db.edition_themes(Filters(), "TASS"), db.edition_actors(Filters(), "TASS")
    )
    assert list(frame.columns) == COMPARISON_COLUMNS
    editions = frame[frame["kind"] == "edition"].set_index("lang")
    assert pd.isna(editions.loc["ru", "mean_tone"])  # empty in the CSV, never a 0
    assert "Russian sentiment model" in editions.loc["ru", "tone_note"]
    assert editions.loc["en", "tone_note"] == ""
    assert set(frame["kind"]) == {"edition", "theme", "actor"}


def test_theme_shares_table_has_the_gap_between_editions() -> None:
    themes = pd.DataFrame(
        {
            "lang": ["en", "ru", "ru"],
            "theme": ["sanctions", "sanctions", "diplomacy"],
            "share": [0.5, 0.25, 0.75],
        }
    )
    wide = theme_shares(themes, {"sanctions": "Sanctions"})
    assert list(wide.columns) == ["theme", "ru", "en", "gap ru − en"]
    rows = {r["theme"]: r for r in wide.to_dict("records")}
    assert rows["Sanctions"]["gap ru − en"] == pytest.approx(-0.25)
    assert rows["diplomacy"]["en"] == 0.0  # an edition that never touched it: 0, not missing


def test_languages_are_shown_russian_first_then_english() -> None:
    assert language_order(["en", "de", "ru", "en"]) == ["ru", "en", "de"]
    assert tone_note(None, "ru").startswith("n/a: no offline Russian sentiment model")
    assert tone_note(0.0, "en") == ""  # a real 0 is a tone
