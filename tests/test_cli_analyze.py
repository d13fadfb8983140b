"""`detente analyze`: file, stdin, JSON Lines with per-line errors; in-process and as a process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

from core.commands.main import main

REPO = Path(__file__).resolve().parents[1]
FIELDS = {
    "tone", "tone_label", "sentences", "themes", "theme_names", "actors", "relevance",
    "relevant", "lang", "lexicon_version", "analyzer_version",
}  # fmt: skip
TEXT = "The Kremlin said Washington must lift sanctions. New sanctions followed on Dec. 19."


class Span(TypedDict):
    start: int
    end: int


class Spans(TypedDict):
    """The part of the analysis JSON that _check reads (each list holds more keys than these)."""

    sentences: list[Span]
    themes: list[Span]
    actors: list[Span]


def _check(result: Spans, text: str) -> None:
    assert set(result) >= FIELDS
    for sentence in result["sentences"]:
        assert text[sentence["start"] : sentence["end"]].strip()
    for theme in result["themes"]:
        assert text[theme["start"] : theme["end"]].lower().startswith("sanction")
    for actor in result["actors"]:
        assert text[actor["start"] : actor["end"]] == "Kremlin"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", "analyze", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_main_on_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    _check(result, TEXT)
    assert result["theme_names"] == ["sanctions"] and result["relevant"] is True
    assert len(result["sentences"]) == 2


def test_main_on_stdin_with_a_title(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    assert main(["analyze", "--title", "Sanctions row", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    _check(result, TEXT)
    assert [t["term"] for t in result["title_themes"]] == ["sanction*"]


def test_main_jsonl_reports_bad_lines_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": "a", "title": "Talks", "text": TEXT}),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": 4, "text": "Песков заявил."}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["analyze", "--jsonl", "-"]) != 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [row["id"] for row in rows] == ["a", 4]
    _check(rows[0], TEXT)
    assert rows[1]["tone"] is None and rows[1]["tone_label"] == "n/a"
    assert "line 2" in captured.err and "line 3" in captured.err
    assert "line 1" not in captured.err and "line 4" not in captured.err


def test_process_stdin_file_and_jsonl(tmp_path: Path) -> None:
    done = run("-", stdin=TEXT)
    assert done.returncode == 0, done.stderr
    _check(json.loads(done.stdout), TEXT)

    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": 1, "text": TEXT}) + "\n[1, 2]\n" + json.dumps({"id": 3, "text": "x"}),
        encoding="utf-8",
    )
    done = run("--jsonl", str(path))
    assert done.returncode != 0
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [1, 3]
    assert "line 2" in done.stderr

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "only", "text": TEXT}) + "\n", encoding="utf-8")
    done = run("--jsonl", "-", stdin=good.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "only"


def test_analyze_emits_theme_salience_central_themes_and_stock_vader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(
        "Kremlin: sanctions relief shows Washington's double standards.", encoding="utf-8"
    )
    assert main(["analyze", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["theme_salience"] == {"sanctions": pytest.approx(0.5)}
    assert result["central_themes"] == ["sanctions"] == result["theme_names"]
    (sentence,) = result["sentences"]
    assert sentence["vader"] > 0.05 > -0.05 > sentence["tone"]  # stock VADER misreads it
