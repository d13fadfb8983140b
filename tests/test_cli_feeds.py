"""`detente feeds`: one identity per feed (normalised URL), `add` refuses a listed URL unless
`--update`, hostile URLs and outlet names are refused with a message, and nothing printed shows
credentials or a control character from an older database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.commands.main import main
from core.models import FeedConfig
from core.storage import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'feeds.db'}"


def add(db: str, url: str, *extra: str, outlet: str = "Example", bloc: str = "us") -> int:
    return main(["--db", db, "feeds", "add", url, "--outlet", outlet, "--bloc", bloc, *extra])


def test_add_refuses_a_listed_url_unless_update(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(db, "https://example.org/rss") == 0
    assert add(db, "https://example.org/rss", outlet="Renamed", bloc="wire") == 2
    err = capsys.readouterr().err
    assert "https://example.org/rss is already listed (outlet Example, bloc us)" in err
    assert "nothing changed" in err and "--update" in err
    store = Store.open(db)
    row = store.get_feed("https://example.org/rss")
    assert row is not None and (row.outlet, row.bloc) == ("Example", "us")
    store.close()

    extra = ("--country", "gb", "--language", "EN", "--update")
    assert add(db, "https://example.org/rss", *extra, outlet="Renamed", bloc="wire") == 0
    assert "updated Renamed <https://example.org/rss> (wire)" in capsys.readouterr().out
    store = Store.open(db)
    row = store.get_feed("https://example.org/rss")
    assert row is not None
    assert (row.outlet, row.bloc, row.country, row.language) == ("Renamed", "wire", "GB", "en")
    assert len(store.list_feeds()) == 1
    store.close()


def test_update_of_a_new_url_adds_it(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(db, "https://example.org/new", "--update") == 0
    assert "added Example <https://example.org/new>" in capsys.readouterr().out


def test_feed_identity_ignores_scheme_and_host_case_and_fragments(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(db, "HTTPS://Example.ORG/Path/rss.xml#top") == 0
    assert "<https://example.org/Path/rss.xml>" in capsys.readouterr().out
    assert add(db, "https://example.org/Path/rss.xml") == 2  # the same feed
    assert "already listed" in capsys.readouterr().err
    assert add(db, "https://example.org/path/rss.xml") == 0  # paths keep their case
    assert main(["--db", db, "feeds", "disable", "https://EXAMPLE.org/Path/rss.xml#x"]) == 0
    assert "disabled https://example.org/Path/rss.xml" in capsys.readouterr().out
    assert main(["--db", db, "feeds", "remove", "Https://example.ORG/Path/rss.xml"]) == 0
    store = Store.open(db)
    assert [row.url for row in store.list_feeds()] == ["https://example.org/path/rss.xml"]
    store.close()


def test_a_feed_stored_before_normalisation_can_still_be_removed(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(db)
    store.add_feed(FeedConfig("https://Old.example/rss", "Old", "us"))  # as an older version did
    store.close()
    assert add(db, "https://Old.example/rss", outlet="Twice") == 2
    assert "is already listed (outlet Old" in capsys.readouterr().err
    assert add(db, "https://Old.example/rss", "--update", outlet="Renamed") == 0
    store = Store.open(db)
    assert [(r.url, r.outlet) for r in store.list_feeds()] == [
        ("https://Old.example/rss", "Renamed")
    ]
    store.close()
    assert main(["--db", db, "feeds", "enable", "https://Old.example/rss"]) == 0
    assert main(["--db", db, "feeds", "remove", "https://Old.example/rss"]) == 0
    assert "removed https://Old.example/rss" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "outlet", "message"),
    [
        ("https://example.org:99999/rss", "X", "port '99999' is not a number from 1 to 65535"),
        ("https://example.org:65536/rss", "X", "port '65536' is not a number from 1 to 65535"),
        ("https://example.org:0/rss", "X", "port '0' is not a number from 1 to 65535"),
        ("https://example.org:²/rss", "X", "port '²' is not a number from 1 to 65535"),
        ("https://user:secret@example.org/rss", "X", "url carries credentials (user:password@)"),
        (
            "https://exa mple.org/rss",
            "X",
            "contains whitespace or a control character at position 12",
        ),
        (
            "https://example.org/r\tss",
            "X",
            "contains whitespace or a control character at position 22",
        ),
        ("ftp://example.org/rss", "X", "is not an absolute http(s) URL"),
        ("javascript:alert(1)", "X", "is not an absolute http(s) URL"),
        ("http://[::1/rss", "X", "cannot be read as a URL (malformed host)"),
        ("https://example.org/rss", "Fake\nok line", "contains a newline or control character"),
        ("https://example.org/rss", "Bidi\u202eevil", "contains a newline or control character"),
        ("https://example.org/rss", "N" * 101, "outlet is longer than 100 characters"),
        ("https://example.org/rss", "   ", "outlet is empty"),
    ],
)
def test_add_refuses_hostile_input_with_a_message(
    db: str, url: str, outlet: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(db, url, outlet=outlet) == 2
    err = capsys.readouterr().err
    assert err.startswith("detente: cannot add ") and message in err
    assert "secret" not in err
    assert err.count("\n") == 1  # one line: a newline in the input is shown escaped


def test_an_over_long_url_is_refused_in_a_short_message(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(db, "https://example.org/" + "a" * 3000) == 2
    err = capsys.readouterr().err
    assert "url is longer than 2048 characters" in err and len(err) < 400


def test_hostile_input_never_shows_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    for url in ("http://x.org:99999/", "http://[::1", "https://u:p@x.org/", "http://x.org:1e9/"):
        # --bloc us comes last: the global option sits between the command's own options
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "core",
                "feeds",
                "add",
                url,
                "--outlet",
                "X",
                "--db",
                db,
                "--bloc",
                "us",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.startswith("detente: cannot add")


def test_list_masks_credentials_and_escapes_control_characters_from_an_older_database(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(db)  # written directly, as an older Détente without validation did
    store.add_feed(FeedConfig("https://reader:s3cret@example.org/rss", "Evil\nfake ok line", "us"))
    store.close()
    assert main(["--db", db, "feeds", "list"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out and "reader" not in out
    assert "https://***@example.org/rss" in out
    assert out.count("\n") == 1 and "Evil\\nfake ok line" in out
    assert main(["--db", db, "feeds", "disable", "https://reader:s3cret@example.org/rss"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out and "disabled https://***@example.org/rss" in out


def test_a_command_that_opens_a_database_starts_without_the_story_clustering(
    tmp_path: Path,
) -> None:
    """core/storage needs only core/stories/summary.py: datasketch (and the scipy.integrate it
    imports, ~0.3 s of CPU) loads only in processes that cluster stories."""
    code = (
        "import contextlib, io, sys\n"
        "from core.commands.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--db', 'sqlite:///{tmp_path / 'x.db'}', 'feeds', 'list']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'datasketch', 'scipy'}))\n"
        "from core.stories import StoryIndex\n"
        "print('datasketch' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "True"]
