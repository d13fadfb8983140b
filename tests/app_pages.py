"""What the dashboard's AppTest modules share (tests/test_app*.py): a seeded database served with
empty caches, opening a page as the app does, and reading what it shows. A pytest plugin
(tests/conftest.py), so its fixtures reach every module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Unpack, cast

import pandas as pd
import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from core.models import Filters
from core.storage import Store
from tests.filter_fields import FilterFields
from tests.seed import copy_seeded, seed_lying_dates

REPO = Path(__file__).resolve().parents[1]

# Each new AppTest looks for Streamlit components in every installed distribution (parsing the
# METADATA of each: ~0.2 s of CPU, ~0.5 s on a loaded machine, per AppTest, and the suite makes
# hundreds); the installed distributions do not change while the tests run, so this process
# looks once. The app uses no such component (the Streamlit server of the browser tests still
# looks, as `streamlit run` does).
manifest_scanner.scan_component_manifests = lru_cache(maxsize=None)(
    manifest_scanner.scan_component_manifests
)


PAGES = {  # page -> at least this many charts
    "app.py": 4,
    "pages/1_Themes.py": 4,
    "pages/2_Outlets.py": 3,
    "pages/3_Articles.py": 0,
    "pages/4_Sources.py": 0,
    "pages/7_Stories.py": 1,
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    return copy_seeded(seeded_template, tmp_path_factory.mktemp("app") / "seeded.db")


def fresh_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def serving(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The dashboard reads `url`, with every cache empty before and after the test."""
    monkeypatch.setenv("DETENTE_DB", url)
    fresh_caches()
    yield url
    fresh_caches()


@pytest.fixture
def app_db(seeded: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(seeded, monkeypatch)


def page(path: str, **params: str) -> AppTest:
    """Open a page the way the app does: app.py is the entry point, the others are switched to."""
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    if path != "app.py":
        app.switch_page(path)
    return app.run()


def ok(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def listed(app: AppTest) -> pd.DataFrame:
    return app.dataframe[0].value


def date_range(app: AppTest) -> tuple[date, date]:
    """The sidebar's period: f_dates is a range date_input (core/dashboard/sidebar.py) and the
    dashboard fills both ends whenever the database holds articles (Streamlit's type also allows
    one date or none)."""
    return cast("tuple[date, date]", app.date_input(key="f_dates").value)


def count(store_url: str, **filters: Unpack[FilterFields]) -> int:
    with Store.open(store_url) as store:
        return store.count_matching(Filters(**filters))


@pytest.fixture(scope="module")
def lying_dates(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    return seed_lying_dates(seeded_template, tmp_path_factory.mktemp("dates") / "lying.db")


@pytest.fixture
def lying_db(lying_dates: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(lying_dates, monkeypatch)


def traces(app: AppTest) -> list[list[str]]:
    """The trace names of every chart on the page, chart by chart."""
    return [
        [str(trace.get("name", "")) for trace in json.loads(chart.proto.spec)["data"]]
        for chart in app.get("plotly_chart")
    ]


def csv_keys(app: AppTest) -> list[str]:
    return [str(b.proto.id) for b in app.get("download_button")]
