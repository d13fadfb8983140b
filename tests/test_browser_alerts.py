"""Issue 12 in a real Chromium against a real `streamlit run app.py` (the fixtures of
tests/fixtures_browser.py): "Watch this view" saves a watch, the Alerts page lists an alert whose
articles have hostile titles (no dialog fires), the Briefing page draws the day, and the
briefing HTML written by `detente brief` opens with its embedded chart. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.commands.main import main
from core.storage import Store
from tests.test_app_alerts import record_hostile_alert
from tests.test_browser import ARTIFACTS, OVERVIEW, TIMEOUT_MS, Page, open_page, settle

pytestmark = pytest.mark.browser


def test_watch_this_view_in_the_browser(server: tuple[str, str], page: Page) -> None:
    base, db = server
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(page, f"{base}/?theme=sanctions&bloc=us", OVERVIEW)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Watch this view").first.click()
    sidebar.get_by_label("Watch name").fill("US sanctions coverage")
    sidebar.get_by_label("Watch name").press("Enter")
    settle(page)
    sidebar.get_by_role("button", name="Watch this view").click()
    sidebar.get_by_text("Watching").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "Watch-this-view.png"), full_page=True)
    with Store.open(db) as store:
        watches = {w.name: w for w in store.list_watches()}
    saved = watches["US sanctions coverage"]
    assert saved.filters.themes == ("sanctions",) and saved.filters.blocs == ("us",)


def test_the_alerts_page_in_the_browser(server: tuple[str, str], page: Page) -> None:
    base, db = server
    record_hostile_alert(db)
    open_page(page, f"{base}/Alerts", "Alerts")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("script:not([src])", has_text="alert(").count() == 0
    page.screenshot(path=str(ARTIFACTS / "Alerts.png"), full_page=True)


def test_the_briefing_page_in_the_browser(server: tuple[str, str], page: Page) -> None:
    base, _ = server
    open_page(page, f"{base}/Briefing", "Daily briefing")
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Download Markdown").wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Top stories per bloc").wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Blindspots").wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "Briefing.png"), full_page=True)


def test_the_briefing_html_opens_in_chromium(
    server: tuple[str, str], page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = server
    monkeypatch.setenv("DETENTE_DB", db)
    out = tmp_path / "briefing.html"
    assert main(["brief", "--date", "2026-10-15", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html, "the chart was not drawn (kaleido + chromium)"
    assert "<script" not in html
    page.goto(out.as_uri())
    image = page.locator("img").first
    image.wait_for(timeout=TIMEOUT_MS)
    assert page.evaluate("document.images[0].naturalWidth") == 1000
    assert page.get_by_role("heading", name="Détente briefing for 2026-10-15").count() == 1
    assert page.get_by_role("heading", name="Blindspots").count() == 1
    page.screenshot(path=str(ARTIFACTS / "Briefing-html.png"), full_page=True)
