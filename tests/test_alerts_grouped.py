"""The grouped check of many watches (core/alerts/runner.py over core/storage/watch_window.py:
one in-memory window, counts shared by watches with the same filters, findings by watches with
the same filters and sensitivity) gives exactly what checking each watch on its own with the
store's reads gives: the same daily counts and relations events for every watch's filters, and
the same alerts with the same figures and evidence. Seeded synthetic articles (every filter
kind: outlet, bloc, language, theme central or mentioned, event category, actor, text, tone),
with a burst and a feed outage, on real SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Hashable
from datetime import timedelta
from typing import Any

from core.alerts.checks import CHECKS, RelationsShiftCheck, StoryCheck, WatchDays
from core.alerts.delivery import AlertSettings
from core.alerts.rules import BASELINE_DAYS, DayCounts
from core.alerts.runner import (
    EVIDENCE_ARTICLES,
    alert_key,
    check_watches,
    gap_days,
    story_articles,
    watch_gaps,
)
from core.ingest.stories import rebuild
from core.models import BLOCS, AnalyzedArticle, Filters, Sensitivity, Watch
from core.storage import Store
from tests.alert_fixtures import NOW, TODAY, record_outage
from tests.fixtures_db import analysed
from tests.synthetic import ACTORS, EVENTS, OUTLETS, THEMES, fill_synthetic

START = TODAY - timedelta(days=BASELINE_DAYS + 1)
EDGES = [
    Filters(),
    Filters(relevant_only=False),
    Filters(query="!!!", relevant_only=False),  # no words: no text filter
    Filters(query="nothing-matches-this"),
    Filters(query='"arms control" talks*'),
    Filters(outlets=("No Such Outlet",)),
    Filters(actors=("Nobody",)),
    Filters(languages=("de",)),
    Filters(languages=("ru", "fr"), relevant_only=False),
    Filters(languages=("en",), blocs=("russian-state",)),
    Filters(event_categories=("verbal_conflict",)),
    Filters(event_categories=("praise", "expel"), blocs=("us", "wire")),
    Filters(themes=("sanctions", "diplomacy"), mentions=True),
    Filters(themes=("sanctions",), mentions=True, relevant_only=False),
    Filters(tone_min=-1.0, tone_max=-0.3),
    Filters(tone_min=0.0, tone_max=1.0, actors=("Vladimir Putin",)),
    Filters(outlets=("TASS",), blocs=("us",)),
    Filters(blocs=("wire",), relevant_only=False),
    Filters(outlets=("Mixed Wire",), relevant_only=False),
    Filters(outlets=("Steady Wire",)),
]


def watch_filters(n: int, seed: int = 3) -> list[Filters]:
    """Filters of every kind, alone and combined, and the edge cases above."""
    rng = random.Random(seed)
    themes, outlets = list(THEMES), [o for o, _, _, _ in OUTLETS]
    actors = [a for a, _, _ in ACTORS]
    kinds = sorted({c for c, *_ in EVENTS} | {q for _, q, *_ in EVENTS})
    texts = ["sanctions", "talks", "summit", "ceasefire", "prisoner swap", "drone*", "oil"]
    parts: list[Any] = [
        lambda: {"blocs": tuple(rng.sample(BLOCS, rng.choice((1, 2))))},
        lambda: {"outlets": tuple(rng.sample(outlets, rng.choice((1, 2))))},
        lambda: {"themes": tuple(rng.sample(themes, rng.choice((1, 2)))),
                 "mentions": rng.random() < 0.4},
        lambda: {"actors": tuple(rng.sample(actors, rng.choice((1, 2))))},
        lambda: {"query": rng.choice(texts)},
        lambda: {"languages": (rng.choice(("ru", "fr", "en")),)},
        lambda: {"event_categories": (rng.choice(kinds),)},
        lambda: {"tone_min": -1.0, "tone_max": rng.choice((-0.2, 0.0, 0.3))},
    ]  # fmt: skip
    made = list(EDGES)
    while len(made) < n:
        values: dict[str, Any] = {"relevant_only": rng.random() < 0.8}
        for part in rng.sample(parts, rng.choice((1, 1, 2, 3))):
            values.update(part())
        made.append(Filters(**values))
    return made


def seeded(store: Store) -> list[Watch]:
    """Synthetic articles over the checked days, a burst today, an outlet silent yesterday, an
    outlet whose articles are in two languages on the same days, a feed outage; and watches
    over them at each sensitivity."""
    fill_synthetic(store, 1800, seed=5, days=BASELINE_DAYS + 4, end=TODAY)
    burst = [
        analysed(f"burst-{n}", outlet="Reuters", bloc="wire", day=TODAY, hour=1 + n % 12,
                 title="Sanctions talks collapse", themes={"sanctions": ["sanctions"]},
                 actors=[("Vladimir Putin", "russia")], tone=-0.6)
        for n in range(40)
    ]  # fmt: skip
    mixed = [
        analysed(f"mixed-{n}", outlet="Mixed Wire", bloc="wire", day=TODAY - timedelta(days=n % 9),
                 lang=("en", "ru")[n % 2], tone=None if n % 2 else 0.2, relevance=0.9)
        for n in range(30)
    ]  # fmt: skip
    steady = [
        analysed(f"steady-{day}-{n}", outlet="Steady Wire", bloc="wire", day=TODAY - timedelta(day))
        for day in (0, *range(2, BASELINE_DAYS + 2))
        for n in range(12)
    ]
    store.save_articles(burst + mixed + steady + [passing(n) for n in range(60)])
    record_outage(store, "Reuters", "wire", TODAY - timedelta(days=3))
    sensitivities: tuple[Sensitivity, ...] = ("low", "normal", "high")
    return [
        Watch(f"watch {i:03d}", f, sensitivities[i % 3]) for i, f in enumerate(watch_filters(100))
    ]


def passing(n: int) -> AnalyzedArticle:
    """An article where one of its two themes is central and the other a passing mention."""
    item = analysed(
        f"passing-{n}", outlet="BBC News", bloc="european", day=TODAY - timedelta(days=n % 16),
        themes={"sanctions": ["sanctions"], "diplomacy": ["talks"]}, tone=(n % 5 - 2) / 5,
    )  # fmt: skip
    central, passing = ("sanctions", "diplomacy")[:: 1 if n % 3 else -1]
    analysis = dataclasses.replace(
        item.analysis, theme_salience=((central, 0.9), (passing, 0.1)), central_themes=(central,)
    )
    return dataclasses.replace(item, analysis=analysis)


def rounded(per_day: dict[Any, tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    return {
        day: tuple(round(v, 9) if isinstance(v, float) else v for v in values)
        for day, values in per_day.items()
        if values[-1] or values[0]
    }


def test_the_window_counts_every_watch_as_its_own_reads(fresh_db: Store) -> None:
    watches = seeded(fresh_db)
    window = fresh_db.watch_window(START, TODAY)
    for f in {w.filters for w in watches}:
        frame = fresh_db.daily_counts(f, START, TODAY)
        expected = {
            r.day: (int(r.articles), float(r.tone_sum), int(r.tone_count))
            for r in frame.itertuples(index=False)
            if r.articles
        }
        assert rounded(window.daily_counts(f)) == rounded(expected), f
        alone = WatchDays(Watch("alone", f), {}, set(), TODAY)
        checked = {d: v for d, v in window.relations_by_day(f).items() if d > START}
        assert rounded(checked) == rounded(RelationsShiftCheck.read(fresh_db, alone)), f


def per_watch_alerts(store: Store, watches: list[Watch]) -> dict[str, tuple[Any, ...]]:
    """The alerts each watch gives when checked alone with the store's reads."""
    usable = [check for check in CHECKS if check.available(store)]
    gaps = gap_days(store.coverage_gaps(Filters(date_from=START, relevant_only=False)), TODAY)
    alerts = {}
    for watch in store.list_watches():
        counts = store.daily_counts(watch.filters, START, TODAY)
        days = WatchDays(
            watch,
            {r.day: DayCounts(int(r.articles), float(r.tone_sum), int(r.tone_count))
             for r in counts.itertuples(index=False)},
            watch_gaps(watch.filters, gaps),
            TODAY,
        )  # fmt: skip
        for check in usable:
            for finding in check.run(store, days):
                on_day = dataclasses.replace(
                    watch.filters, date_from=finding.day, date_to=finding.day
                )
                listed = store.list_articles(on_day, limit=EVIDENCE_ARTICLES, sort="relevance")
                alerts[alert_key(watch, finding)] = (
                    finding.kind, finding.day, finding.summary, dict(finding.figures),
                    [int(i) for i in listed["id"]],
                )  # fmt: skip
    return alerts


def test_the_grouped_check_fires_what_each_watch_fires_alone(fresh_db: Store) -> None:
    watches = seeded(fresh_db)
    for watch in watches:
        assert fresh_db.add_watch(watch)
    expected = per_watch_alerts(fresh_db, watches)
    report = check_watches(fresh_db, NOW, settings=AlertSettings())
    recorded = {
        a.key: (a.kind, a.day, a.summary, dict(a.detail["figures"]), a.detail["article_ids"])
        for a in fresh_db.recent_alerts(limit=10_000)
    }
    assert recorded == expected
    assert sorted(report.fired) == sorted(expected)
    kinds = {kind for kind, *_ in expected.values()}
    assert {"volume_spike", "volume_drop", "tone_shift", "relations_shift"} <= kinds, kinds
    assert len(expected) >= 10


def test_the_story_checks_shared_by_watches_find_what_each_finds_alone(fresh_db: Store) -> None:
    """Watches that differ only in filters stories ignore (text, actors, tone, events) are
    judged once for stories (WatchDays.shared); each still gets what it gets alone, from
    Store.stories_by_day, and the round records exactly those story alerts."""
    watches = seeded(fresh_db)
    rebuild(fresh_db)
    of_day, check = fresh_db.stories_of_day(TODAY), StoryCheck()
    memo: dict[Hashable, Any] = {}
    expected: set[str] = set()
    for watch in watches:
        assert fresh_db.add_watch(watch)
    for watch in fresh_db.list_watches():  # with their ids, as alert keys name them
        alone = check.run(fresh_db, WatchDays(watch, {}, set(), TODAY))
        shared = WatchDays(watch, {}, set(), TODAY, stories=of_day, shared=memo)
        assert check.run(fresh_db, shared) == alone, watch.filters
        assert check.run(fresh_db, shared) == alone  # the second time from the memo
        f = watch.filters
        assert of_day.records(f) == of_day.matching(f).to_dict("records")
        assert of_day.matching(f).equals(fresh_db.stories_by_day(f, TODAY))
        expected |= {alert_key(watch, finding) for finding in alone}
    assert len(memo) < len(watches)
    kinds = {key.split(":")[2] for key in expected}
    assert kinds == {"new_story", "blindspot"}, kinds
    check_watches(fresh_db, NOW, settings=AlertSettings())
    told = fresh_db.recent_alerts(limit=10_000, kinds=tuple(kinds))
    assert {a.key for a in told} == expected
    for alert in told:  # each story's articles read once a round, the same in every alert
        chosen = story_articles(fresh_db, alert.detail["story_id"])
        assert alert.detail["articles"] == chosen and chosen
