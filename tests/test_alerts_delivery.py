"""Issue 12, item 3: alerts delivered through apprise to real loopback services — an SMTP server
(aiosmtpd) and an HTTP webhook — with hostile feed text escaped; refusals, 500s and timeouts
retried with backoff (an injected sleep: no test sleeps), recorded on the alert, retried on the
next round, and never raised into the poll round."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from core.alerts.delivery import AlertSettings, load_settings
from core.alerts.message import defuse
from core.alerts.runner import check_watches
from core.config import ConfigError
from core.models import Filters, Watch
from core.storage import Store
from tests.alert_fixtures import (
    HOSTILE,
    NOW,
    TODAY,
    SmtpSink,
    WebhookSink,
    baseline,
    fill_days,
    make_story,
)

WIRE = Watch("Wire <b>watch</b>", Filters(blocs=("wire",), relevant_only=False))


@pytest.fixture
def burst(sqlite_db: Store) -> Store:
    """A database where the wire watch fires one spike today, on hostile titles."""
    fill_days(sqlite_db, baseline())
    fill_days(sqlite_db, {TODAY: 30}, title=HOSTILE, prefix="hostile")
    sqlite_db.add_watch(WIRE)
    return sqlite_db


def settings(*urls: str, tries: int = 3) -> AlertSettings:
    return AlertSettings(
        urls=urls, dashboard_url="http://desk.example:8501", tries_per_round=tries, backoff=2.0
    )


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def assert_no_live_feed_markup(text: str) -> None:
    assert "<script" not in text and '<a href="http://evil' not in text
    assert "](http" not in text and "<http://evil" not in text
    assert "http://evil" not in text
    assert not any(line.lstrip().startswith(("=", "+", "@")) for line in text.splitlines())


def test_defuse_makes_hostile_text_inert() -> None:
    safe = defuse(HOSTILE)
    assert_no_live_feed_markup(safe)
    assert "‹script›" in safe and "http[:]//evil.example" in safe
    assert defuse('=HYPERLINK("x")').startswith("'=")


def test_the_alert_arrives_by_email_with_feed_text_escaped(
    burst: Store, smtp_sink: SmtpSink
) -> None:
    report = check_watches(burst, NOW, settings=settings(smtp_sink.url()), sleep=Sleeps())
    assert (len(report.fired), report.delivered, report.failed) == (1, 1, 0)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert "Wire" in str(message["Subject"]) and "volume spike" in str(message["Subject"])
    plain, rich = smtp_sink.bodies()
    for body in (plain, rich):
        assert "30 articles" in body
        assert_no_live_feed_markup(body)
    links = re.findall(r'href="([^"]+)"', rich)
    assert links and all(link.startswith("http://desk.example:8501/") for link in links)
    assert any("bloc=wire" in link for link in links)
    assert "&lt;b&gt;watch&lt;/b&gt;" in rich or "‹b›watch‹/b›" in rich
    alert = burst.recent_alerts()[0]
    assert alert.delivered_at == NOW and alert.attempts == 1 and alert.last_error is None


def test_the_alert_arrives_at_a_webhook_as_plain_text(burst: Store, webhook: WebhookSink) -> None:
    report = check_watches(burst, NOW, settings=settings(webhook.url()), sleep=Sleeps())
    assert report.delivered == 1 and len(webhook.bodies) == 1
    payload = json.loads(webhook.bodies[0])
    assert "volume spike" in payload["title"]
    assert "30 articles" in payload["message"]
    assert "http://desk.example:8501/?" in payload["message"]
    assert_no_live_feed_markup(payload["message"])


@pytest.fixture
def hostile_story(sqlite_db: Store) -> tuple[Store, int]:
    """A database where a watch fires a new story and a blindspot today, on a hostile headline
    (Russian state media only)."""
    members = [("TASS", "russian-state"), ("RT", "russian-state"), ("Sputnik", "russian-state")]
    story = make_story(sqlite_db, HOSTILE, members)
    sqlite_db.add_watch(Watch("State <i>media</i>", Filters(blocs=("russian-state",))))
    return sqlite_db, story


def test_a_story_alert_arrives_by_email_and_webhook_with_its_headline_escaped(
    hostile_story: tuple[Store, int], smtp_sink: SmtpSink, webhook: WebhookSink
) -> None:
    store, story = hostile_story
    urls = (smtp_sink.url(), webhook.url())
    report = check_watches(store, NOW, settings=settings(*urls), sleep=Sleeps())
    kinds = sorted(a.kind for a in store.recent_alerts(kinds=("new_story", "blindspot")))
    assert kinds == ["blindspot", "new_story"] and report.failed == 0
    subjects = [str(m["Subject"]) for m in smtp_sink.messages]
    assert any("blindspot" in s for s in subjects) and any("new story" in s for s in subjects)
    for plain, rich in (smtp_sink.bodies(i) for i in range(len(smtp_sink.messages))):
        for body in (plain, rich):
            assert f"Story {story}" in body and "TASS" in body
            assert_no_live_feed_markup(body)
        links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', rich)]
        assert f"http://desk.example:8501/Stories?bloc=russian-state&story={story}" in links
        assert all(link.startswith("http://desk.example:8501/") for link in links)
    spot = [json.loads(b) for b in webhook.bodies if "blindspot" in json.loads(b)["title"]]
    assert spot and "covered only by Russian state media" in spot[0]["message"]
    assert f"/Stories?bloc=russian-state&story={story}" in spot[0]["message"]
    for raw in webhook.bodies:
        assert_no_live_feed_markup(json.loads(raw)["message"])


def test_an_smtp_refusal_is_retried_with_backoff_then_on_the_next_round(
    burst: Store, smtp_sink: SmtpSink
) -> None:
    smtp_sink.refuse = True
    sleeps = Sleeps()
    report = check_watches(burst, NOW, settings=settings(smtp_sink.url()), sleep=sleeps)
    assert (len(report.fired), report.delivered, report.failed) == (1, 0, 1)
    assert smtp_sink.refused == 3 and sleeps == [2.0, 4.0]
    alert = burst.recent_alerts()[0]
    assert alert.attempts == 3 and alert.delivered_at is None
    assert alert.last_error and "mailto" in alert.last_error
    smtp_sink.refuse = False
    later = NOW + timedelta(minutes=15)
    again = check_watches(burst, later, settings=settings(smtp_sink.url()), sleep=sleeps)
    assert (again.fired, again.delivered) == ([], 1)
    assert len(smtp_sink.messages) == 1
    alert = burst.recent_alerts()[0]
    assert alert.attempts == 4 and alert.delivered_at == later and alert.last_error is None


def test_a_webhook_500_is_retried_and_recorded(burst: Store, webhook: WebhookSink) -> None:
    webhook.status = 500
    sleeps = Sleeps()
    report = check_watches(burst, NOW, settings=settings(webhook.url()), sleep=sleeps)
    assert report.failed == 1 and webhook.requests == 3 and sleeps == [2.0, 4.0]
    alert = burst.recent_alerts()[0]
    assert alert.attempts == 3 and alert.delivered_at is None and "500" in (alert.last_error or "")


def test_a_webhook_timeout_is_recorded_and_the_email_still_goes(
    burst: Store, webhook: WebhookSink, smtp_sink: SmtpSink
) -> None:
    webhook.hang = True
    urls = (webhook.url(timeout=0.3), smtp_sink.url())
    report = check_watches(burst, NOW, settings=settings(*urls, tries=2), sleep=Sleeps())
    assert report.failed == 1 and len(smtp_sink.messages) == 1
    alert = burst.recent_alerts()[0]
    assert alert.delivered_at is None and len(alert.delivered_to) == 1
    assert "json://" in (alert.last_error or "")
    webhook.hang = False
    again = check_watches(burst, NOW + timedelta(minutes=15), settings=settings(*urls))
    assert again.delivered == 1 and len(smtp_sink.messages) == 1  # the mail is not sent twice
    assert len(webhook.bodies) == 1


def test_alerts_are_listed_without_any_delivery(burst: Store) -> None:
    report = check_watches(burst, NOW, settings=AlertSettings())
    assert len(report.fired) == 1 and report.delivered == report.failed == 0
    assert burst.recent_alerts()[0].attempts == 0


def test_alerts_toml_is_validated_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text('version = "1"\n\n[[target]]\nurl = "nosuch://x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.toml:4: target 1: apprise cannot send"):
        load_settings(path, env={})
    path.write_text('version = "1"\nbrief_hour = 31\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.toml:2: `brief_hour`"):
        load_settings(path, env={})
    path.write_text('version = "1"\n[[target]]\nurl = "json://127.0.0.1/x"\n', encoding="utf-8")
    assert load_settings(path, env={}).urls == ("json://127.0.0.1/x",)
    env = {"DETENTE_ALERT_URLS": "form://127.0.0.1/a, json://127.0.0.1/b"}
    assert load_settings(path, env=env).urls == ("form://127.0.0.1/a", "json://127.0.0.1/b")


def test_the_versioned_alerts_toml_loads() -> None:
    assert load_settings(env={}).urls == ()


def test_the_daily_briefing_is_sent_once_past_its_hour(burst: Store, webhook: WebhookSink) -> None:
    hourly = dataclasses.replace(settings(webhook.url()), brief_hour=19)
    early = check_watches(burst, NOW, settings=hourly, sleep=Sleeps(), daily_briefing=True)
    assert not any(key.startswith("briefing:") for key in early.fired)
    late = NOW.replace(hour=20)
    report = check_watches(burst, late, settings=hourly, sleep=Sleeps(), daily_briefing=True)
    yesterday = TODAY - timedelta(days=1)
    assert report.fired == [f"briefing:{yesterday}"]
    briefings = [json.loads(body) for body in webhook.bodies if b"briefing" in body]
    assert len(briefings) == 1 and f"Détente briefing for {yesterday}" in briefings[0]["message"]
    again = check_watches(burst, late, settings=hourly, sleep=Sleeps(), daily_briefing=True)
    assert again.fired == [] and again.delivered == 0


def test_a_failing_target_is_tried_once_per_round_not_once_per_alert(
    sqlite_db: Store, webhook: WebhookSink
) -> None:
    """Many alerts and a dead webhook: the round's retries (and their sleeps) stay bounded."""
    fill_days(sqlite_db, baseline())
    fill_days(sqlite_db, {TODAY: 30}, prefix="burst")
    for n in range(5):
        sqlite_db.add_watch(Watch(f"Wire {n}", Filters(blocs=("wire",), relevant_only=False)))
    webhook.status = 500
    sleeps = Sleeps()
    report = check_watches(sqlite_db, NOW, settings=settings(webhook.url()), sleep=sleeps)
    assert (len(report.fired), report.failed) == (5, 5)
    assert webhook.requests == 3 and sleeps == [2.0, 4.0]
    errors = [a.last_error or "" for a in sqlite_db.recent_alerts()]
    assert sum("not tried again this round" in e for e in errors) == 4
    webhook.status = 200
    again = check_watches(sqlite_db, NOW + timedelta(minutes=15), settings=settings(webhook.url()))
    assert again.delivered == 5 and len(webhook.bodies) == 5
