"""Operators' mistakes get one line and an exit status, never a traceback: `export --out` to a
folder, a missing folder or a closed pipe; out-of-range `--workers`, `--processes`, `--every`;
a database the storage layer refuses; and `poll --every` outlives a round that raises."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.commands import poll as poll_command
from core.commands.common import parse_duration
from core.commands.main import main
from core.ingest import poller
from core.storage import SchemaTooNew, StorageError, Store
from tests.seed import copy_seeded

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, shell_tail: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "core", *args]
    if shell_tail:
        return subprocess.run(
            " ".join(command) + shell_tail,
            shell=True,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    """A copy of the session's seeded database (the demo corpus and more, tests/seed.py): the
    exports below only need articles, not another load of the demo corpus (~3 s of CPU)."""
    return copy_seeded(seeded_template, tmp_path_factory.mktemp("demo") / "demo.db")


# --- export --out -------------------------------------------------------------------------------


def test_export_into_a_folder_is_refused(demo_db: str, tmp_path: Path) -> None:
    done = run("export", "--db", demo_db, "--out", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == (
        f"detente: cannot write {tmp_path}: it is a folder; name a file, e.g. {tmp_path}/x.csv\n"
    )


def test_export_into_a_missing_folder_is_refused(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "articles.csv"
    done = run("export", "--db", demo_db, "--out", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == (
        f"detente: cannot write {out}: the folder {tmp_path / 'missing'} does not exist\n"
    )
    assert not out.parent.exists()


def test_export_to_an_unwritable_place_is_a_message(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--db", demo_db, "--out", "/proc/detente.csv"]) == 2
    assert capsys.readouterr().err.startswith("detente: cannot write /proc/detente.csv: ")


@pytest.mark.parametrize("what", ["articles", "daily"])
def test_export_into_a_closed_pipe_ends_quietly(demo_db: str, what: str) -> None:
    done = run(
        "export", "--db", demo_db, "--what", what, "--all", "--out", "-", shell_tail=" | head -1"
    )
    assert done.stderr == "" and done.returncode == 0  # the shell reports head's status
    assert done.stdout.startswith("id," if what == "articles" else "date,")
    assert done.stdout.count("\n") == 1


def test_a_closed_pipe_exits_141_like_unix_tools(demo_db: str) -> None:
    command = [sys.executable, "-m", "core", "export", "--db", demo_db, "--all", "--out", "-"]
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
        assert p.stdout is not None and p.stderr is not None
        assert p.stdout.read(3) == b"id,"
        p.stdout.close()  # the reader goes away with ~100 KB still to come
        assert p.wait(timeout=120) == 141
        assert p.stderr.read() == b""


# --- option values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "argument --workers: must be a whole number from 1 to 256, not '0'"),
        (["--workers", "-4"], "argument --workers: must be a whole number from 1 to 256, not '-4'"),
        (["--workers", "257"], "must be a whole number from 1 to 256, not '257'"),
        (["--workers", "x"], "must be a whole number from 1 to 256, not 'x'"),
        (["--workers", "9" * 40], "must be a whole number from 1 to 256"),
        (["--processes", "0"], "argument --processes: must be a whole number from 1 to 64"),
        (["--processes", "1000"], "argument --processes: must be a whole number from 1 to 64"),
        (["--every", "99999999999d"], "'99999999999d' is out of range: from 1s to 7d"),
        (["--every", "8d"], "'8d' is out of range: from 1s to 7d"),
        (["--every", "0.5s"], "'0.5s' is out of range: from 1s to 7d"),
        (["--every", "0"], "argument --every: not a duration: '0'"),
        (["--every=-5m"], "argument --every: not a duration: '-5m'"),
        (["--every", "inf"], "argument --every: not a duration: 'inf'"),
        (["--every", "9" * 400 + "d"], "argument --every: not a duration"),
    ],
)
def test_poll_option_values_are_checked_by_the_parser(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["poll", *args])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: detente poll") and message in err


def test_poll_workers_zero_is_refused_in_a_real_process_without_hanging(tmp_path: Path) -> None:
    done = run("poll", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--no-sync", "--workers", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "argument --workers: must be a whole number from 1 to 256, not '0'" in done.stderr


def test_durations_in_range() -> None:
    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("1s") == timedelta(seconds=1)
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("90") == timedelta(seconds=90)


# --- storage errors -----------------------------------------------------------------------------


def test_a_storage_error_on_open_is_one_line_naming_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(cls: type[Store], url: str | None = None) -> Store:
        raise SchemaTooNew("the schema is version 99, newer than this Détente (upgrade it)")

    monkeypatch.setattr(Store, "open", classmethod(refuse))
    db = "postgresql+psycopg://reader:hunter2@db.example/desk"
    assert main(["feeds", "list", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err == (
        "detente: database postgresql+psycopg://reader:***@db.example/desk: the schema is "
        "version 99, newer than this Détente (upgrade it)\n"
    )


def test_a_storage_error_during_a_command_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'full.db'}"

    def full(self: Store) -> list[Any]:
        raise StorageError(f"database {db}: disk full\n(sqlite3.OperationalError) ...")

    monkeypatch.setattr(Store, "list_feeds", full)
    assert main(["--db", db, "feeds", "list"]) == 2
    assert capsys.readouterr().err == f"detente: database {db}: disk full\n"


def test_a_corrupt_database_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"not a database at all " * 1000)
    done = run("--db", f"sqlite:///{path}", "feeds", "list")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(path) in done.stderr and done.stderr.count("\n") == 1


# --- poll --every -------------------------------------------------------------------------------


def test_poll_every_survives_a_round_that_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rounds: list[int] = []
    waits: list[float] = []

    def flaky_round(*args: Any, **kwargs: Any) -> poller.RoundSummary:
        rounds.append(len(rounds) + 1)
        if len(rounds) == 1:
            raise ValueError("Invalid IPv6 URL in https://u:secret@[::1")
        if len(rounds) == 2:
            raise RuntimeError("database is locked")
        if len(rounds) == 3:
            return poller.RoundSummary(reports=(), elapsed=0.1)
        raise KeyboardInterrupt

    monkeypatch.setattr(poller, "poll_once", flaky_round)
    monkeypatch.setattr(poll_command, "wait", waits.append)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["poll", "--db", db, "--no-sync", "--every", "15m"]) == 130
    captured = capsys.readouterr()
    assert rounds == [1, 2, 3, 4] and waits == [900.0, 900.0, 900.0]
    assert "round failed: ValueError: Invalid IPv6 URL in https://***@[::1" in captured.err
    assert "round failed: RuntimeError: database is locked" in captured.err
    assert "secret" not in captured.err + captured.out
    assert "0 feeds in 0.1 s" in captured.out and captured.out.count("next round in 0:15:00") == 3


def test_poll_once_lets_a_broken_round_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> poller.RoundSummary:
        raise RuntimeError("bug")

    monkeypatch.setattr(poller, "poll_once", broken)
    with pytest.raises(RuntimeError, match="bug"):
        main(["poll", "--db", f"sqlite:///{tmp_path / 'p.db'}", "--no-sync", "--once"])


def test_poll_lines_never_show_credentials_or_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = poller.FeedReport(
        feed_id=1,
        outlet="Evil\nnew   Fake <https://fake/>: 9 new",
        url="https://reader:s3cret@example.org/rss",
        outcome="failed",
        error="connect to https://reader:s3cret@example.org failed",
    )

    def one_round(*args: Any, on_claimed: Any, on_report: Any, **kwargs: Any) -> Any:
        on_claimed(1)
        on_report(report)
        return poller.RoundSummary(reports=(report,), elapsed=0.2)

    monkeypatch.setattr(poller, "poll_once", one_round)
    assert main(["poll", "--db", f"sqlite:///{tmp_path / 'p.db'}", "--no-sync"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out and "reader" not in out
    lines = out.splitlines()
    assert lines[0] == (
        "failed    Evil\\nnew   Fake <https://fake/>: 9 new <https://***@example.org/rss>: "
        "connect to https://***@example.org failed"
    )
    assert lines[1].startswith("1 feeds in 0.2 s")
