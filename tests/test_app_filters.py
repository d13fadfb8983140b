"""The filters on every page through AppTest: from the sidebar widgets and from the URL (dates,
tone, language, event categories, passing mentions, trend resolution), notices for malformed
parameters, and ancient dates kept out of the filled days."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.models import DATE_FLOOR, Filters
from core.storage import Store
from tests.app_pages import PAGES, count, csv_keys, date_range, listed, ok, page, traces
from tests.filter_fields import FilterFields
from tests.seed import ANCIENT_YEARS

FILTERED_PAGES = [p for p in PAGES if p != "pages/4_Sources.py"]


def articles_metric(app: AppTest) -> int:
    return int(next(m.value for m in app.metric if m.label == "Articles").replace(",", ""))


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
    app_db: str, params: dict[str, str], filters: FilterFields
) -> None:
    if "date_from" in filters:
        filters = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
    shown = articles_metric(ok(page("app.py", **params)))
    assert shown == count(app_db, **filters)
    assert shown != count(app_db)


def test_url_parameters_filter_the_article_list(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", outlet="TASS", theme="sanctions")))
    assert len(rows) == count(app_db, outlets=("TASS",), themes=("sanctions",)) > 0
    assert all("TASS" in o for o in rows["outlets"])
    assert all("sanctions" in t for t in rows["themes"])


def test_tone_range_from_the_url_bounds_every_listed_tone(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", tone="0.2,1")))
    assert len(rows) and rows["tone"].min() >= 0.2


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
    everything = len(listed(app))
    ok(app.multiselect(key="f_outlets").select("RT").run())
    rows = listed(app)
    assert 0 < len(rows) < everything
    assert all("RT" in o for o in rows["outlets"])
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


def test_no_match_says_so(app_db: str) -> None:
    for path in FILTERED_PAGES:
        app = ok(page(path, q="no such words anywhere"))
        assert any("No article matches" in i.value for i in app.info), path


def test_trend_resolution_switches_to_days_and_persists_across_pages(app_db: str) -> None:
    app = ok(page("app.py"))
    assert app.radio(key="f_every").value == "week"
    weekly = len(app.get("plotly_chart")[1].proto.spec)
    ok(app.radio(key="f_every").set_value("day").run())
    assert len(app.get("plotly_chart")[1].proto.spec) > weekly  # more points in the tone chart
    app.switch_page("pages/2_Outlets.py")
    ok(app.run())
    assert app.radio(key="f_every").value == "day"


def _modern_days(db: str) -> int:
    """Days from the first article on or after the floor to the last article."""
    with Store.open(db) as store:
        listing = store.list_articles(
            Filters(date_from=DATE_FLOOR, relevant_only=False),
            limit=1,
            sort="published",
            descending=False,
        )
        last: date = store.filter_options()["date_max"]
    first: date = listing["published"].iloc[0].date()
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
    start, _ = date_range(app)
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


@pytest.mark.parametrize("path", FILTERED_PAGES)
def test_the_language_filter_from_the_url_sets_the_sidebar_on_every_page(
    app_db: str, path: str
) -> None:
    app = ok(page(path, lang="ru"))
    assert app.multiselect(key="f_langs").value == ["ru"]
    assert not [w for w in app.warning if "Ignored" in w.value]
    assert app.query_params["lang"] in ("ru", ["ru"])


@pytest.mark.parametrize("event", ["expel", "material_conflict", "swap_prisoners"])
def test_the_event_filter_from_the_url(app_db: str, event: str) -> None:
    app = ok(page("app.py", event=event))
    assert app.multiselect(key="f_events").value == [event]
    assert articles_metric(app) == count(app_db, event_categories=(event,)) > 0
    assert articles_metric(app) < count(app_db)
    assert not app.warning


def test_the_event_filter_lists_only_matching_articles(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", event="expel")))
    assert "Moscow expels two US diplomats in tit-for-tat move" in list(rows["title"])
    assert len(rows) == count(app_db, event_categories=("expel",))


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
