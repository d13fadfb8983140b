"""The Stories page in a real Chromium against a real `streamlit run app.py` (the fixtures of
tests/fixtures_browser.py, the seeded database of tests/seed.py): the list with its blindspot
badges and coverage bars, a story's timeline and headlines by bloc, a blindspot story's badge,
a story holding a hostile headline (no dialog fires, markup shown as text), and every Download
CSV of the page formula-safe. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.models import Filters
from core.storage import Store
from tests.seed import HOSTILE_TITLE
from tests.test_browser import (
    ARTIFACTS,
    OVERVIEW,
    TIMEOUT_MS,
    Page,
    download_every_csv,
    live_formulas,
    open_page,
    reader,
)

pytestmark = pytest.mark.browser
ALL = Filters(relevant_only=False)


def no_exception(tab: Page) -> None:
    assert tab.locator("[data-testid='stException']").count() == 0


def test_the_stories_list_in_the_browser(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db = server
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(page, f"{base}/Stories", "Stories")
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=TIMEOUT_MS)
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "Stories.png"), full_page=True)
    files = download_every_csv(page, tmp_path, "Stories", 2, db)
    with Store.open(db) as store:
        shown = min(100, store.count_stories(Filters()))
    listed = reader(files[0])
    assert len(listed) == shown + 1  # the rows shown, with a header
    for path in files:
        assert live_formulas(path) == [], path.name


def test_a_story_in_the_browser(server: tuple[str, str], page: Page) -> None:
    base, db = server
    with Store.open(db) as store:
        biggest = int(store.list_stories(ALL, sort="size", limit=1)["id"].iloc[0])
    open_page(page, f"{base}/Stories?story={biggest}", "Story")
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Headlines side by side").wait_for(timeout=TIMEOUT_MS)
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "Story.png"), full_page=True)


def test_a_blindspot_badge_in_the_browser(server: tuple[str, str], page: Page) -> None:
    base, db = server
    with Store.open(db) as store:
        spot = store.list_stories(ALL, blindspots_only=True, limit=1)
    message = str(spot["blindspot"].iloc[0]).split("; ")[0]
    open_page(page, f"{base}/Stories?story={int(spot['id'].iloc[0])}", "Story")
    page.get_by_text(message).first.wait_for(timeout=TIMEOUT_MS)
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "Story-blindspot.png"), full_page=True)


def test_a_story_with_a_hostile_headline_in_the_browser(
    server: tuple[str, str], page: Page
) -> None:
    base, db = server
    with Store.open(db) as store:
        found = store.list_articles(Filters(outlets=("Hostile Outlet",), relevant_only=False))
        hostile = int(found[found["title"] == HOSTILE_TITLE]["id"].iloc[0])
        story = store.story_of_article(hostile)
    assert story is not None
    open_page(page, f"{base}/Stories?story={story[0]}", "Story")
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
    no_exception(page)
    assert page.locator("script:not([src])", has_text="alert(").count() == 0
    assert page.get_by_text(HOSTILE_TITLE[:20]).count() >= 1  # shown, as text
    page.screenshot(path=str(ARTIFACTS / "Story-hostile.png"), full_page=True)


def test_the_overview_counts_independent_reports_in_the_browser(
    server: tuple[str, str], page: Page
) -> None:
    """Issue 10: `?count=reports` opens the Overview with its volume chart counting independent
    reports; switching back to all articles drops the parameter from the URL."""
    base, _ = server
    open_page(page, f"{base}/?count=reports", OVERVIEW)
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("syndicated copies of another outlet's text left out").wait_for(
        timeout=TIMEOUT_MS
    )
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "Overview-reports.png"), full_page=True)
    page.get_by_text("all articles", exact=True).click()
    page.wait_for_function("!window.location.search.includes('count=')", timeout=TIMEOUT_MS)
    no_exception(page)
