"""The URL model (core/dashboard/url.py) and the other pure helpers of core/dashboard (CSV payload,
notices): no Streamlit session needed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.analysis.relations_lexicon import QUADS
from core.dashboard.downloads import csv_bytes
from core.dashboard.notices import ago, plain, poller_notice, stale_message
from core.dashboard.url import (
    article_id,
    counting,
    default_range,
    extend_dates,
    filters_from_params,
    filters_from_values,
    params_from_filters,
)
from core.models import Filters

OPTIONS: dict[str, Any] = {
    "outlets": ["TASS", "RT", "The New York Times"],
    "themes": ["sanctions", "arms_control", "diplomacy"],
    "actors": ["Putin", "Trump", "Kremlin"],
    "languages": ["en", "ru"],
    "date_min": date(2026, 8, 1),
    "date_max": date(2026, 11, 21),
}
LOW, HIGH = OPTIONS["date_min"], OPTIONS["date_max"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Filters(date_from=LOW, date_to=HIGH)),
        ({"theme": "sanctions"}, Filters(date_from=LOW, date_to=HIGH, themes=("sanctions",))),
        (
            {"outlet": "TASS,The New York Times", "bloc": "us"},
            Filters(LOW, HIGH, outlets=("TASS", "The New York Times"), blocs=("us",)),
        ),
        ({"actor": " Putin , Trump "}, Filters(LOW, HIGH, actors=("Putin", "Trump"))),
        (
            {"from": "2026-09-01", "to": "2026-09-30"},
            Filters(date(2026, 9, 1), date(2026, 9, 30)),
        ),
        ({"q": "  New START "}, Filters(LOW, HIGH, query="New START")),
        ({"tone": "-0.5,0.25"}, Filters(LOW, HIGH, tone_min=-0.5, tone_max=0.25)),
        ({"relevant": "0"}, Filters(LOW, HIGH, relevant_only=False)),
        ({"relevant": "1"}, Filters(LOW, HIGH, relevant_only=True)),
        ({"theme": ["diplomacy", "sanctions"]}, Filters(LOW, HIGH, themes=("sanctions",))),
        ({"theme": "sanctions,sanctions"}, Filters(LOW, HIGH, themes=("sanctions",))),
        ({"article": "12"}, Filters(LOW, HIGH)),
        ({"lang": "ru"}, Filters(LOW, HIGH, languages=("ru",))),
        ({"lang": "en, ru"}, Filters(LOW, HIGH, languages=("en", "ru"))),
        (
            {"lang": "ru", "outlet": "TASS"},
            Filters(LOW, HIGH, outlets=("TASS",), languages=("ru",)),
        ),
    ],
)
def test_url_parameters_become_filters(params: dict[str, Any], expected: Filters) -> None:
    values, notices = filters_from_params(params, OPTIONS)
    assert notices == []
    assert filters_from_values(values, LOW, HIGH) == expected


@pytest.mark.parametrize(
    ("params", "notice", "kept"),
    [
        ({"from": "yesterday"}, "'from=yesterday'", Filters(LOW, HIGH)),
        ({"to": "2026-13-45"}, "'to=2026-13-45'", Filters(LOW, HIGH)),
        ({"from": "2026-10-01", "to": "2026-09-01"}, "'from' is after 'to'", Filters(LOW, HIGH)),
        ({"bloc": "martian"}, "unknown bloc value(s): martian", Filters(LOW, HIGH)),
        (
            {"theme": "sanctions,nonsense"},
            "unknown theme value(s): nonsense",
            Filters(LOW, HIGH, themes=("sanctions",)),
        ),
        ({"outlet": "Pravda"}, "unknown outlet value(s): Pravda", Filters(LOW, HIGH)),
        ({"colour": "red"}, "unknown URL parameter 'colour'", Filters(LOW, HIGH)),
        ({"tone": "1,-1"}, "'tone=1,-1'", Filters(LOW, HIGH)),
        ({"tone": "nan,1"}, "'tone=nan,1'", Filters(LOW, HIGH)),
        ({"tone": "-2,0"}, "'tone=-2,0'", Filters(LOW, HIGH)),
        ({"tone": "0.5"}, "'tone=0.5'", Filters(LOW, HIGH)),
        ({"relevant": "maybe"}, "'relevant=maybe'", Filters(LOW, HIGH)),
        (
            {"lang": "ru,xx"},
            "unknown lang value(s): xx",
            Filters(LOW, HIGH, languages=("ru",)),
        ),
    ],
)
def test_malformed_parameters_are_ignored_with_a_notice(
    params: dict[str, str], notice: str, kept: Filters
) -> None:
    values, notices = filters_from_params(params, OPTIONS)
    assert any(notice in n for n in notices), notices
    assert filters_from_values(values, LOW, HIGH) == kept


def test_a_huge_parameter_is_cut_short_in_its_notice() -> None:
    _, notices = filters_from_params({"from": "x" * 10_000, "q": "y" * 10_000}, OPTIONS)
    assert len(notices) == 1 and len(notices[0]) < 200


@given(st.dictionaries(st.text(max_size=20), st.text(max_size=50), max_size=6))
def test_no_url_can_raise(params: dict[str, str]) -> None:
    values, notices = filters_from_params(params, OPTIONS)
    filters_from_values(values, LOW, HIGH)
    assert all(isinstance(n, str) for n in notices)


@pytest.mark.parametrize(
    "f",
    [
        Filters(LOW, HIGH),
        Filters(date(2026, 9, 1), HIGH, themes=("sanctions", "diplomacy")),
        Filters(LOW, date(2026, 10, 1), outlets=("The New York Times",), blocs=("us", "wire")),
        Filters(LOW, HIGH, actors=("Putin",), query="grain deal", tone_min=-0.3, tone_max=0.7),
        Filters(LOW, HIGH, relevant_only=False),
        Filters(LOW, HIGH, languages=("ru",)),
        Filters(LOW, HIGH, outlets=("TASS",), languages=("en", "ru")),
    ],
)
def test_filters_round_trip_through_the_url(f: Filters) -> None:
    params = params_from_filters(f, LOW, HIGH)
    values, notices = filters_from_params(params, OPTIONS)
    assert notices == []
    assert filters_from_values(values, LOW, HIGH) == f


def test_defaults_stay_out_of_the_url() -> None:
    assert params_from_filters(Filters(LOW, HIGH), LOW, HIGH) == {}
    assert params_from_filters(Filters(LOW, HIGH, themes=("sanctions",)), LOW, HIGH) == {
        "theme": "sanctions"
    }


def test_csv_carries_exactly_the_rows_plus_provenance_and_is_formula_safe() -> None:
    frame = pd.DataFrame(
        {"title": ['=HYPERLINK("http://x")', "plain", "@cmd", "-2+3"], "articles": [1, 2, 3, -4]}
    )
    f = Filters(themes=("sanctions",))
    rows = list(csv.DictReader(io.StringIO(csv_bytes(frame, f, ("lex-1", "an-1")).decode())))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://x")', "plain", "'@cmd", "'-2+3"]
    assert [int(r["articles"]) for r in rows] == [1, 2, 3, -4]  # numbers stay numbers
    assert list(rows[0]) == ["title", "articles", "filters", "lexicon_version", "analyzer_version"]
    assert {r["lexicon_version"] for r in rows} == {"lex-1"}
    assert {r["analyzer_version"] for r in rows} == {"an-1"}
    assert all('"themes":["sanctions"]' in r["filters"] for r in rows)


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (None, "never"),
        (NOW, "just now"),
        (NOW - timedelta(seconds=30), "just now"),
        (NOW - timedelta(minutes=12), "12 min ago"),
        (NOW - timedelta(hours=5, minutes=59), "5 h ago"),
        (NOW - timedelta(days=3), "3 d ago"),
        (NOW + timedelta(minutes=5), "just now"),
    ],
)
def test_last_poll_reads_as_a_short_relative_time(when: datetime | None, text: str) -> None:
    assert ago(when, NOW) == text


def health(*feeds: dict[str, Any]) -> pd.DataFrame:
    base = {"last_attempt_at": None, "last_success_at": None, "consecutive_errors": 0}
    return pd.DataFrame([{**base, "last_error": None, **feed} for feed in feeds])


@pytest.mark.parametrize(
    ("frame", "level", "words"),
    [
        (pd.DataFrame(), "info", "No feeds are configured"),
        (health({}, {}), "info", "has not run yet"),
        (
            health(
                {"last_attempt_at": NOW, "consecutive_errors": 2, "last_error": "DNS failure"},
                {"last_attempt_at": NOW, "consecutive_errors": 1, "last_error": "DNS failure"},
                {},
            ),
            "warning",
            "“DNS failure”",
        ),
        (
            health(
                {"last_attempt_at": NOW, "last_success_at": NOW},
                {"last_attempt_at": NOW, "consecutive_errors": 3, "last_error": "HTTP 503"},
            ),
            "warning",
            "1 of 2 feeds are failing",
        ),
    ],
)
def test_feed_health_says_why_nothing_arrives(frame: pd.DataFrame, level: str, words: str) -> None:
    notice = poller_notice(frame)
    assert notice is not None and notice[0] == level and words in notice[1]


def test_healthy_feeds_need_no_notice() -> None:
    assert poller_notice(health({"last_attempt_at": NOW, "last_success_at": NOW})) is None


@pytest.mark.parametrize(
    "hostile", ["[x](javascript:alert(1))", "![i](x)", ":red[x]", "$$x$$", "<b>x</b>", "**x**"]
)
def test_plain_escapes_every_markdown_and_html_trigger(hostile: str) -> None:
    escaped = plain(hostile)
    assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c in "[]()<>*$:!" and i)


D = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("chosen", "old", "low", "high", "expected"),
    [
        ((LOW, D), (LOW, D), LOW, D + timedelta(days=1), (LOW, D + timedelta(days=1))),
        ((LOW, date(2026, 10, 1)), (LOW, D), LOW, D + timedelta(days=1), (LOW, date(2026, 10, 1))),
        (
            (date(2026, 9, 1), D),
            (LOW, D),
            LOW,
            D + timedelta(days=2),
            (date(2026, 9, 1), D + timedelta(days=2)),
        ),
        ((), (None, None), LOW, D, (LOW, D)),  # the first articles arrive in an empty database
        ((LOW, D), (LOW, D), None, None, (LOW, D)),
    ],
)
def test_an_open_dashboard_follows_new_articles_unless_the_range_was_narrowed(
    chosen: tuple[date, ...],
    old: tuple[date | None, date | None],
    low: date | None,
    high: date | None,
    expected: tuple[date, ...],
) -> None:
    assert extend_dates(chosen, old, low, high) == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (date(1, 6, 1), date(2026, 11, 21), (date(2000, 1, 1), date(2026, 11, 21))),
        (date(2026, 8, 1), date(2026, 11, 21), (date(2026, 8, 1), date(2026, 11, 21))),
        (date(1, 6, 1), date(1600, 6, 1), (date(1, 6, 1), date(1600, 6, 1))),
        (None, None, (None, None)),
    ],
)
def test_the_default_range_never_starts_before_the_floor(
    low: date | None, high: date | None, expected: tuple[date | None, date | None]
) -> None:
    assert default_range(low, high) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("17", 17), (" 0042 ", 42), ("²", None), ("١٢", None), ("１", None), ("-1", None),
     ("1e9", None), ("", None), ("9" * 18, int("9" * 18)), ("9" * 19, None)],
)  # fmt: skip
def test_an_article_id_is_a_plain_decimal_or_nothing(raw: str, expected: int | None) -> None:
    assert article_id(raw) == expected


@given(st.text(max_size=30))
def test_no_article_parameter_raises(raw: str) -> None:
    found = article_id(raw)
    assert found is None or (isinstance(found, int) and found >= 0)


def test_the_language_filter_is_mirrored_in_the_url() -> None:
    f = Filters(LOW, HIGH, languages=("en", "ru"))
    assert params_from_filters(f, LOW, HIGH) == {"lang": "en,ru"}
    assert params_from_filters(Filters(LOW, HIGH), LOW, HIGH) == {}


# --- the relations filters (issue 9): event= and mentions= ------------------------------------

EVENT_OPTIONS: dict[str, Any] = {**OPTIONS, "event_categories": ["expel", "swap_prisoners"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event": "expel"}, Filters(LOW, HIGH, event_categories=("expel",))),
        (
            {"event": "material_conflict, swap_prisoners"},
            Filters(LOW, HIGH, event_categories=("material_conflict", "swap_prisoners")),
        ),
        (
            {"event": "verbal_cooperation"},
            Filters(LOW, HIGH, event_categories=("verbal_cooperation",)),
        ),
        ({"mentions": "1"}, Filters(LOW, HIGH, mentions=True)),
        ({"mentions": "0"}, Filters(LOW, HIGH)),
        (
            {"mentions": "yes", "relevant": "0"},
            Filters(LOW, HIGH, relevant_only=False, mentions=True),
        ),
    ],
)
def test_event_and_mentions_parameters_become_filters(
    params: dict[str, str], expected: Filters
) -> None:
    values, notices = filters_from_params(params, EVENT_OPTIONS)
    assert notices == []
    assert filters_from_values(values, LOW, HIGH) == expected


@pytest.mark.parametrize(
    ("params", "notice", "kept"),
    [
        ({"event": "invade"}, "unknown event value(s): invade", Filters(LOW, HIGH)),
        (
            {"event": "expel,[x](javascript:alert(1))"},
            "unknown event value(s): [x](javascript:alert(1))",
            Filters(LOW, HIGH, event_categories=("expel",)),
        ),
        ({"event": "hack"}, "unknown event value(s): hack", Filters(LOW, HIGH)),  # not in the data
        ({"mentions": "some"}, "'mentions=some': expected 1 or 0", Filters(LOW, HIGH)),
    ],
)
def test_unknown_events_and_malformed_mentions_are_ignored_with_a_notice(
    params: dict[str, str], notice: str, kept: Filters
) -> None:
    values, notices = filters_from_params(params, EVENT_OPTIONS)
    assert any(notice in n for n in notices), notices
    assert filters_from_values(values, LOW, HIGH) == kept


def test_quad_classes_are_known_even_before_any_event_is_stored() -> None:
    values, notices = filters_from_params({"event": "material_conflict,expel"}, OPTIONS)
    assert notices == ["Ignored unknown event value(s): expel."]
    assert values["event_categories"] == ["material_conflict"]


@given(
    st.lists(st.sampled_from(["expel", "swap_prisoners", "verbal_conflict"]), unique=True),
    st.booleans(),
)
def test_event_filters_and_mentions_round_trip_through_the_url(
    events: list[str], mentions: bool
) -> None:
    f = Filters(LOW, HIGH, event_categories=tuple(events), mentions=mentions)
    params = params_from_filters(f, LOW, HIGH)
    assert ("mentions" in params) is mentions and ("event" in params) is bool(events)
    values, notices = filters_from_params(params, EVENT_OPTIONS)
    assert notices == []
    assert filters_from_values(values, LOW, HIGH) == f


@given(st.dictionaries(st.sampled_from(["event", "mentions"]), st.text(max_size=60), max_size=2))
def test_no_event_or_mentions_value_can_raise(params: dict[str, str]) -> None:
    values, notices = filters_from_params(params, EVENT_OPTIONS)
    f = filters_from_values(values, LOW, HIGH)
    assert set(f.event_categories) <= {"expel", "swap_prisoners", *QUADS}
    assert all(isinstance(n, str) for n in notices)


@pytest.mark.parametrize(
    ("stale", "words"),
    [(0, None), (-3, None), (1, "1 article was read"), (12345, "12,345 articles were read")],
)
def test_the_stale_notice_counts_the_articles_to_retag(stale: int, words: str | None) -> None:
    message = stale_message(stale)
    if words is None:
        assert message is None
    else:
        assert message is not None and words in message and "`detente retag`" in message


def test_count_names_articles_or_independent_reports() -> None:
    assert counting(None) == ("articles", None)
    assert counting("reports") == ("reports", None)
    assert counting(["articles", " Reports "]) == ("reports", None)  # the last value
    chosen, notice = counting("<script>" * 20)
    assert chosen == "articles" and notice is not None and len(notice) < 120
