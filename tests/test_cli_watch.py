"""Issue 12 through the CLI: `detente watch add|list|remove|check`, `detente brief` to stdout,
Markdown and HTML, `brief --send` to a loopback SMTP server, and the check after a poll round
(which never stops polling)."""

from __future__ import annotations

from pathlib import Path

import pytest

import core.commands.watch as watch_command
from core.commands.main import main
from core.models import Filters
from core.storage import Store
from tests.alert_fixtures import HOSTILE, TODAY, SmtpSink, baseline, fill_days, make_story

US = [("The New York Times", "us"), ("Politico", "us")]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DETENTE_DB", url)
    monkeypatch.setenv("DETENTE_ALERTS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("DETENTE_ALERT_URLS", raising=False)
    with Store.open(url) as store:
        fill_days(store, baseline())
        fill_days(store, {TODAY: 30}, title=HOSTILE, prefix="hostile")
    return url


def test_watch_add_list_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["watch", "add", "Sanctions desk", "--theme", "sanctions", "--bloc", "us,wire"]
    assert main([*args, "--q", "talks", "--tone=-1,0", "--sensitivity", "high"]) == 0
    assert main(["watch", "add", "Sanctions desk"]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["watch", "add", "Bad", "--bloc", "martian"]) == 2
    with Store.open(db) as store:
        (saved,) = store.list_watches()
    assert saved.filters == Filters(
        themes=("sanctions",), blocs=("us", "wire"), query="talks", tone_max=0.0
    )
    assert saved.sensitivity == "high"
    capsys.readouterr()
    assert main(["watch", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Sanctions desk\thigh\tbloc us,wire; theme sanctions; text 'talks'" in listed
    assert main(["watch", "remove", "Sanctions desk"]) == 0
    assert main(["watch", "remove", "Sanctions desk"]) == 2


def test_watch_check_records_the_spike_once(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "add", "Wire", "--bloc", "wire", "--all"]) == 0
    with Store.open(db) as store:  # the constructed data ends on TODAY: check as of then
        from datetime import UTC, datetime, time

        from core.alerts.runner import check_watches

        now = datetime.combine(TODAY, time(20), UTC)
        assert len(check_watches(store, now).fired) == 1
        assert check_watches(store, now).fired == []
        assert [a.kind for a in store.recent_alerts()] == ["volume_spike"]


def test_brief_to_stdout_markdown_and_html(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", "--date", str(TODAY)]) == 0
    text = capsys.readouterr().out
    assert f"Détente briefing for {TODAY}" in text and "- wire:" in text
    assert "<script" not in text and "http://evil" not in text
    md = tmp_path / "brief.md"
    assert main(["brief", "--date", str(TODAY), "--out", str(md)]) == 0
    written = md.read_text(encoding="utf-8")
    assert written.startswith(f"# Détente briefing for {TODAY}")
    assert "](http://evil" not in written and "<script" not in written
    page = tmp_path / "brief.html"
    assert main(["brief", "--date", str(TODAY), "--out", str(page), "--no-images"]) == 0
    html = page.read_text(encoding="utf-8")
    assert "&lt;script" not in html or "<script" not in html.replace("&lt;script", "")
    assert "<script" not in html and 'href="http://evil' not in html
    assert "could not be drawn as an image" in html and "<table>" in html
    assert main(["brief", "--out", str(tmp_path / "brief.txt")]) == 2


def test_brief_names_the_top_stories_per_bloc_and_the_blindspots(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [("TASS", "russian-state"), ("RT", "russian-state"), ("Sputnik", "russian-state")]
    with Store.open(db) as store:
        spot = make_story(store, f"State: {HOSTILE}", members)  # (the wire holds HOSTILE)
        both = make_story(store, "Geneva talks resume", [("TASS", "russian-state"), *US])
    assert main(["brief", "--date", str(TODAY)]) == 0
    text = capsys.readouterr().out
    stories = text.split("Top stories per bloc")[1].split("Unusual days")[0]
    assert "russian-state:" in stories and "us:" in stories
    assert f"/Stories?story={both}" in stories and f"/Stories?story={spot}" in stories
    blind = stories.split("Blindspots")[1]
    assert "covered only by Russian state media" in blind and f"story={both}" not in blind
    assert "<script" not in text and "http://evil" not in text
    page = tmp_path / "brief.html"
    assert main(["brief", "--date", str(TODAY), "--out", str(page), "--no-images"]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<h2>Blindspots</h2>" in html and f"/Stories?story={spot}" in html
    assert "<script" not in html and 'href="http://evil' not in html


def test_brief_send_reaches_the_smtp_server(
    db: str, smtp_sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["brief", "--date", str(TODAY), "--send"]) == 2  # no alert URL configured
    monkeypatch.setenv("DETENTE_ALERT_URLS", smtp_sink.url())
    assert main(["brief", "--date", str(TODAY), "--send"]) == 0
    (message,) = smtp_sink.messages
    assert f"briefing for {TODAY}" in str(message["Subject"])
    plain, rich = smtp_sink.bodies()
    assert "wire" in plain and "<h1>Détente briefing" in rich
    assert "<script" not in plain and "http://evil" not in plain
    assert "<script" not in rich and 'href="http://evil' not in rich


def test_an_alert_failure_after_a_round_never_stops_polling(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("delivery exploded")

    monkeypatch.setattr("core.alerts.runner.check_watches", broken)
    with Store.open(db) as store:
        watch_command.after_round(store, daily_briefing=True)  # returns normally
    assert "alerts: RuntimeError: delivery exploded" in capsys.readouterr().err


def test_poll_checks_the_watches_after_its_round(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["watch", "add", "Wire", "--bloc", "wire"]) == 0
    capsys.readouterr()
    assert main(["poll", "--once", "--no-sync"]) == 0
    out = capsys.readouterr().out
    assert "watches: 1 checked, 0 alert(s) fired" in out
    assert "skipped" not in out  # volume, tone, relations and stories: all read
