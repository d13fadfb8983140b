"""`detente analyze --jsonl` on hostile input: every bad line is reported by number on stderr,
the others are analysed in order, the exit status is 1, and no traceback is ever shown."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.commands.analyze import MAX_LINE_BYTES, read_lines
from core.commands.main import main

REPO = Path(__file__).resolve().parents[1]
GOOD = json.dumps({"id": "good", "text": "Lavrov and Rubio met in Istanbul for talks."}).encode()


def run(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "core", "analyze", "--jsonl", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )


def _strict(text: str) -> Any:
    """json.loads that refuses NaN and Infinity, as strict JSON readers do."""

    def refuse(name: str) -> None:
        raise AssertionError(f"invalid JSON constant {name} in output")

    return json.loads(text, parse_constant=refuse)


def _ids(done: subprocess.CompletedProcess[bytes]) -> list[Any]:
    return [_strict(line)["id"] for line in done.stdout.decode("utf-8").splitlines()]


def test_one_line_of_invalid_utf8_costs_only_that_line() -> None:
    lines = [GOOD, b'{"id": 2, "text": "caf\xe9 au lait"}', GOOD.replace(b"good", b"third")]
    done = run(b"\n".join(lines) + b"\n")
    err = done.stderr.decode()
    assert done.returncode == 1
    assert _ids(done) == ["good", "third"]
    assert "line 2: not UTF-8 (byte 23)" in err and "Traceback" not in err


def test_deep_nesting_is_reported_not_raised() -> None:
    deep = b'{"id": 2, "text": "x", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    done = run(GOOD + b"\n" + deep + b"\n" + GOOD + b"\n")
    err = done.stderr.decode()
    assert done.returncode == 1 and _ids(done) == ["good", "good"]
    assert "line 2: nested too deeply" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "id_text", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400", "[1, NaN]", '{"a": Infinity}']
)
def test_a_non_finite_id_is_reported_never_echoed(id_text: str) -> None:
    bad = b'{"id": ' + id_text.encode() + b', "text": "Sanctions on Russia."}'
    done = run(bad + b"\n" + GOOD + b"\n")
    err = done.stderr.decode()
    assert done.returncode == 1 and _ids(done) == ["good"]
    assert "line 1:" in err and "Traceback" not in err
    assert "not finite" in err or "is not a JSON number" in err


def test_non_object_and_malformed_lines_are_reported() -> None:
    lines = [b"[1, 2]", b'"text"', b"3", b"null", b'{"text": 5}', b'{"text": "x", "title": 1}']
    lines += [b"{not json", b'{"id": "\\ud800", "text": "x"}', b'{"id": ' + b"9" * 5000 + b"}"]
    lines += [GOOD]
    done = run(b"\n".join(lines))  # the last line has no newline: still read
    err = done.stderr.decode()
    assert done.returncode == 1 and _ids(done) == ["good"]
    for number in range(1, 10):
        assert f"line {number}:" in err
    assert "line 10:" not in err and "Traceback" not in err
    assert "line 9: a number has 5000 digits (at most 1000)" in err
    assert "needs an object with a string `text`" in err and "`title` must be a string" in err
    assert "cannot be written as JSON" in err  # the lone surrogate id


def test_a_line_over_the_cap_is_skipped_and_numbering_goes_on() -> None:
    huge = b'{"id": "huge", "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}'
    done = run(GOOD + b"\n" + huge + b"\n\n" + GOOD.replace(b"good", b"four") + b"\n")
    err = done.stderr.decode()
    assert done.returncode == 1 and _ids(done) == ["good", "four"]
    assert f"line 2: longer than {MAX_LINE_BYTES:,} bytes: skipped" in err
    assert "line 3" not in err and "line 4" not in err and "Traceback" not in err


class _CountingStream(io.BytesIO):
    """Records the largest piece handed out, to show a long line is never held whole."""

    largest = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.largest = max(self.largest, len(line))
        return line


def test_read_lines_reads_past_a_long_line_in_pieces() -> None:
    stream = _CountingStream(b"short\n" + b"x" * 5000 + b"\nafter\nlast")
    lines = list(read_lines(stream, limit=100))
    assert lines == [(1, b"short\n"), (2, None), (3, b"after\n"), (4, b"last")]
    assert stream.largest <= 101
    exact = list(read_lines(io.BytesIO(b"y" * 100 + b"\n" + b"z" * 100), limit=100))
    assert exact == [(1, b"y" * 100 + b"\n"), (2, b"z" * 100)]
    assert list(read_lines(io.BytesIO(b"z" * 101), limit=100)) == [(1, None)]


def test_a_byte_order_mark_and_blank_lines_are_fine() -> None:
    done = run(b"\xef\xbb\xbf" + GOOD + b"\n\n   \n" + GOOD + b"\n")
    assert done.returncode == 0, done.stderr
    assert _ids(done) == ["good", "good"] and done.stderr == b""


def test_single_text_mode_refuses_invalid_utf8_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Sanctions on Russia: café".encode("latin-1"))
    done = subprocess.run(
        [sys.executable, "-m", "core", "analyze", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}: not UTF-8 text (byte 25)" in done.stderr


def test_main_in_process_with_a_binary_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(GOOD + b"\n\xff\xfe\n" + GOOD + b"\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["analyze", "--jsonl"]) == 1
    captured = capsys.readouterr()
    assert [_strict(line)["id"] for line in captured.out.splitlines()] == ["good", "good"]
    assert "line 2: not UTF-8 (byte 1)" in captured.err


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    lines = b"".join(GOOD + b"\n" for _ in range(400))
    done = subprocess.run(
        f"{sys.executable} -m core analyze --jsonl - | head -c 10",
        shell=True,
        input=lines,
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.stdout == b'{"id": "go'
    assert done.stderr == b"", done.stderr.decode()


def test_analyze_starts_without_storage_http_pandas_or_streamlit(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(GOOD + b"\n")
    heavy = ["sqlalchemy", "psycopg", "httpx", "feedparser", "trafilatura", "pandas", "tqdm"]
    heavy += ["streamlit", "plotly"]
    code = (
        "import contextlib, io, sys\n"
        "from core.commands.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['analyze', '--jsonl', {str(path)!r}]) == 0\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_analyze_of_english_skips_the_russian_reader_and_package_metadata(tmp_path: Path) -> None:
    """Start-up: English text needs neither the Russian reader nor importlib.metadata (the
    analyzer's version string reads the installed versions without it)."""
    path = tmp_path / "in.jsonl"
    line = {"id": 1, "title": "Kremlin says talks go on", "text": "The two sides met in Geneva."}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code = (
        "import contextlib, io, sys\n"
        "from core.commands.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['analyze', '--jsonl', {str(path)!r}]) == 0\n"
        "print(sorted({'core.analysis.russian', 'importlib.metadata'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
