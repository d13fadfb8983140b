"""Every page through Streamlit's AppTest against a seeded database: charts and CSV buttons, empty
states, the stale-analysis notice, the Outlets page's editions and the relations barometer,
feed health, the add-a-feed form and the read-only switch. Filters: tests/test_app_filters.py;
the Articles page: tests/test_app_articles.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.models import Filters
from core.storage import Store
from tests.app_pages import (
    PAGES,
    REPO,
    csv_keys,
    date_range,
    fresh_caches,
    ok,
    page,
    serving,
    traces,
)
from tests.seed import copy_seeded


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator has switched the dashboard's writes on."""
    monkeypatch.setenv("DETENTE_DASHBOARD_WRITES", "1")


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)


@pytest.mark.parametrize(("path", "charts"), PAGES.items())
def test_every_page_renders_its_charts_and_csv_buttons(app_db: str, path: str, charts: int) -> None:
    app = ok(page(path))
    assert len(app.get("plotly_chart")) >= charts
    buttons = app.get("download_button")
    assert buttons and all(b.proto.label == "Download CSV" for b in buttons)
    assert not app.warning or path == "pages/4_Sources.py"


def test_sources_explains_failing_feeds(app_db: str) -> None:
    app = ok(page("pages/4_Sources.py"))
    assert any("failing" in w.value for w in app.warning)
    assert len(app.dataframe) >= 2  # health and gaps


@pytest.mark.parametrize(
    ("url", "outlet", "message"),
    [
        ("ftp://example.org/feed", "Example", "not an absolute http(s) URL"),
        ("https://example.org/feed.xml", "", "outlet is empty"),
        ("https://example.org/feed.xml", "Example Times", "Added Example Times"),
        ("https://www.rt.com/rss/news/", "RT again", "already in the list (outlet RT)"),
    ],
)
def test_adding_a_feed_is_validated(
    app_db: str, writes: None, url: str, outlet: str, message: str
) -> None:
    app = ok(page("pages/4_Sources.py"))
    app.text_input[0].input(url)
    app.text_input[1].input(outlet)
    ok(app.button[-1].click().run())
    shown = [e.value for e in [*app.error, *app.success, *app.warning]]
    assert any(message in s.replace("\\", "") for s in shown), shown
    with Store.open(app_db) as store:
        row = store.get_feed(url)
        if message.startswith("Added"):
            assert row is not None and row.outlet == outlet
            store.remove_feed(url)
        elif "already" in message:
            assert row is not None and row.outlet == "RT"  # untouched
        else:
            assert row is None


@pytest.mark.parametrize("path", list(PAGES))
def test_an_empty_database_explains_how_to_load_data(empty_db: str, path: str) -> None:
    app = ok(page(path))
    words = [i.value for i in app.info]
    assert any("detente demo" in w or "detente poll" in w for w in words), words


def test_an_open_dashboard_follows_articles_that_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_template: Path
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from tests.seed import hostile_articles

    url = copy_seeded(seeded_template, tmp_path / "growing.db")
    monkeypatch.setenv("DETENTE_DB", url)
    fresh_caches()
    app = ok(page("app.py"))
    _, end = date_range(app)
    later = hostile_articles()[0]
    when = later.article.published.replace(year=end.year, month=end.month, day=end.day)
    when += timedelta(days=3)
    moved = replace(
        later.article, uid="late:1", url="https://late.example/1", published=when, fetched=when
    )
    with Store.open(url) as store:
        store.save_articles([replace(later, article=moved)])
    st.cache_data.clear()
    ok(app.run())
    assert date_range(app)[1] == when.date()
    fresh_caches()


def add_feed_buttons(app: AppTest) -> list[object]:
    return [b for b in app.button if b.label == "Add feed"]


@pytest.mark.parametrize("switch", [None, "0", "", "no"])
def test_the_dashboard_is_read_only_unless_the_operator_enables_writes(
    app_db: str, monkeypatch: pytest.MonkeyPatch, switch: str | None
) -> None:
    if switch is None:
        monkeypatch.delenv("DETENTE_DASHBOARD_WRITES", raising=False)
    else:
        monkeypatch.setenv("DETENTE_DASHBOARD_WRITES", switch)
    app = ok(page("pages/4_Sources.py"))
    assert not add_feed_buttons(app)
    assert not [t for t in app.text_input if "Feed URL" in t.label]
    assert any("DETENTE_DASHBOARD_WRITES=1" in i.value for i in app.info)


def test_enabled_writes_show_the_add_a_feed_form(app_db: str, writes: None) -> None:
    app = ok(page("pages/4_Sources.py"))
    assert len(add_feed_buttons(app)) == 1
    assert not any("read-only" in i.value for i in app.info)


def test_the_server_binds_to_localhost_and_tables_export_nothing_raw() -> None:
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["client"]["disableDataExport"] is True


@pytest.mark.parametrize(
    ("url", "outlet", "messages"),
    [
        ("ftp://example.org/feed", "", ["not an absolute http(s) URL", "outlet is empty"]),
        ("http://[::1/feed", "Broken", ["Cannot add this feed"]),
    ],
)
def test_the_form_shows_every_reason_and_never_a_traceback(
    app_db: str, writes: None, url: str, outlet: str, messages: list[str]
) -> None:
    app = ok(page("pages/4_Sources.py"))
    app.text_input[0].input(url)
    app.text_input[1].input(outlet)
    ok(app.button[-1].click().run())
    shown = " ".join(e.value.replace("\\", "") for e in app.error)
    assert all(message in shown for message in messages), shown


def test_the_outlets_page_compares_the_editions_of_one_outlet(app_db: str) -> None:
    app = ok(page("pages/2_Outlets.py"))
    assert any("Editions" in s.value for s in app.subheader)
    chooser = app.selectbox(key="ed_outlet")
    assert chooser.value == "TASS" and {"TASS", "Meduza", "DW"} <= set(chooser.options)
    with Store.open(app_db) as store:
        editions = store.editions(Filters()).set_index(["outlet", "lang"])
    shown = [int(m.value.replace(",", "")) for m in app.metric if m.label == "Articles"]
    assert shown == [
        editions.loc[("TASS", "ru"), "articles"],
        editions.loc[("TASS", "en"), "articles"],
    ]
    tones = [m.value for m in app.metric if m.label == "Mean tone"]
    assert tones[0] == "n/a" and tones[1] != "n/a"  # Russian first, with no tone, never 0
    assert any("no offline Russian sentiment model" in c.value for c in app.caption)
    assert any("Relations reading" in i.value and "not stored yet" in i.value for i in app.info)
    assert any("gap ru − en" in d.value.columns for d in app.dataframe)
    assert len([b for b in app.get("download_button") if b.proto.label == "Download CSV"]) >= 4
    ok(chooser.select("Meduza").run())
    shown = [int(m.value.replace(",", "")) for m in app.metric if m.label == "Articles"]
    assert shown == [
        editions.loc[("Meduza", "ru"), "articles"],
        editions.loc[("Meduza", "en"), "articles"],
    ]


def test_the_editions_follow_the_selected_period(app_db: str) -> None:
    app = ok(page("pages/2_Outlets.py", **{"from": "2026-10-14", "to": "2026-10-20"}))
    with Store.open(app_db) as store:
        week = store.editions(Filters(date_from=date(2026, 10, 14), date_to=date(2026, 10, 20)))
    tass = week[week["outlet"] == "TASS"].set_index("lang")
    shown = [int(m.value.replace(",", "")) for m in app.metric if m.label == "Articles"]
    assert shown == [tass.loc["ru", "articles"], tass.loc["en", "articles"]]


def test_the_overview_shows_the_relations_barometer_by_direction_and_by_bloc(app_db: str) -> None:
    app = ok(page("app.py"))
    assert any(s.value.startswith("Relations barometer") for s in app.subheader)
    names = next(n for n in traces(app) if "Russia → US" in n)
    assert {"US → Russia", "Russia → US", "mutual"} <= set(names)
    assert any("relations-by-direction" in key for key in csv_keys(app))
    assert any("relations-by-category" in key for key in csv_keys(app))
    ok(app.radio(key="ov_barometer").set_value("bloc").run())
    assert not any("Russia → US" in n for n in traces(app))
    assert any({"russian-state", "wire"} <= set(n) for n in traces(app))
    assert any("relations-by-bloc" in key for key in csv_keys(app))


def test_the_barometer_reads_what_the_store_reads(app_db: str) -> None:
    app = ok(page("app.py"))
    ok(app.radio(key="f_every").set_value("day").run())
    charts = [json.loads(c.proto.spec)["data"] for c in app.get("plotly_chart")]
    chart = next(c for c in charts if any(t.get("name") == "Russia → US" for t in c))
    shown = sum(sum(t["y"]) for t in chart if t.get("type") == "bar")
    start, end = date_range(app)
    with Store.open(app_db) as store:
        stored = store.relations_by_day(Filters(date_from=start, date_to=end), "direction")
    assert shown == int(stored["events"].sum()) > 0


@pytest.fixture
def stale_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_template: Path
) -> Iterator[str]:
    from tests.fixtures_db import analysed

    url = copy_seeded(seeded_template, tmp_path / "stale.db")
    with Store.open(url) as store:
        store.save_articles([analysed("stale:1"), analysed("stale:2", outlet="RT")])
    yield from serving(url, monkeypatch)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_says_when_analyses_are_older_than_the_lexicons(
    stale_db: str, path: str
) -> None:
    app = ok(page(path))
    notices = [i.value for i in app.info if "older lexicons" in i.value]
    assert notices == [
        "2 articles were read with older lexicons — run `detente retag` to read them again "
        "with the current config/ (charts mix both readings until then)."
    ]


def test_no_stale_notice_when_every_analysis_is_current(app_db: str) -> None:
    for path in PAGES:
        assert not [i for i in ok(page(path)).info if "older lexicons" in i.value], path
