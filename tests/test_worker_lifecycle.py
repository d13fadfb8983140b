"""Issue 13, item 5 (poller side): worker processes exit when the poller dies, and the poll
settings refuse worker counts that would hang or crash a round."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.ingest.poller import PollSettings
from core.models import FeedConfig
from core.storage import Store
from tests.fixtures_http import RSS_TYPE, FeedServer, Route, rss

REPO = Path(__file__).resolve().parents[1]
LINUX = Path("/proc/self/stat").exists()


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == parent:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition()` until it holds; fail after `seconds` (a bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_kill_9_of_the_poller_leaves_no_worker_process(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'orphans.db'}"
    configs = [
        FeedConfig(
            feed_server.add(
                f"/slow{i}",
                Route(
                    body=rss([(f"s{i}", f"Story {i}", "Moscow and Washington talked.")]),
                    delay=2.0,
                    headers={"Content-Type": RSS_TYPE},
                ),
            ),
            f"Outlet {i}",
            "wire",
        )
        for i in range(20)
    ]
    with Store.open(db) as store:
        store.sync_feeds(configs)
    poller = subprocess.Popen(
        [sys.executable, "-m", "core", "--db", db, "poll", "--once", "--no-sync",
         "--processes", "2", "--workers", "2"],
        cwd=REPO, env={**os.environ, "DETENTE_ALLOW_PRIVATE_NETWORKS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: len(children_of(poller.pid)) >= 2, 60, "worker processes started")
        wait_until(
            lambda: feed_server.hits["/slow0"] + feed_server.hits["/slow1"] > 0, 60, "mid-round"
        )
        children = children_of(poller.pid)
        assert poller.poll() is None, "the round ended before the kill"
    finally:
        poller.send_signal(signal.SIGKILL)
        poller.wait(timeout=30)
    wait_until(lambda: not any(alive(pid) for pid in children), 30, f"children {children} exited")


@pytest.mark.parametrize(
    ("field", "value"),
    [("workers", 0), ("workers", -3), ("processes", 0), ("processes", -1)],
)
def test_poll_settings_refuse_fewer_than_one_worker_or_process(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=f"{field} must be at least 1"):
        PollSettings(**{field: value})  # type: ignore[arg-type]
