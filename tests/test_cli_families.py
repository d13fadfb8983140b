"""`detente analyze` builds only its own part of the parser (start-up), and `analyze --jsonl
FILE` none; every other command line, and any help asked before the command, gets the whole
parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.commands.main import _family_of, _plain_analyze, build_parser

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("words", "family"),
    [
        (["analyze", "--jsonl", "in.jsonl"], "analyze"),
        (["--db", "analyze", "analyze", "-"], "analyze"),  # the --db value is no command
        (["--db=sqlite://", "analyze"], "analyze"),
        (["analyze", "--help"], "analyze"),  # the command's own help is the same
        (["-h", "analyze"], None),  # the top-level help lists every command
        (["--help"], None),
        (["--db", "analyze"], None),
        (["--d", "x", "analyze"], None),  # an abbreviation: leave it to the whole parser
        (["poll", "--once"], None),
        (["export", "analyze"], None),
        ([], None),
    ],
)
def test_family_of(words: list[str], family: str | None) -> None:
    assert _family_of(words) == family


def test_the_whole_parser_and_the_analyze_part_read_analyze_alike() -> None:
    words = ["--db", "sqlite://", "analyze", "--jsonl", "--title", "T", "in.jsonl"]
    assert vars(build_parser().parse_args(words)) == vars(build_parser("analyze").parse_args(words))


@pytest.mark.parametrize(
    "words",
    [
        ["analyze", "--jsonl", "in.jsonl"],
        ["analyze", "in.jsonl", "--jsonl"],
        ["analyze", "--jsonl", "-"],
        ["analyze", "-", "--jsonl"],
        ["analyze", "--jsonl", ""],
        ["analyze", "--jsonl", "a file=with spaces.jsonl"],
    ],
)
def test_plain_analyze_reads_as_the_parser_does(words: list[str]) -> None:
    assert _plain_analyze(words) == build_parser().parse_args(words)


@pytest.mark.parametrize(
    "words",
    [
        ["analyze", "--jsonl", "-x"],
        ["analyze", "--jsonl", "--jsonl"],
        ["analyze", "--json", "in.jsonl"],  # an abbreviation: the parser's to read
        ["analyze", "--jsonl", "in.jsonl", "--title", "T"],
        ["--db", "sqlite://", "analyze", "--jsonl", "in.jsonl"],
        ["analyze", "in.jsonl", "other.jsonl"],
        ["analyze", "--jsonl"],
        ["export", "--jsonl", "x"],
    ],
)
def test_any_other_command_line_goes_to_the_parser(words: list[str]) -> None:
    assert _plain_analyze(words) is None


def test_analyze_imports_no_other_command() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from core.commands.main import main\n"
        "sys.stdin = io.StringIO('')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['analyze', '--jsonl', '-']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('core.commands.', 'core.ingest'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "['core.commands.analyze', 'core.commands.common', 'core.commands.main']"
    )
