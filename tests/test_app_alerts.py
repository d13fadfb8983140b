"""Issue 12 on the dashboard through Streamlit's AppTest: "Watch this view" saves the current
filters (and is replaced by a note when the dashboard is read-only), the Alerts page lists
recorded alerts with the articles behind them (hostile titles only as plain data), and the
Briefing page draws the day."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.models import Filters
from core.storage import Store
from tests.app_pages import fresh_caches, ok, page
from tests.seed import HOSTILE_TITLE

NEW_PAGES = ("pages/5_Alerts.py", "pages/6_Briefing.py")


@pytest.fixture
def app_db(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the seeded database (these tests write watches and alerts)."""
    shutil.copyfile(seeded_template, tmp_path / "app.db")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DETENTE_DB", url)
    monkeypatch.setenv("DETENTE_ALERTS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("DETENTE_DASHBOARD_WRITES", "1")  # saving a watch is a write
    fresh_caches()
    yield url
    fresh_caches()


def record_hostile_alert(url: str) -> None:
    with Store.open(url) as store:
        listed = store.list_articles(Filters(outlets=("Hostile Outlet",), relevant_only=False))
        articles = [
            {"id": int(r.id), "title": r.title, "outlet": r.outlet, "bloc": r.bloc}
            for r in listed.itertuples(index=False)
        ]
        store.record_alert(
            "1:Hostile:volume_spike:2026-10-15", "Hostile", "volume_spike", date(2026, 10, 15),
            "12 articles on 2026-10-15, 4.0× the 14-day mean of 3.0 (threshold 9.0)",
            {"kind_label": "volume spike", "link": "http://x:8501/?outlet=Hostile+Outlet",
             "articles": articles, "article_ids": [a["id"] for a in articles]},
            datetime(2026, 10, 15, 18, tzinfo=UTC),
        )  # fmt: skip


def test_watch_this_view_saves_the_current_filters(app_db: str) -> None:
    app = ok(page("app.py", theme="sanctions", bloc="russian-state", q="talks"))
    app.text_input(key="watch_name").input("Sanctions in state media")
    app.selectbox(key="watch_sensitivity").select("high")
    ok(app.button(key="watch_save").click().run())
    assert any("Watching" in s.value for s in app.success)
    with Store.open(app_db) as store:
        (watch,) = store.list_watches()
    assert watch.name == "Sanctions in state media" and watch.sensitivity == "high"
    assert watch.filters == Filters(themes=("sanctions",), blocs=("russian-state",), query="talks")
    ok(app.button(key="watch_save").click().run())
    assert any("exists" in w.value for w in app.warning)


def test_a_read_only_dashboard_has_no_watch_button(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_DASHBOARD_WRITES", "0")
    app = ok(page("app.py"))
    assert not [b for b in app.button if b.key == "watch_save"]
    assert any("read-only" in c.value for c in app.caption)


def test_the_alerts_page_lists_alerts_without_delivery(app_db: str) -> None:
    empty = ok(page("pages/5_Alerts.py"))
    assert any("No alert yet" in i.value for i in empty.info)
    record_hostile_alert(app_db)
    fresh_caches()
    app = ok(page("pages/5_Alerts.py"))
    alerts = app.dataframe[0].value
    assert list(alerts["watch"]) == ["Hostile"] and list(alerts["kind"]) == ["volume spike"]
    assert list(alerts["view"]) == ["/?outlet=Hostile+Outlet"]
    evidence = app.dataframe[1].value
    assert HOSTILE_TITLE in set(evidence["title"])  # plain data in a table, never Markdown
    assert all(link.startswith("/Articles?article=") for link in evidence["open"])
    for element in [*app.markdown, *app.caption, *app.info]:
        assert "<script" not in element.value and "](javascript" not in element.value


def test_the_briefing_page_draws_the_day(app_db: str) -> None:
    app = ok(page("pages/6_Briefing.py"))
    assert app.get("plotly_chart") and len(app.dataframe) >= 2
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download Markdown", "Download HTML (tables)"]
    blocs = app.dataframe[0].value
    assert set(blocs.columns) >= {"bloc", "articles", "week_mean", "tone", "week_tone"}
    tables = [d.value for d in app.dataframe]
    stories = [t for t in tables if "headline" in t.columns and "reports" in t.columns]
    assert stories, "the top stories per bloc are shown"
    assert all(link.startswith("/Stories?story=") for link in stories[0]["open"])
    for element in [*app.markdown, *app.caption]:
        assert "<script" not in element.value


@pytest.mark.parametrize("path", NEW_PAGES)
def test_the_new_pages_survive_malformed_parameters(app_db: str, path: str) -> None:
    ok(page(path, theme="<script>", tone="x", relevant="maybe", nosuch="1"))


@pytest.mark.parametrize("path", NEW_PAGES)
def test_the_new_pages_on_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("DETENTE_DB", f"sqlite:///{tmp_path / 'empty.db'}")
    fresh_caches()
    app = ok(page(path))
    assert app.info
    fresh_caches()
