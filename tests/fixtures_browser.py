"""The browser tests' fixtures (tests/test_browser*.py): one real `streamlit run app.py` on a
copy of the seeded database, started once for every browser test of the session rather than once
per module, and Debian's Chromium. With pytest-xdist (`--dist loadgroup`), every test marked
`browser` goes to one worker, so that worker starts the server once and the others never do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.seed import copy_seeded

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 120_000
"""How long a browser test waits for a page state (every click, read and wait, explicit or not;
Playwright's own default is 30 s): a bound, never a pause. On two cores the other xdist worker's
tests can hold a page's script run back for tens of seconds."""
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


BROWSER_MODULES = "tests/test_browser"
"""Where the tests marked `browser` live: the one group the xdist scheduler below keeps together."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the browser tests together on one xdist worker: mark them with their group (what
    xdist's `loadgroup` reads, up to pytest 9.1) and hold them to the modules the scheduler below
    groups by name."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            if not item.nodeid.startswith(BROWSER_MODULES):
                raise pytest.UsageError(f"{item.nodeid}: browser tests live in test_browser*.py")
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` with the browser modules as one group, by their names. xdist 3.8 tells
    its scheduler a test's group by appending it to the test's id, which pytest 9.2 no longer
    lets it change: without this the browser tests went to both workers, each starting a server
    and a Chromium of its own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    # pytest-xdist ships no type hints: its scheduler is untyped, so subclassing it is too.
    from xdist.scheduler import LoadGroupScheduling  # type: ignore[import-untyped]

    class BrowserGroupScheduling(LoadGroupScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(BROWSER_MODULES):
                return "browser"
            return str(super()._split_scope(nodeid))

    return BrowserGroupScheduling(config, log)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(process: subprocess.Popen[str], deadline_s: float, log: Path) -> None:
    """Readiness from the server's own words: it prints its URL once it listens. A reader thread
    drains stdout (so the pipe never fills) into `log`, the server's log for a failing test's
    report, and sets an event; we wait on it with a deadline."""
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        with log.open("a", encoding="utf-8") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if "URL:" in line:
                    ready.set()
        ready.set()  # the process ended: stop waiting, the check below tells why

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(deadline_s) or process.poll() is not None:
        process.kill()
        pytest.fail("streamlit run did not start serving")


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path
) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("browser")
    db = copy_seeded(seeded_template, folder / "seeded.db")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "DETENTE_DB": db, "DETENTE_DASHBOARD_WRITES": "1"},  # "Watch this view"
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_serving(process, 90, folder / "streamlit.log")
    base = f"http://127.0.0.1:{port}"
    assert httpx.get(f"{base}/_stcore/health", timeout=10).text == "ok"
    try:
        yield base, db
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: Playwright's sync API holds an event loop of its own while it runs, which
    the asyncio tests that follow in this process should not meet."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (make test does)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.console = []  # for a failure's record (tests/test_browser.py download())
    tab.on("console", lambda message: tab.console.append(f"{message.type}: {message.text}"))
    yield tab
    assert tab.dialogs == [], "a dialog fired"
    context.close()
