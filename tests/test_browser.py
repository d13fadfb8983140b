"""A real Chromium (Debian's, driven by Playwright) against a real `streamlit run app.py`, used as
an analyst would: every page, filters from the sidebar and from the URL, a CSV download checked
against the database, the annotated article and a hostile one. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from core.models import Filters
from core.storage import Store
from tests.fixtures_browser import WAIT_MS
from tests.seed import (
    EXPEL_TITLE,
    FORMULA_ERROR,
    FORMULA_FEED,
    FORMULA_OUTLET,
    FORMULA_TITLES,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    PATH_TITLE,
    SWAP_TITLE,
)

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
OVERVIEW = "Détente — US–Russia coverage monitor"
PAGES = [
    ("", OVERVIEW, True),
    ("Themes", "Themes", True),
    ("Outlets", "Outlets and blocs", True),
    ("Articles", "Articles", False),
    ("Sources", "Sources", False),
]
TIMEOUT_MS = WAIT_MS  # every explicit wait's bound (tests/fixtures_browser.py)
DOWNLOAD_MS = 45_000  # a click's file; a miss is recorded and clicked again (download())
Page = Any  # playwright's sync Page; typed loosely so the module imports without playwright


def settle(tab: Page) -> None:
    """Wait until Streamlit has finished the run: the app reports its script not running (the
    running indicator alone shows only after a delay, so a page could look done mid-run), no
    running indicator, no skeleton left."""
    tab.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    tab.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=TIMEOUT_MS)
    tab.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=TIMEOUT_MS,
    )


def open_page(tab: Page, url: str, heading: str) -> None:
    tab.goto(url)
    tab.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    settle(tab)


def articles_metric(tab: Page) -> int:
    metric = tab.locator("[data-testid='stMetric']").filter(has_text="Articles").first
    return int(metric.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))


def choose(tab: Page, box: str, option: str) -> None:
    """Pick an option in a sidebar multiselect, as a user does: open, type, click, close."""
    sidebar = tab.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").filter(has_text=box).first.click()
    tab.keyboard.type(option)
    tab.get_by_role("option", name=option, exact=True).click()
    tab.keyboard.press("Escape")


def count(db: str, **filters: Any) -> int:
    with Store.open(db) as store:
        return store.count_matching(Filters(**filters))


def test_every_page_opens_without_error_with_a_screenshot(
    server: tuple[str, str], page: Page
) -> None:
    base, _ = server
    ARTIFACTS.mkdir(exist_ok=True)
    for path, heading, has_charts in PAGES:
        open_page(page, f"{base}/{path}", heading)
        if has_charts:
            page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
        # Streamlit streams elements in order: wait for the download (the last element) itself
        # rather than counting at an arbitrary moment.
        page.get_by_role("button", name="Download CSV").first.wait_for(timeout=TIMEOUT_MS)
        assert page.locator("[data-testid='stException']").count() == 0, path
        page.screenshot(path=str(ARTIFACTS / f"{path or 'Overview'}.png"), full_page=True)


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("theme=sanctions", {"themes": ("sanctions",)}),
        ("outlet=TASS", {"outlets": ("TASS",)}),
        ("outlet=RT&theme=diplomacy", {"outlets": ("RT",), "themes": ("diplomacy",)}),
    ],
)
def test_filters_through_the_url(
    server: tuple[str, str], page: Page, query: str, filters: dict[str, Any]
) -> None:
    base, db = server
    open_page(page, f"{base}/?{query}", OVERVIEW)
    assert articles_metric(page) == count(db, **filters) < count(db)


@pytest.mark.parametrize(
    ("box", "option", "param", "filters"),
    [
        ("Outlets", "TASS", "outlet=TASS", {"outlets": ("TASS",)}),
        ("Themes", "Sanctions", "theme=sanctions", {"themes": ("sanctions",)}),
    ],
)
def test_filters_through_the_sidebar_write_the_url_and_persist_across_pages(
    server: tuple[str, str], page: Page, box: str, option: str, param: str, filters: dict[str, Any]
) -> None:
    base, db = server
    open_page(page, f"{base}/", OVERVIEW)
    choose(page, box, option)
    page.wait_for_url(f"**{param}**", timeout=TIMEOUT_MS)
    settle(page)
    assert articles_metric(page) == count(db, **filters)
    page.locator("[data-testid='stSidebar']").get_by_role("link", name="Articles").click()
    page.get_by_role("heading", name="Articles").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_url(f"**/Articles?*{param}*", timeout=TIMEOUT_MS)
    settle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert (
        option in sidebar.locator("[data-testid='stMultiSelect']").filter(has_text=box).inner_text()
    )


def test_download_csv_matches_the_database(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db = server
    open_page(page, f"{base}/Articles?theme=arms_control&outlet=TASS,RT,Meduza", "Articles")
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="Download CSV").first.click()
    target = tmp_path / "articles.csv"
    download_info.value.save_as(target)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    wanted = Filters(themes=("arms_control",), outlets=("TASS", "RT", "Meduza"))
    with Store.open(db) as store:
        expected = store.list_articles(wanted, limit=200)
        lexicon, analyzer = store.analysis_versions()
    assert rows and [int(r["id"]) for r in rows] == [int(i) for i in expected["id"]]
    assert [r["title"] for r in rows] == list(expected["title"])
    assert all("arms_control" in r["themes"] for r in rows)
    assert {r["lexicon_version"] for r in rows} == {lexicon}
    assert {r["analyzer_version"] for r in rows} == {analyzer}
    provenance = json.loads(rows[0]["filters"])
    assert provenance["themes"] == ["arms_control"] and provenance["relevant_only"] is True


def test_an_article_shows_its_evidence(server: tuple[str, str], page: Page) -> None:
    base, db = server
    with Store.open(db) as store:
        # An English one: Russian articles are now read for themes too, but have no tone.
        for candidate in store.list_articles(Filters(themes=("sanctions",)), limit=50)["id"]:
            article_id = int(candidate)
            detail = store.get_article(article_id)
            if detail is not None and detail.analysis.lang == "en":
                break
    assert detail is not None and detail.analysis.lang == "en"
    open_page(page, f"{base}/Articles?article={article_id}", "Article")
    marks = page.locator("mark.dt-theme")
    marks.first.wait_for(timeout=TIMEOUT_MS)
    terms = {
        detail.analyzed_text[m.start : m.end] for m in detail.analysis.themes if m.field == "text"
    }
    shown = {t.rsplit("\n", 1)[0] for t in marks.all_inner_texts()}
    assert any(term in " ".join(shown) for term in terms)
    assert "Sanctions" in page.locator("mark.dt-theme sup").all_inner_texts()
    sentences = page.locator("span.dt-s")
    assert sentences.count() >= 2
    assert (sentences.first.get_attribute("title") or "").startswith("sentence tone ")
    tinted = page.locator("span.dt-s.dt-pos1, span.dt-s.dt-pos2, span.dt-s.dt-pos3, "
                          "span.dt-s.dt-neg1, span.dt-s.dt-neg2, span.dt-s.dt-neg3")  # fmt: skip
    assert tinted.count() >= 1
    page.screenshot(path=str(ARTIFACTS / "Article.png"), full_page=True)


@pytest.mark.parametrize(("title", "shot"), [(HOSTILE_TITLE, "Hostile"), (PATH_TITLE, "Path")])
def test_a_hostile_article_shows_markup_as_text(
    server: tuple[str, str], page: Page, title: str, shot: str
) -> None:
    base, db = server
    with Store.open(db) as store:
        listing = store.list_articles(
            Filters(outlets=("Hostile Outlet",), relevant_only=False), limit=5
        )
    article_id = int(listing[listing["title"] == title]["id"].iloc[0])
    open_page(page, f"{base}/Articles?article={article_id}", "Article")
    article = page.locator(".dt-article")
    article.wait_for(timeout=TIMEOUT_MS)
    text = article.inner_text()
    if title == HOSTILE_TITLE:
        for literal in (
            '<script>alert("t")</script>',
            "<img src=x onerror=alert(1)>",
            "[link](javascript:alert(1))",
            ":red[",
            "![img](x)",
            "$$\\LaTeX$$",
            "<iframe src=javascript:alert(2)></iframe>",
            "**strong**",
        ):
            assert literal in text, literal
        assert HOSTILE_TEXT.split(" The ")[0] in text
    else:
        assert text.count(".streamlit/secrets.toml") == 2  # title and text, not a file's content
    assert article.locator("script, img, iframe, a, b, strong").count() == 0
    assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
    page.get_by_text("javascript:alert(3)").first.wait_for(timeout=TIMEOUT_MS)  # URL as text
    assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)


def test_hostile_url_parameters_are_notices_in_plain_text(
    server: tuple[str, str], page: Page
) -> None:
    base, _ = server
    open_page(page, f"{base}/?outlet=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&q=ok", OVERVIEW)
    notice = page.locator("[data-testid='stAlert']").filter(has_text="Ignored")
    assert "<img src=x onerror=alert(1)>" in notice.first.inner_text()
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0


# --- every way out is formula-safe (issue 13, item 3) ----------------------------------------

LIVE = ("=", "+", "-", "@", "\t", "\r")


def reader(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def live_formulas(path: Path) -> list[str]:
    """Cells a spreadsheet would evaluate: starting with = + - @ tab or CR, and not a number."""
    found = []
    for row in reader(path):
        for cell in row:
            if cell.startswith(LIVE):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


def server_log_tail(db: str, lines: int = 40) -> str:
    """The end of the dashboard server's log (tests/fixtures_browser.py writes it beside the
    database), for a failure's report."""
    log = Path(db.removeprefix("sqlite:///")).parent / "streamlit.log"
    return "\n".join(log.read_text(encoding="utf-8").splitlines()[-lines:]) if log.exists() else ""


WATCH_DOWNLOAD_ERRORS = """() => {
    if (window.detenteDownloadErrors) return;
    window.detenteDownloadErrors = [];
    new MutationObserver(() => {
        for (const node of document.querySelectorAll('[data-testid="stDownloadButtonError"]')) {
            const seen = `${performance.now().toFixed(0)} ms: ${node.innerText}`;
            if (!window.detenteDownloadErrors.some(e => e.endsWith(node.innerText)))
                window.detenteDownloadErrors.push(seen);
        }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""
"""Keep every message a Download CSV button shows under itself (Streamlit shows why a download
failed there for five seconds only), for the record of a click that brings no file."""


def download(tab: Page, button: Any, target: Path, db: str) -> None:
    """Click one Download CSV button and save its file. A click that brings no file is recorded
    (the button's own words and any error it showed, the page's console, a screenshot and the
    server's log, as a warning in the report) and clicked once more, as a user would; a second
    miss fails the test with that record."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab.evaluate(WATCH_DOWNLOAD_ERRORS)
    for attempt in (1, 2):
        try:
            with tab.expect_download(timeout=DOWNLOAD_MS) as info:
                button.click()
            info.value.save_as(target)
            return
        except PlaywrightTimeout:
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"{target.stem}-miss{attempt}.png"), full_page=True)
            block = button.locator("xpath=../..").inner_text()
            shown = tab.evaluate("window.detenteDownloadErrors")
            record = (
                f"no download from {target.stem} (click {attempt}); the button's block says "
                f"{block!r}; errors it showed: {shown!r}; console: {tab.console[-10:]!r}; "
                f"server log:\n{server_log_tail(db)}"
            )
            if attempt == 2:
                pytest.fail(record)
            warnings.warn(record, stacklevel=2)


def download_every_csv(tab: Page, folder: Path, name: str, expected: int, db: str) -> list[Path]:
    buttons = tab.get_by_role("button", name="Download CSV")
    buttons.nth(expected - 1).wait_for(timeout=TIMEOUT_MS)
    # at least these; every one shown is used (one inside a closed expander cannot be clicked)
    shown = [index for index in range(buttons.count()) if buttons.nth(index).is_visible()]
    assert len(shown) >= expected, name
    files = []
    for index in shown:
        target = folder / f"{name}-{index}.csv"
        download(tab, buttons.nth(index), target, db)
        files.append(target)
    return files


def toolbar_labels(tab: Page) -> list[list[str]]:
    """The toolbar buttons of every table on the page, as a user sees them on hover."""
    tables = tab.locator("[data-testid='stDataFrame']")
    labels = []
    for index in range(tables.count()):
        table = tables.nth(index)
        table.scroll_into_view_if_needed()
        table.hover()
        toolbar = table.locator("xpath=..").locator("[data-testid='stElementToolbar']")
        toolbar.first.wait_for(timeout=TIMEOUT_MS)
        labels.append(
            toolbar.first.locator("button").evaluate_all(
                "buttons => buttons.map(b => b.getAttribute('aria-label'))"
            )
        )
    return labels


def test_every_download_path_is_formula_safe(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db = server
    with Store.open(db) as store:
        listing = store.list_articles(
            Filters(outlets=(FORMULA_OUTLET,), relevant_only=False), limit=10
        )
    assert set(FORMULA_TITLES) <= set(listing["title"])
    article_id = int(listing["id"].iloc[0])
    outlet = quote(FORMULA_OUTLET, safe="")
    views = [  # (address, heading, Download CSV buttons, tables)
        (f"?outlet={outlet}&relevant=0", OVERVIEW, 6, 0),
        (f"Themes?outlet={outlet}&relevant=0", "Themes", 6, 1),
        ("Outlets?relevant=0", "Outlets and blocs", 3, 0),
        (f"Articles?outlet={outlet}&relevant=0", "Articles", 1, 1),
        (f"Articles?article={article_id}", "Article", 1, 1),
        ("Sources", "Sources", 2, 2),
    ]
    files: list[Path] = []
    for address, heading, buttons, tables in views:
        open_page(page, f"{base}/{address}", heading)
        if heading == "Article":
            page.get_by_text("Evidence as a table").click()
            # opened: no longer inert, its table drawn (a click on an inert node is dropped)
            page.locator(
                "[data-testid='stExpanderDetails']:not([inert]) [data-testid='stDataFrame']"
            ).first.wait_for(timeout=TIMEOUT_MS)
        name = address.split("?")[0] or "Overview"
        files += download_every_csv(page, tmp_path, f"{name}-{heading}", buttons, db)
        toolbars = toolbar_labels(page)
        assert len(toolbars) >= tables, address  # at least these; every one is checked
        for labels in toolbars:
            assert "Search" in labels  # the toolbar is there…
            assert "Download as CSV" not in labels  # …without its raw download
    for path in files:
        assert live_formulas(path) == [], path.name
    cells = {cell for path in files for row in reader(path) for cell in row}
    for hostile in (*FORMULA_TITLES, FORMULA_OUTLET, FORMULA_FEED[1], FORMULA_ERROR):
        assert "'" + hostile in cells, hostile  # it got out, shown and inert


# --- Russian-language coverage (issue 11, items 4 and 5) --------------------------------------

CYRILLIC_GLYPHS = """(selector) => {
    const context = document.createElement('canvas').getContext('2d');
    context.font = getComputedStyle(document.querySelector(selector)).font;
    const cyrillic = context.measureText('Путин Лавров Песков').width;
    const missing = context.measureText('\\u0378'.repeat(19)).width;
    return [cyrillic, missing];
}"""
"""The width of Cyrillic text in the element's font, and of as many unassigned code points (drawn
as the 'missing glyph' box): equal widths would mean Cyrillic is drawn as boxes."""


def test_the_language_filter_through_the_url_and_the_sidebar(
    server: tuple[str, str], page: Page
) -> None:
    base, db = server
    open_page(page, f"{base}/?lang=ru", OVERVIEW)
    assert articles_metric(page) == count(db, languages=("ru",)) < count(db)
    open_page(page, f"{base}/", OVERVIEW)
    choose(page, "Languages", "ru · Russian")
    page.wait_for_url("**lang=ru**", timeout=TIMEOUT_MS)
    settle(page)
    assert articles_metric(page) == count(db, languages=("ru",))
    page.screenshot(path=str(ARTIFACTS / "Overview-ru.png"), full_page=True)


def test_russian_articles_are_listed_and_read_in_cyrillic(
    server: tuple[str, str], page: Page
) -> None:
    base, db = server
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(page, f"{base}/Articles?lang=ru", "Articles")
    page.get_by_role("button", name="Download CSV").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("no offline Russian sentiment model").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "Articles-ru.png"), full_page=True)
    with Store.open(db) as store:
        listing = store.list_articles(Filters(languages=("ru",), themes=("diplomacy",)), limit=5)
        detail = store.get_article(int(listing["id"][0]))
    assert detail is not None and detail.lang == "ru"
    open_page(page, f"{base}/Articles?article={detail.id}", "Article")
    article = page.locator(".dt-article")
    article.wait_for(timeout=TIMEOUT_MS)
    text = article.inner_text()
    assert detail.title.split()[0] in text  # the title, annotated (its terms carry labels)
    assert sum("а" <= c.lower() <= "я" for c in text) > 100  # Cyrillic, as text
    labels = page.locator("mark.dt-theme sup").all_inner_texts()
    assert any(label.startswith("Diplomacy") for label in labels)
    page.get_by_text("no offline Russian sentiment model").first.wait_for(timeout=TIMEOUT_MS)
    cyrillic, missing = page.evaluate(CYRILLIC_GLYPHS, ".dt-article")
    assert cyrillic > 0 and cyrillic != missing
    page.screenshot(path=str(ARTIFACTS / "Article-ru.png"), full_page=True)


def test_the_editions_comparison_on_the_outlets_page(server: tuple[str, str], page: Page) -> None:
    base, db = server
    open_page(page, f"{base}/Outlets", "Outlets and blocs")
    heading = page.get_by_role("heading", name="Editions: one outlet in Russian and in English")
    heading.wait_for(timeout=TIMEOUT_MS)
    heading.scroll_into_view_if_needed()
    page.get_by_text("TASS · Russian edition").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("TASS · English edition").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Relations reading").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    with Store.open(db) as store:
        editions = store.editions(Filters()).set_index(["outlet", "lang"])
    main = page.locator("[data-testid='stMain']")
    values = [
        v.inner_text()
        for v in main.locator("[data-testid='stMetric']")
        .filter(has_text="Articles")
        .locator("[data-testid='stMetricValue']")
        .all()
    ]
    wanted = [editions.loc[("TASS", lang), "articles"] for lang in ("ru", "en")]
    assert [int(v.replace(",", "")) for v in values[-2:]] == wanted
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "Outlets-editions.png"), full_page=True)


# --- the relations reading (issue 9) ----------------------------------------------------------


def download_keyed(tab: Page, name: str, folder: Path) -> list[dict[str, str]]:
    """Click the Download CSV button of `name` (core/dashboard/downloads.py keys it csv-<name>;
    Streamlit gives its container the class st-key-csv-<name>); the file's rows."""
    button = tab.locator(f".st-key-csv-{name} button")
    button.wait_for(timeout=TIMEOUT_MS)
    with tab.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    target = folder / f"{name}.csv"
    info.value.save_as(target)
    return list(csv.DictReader(target.open(encoding="utf-8")))


def test_the_relations_barometer_draws_and_downloads_with_provenance(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db = server
    open_page(page, f"{base}/", OVERVIEW)
    page.get_by_role("heading", name="Relations barometer").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Russia → US").first.wait_for(timeout=TIMEOUT_MS)  # the legend
    rows = download_keyed(page, "relations-by-direction", tmp_path)
    with Store.open(db) as store:
        low, high = store.filter_options()["date_min"], store.filter_options()["date_max"]
        stored = store.relations_by_day(Filters(date_from=low, date_to=high), "direction")
        lexicon, analyzer = store.analysis_versions()
    assert {r["key"] for r in rows} == set(stored["key"])
    assert sum(int(r["events"]) for r in rows) == int(stored["events"].sum()) > 0
    assert {r["lexicon_version"] for r in rows} == {lexicon}
    assert {r["analyzer_version"] for r in rows} == {analyzer}
    assert json.loads(rows[0]["filters"])["relevant_only"] is True
    by_category = download_keyed(page, "relations-by-category", tmp_path)
    assert "expel" in {r["category"] for r in by_category}
    page.locator("[data-testid='stMain']").get_by_text("bloc of the reporting outlet").click()
    settle(page)
    by_bloc = download_keyed(page, "relations-by-bloc", tmp_path)
    assert "russian-state" in {r["key"] for r in by_bloc}
    page.get_by_role("heading", name="Relations barometer").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "Barometer.png"))


def test_the_event_filter_through_the_url_and_the_sidebar(
    server: tuple[str, str], page: Page
) -> None:
    base, db = server
    open_page(page, f"{base}/?event=expel", OVERVIEW)
    assert articles_metric(page) == count(db, event_categories=("expel",)) > 0
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="Relations events")
    assert "Expel diplomats" in box.inner_text()
    open_page(page, f"{base}/", OVERVIEW)
    choose(page, "Relations events", "Any material cooperation")
    page.wait_for_url("**event=material_cooperation**", timeout=TIMEOUT_MS)
    settle(page)
    assert articles_metric(page) == count(db, event_categories=("material_cooperation",)) > 0


def test_an_article_marks_its_relations_events(server: tuple[str, str], page: Page) -> None:
    base, db = server
    with Store.open(db) as store:
        listing = store.list_articles(Filters(event_categories=("expel",)), limit=50)
    expel = int(listing[listing["title"] == EXPEL_TITLE]["id"].iloc[0])
    open_page(page, f"{base}/Articles?article={expel}", "Article")
    events = page.locator("span.dt-rel")
    events.first.wait_for(timeout=TIMEOUT_MS)
    titles = events.evaluate_all("spans => spans.map(s => s.getAttribute('title'))")
    assert any("Russia → US: Expel diplomats, weight -7.0" in (t or "") for t in titles)
    assert "RU→US Expel diplomats" in page.locator("span.dt-rel sup").all_inner_texts()
    assert page.locator("span.dt-rel.dt-rel-conf").count() >= 2
    page.locator(".dt-article").screenshot(path=str(ARTIFACTS / "Article-events.png"))
    with Store.open(db) as store:
        listing = store.list_articles(Filters(event_categories=("swap_prisoners",)), limit=50)
    swap = int(listing[listing["title"] == SWAP_TITLE]["id"].iloc[0])
    open_page(page, f"{base}/Articles?article={swap}", "Article")
    page.locator("span.dt-rel.dt-rel-coop").first.wait_for(timeout=TIMEOUT_MS)
    assert any("US⇄RU" in t for t in page.locator("span.dt-rel sup").all_inner_texts())
    words = page.locator("span.dt-adj").evaluate_all("s => s.map(e => e.getAttribute('title'))")
    assert any("stock VADER" in (w or "") for w in words)


def test_the_themes_page_compares_central_and_mentioned_counts(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, _ = server
    open_page(page, f"{base}/Themes", "Themes")
    rows = download_keyed(page, "theme-central-and-mentions", tmp_path)
    assert rows and all(int(r["mentioned"]) >= int(r["central"]) for r in rows)
    assert all(int(r["passing"]) == int(r["mentioned"]) - int(r["central"]) for r in rows)
    assert {"filters", "lexicon_version", "analyzer_version"} <= set(rows[0])
