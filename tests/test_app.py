"""Every page through Streamlit's AppTest against a seeded database: charts, CSV buttons, filters
from the sidebar widgets and from the URL, notices for malformed parameters, empty states, the
annotated and the hostile article, feed health and the add-a-feed form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.models import DATE_FLOOR, Filters
from core.storage import Store
from tests.seed import (
    ANCIENT_YEARS,
    ESTIMATED_UID,
    HOSTILE_TITLE,
    PATH_TITLE,
    copy_seeded,
    seed_lying_dates,
)

REPO = Path(__file__).resolve().parents[1]
PAGES = {  # page -> at least this many charts
    "app.py": 4,
    "pages/1_Themes.py": 4,
    "pages/2_Outlets.py": 3,
    "pages/3_Articles.py": 0,
    "pages/4_Sources.py": 0,
    "pages/7_Stories.py": 1,
}
FILTERED_PAGES = [p for p in PAGES if p != "pages/4_Sources.py"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    return copy_seeded(seeded_template, tmp_path_factory.mktemp("app") / "seeded.db")


def _fresh_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def serving(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The dashboard reads `url`, with every cache empty before and after the test."""
    monkeypatch.setenv("DETENTE_DB", url)
    _fresh_caches()
    yield url
    _fresh_caches()


@pytest.fixture
def app_db(seeded: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(seeded, monkeypatch)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator has switched the dashboard's writes on."""
    monkeypatch.setenv("DETENTE_DASHBOARD_WRITES", "1")


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)


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


def articles_metric(app: AppTest) -> int:
    return int(next(m.value for m in app.metric if m.label == "Articles").replace(",", ""))


def listed(app: AppTest) -> object:
    return app.dataframe[0].value


def count(store_url: str, **filters: object) -> int:
    with Store.open(store_url) as store:
        return store.count_matching(Filters(**filters))  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "charts"), PAGES.items())
def test_every_page_renders_its_charts_and_csv_buttons(app_db: str, path: str, charts: int) -> None:
    app = ok(page(path))
    assert len(app.get("plotly_chart")) >= charts
    buttons = app.get("download_button")
    assert buttons and all(b.proto.label == "Download CSV" for b in buttons)
    assert not app.warning or path == "pages/4_Sources.py"


@pytest.mark.parametrize("path", FILTERED_PAGES)
def test_url_parameters_set_the_sidebar_on_every_page(app_db: str, path: str) -> None:
    app = ok(page(path, theme="sanctions,diplomacy", outlet="TASS", bloc="russian-state"))
    assert app.multiselect(key="f_themes").value == ["sanctions", "diplomacy"]
    assert app.multiselect(key="f_outlets").value == ["TASS"]
    assert app.multiselect(key="f_blocs").value == ["russian-state"]
    assert not app.warning


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({"theme": "sanctions"}, {"themes": ("sanctions",)}),
        ({"outlet": "TASS"}, {"outlets": ("TASS",)}),
        ({"bloc": "us"}, {"blocs": ("us",)}),
        ({"q": "summit"}, {"query": "summit"}),
        ({"relevant": "0"}, {"relevant_only": False}),
        ({"tone": "0.1,1"}, {"tone_min": 0.1}),
        ({"lang": "ru"}, {"languages": ("ru",)}),
        ({"lang": "en"}, {"languages": ("en",)}),
        ({"from": "2026-10-01", "to": "2026-10-31"}, {"date_from": None}),
    ],
)
def test_url_parameters_change_the_overview_figures(
    app_db: str, params: dict[str, str], filters: dict[str, object]
) -> None:
    if "date_from" in filters:
        filters = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
    shown = articles_metric(ok(page("app.py", **params)))
    assert shown == count(app_db, **filters)
    assert shown != count(app_db)


def test_url_parameters_filter_the_article_list(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", outlet="TASS", theme="sanctions")))
    assert len(rows) == count(app_db, outlets=("TASS",), themes=("sanctions",)) > 0
    assert all("TASS" in o for o in rows["outlets"])  # type: ignore[index]
    assert all("sanctions" in t for t in rows["themes"])  # type: ignore[index]


def test_tone_range_from_the_url_bounds_every_listed_tone(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", tone="0.2,1")))
    assert len(rows) and rows["tone"].min() >= 0.2  # type: ignore[index,attr-defined]


@pytest.mark.parametrize(
    ("widget", "choice", "param"),
    [
        ("f_blocs", "us", "bloc"),
        ("f_themes", "arms_control", "theme"),
        ("f_outlets", "RT", "outlet"),
        ("f_langs", "ru", "lang"),
    ],
)
def test_sidebar_widgets_filter_and_write_the_url(
    app_db: str, widget: str, choice: str, param: str
) -> None:
    app = ok(page("app.py"))
    everything = articles_metric(app)
    ok(app.multiselect(key=widget).select(choice).run())
    assert articles_metric(app) < everything
    assert app.query_params[param] in (choice, [choice])


def test_sidebar_filters_change_the_article_list_and_persist_across_pages(app_db: str) -> None:
    app = ok(page("pages/3_Articles.py"))
    everything = len(listed(app))  # type: ignore[arg-type]
    ok(app.multiselect(key="f_outlets").select("RT").run())
    rows = listed(app)
    assert 0 < len(rows) < everything  # type: ignore[arg-type]
    assert all("RT" in o for o in rows["outlets"])  # type: ignore[index]
    app.switch_page("pages/1_Themes.py")
    ok(app.run())
    assert app.multiselect(key="f_outlets").value == ["RT"]


def test_relevant_only_is_on_by_default_and_can_be_turned_off(app_db: str) -> None:
    app = ok(page("app.py"))
    assert app.toggle(key="f_relevant").value is True
    relevant = articles_metric(app)
    ok(app.toggle(key="f_relevant").set_value(False).run())
    assert articles_metric(app) == count(app_db, relevant_only=False) > relevant
    assert app.query_params["relevant"] in ("0", ["0"])


MALFORMED = [
    {"from": "yesterday"},
    {"bloc": "martian"},
    {"colour": "red"},
    {"theme": "nonsense"},
    {"actor": "Nobody"},
    {"tone": "2,3"},
    {"relevant": "perhaps"},
    {"outlet": "[x](javascript:alert(1))"},
    {"lang": "klingon"},
]


@pytest.mark.parametrize("params", MALFORMED)
def test_malformed_parameters_show_a_notice_not_a_traceback(
    app_db: str, params: dict[str, str]
) -> None:
    app = ok(page("app.py", **params))
    notices = [w.value for w in app.warning if "Ignored" in w.value]
    assert len(notices) == 1
    assert "](javascript" not in notices[0]  # shown escaped, never as a link
    assert articles_metric(app) == count(app_db)  # the bad value filtered nothing


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_survives_every_malformed_parameter_at_once(app_db: str, path: str) -> None:
    merged = {k: v for params in MALFORMED for k, v in params.items()}
    app = ok(page(path, **merged))
    assert len([w for w in app.warning if "Ignored" in w.value]) == len(MALFORMED)


@pytest.mark.parametrize("article", ["abc", "-1", "1e9", "99999999"])
def test_a_bad_article_id_is_a_notice(app_db: str, article: str) -> None:
    app = ok(page("pages/3_Articles.py", article=article))
    assert any("Ignored" in w.value or "No article" in w.value for w in app.warning)


def test_no_match_says_so(app_db: str) -> None:
    for path in FILTERED_PAGES:
        app = ok(page(path, q="no such words anywhere"))
        assert any("No article matches" in i.value for i in app.info), path


def test_an_article_opens_annotated(app_db: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(themes=("sanctions",)), limit=1)
    app = ok(page("pages/3_Articles.py", article=str(int(listing["id"][0]))))
    html = app.get("html")[0].proto.body
    assert "dt-theme" in html and "dt-s" in html and "<sup>Sanctions</sup>" in html
    assert 'title="sentence tone ' in html


def test_a_non_english_article_says_its_tone_is_na(app_db: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(relevant_only=False), limit=1000)
    russian = int(listing[listing["lang"] == "ru"]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(russian)))
    assert next(m.value for m in app.metric if m.label == "Tone") == "n/a"
    assert any("Tone is n/a" in i.value for i in app.info)


@pytest.mark.parametrize("title", [HOSTILE_TITLE, PATH_TITLE])
def test_hostile_text_is_escaped(app_db: str, title: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(
            Filters(outlets=("Hostile Outlet",), relevant_only=False), limit=5
        )
    article_id = int(listing[listing["title"] == title]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(article_id)))
    html = app.get("html")[0].proto.body
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in html or html.count(".streamlit/secrets.toml") == 2
    assert not app.get("link_button")  # a javascript: URL gets no link
    assert app.code[0].value == "javascript:alert(3)"  # shown as text instead
    for element in [*app.caption, *app.markdown]:
        assert "<script" not in element.value and "](javascript" not in element.value


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


def test_trend_resolution_switches_to_days_and_persists_across_pages(app_db: str) -> None:
    app = ok(page("app.py"))
    assert app.radio(key="f_every").value == "week"
    weekly = len(app.get("plotly_chart")[1].proto.spec)
    ok(app.radio(key="f_every").set_value("day").run())
    assert len(app.get("plotly_chart")[1].proto.spec) > weekly  # more points in the tone chart
    app.switch_page("pages/2_Outlets.py")
    ok(app.run())
    assert app.radio(key="f_every").value == "day"


def test_an_article_offers_its_evidence_as_a_table(app_db: str) -> None:
    with Store.open(app_db) as store:
        article_id = int(store.list_articles(Filters(themes=("sanctions",)), limit=1)["id"][0])
    app = ok(page("pages/3_Articles.py", article=str(article_id)))
    evidence = app.dataframe[0].value
    assert {"sentence", "theme term"} <= set(evidence["kind"])  # type: ignore[index]
    assert any(b.proto.label == "Download CSV" for b in app.get("download_button"))


def test_an_open_dashboard_follows_articles_that_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_template: Path
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from tests.seed import hostile_articles

    url = copy_seeded(seeded_template, tmp_path / "growing.db")
    monkeypatch.setenv("DETENTE_DB", url)
    _fresh_caches()
    app = ok(page("app.py"))
    _, end = app.date_input(key="f_dates").value
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
    assert app.date_input(key="f_dates").value[1] == when.date()
    _fresh_caches()


# --- dates that lie (issue 13, item 2) -------------------------------------------------------


@pytest.fixture(scope="module")
def lying_dates(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    return seed_lying_dates(seeded_template, tmp_path_factory.mktemp("dates") / "lying.db")


@pytest.fixture
def lying_db(lying_dates: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serving(lying_dates, monkeypatch)


def _modern_days(db: str) -> int:
    """Days from the first article on or after the floor to the last article."""
    with Store.open(db) as store:
        listing = store.list_articles(
            Filters(date_from=DATE_FLOOR, relevant_only=False),
            limit=1,
            sort="published",
            descending=False,
        )
        last = store.filter_options()["date_max"]
    first = listing["published"].iloc[0].date()
    return (last - first).days + 1


def _points(app: AppTest) -> list[int]:
    """The number of x values of every trace of every chart on the page."""
    return [
        len(trace.get("x", []))
        for chart in app.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
    ]


@pytest.mark.parametrize("path", ["app.py", "pages/1_Themes.py"])
@pytest.mark.parametrize("params", [{}, {"from": "0001-01-01"}])
def test_ancient_dates_do_not_stretch_the_filled_days(
    lying_db: str, path: str, params: dict[str, str]
) -> None:
    app = ok(page(path, **params))
    ok(app.radio(key="f_every").set_value("day").run())  # one point per filled day
    start, _ = app.date_input(key="f_dates").value
    assert start == (date(1, 1, 1) if params else DATE_FLOOR)  # never the data's year 1
    points = _points(app)
    assert points and max(points) <= _modern_days(lying_db) + len(ANCIENT_YEARS)


def test_articles_dated_before_the_floor_are_kept_when_the_range_asks_for_them(
    lying_db: str,
) -> None:
    app = ok(page("app.py", **{"from": "0001-01-01"}))
    volume = json.loads(app.get("plotly_chart")[0].proto.spec)["data"]
    days = {str(x)[:10] for trace in volume for x in trace["x"]}
    assert {"0001-06-01", "1000-06-01", "1600-06-01"} <= days


def test_an_estimated_date_says_so(lying_db: str) -> None:
    with Store.open(lying_db) as store:
        listing = store.list_articles(Filters(outlets=("Ancient Outlet",)), limit=10)
    estimated = listing[listing["title"].str.contains(ESTIMATED_UID, regex=False)]
    app = ok(page("pages/3_Articles.py", article=str(int(estimated["id"].iloc[0]))))
    assert any("date estimated" in c.value for c in app.caption)
    plain_one = int(listing[~listing.index.isin(estimated.index)]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(plain_one)))
    assert not any("date estimated" in c.value for c in app.caption)


# --- writes behind a switch, ids that are not ints (issue 13) ---------------------------------


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


@pytest.mark.parametrize("article", ["²", "1²", "١٢", "１", "", " ", "0x1", "1.0", "9" * 40])
def test_an_article_id_that_is_not_an_int_is_a_notice(app_db: str, article: str) -> None:
    app = ok(page("pages/3_Articles.py", article=article))
    assert any("not an article id" in w.value for w in app.warning)


# --- Russian-language coverage (issue 11, items 4 and 5) --------------------------------------


@pytest.mark.parametrize("path", FILTERED_PAGES)
def test_the_language_filter_from_the_url_sets_the_sidebar_on_every_page(
    app_db: str, path: str
) -> None:
    app = ok(page(path, lang="ru"))
    assert app.multiselect(key="f_langs").value == ["ru"]
    assert not [w for w in app.warning if "Ignored" in w.value]
    assert app.query_params["lang"] in ("ru", ["ru"])


def test_russian_articles_are_listed_with_their_language_and_no_tone(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", lang="ru")))
    assert len(rows) == count(app_db, languages=("ru",)) > 0  # type: ignore[arg-type]
    assert set(rows["lang"]) == {"ru"}  # type: ignore[index]
    assert rows["tone"].isna().all()  # type: ignore[index]  # never a 0
    assert set(rows["tone_label"]) == {"n/a"}  # type: ignore[index]
    assert any("Путин" in title or "Песков" in title for title in rows["title"])  # type: ignore[index]
    assert {"TASS", "Meduza", "DW"} <= {o.split(", ")[0] for o in rows["outlets"]}  # type: ignore[index]


def test_the_article_list_says_why_russian_tone_is_na(app_db: str) -> None:
    app = ok(page("pages/3_Articles.py", lang="en,ru"))
    rows = listed(app)
    assert {"en", "ru"} <= set(rows["lang"])  # type: ignore[index]
    assert any("no offline Russian sentiment model" in c.value for c in app.caption)


def test_a_russian_article_opens_annotated_with_its_language_and_why_no_tone(
    app_db: str,
) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(languages=("ru",), themes=("diplomacy",)), limit=5)
    app = ok(page("pages/3_Articles.py", article=str(int(listing["id"][0]))))
    assert any("language ru · Russian" in c.value for c in app.caption)
    assert next(m.value for m in app.metric if m.label == "Tone") == "n/a"
    assert any("no offline Russian sentiment model" in i.value for i in app.info)
    html = app.get("html")[0].proto.body
    assert "dt-theme" in html and "<sup>Diplomacy" in html  # Russian text annotated like English


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
    assert any("gap ru − en" in d.value.columns for d in app.dataframe)  # type: ignore[union-attr]
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


# --- the relations reading on the dashboard (issue 9) -----------------------------------------


def traces(app: AppTest) -> list[list[str]]:
    """The trace names of every chart on the page, chart by chart."""
    return [
        [str(trace.get("name", "")) for trace in json.loads(chart.proto.spec)["data"]]
        for chart in app.get("plotly_chart")
    ]


def csv_keys(app: AppTest) -> list[str]:
    return [str(b.proto.id) for b in app.get("download_button")]


def article_titled(db: str, title: str) -> int:
    with Store.open(db) as store:
        listing = store.list_articles(Filters(relevant_only=False, query=title), limit=5)
    return int(listing[listing["title"] == title]["id"].iloc[0])


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
    start, end = app.date_input(key="f_dates").value
    with Store.open(app_db) as store:
        stored = store.relations_by_day(Filters(date_from=start, date_to=end), "direction")
    assert shown == int(stored["events"].sum()) > 0


@pytest.mark.parametrize("event", ["expel", "material_conflict", "swap_prisoners"])
def test_the_event_filter_from_the_url(app_db: str, event: str) -> None:
    app = ok(page("app.py", event=event))
    assert app.multiselect(key="f_events").value == [event]
    assert articles_metric(app) == count(app_db, event_categories=(event,)) > 0
    assert articles_metric(app) < count(app_db)
    assert not app.warning


def test_the_event_filter_lists_only_matching_articles(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", event="expel")))
    assert "Moscow expels two US diplomats in tit-for-tat move" in list(rows["title"])  # type: ignore[index]
    assert len(rows) == count(app_db, event_categories=("expel",))  # type: ignore[arg-type]


def test_the_event_filter_from_the_sidebar_writes_the_url(app_db: str) -> None:
    app = ok(page("app.py"))
    everything = articles_metric(app)
    ok(app.multiselect(key="f_events").select("material_cooperation").run())
    assert 0 < articles_metric(app) < everything
    assert app.query_params["event"] in ("material_cooperation", ["material_cooperation"])


def test_an_unknown_event_is_a_notice(app_db: str) -> None:
    app = ok(page("app.py", event="invade,[x](javascript:alert(1))"))
    notices = [w.value for w in app.warning if "Ignored unknown event" in w.value]
    assert len(notices) == 1 and "](javascript" not in notices[0]
    assert articles_metric(app) == count(app_db)


def test_passing_mentions_switch_from_the_url_and_the_themes_page_compares_both(
    app_db: str,
) -> None:
    app = ok(page("pages/1_Themes.py"))
    assert app.toggle(key="f_mentions").value is False
    assert any("theme-central-and-mentions" in key for key in csv_keys(app))
    names = next(n for n in traces(app) if "with passing mentions" in n)
    assert names == ["central", "with passing mentions"]
    app = ok(page("pages/1_Themes.py", mentions="1"))
    assert app.toggle(key="f_mentions").value is True
    assert not app.warning


def test_an_article_shows_its_relations_events(app_db: str) -> None:
    article = article_titled(app_db, "Moscow expels two US diplomats in tit-for-tat move")
    app = ok(page("pages/3_Articles.py", article=str(article)))
    html = app.get("html")[0].proto.body
    assert "dt-rel dt-rel-conf" in html and "RU→US Expel diplomats" in html
    assert "Russia → US: Expel diplomats, weight -7.0" in html
    assert next(m.value for m in app.metric if m.label == "Relations").endswith("conflict")
    evidence = app.dataframe[0].value
    events = evidence[evidence["kind"] == "event"]  # type: ignore[index]
    assert "ordered two US diplomats to leave" in list(events["text"])
    assert events["weight"].min() == -7.0


def test_a_swap_is_mutual_cooperation_in_the_annotated_article(app_db: str) -> None:
    article = article_titled(
        app_db, "US and Russia agree to prisoner swap, freeing American journalist"
    )
    html = ok(page("pages/3_Articles.py", article=str(article))).get("html")[0].proto.body
    assert "dt-rel dt-rel-coop" in html and "US⇄RU Swap prisoners" in html
    assert "dt-adj" in html and "stock VADER" in html  # "prisoner swap" read by the domain layer


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
