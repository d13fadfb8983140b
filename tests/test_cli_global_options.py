"""Global options (`--db`) work before and after the command, for every command that opens a
database: `detente --db URL poll` and `detente poll --db URL` name the same database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.commands.main import main

URL = "https://example.org/rss"


def _with_db(words: list[str], db: str, order: str, command_words: int) -> list[str]:
    """`--db URL` before the command, or after its words (before its own options)."""
    if order == "before":
        return ["--db", db, *words]
    return [*words[:command_words], "--db", db, *words[command_words:]]


@pytest.fixture
def dbs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path, Path]:
    """The database named on the command line, and a default ($DETENTE_DB) that must stay unused."""
    default = tmp_path / "default.db"
    monkeypatch.setenv("DETENTE_DB", f"sqlite:///{default}")
    named = tmp_path / "named.db"
    return f"sqlite:///{named}", named, default


@pytest.mark.parametrize("order", ["before", "after"])
def test_feeds_commands_use_the_named_database(
    order: str, dbs: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, named, default = dbs
    steps = [
        ["feeds", "add", URL, "--outlet", "Example", "--bloc", "us"],
        ["feeds", "disable", URL],
        ["feeds", "enable", URL],
        ["feeds", "list"],
    ]
    for words in steps:
        assert main(_with_db(words, db, order, 2)) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "added Example" in out and f"disabled {URL}" in out and f"enabled {URL}" in out
    assert "Example" in out.splitlines()[-1] and "[ok, last success never]" in out
    assert main(_with_db(["feeds", "remove", URL], db, order, 2)) == 0
    assert main(_with_db(["feeds", "list"], db, order, 2)) == 0
    assert "no feeds yet" in capsys.readouterr().out
    assert named.exists() and not default.exists()


def test_db_between_feeds_and_its_action(
    dbs: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, named, default = dbs
    assert main(["feeds", "--db", db, "add", URL, "--outlet", "Ex", "--bloc", "wire"]) == 0
    assert main(["feeds", "list", "--db", db]) == 0
    assert "Ex" in capsys.readouterr().out
    assert named.exists() and not default.exists()


def test_the_option_after_the_command_wins_over_the_one_before(
    tmp_path: Path, dbs: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, named, default = dbs
    other = tmp_path / "other.db"
    assert main(["--db", f"sqlite:///{other}", "feeds", "list", "--db", db]) == 0
    assert named.exists() and not other.exists() and not default.exists()


@pytest.mark.parametrize("order", ["before", "after"])
def test_demo_retag_export_and_poll_use_the_named_database(
    order: str, tmp_path: Path, dbs: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, named, default = dbs
    assert main(_with_db(["demo"], db, order, 1)) == 0
    assert "new" in capsys.readouterr().out
    assert main(_with_db(["retag"], db, order, 1)) == 0
    done = capsys.readouterr().out
    assert done.startswith("re-analyzed ") and not done.startswith("re-analyzed 0 ")
    out = tmp_path / "articles.csv"
    assert main(_with_db(["export", "--out", str(out), "--all"], db, order, 1)) == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) > 100
    assert main(_with_db(["poll", "--no-sync"], db, order, 1)) == 0
    assert "no feed is due" in capsys.readouterr().out
    assert named.exists() and not default.exists()


def test_analyze_accepts_the_global_option_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Lavrov met Rubio.", encoding="utf-8")
    assert main(["analyze", str(text), "--db", "sqlite:///unused.db"]) == 0
    assert '"tone"' in capsys.readouterr().out
