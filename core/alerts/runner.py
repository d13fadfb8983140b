"""After a poll round: check every watch, record what fired (once per watch, kind and day, with
its evidence), and deliver what is not delivered yet. `check_watches(store, now)` is the one
call the poller makes; it never raises for a failed delivery.

One read takes the coverage gaps of every feed, a few the articles of the checked span
(core/storage/watch_window.py); the watches are then counted in memory, once per distinct set of
filters, and judged once per filters and sensitivity (a check judges a watch by these alone:
its name only labels the alert), and the articles behind an alert chosen; the new alerts are
recorded in one write. The result is the same as counting and judging each watch with its own
queries (tests/test_alerts_grouped.py)."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from core.alerts.checks import CHECKS, KIND_LABELS, Check, WatchDays
from core.alerts.delivery import AlertSettings, deliver, load_settings
from core.alerts.message import Message, alert_message, dashboard_link, story_link
from core.alerts.rules import BASELINE_DAYS, DayCounts, Finding
from core.collector import collector_paused
from core.models import Filters, Watch

EVIDENCE_ARTICLES = 10
RETRY_WITHIN = timedelta(days=3)
RelationsDays = Callable[[], Mapping[date, tuple[float, int]]]
"""Undelivered alerts older than this are no longer retried (their error stays recorded)."""


@dataclass
class CheckReport:
    """What a round of checks did."""

    watches: int = 0
    fired: list[str] = field(default_factory=list)
    """Keys of the alerts recorded this round."""
    delivered: int = 0
    failed: int = 0
    skipped_checks: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        skipped = f"; skipped (no reading yet): {', '.join(self.skipped_checks)}" * bool(
            self.skipped_checks
        )
        return (
            f"watches: {self.watches} checked, {len(self.fired)} alert(s) fired, "
            f"{self.delivered} delivered, {self.failed} failed{skipped}"
        )


def gap_days(gaps: pd.DataFrame, until: date) -> dict[tuple[str, str], set[date]]:
    """(outlet, bloc) → the days one of its feeds was in a coverage gap (to `until` at most)."""
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    for row in gaps.itertuples(index=False):
        first, last = row.start.date(), min(row.end.date(), until)
        while first <= last:
            days[(row.outlet, row.bloc)].add(first)
            first += timedelta(days=1)
    return days


def watch_gaps(f: Filters, gaps: dict[tuple[str, str], set[date]]) -> set[date]:
    """The gap days of the feeds a watch reads (all feeds when it names no outlet or bloc)."""
    found: set[date] = set()
    for (outlet, bloc), days in gaps.items():
        if (not f.outlets or outlet in f.outlets) and (not f.blocs or bloc in f.blocs):
            found |= days
    return found


def alert_key(watch: Watch, finding: Finding) -> str:
    """Once per watch, kind and day; a story alert once per watch, kind and story."""
    if "story_id" in finding.figures:
        return f"{watch.id}:{watch.name}:{finding.kind}:story-{int(finding.figures['story_id'])}"
    return f"{watch.id}:{watch.name}:{finding.kind}:{finding.day.isoformat()}"


def evidence(window: Any, watch: Watch, finding: Finding, base: str) -> dict[str, Any]:
    """The alert's record: figures, the dashboard view, and the articles behind it (the most
    relevant of the day under the watch's filters)."""
    day = finding.day
    undated = dataclasses.replace(watch.filters, date_from=None, date_to=None)
    articles = window.articles(undated, day, EVIDENCE_ARTICLES)
    return {
        "kind_label": KIND_LABELS.get(finding.kind, finding.kind),
        "figures": dict(finding.figures),
        "sensitivity": watch.sensitivity,
        "link": dashboard_link(base, watch.filters, day),
        "articles": articles,
        "article_ids": [a["id"] for a in articles],
    }


def story_articles(store: Any, story_id: int) -> list[dict[str, Any]]:
    """A story's first independent reports, then its copies (EVIDENCE_ARTICLES at most)."""
    detail = store.get_story(story_id)
    if detail is None:
        return []
    members = detail.members.assign(copy=detail.members["copy_of"].notna())
    members = members.sort_values(["copy", "published", "id"], kind="stable")
    return [
        {"id": int(r.id), "title": r.title, "outlet": r.outlet, "bloc": r.bloc}
        for r in members.head(EVIDENCE_ARTICLES).itertuples(index=False)
    ]


def story_evidence(
    store: Any,
    watch: Watch,
    finding: Finding,
    base: str,
    articles_of: Callable[[int], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """A story alert's record: the story's figures (id, headline, outlets, articles per bloc),
    its view on the Stories page under the watch's filters, and its first independent reports
    (then its copies): `articles_of(story_id)`, which a round reads once per story however
    many watches it alerts."""
    story_id = int(finding.figures["story_id"])
    chosen = list((articles_of or functools.partial(story_articles, store))(story_id))
    return {
        "kind_label": KIND_LABELS.get(finding.kind, finding.kind),
        "figures": dict(finding.figures),
        "sensitivity": watch.sensitivity,
        "link": story_link(base, watch.filters, story_id),
        "story_id": story_id,
        "articles": chosen,
        "article_ids": [a["id"] for a in chosen],
    }


def run_checks(
    store: Any, now: datetime, checks: Sequence[Check] = CHECKS, base: str = ""
) -> CheckReport:
    """Check every watch and record the alerts that fire (no delivery), in one write."""
    with collector_paused():
        return _run_checks(store, now, checks, base)


def _run_checks(store: Any, now: datetime, checks: Sequence[Check], base: str) -> CheckReport:
    report = CheckReport()
    today = now.date()
    start = today - timedelta(days=BASELINE_DAYS + 1)
    usable = [c for c in checks if c.available(store)]
    report.skipped_checks = [c.name for c in checks if c not in usable]
    watches = store.list_watches()
    report.watches = len(watches)
    if not watches:
        return report
    gaps = gap_days(store.coverage_gaps(Filters(date_from=start, relevant_only=False)), today)
    window = store.watch_window(start, today)  # one read for every watch
    fired_before = store.alert_keys(start)
    stories = (  # one read of today's stories for every watch
        store.stories_of_day(today)
        if any(c.name == "stories" for c in usable) and hasattr(store, "stories_of_day")
        else None
    )
    found = []
    articles_of = functools.cache(functools.partial(story_articles, store))
    memo: dict[Hashable, Any] = {}  # what checks share across watches (WatchDays.shared)
    shared: dict[Filters, tuple[dict[date, DayCounts], set[date], RelationsDays]] = {}
    judged: dict[tuple[Filters, str], list[Finding]] = {}
    for watch in watches:
        undated = dataclasses.replace(watch.filters, date_from=None, date_to=None)
        if undated not in shared:
            counts = window.daily_counts(undated)
            shared[undated] = (
                {day: DayCounts(*figures) for day, figures in counts.items()},
                watch_gaps(undated, gaps),
                functools.cache(functools.partial(window.relations_by_day, undated)),
            )
        view = (undated, watch.sensitivity)  # all a check judges a watch by
        if view not in judged:
            days = WatchDays(watch, *shared[undated][:2], today, shared[undated][2], stories, memo)
            judged[view] = [finding for check in usable for finding in check.run(store, days)]
        for finding in judged[view]:
            key = alert_key(watch, finding)
            if key in fired_before:
                continue  # fired on an earlier round
            fired_before.add(key)
            if "story_id" in finding.figures:
                detail = story_evidence(store, watch, finding, base, articles_of)
            else:
                detail = evidence(window, watch, finding, base)
            found.append((key, watch.name, finding.kind, finding.day, finding.summary, detail))
    if found:
        report.fired = store.record_alerts(found, now)
    return report


MessageFor = Callable[[Any], Message | None]


def deliver_pending(
    store: Any,
    now: datetime,
    settings: AlertSettings,
    *,
    sleep: Callable[[float], None] = time.sleep,
    message_for: MessageFor | None = None,
) -> tuple[int, int]:
    """Deliver every recorded alert not yet delivered everywhere (recent, with attempts left);
    returns (delivered, failed). Each outcome is recorded on the alert."""
    if not settings.urls:
        return 0, 0
    delivered = failed = 0
    failing: dict[str, str] = {}  # URLs that failed every try this round
    for alert in store.undelivered_alerts(settings.max_attempts):
        if alert.fired_at < now - RETRY_WITHIN:
            continue
        message = (message_for(alert) if message_for else None) or alert_message(
            alert.watch, alert.summary, alert.detail, settings.dashboard_url
        )
        result = deliver(
            message, settings.urls, settings, done=alert.delivered_to, sleep=sleep, failing=failing
        )
        complete = result.error is None
        store.record_delivery(
            alert.id,
            attempts=alert.attempts + result.attempts,
            error=result.error,
            delivered_to=tuple(result.delivered),
            delivered_at=now if complete else None,
        )
        delivered += complete
        failed += not complete
    return delivered, failed


BRIEFING = "(daily briefing)"


def schedule_briefing(store: Any, now: datetime, settings: AlertSettings) -> bool:
    """Record yesterday's briefing for delivery once, on the first round past the configured
    hour (only when delivery is configured); it then goes out like an alert, with retries."""
    if not settings.urls or now.hour < settings.brief_hour:
        return False
    day = now.date() - timedelta(days=1)
    return bool(
        store.record_alert(
            f"briefing:{day.isoformat()}", BRIEFING, "briefing", day,
            f"Daily briefing for {day}", {"kind_label": "daily briefing"}, now,
        )
    )  # fmt: skip


def briefing_messages(store: Any, base: str) -> MessageFor:
    """Messages of recorded briefings, built when they are sent (other alerts: None)."""

    def message_for(alert: Any) -> Message | None:
        if alert.kind != "briefing":
            return None
        from core.alerts.briefing import briefing_message, build_briefing

        built = build_briefing(store, alert.day)
        return briefing_message(built, base) if built is not None else None

    return message_for


def check_watches(
    store: Any,
    now: datetime,
    *,
    settings: AlertSettings | None = None,
    sleep: Callable[[float], None] = time.sleep,
    message_for: MessageFor | None = None,
    daily_briefing: bool = False,
) -> CheckReport:
    """The call after each poll round: check the watches, record new alerts, deliver (and,
    with `daily_briefing`, send the day's briefing once past settings.brief_hour)."""
    started = time.perf_counter()
    settings = settings or load_settings()
    report = run_checks(store, now, base=settings.dashboard_url)
    if daily_briefing and schedule_briefing(store, now, settings):
        report.fired.append(f"briefing:{now.date() - timedelta(days=1)}")
    report.delivered, report.failed = deliver_pending(
        store,
        now,
        settings,
        sleep=sleep,
        message_for=message_for or briefing_messages(store, settings.dashboard_url),
    )
    report.seconds = time.perf_counter() - started
    return report
