"""CSV exports: formula-safe text, numeric columns stay numeric, provenance on every row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from core.export import (
    ARTICLE_COLUMNS,
    DAILY_COLUMNS,
    describe_filters,
    export_articles_csv,
    export_daily_csv,
    formula_safe,
    with_provenance,
)
from core.models import Filters
from core.storage import Store
from tests.fixtures_db import ANALYZER, LEXICON, analysed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_safe_neutralises_text_cells(value: str, expected: str) -> None:
    frame = pd.DataFrame({"text": [value], "tone": [-0.5], "articles": [3]})
    safe = formula_safe(frame)
    assert safe.loc[0, "text"] == expected
    assert safe["tone"].dtype == frame["tone"].dtype and safe.loc[0, "tone"] == -0.5
    assert safe["articles"].dtype == frame["articles"].dtype


def test_formula_safe_leaves_the_input_alone_and_headers_safe() -> None:
    frame = pd.DataFrame({"=evil": ["=x"], "n": [1.5]})
    safe = formula_safe(frame)
    assert list(safe.columns) == ["'=evil", "n"] and frame.loc[0, "=evil"] == "=x"


def test_with_provenance_adds_filters_and_versions() -> None:
    f = Filters(themes=("sanctions",), query="=cmd")
    out = with_provenance(pd.DataFrame({"n": [1, 2]}), f, "lex", "ana")
    assert list(out.columns) == ["n", "filters", "lexicon_version", "analyzer_version"]
    assert set(out["lexicon_version"]) == {"lex"} and set(out["analyzer_version"]) == {"ana"}
    assert out.loc[0, "filters"] == describe_filters(f)
    assert '"q":"=cmd"' in describe_filters(f)


@pytest.fixture
def exported(fresh_db: Store) -> Store:
    fresh_db.save_articles(
        [
            analysed("x1", title="=HYPERLINK(\"http://evil.example\",\"click\")", tone=-0.5,
                     themes={"sanctions": ["sanctions"]}, actors=[("Putin", "russia")]),
            analysed("x2", title="@cmd|' /C calc'!A0", tone=0.25, outlet="Reuters", bloc="wire"),
            analysed("x3", title="Not relevant", relevance=0.1, tone=None, lang="ru"),
        ]
    )  # fmt: skip
    return fresh_db


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(("include_all", "rows"), [(False, 2), (True, 3)])
def test_articles_csv(exported: Store, tmp_path: Path, include_all: bool, rows: int) -> None:
    out = tmp_path / "articles.csv"
    assert export_articles_csv(exported, Filters(), out, include_all=include_all) == rows
    records = read_csv(out.read_text(encoding="utf-8"))
    assert len(records) == rows and list(records[0]) == ARTICLE_COLUMNS
    by_tone = {r["tone"]: r for r in records}
    assert by_tone["-0.5"]["title"].startswith("'=HYPERLINK")  # text neutralised, number not
    assert by_tone["0.25"]["title"].startswith("'@cmd")
    assert all(
        r["lexicon_version"] == LEXICON and r["analyzer_version"] == ANALYZER for r in records
    )
    assert all('"relevant_only":' in r["filters"] for r in records)
    assert by_tone["-0.5"]["themes"] == "sanctions" and by_tone["-0.5"]["actors"] == "Putin"
    frame = pd.read_csv(out)
    assert pd.api.types.is_float_dtype(frame["tone"])
    assert pd.api.types.is_float_dtype(frame["relevance"])
    assert pd.api.types.is_integer_dtype(frame["id"])


def test_articles_csv_to_a_stream_and_with_no_match(exported: Store) -> None:
    stream = io.StringIO()
    assert export_articles_csv(exported, Filters(outlets=("nobody",)), stream) == 0
    assert stream.getvalue().strip() == ",".join(ARTICLE_COLUMNS)


def test_daily_csv(exported: Store) -> None:
    stream = io.StringIO()
    rows = export_daily_csv(exported, Filters(), stream)
    records = read_csv(stream.getvalue())
    assert rows == len(records) == 1
    assert list(records[0]) == DAILY_COLUMNS
    record = records[0]
    assert (record["outlet"], record["theme"], record["articles"]) == ("TASS", "sanctions", "1")
    assert float(record["share"]) == 1.0 and float(record["mean_tone"]) == -0.5
    assert record["lexicon_version"] == LEXICON
    empty = io.StringIO()
    assert export_daily_csv(exported, Filters(outlets=("nobody",)), empty) == 0
    assert empty.getvalue().strip() == ",".join(DAILY_COLUMNS)
