"""The `detente` command, through main() and through a real `python -m core` process."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.commands.main import build_parser, main

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_analyze_stdin_prints_one_json_object() -> None:
    text = "The Kremlin said Washington must lift sanctions. Talks in Geneva were constructive."
    done = run("analyze", "-", stdin=text)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {
        "tone",
        "tone_label",
        "sentences",
        "themes",
        "theme_names",
        "actors",
        "relevance",
        "relevant",
        "lang",
        "lexicon_version",
    }
    assert result["relevant"] is True and "sanctions" in result["theme_names"]
    for theme in result["themes"]:
        assert (
            text[theme["start"] : theme["end"]]
            .lower()
            .startswith(theme["term"].rstrip("*").lower()[:5])
        )
    first = result["sentences"][0]
    assert text[first["start"] : first["end"]].startswith("The Kremlin")


def test_analyze_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Песков заявил о санкциях.", encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tone"] is None and result["tone_label"] == "n/a" and result["lang"] != "en"


def test_analyze_jsonl_keeps_order_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "title": "US and Russia", "text": "Lavrov met Rubio."}),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": 4, "text": "New START expires."}),
    ]
    done = run("analyze", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode != 0
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [item["id"] for item in out] == ["a", 4]
    assert "line 2" in done.stderr and "line 3" in done.stderr
    assert out[1]["theme_names"] == ["arms_control"]


def test_analyze_missing_file_is_a_clear_error() -> None:
    done = run("analyze", "/nonexistent/file.txt")
    assert done.returncode == 2 and "cannot read /nonexistent/file.txt" in done.stderr


def test_demo_feeds_and_export_through_the_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    first = run("--db", db, "demo")
    assert first.returncode == 0, first.stderr
    again = run("--db", db, "demo")
    assert "0 new" in again.stdout
    added = run(
        "--db", db, "feeds", "add", "https://example.org/rss", "--outlet", "Example", "--bloc", "us"
    )
    assert added.returncode == 0, added.stderr
    bad = run("--db", db, "feeds", "add", "ftp://example.org/rss", "--outlet", "X", "--bloc", "us")
    assert bad.returncode == 2 and "http(s)" in bad.stderr
    assert "Example" in run("--db", db, "feeds", "list").stdout
    assert run("--db", db, "feeds", "disable", "https://example.org/rss").returncode == 0
    assert run("--db", db, "feeds", "remove", "https://nope.example/").returncode == 2
    out = tmp_path / "articles.csv"
    done = run(
        "--db", db, "export", "--what", "articles", "--out", str(out), "--theme", "sanctions"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all("sanctions" in row["themes"] for row in rows)
    assert all(row["lexicon_version"] and row["analyzer_version"] for row in rows)
    daily = run("--db", db, "export", "--what", "daily", "--out", "-", "--bloc", "us")
    table = list(csv.DictReader(io.StringIO(daily.stdout)))
    assert table and {row["bloc"] for row in table} == {"us"}
    assert all(0 < float(row["share"]) <= 1 for row in table)


def test_a_malformed_feed_list_names_file_and_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nurl = "https://x.org/rss"\noutlet = "X"\nbloc = "nowhere"\n')
    done = run("--db", f"sqlite:///{tmp_path / 'x.db'}", "poll", "--once", "--feeds", str(feeds))
    assert done.returncode == 2
    assert f"{feeds}:1:" in done.stderr and "bloc 'nowhere'" in done.stderr


def test_an_unusable_database_url_is_a_clear_error() -> None:
    done = run("--db", "nosuchdb://x", "feeds", "list")
    assert done.returncode == 2 and "cannot open database" in done.stderr


def _options(parser: object) -> set[str]:
    import argparse

    found: set[str] = set()
    assert isinstance(parser, argparse.ArgumentParser)
    for action in parser._actions:
        found.update(o for o in action.option_strings if o.startswith("--") and o != "--help")
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.add(name)
                found |= _options(sub)
    return found


def test_the_readme_documents_every_command_and_option() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = sorted(option for option in _options(build_parser()) if f"{option}" not in readme)
    assert not missing, f"README.md does not mention: {missing}"


def test_export_by_language_writes_only_those_articles_with_their_lang(
    tmp_path: Path, seeded_template: Path
) -> None:
    from core.models import Filters
    from core.storage import Store
    from tests.seed import copy_seeded

    db = copy_seeded(seeded_template, tmp_path / "lang.db")  # the demo corpus and more
    with Store.open(db) as store:
        russian = store.count_matching(Filters(relevant_only=False, languages=("ru",)))
        everything = store.count_matching(Filters(relevant_only=False))
    out = tmp_path / "ru.csv"
    assert main(["--db", db, "export", "--lang", "ru", "--all", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert 0 < len(rows) == russian < everything
    assert {row["lang"] for row in rows} == {"ru"}
    assert json.loads(rows[0]["filters"])["languages"] == ["ru"]
    both = tmp_path / "both.csv"
    assert main(["--db", db, "export", "--lang", "en,RU", "--all", "--out", str(both)]) == 0
    assert {row["lang"] for row in csv.DictReader(both.open(encoding="utf-8"))} == {"en", "ru"}
