"""Issue 12, item 2: watches are checked after a poll round. On constructed data, an injected
burst fires exactly one alert (and not again on the next round), normal variation fires none,
a feed outage is not reported as a drop nor poisons the baseline, and a tone shift fires with
its evidence. Real SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from core.alerts import rules
from core.alerts.checks import CHECKS
from core.alerts.delivery import AlertSettings
from core.alerts.rules import DayCounts
from core.alerts.runner import check_watches
from core.models import Filters, Watch
from core.storage import Store
from tests.alert_fixtures import (
    NORMAL,
    NOW,
    TODAY,
    baseline,
    fill_days,
    make_story,
    record_outage,
)

NO_DELIVERY = AlertSettings()
WIRE = Watch("Wire watch", Filters(blocs=("wire",), relevant_only=False))


def counts(per_day: dict[date, int]) -> dict[date, DayCounts]:
    return {day: DayCounts(n) for day, n in per_day.items()}


def test_the_spike_rule_fires_on_a_burst_and_not_on_normal_variation() -> None:
    days = baseline()
    assert rules.volume_spike(counts({**days, TODAY: 30}), TODAY, set(), "normal") is not None
    for ordinary in (8, 12, 15):
        assert rules.volume_spike(counts({**days, TODAY: ordinary}), TODAY, set(), "normal") is None


def test_sensitivity_orders_the_thresholds() -> None:
    per_day = counts({**baseline(), TODAY: 18})
    fired = {s: rules.volume_spike(per_day, TODAY, set(), s) is not None for s in rules.SETTINGS}
    assert fired == {"low": False, "normal": False, "high": True}


def test_a_flat_baseline_does_not_turn_one_article_into_a_spike() -> None:
    per_day = counts({**baseline([2] * 14), TODAY: 4})
    assert rules.volume_spike(per_day, TODAY, set(), "high") is None


def test_a_gap_day_is_never_a_drop_and_leaves_the_baseline() -> None:
    yesterday = TODAY - timedelta(days=1)
    per_day = counts({**baseline([*NORMAL, 9]), yesterday: 0})
    assert rules.volume_drop(per_day, yesterday, set(), "normal") is not None  # the control
    assert rules.volume_drop(per_day, yesterday, {yesterday}, "normal") is None
    assert yesterday not in rules.baseline_days(TODAY, {yesterday})


def test_an_injected_burst_fires_exactly_one_alert(fresh_db: Store) -> None:
    fill_days(fresh_db, {**baseline(), TODAY: 30}, title="Sanctions burst")
    fill_days(fresh_db, {**baseline(), TODAY: 9}, outlet="Paper", bloc="us", prefix="us")
    assert fresh_db.add_watch(WIRE)
    assert fresh_db.add_watch(Watch("US watch", Filters(blocs=("us",), relevant_only=False)))
    first = check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    assert first.watches == 2 and len(first.fired) == 1
    alert = fresh_db.recent_alerts()[0]
    assert (alert.watch, alert.kind, alert.day) == ("Wire watch", "volume_spike", TODAY)
    assert alert.detail["figures"]["count"] == 30
    assert alert.detail["figures"]["baseline_mean"] == round(sum(baseline().values()) / 14, 3)
    assert len(alert.detail["article_ids"]) == 10
    assert "bloc=wire" in alert.detail["link"] and f"from={TODAY}" in alert.detail["link"]
    assert "30 articles" in alert.summary
    again = check_watches(fresh_db, NOW + timedelta(minutes=15), settings=NO_DELIVERY)
    assert again.fired == [] and len(fresh_db.recent_alerts()) == 1


def test_normal_variation_fires_nothing(fresh_db: Store) -> None:
    fill_days(fresh_db, {**baseline(), TODAY: 12})
    fresh_db.add_watch(WIRE)
    assert check_watches(fresh_db, NOW, settings=NO_DELIVERY).fired == []


def test_a_feed_outage_is_not_reported_as_a_drop(fresh_db: Store) -> None:
    yesterday = TODAY - timedelta(days=1)
    fill_days(fresh_db, {**baseline([*NORMAL, 9]), yesterday: 0, TODAY: 10})
    fresh_db.add_watch(WIRE)
    record_outage(fresh_db, "Wire A", "wire", yesterday)
    report = check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    assert report.fired == [], fresh_db.recent_alerts()


def test_without_the_outage_record_the_same_day_is_a_drop(fresh_db: Store) -> None:
    """The control of the test above: the rule does see the empty day."""
    yesterday = TODAY - timedelta(days=1)
    fill_days(fresh_db, {**baseline([*NORMAL, 9]), yesterday: 0, TODAY: 10})
    fresh_db.add_watch(WIRE)
    report = check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    assert [a.kind for a in fresh_db.recent_alerts()] == ["volume_drop"], report


def test_a_tone_shift_fires_with_its_evidence(fresh_db: Store) -> None:
    fill_days(fresh_db, baseline(), tone=0.2)
    fill_days(fresh_db, {TODAY: 9}, tone=-0.4, prefix="dark")
    fresh_db.add_watch(WIRE)
    check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    alert = fresh_db.recent_alerts()[0]
    assert alert.kind == "tone_shift"
    assert alert.detail["figures"]["change"] == -0.6
    assert "more negative" in alert.summary


def test_every_check_runs_on_a_store_with_every_reading(fresh_db: Store) -> None:
    fresh_db.add_watch(WIRE)
    report = check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    assert report.skipped_checks == []  # volume, tone, relations and stories all read


def test_a_check_whose_read_the_store_lacks_is_skipped() -> None:
    class NoStories:
        pass

    assert [c.name for c in CHECKS if not c.available(NoStories())] == ["relations", "stories"]


US_AND_RU = [("TASS", "russian-state"), ("The New York Times", "us"), ("Politico", "us")]
RU_ONLY = [("TASS", "russian-state"), ("RT", "russian-state"), ("Sputnik", "russian-state")]


STORY_KINDS = ("new_story", "blindspot")


def story_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": 7, "headline": "Talks", "first_day": TODAY, "last_day": TODAY, "articles": 4,
        "reports": 3, "outlets": ("TASS", "RT"), "blocs": ("russian-state",), "coverage": [],
        "blindspot": "", "blindspot_kind": "",
    }  # fmt: skip
    return {**row, **changes}


def test_the_new_story_rule_needs_its_size_and_a_recent_first_day() -> None:
    assert rules.new_story(story_row(), TODAY, "normal") is not None
    assert rules.new_story(story_row(first_day=TODAY - timedelta(days=1)), TODAY, "normal")
    assert rules.new_story(story_row(first_day=TODAY - timedelta(days=2)), TODAY, "normal") is None
    assert rules.new_story(story_row(reports=2), TODAY, "normal") is None
    assert rules.new_story(story_row(reports=2), TODAY, "high") is not None
    assert rules.new_story(story_row(reports=4), TODAY, "low") is None
    assert rules.new_story(story_row(outlets=("TASS",)), TODAY, "high") is None


def test_the_blindspot_rule_needs_a_flag_and_the_day() -> None:
    assert rules.story_blindspot(story_row(), TODAY) is None
    flagged = story_row(blindspot="covered only by Russian state media")
    found = rules.story_blindspot(flagged, TODAY)
    assert found is not None and found.figures["story_id"] == 7
    assert rules.story_blindspot(flagged, TODAY + timedelta(days=1)) is None


def test_stories_by_day_reads_the_stories_of_the_day_under_the_filters(fresh_db: Store) -> None:
    both = make_story(fresh_db, "Geneva talks resume", US_AND_RU)
    ru = make_story(fresh_db, "Moscow statement", RU_ONLY)
    make_story(fresh_db, "Old news", US_AND_RU, day=TODAY - timedelta(days=5))
    every = fresh_db.stories_by_day(Filters(relevant_only=False), TODAY)
    assert set(every["id"]) == {both, ru}
    us = fresh_db.stories_by_day(Filters(blocs=("us",), relevant_only=False), TODAY)
    assert list(us["id"]) == [both]
    row = us.iloc[0]
    assert (row["first_day"], row["reports"], set(row["outlets"])) == (
        TODAY,
        3,
        {o for o, _ in US_AND_RU},
    )
    assert fresh_db.stories_by_day(Filters(), TODAY + timedelta(days=1)).empty
    for f in (  # matched in memory as the Stories page's SQL does (core/storage/reads_stories.py)
        Filters(),
        Filters(outlets=("Politico", "RT")),
        Filters(blocs=("wire", "russian-state"), relevant_only=False),
        Filters(themes=("sanctions",)),
        Filters(languages=("en",), blocs=("us",)),
    ):
        day = dataclasses.replace(f, date_from=TODAY, date_to=TODAY)
        listed = set(fresh_db.list_stories(day, limit=1_000)["id"])
        assert set(fresh_db.stories_by_day(f, TODAY)["id"]) == listed, f


def test_a_new_story_and_a_blindspot_fire_once_with_their_evidence(fresh_db: Store) -> None:
    both = make_story(fresh_db, "Geneva talks resume", US_AND_RU)
    ru = make_story(fresh_db, "Moscow statement", RU_ONLY)
    fresh_db.add_watch(Watch("US view", Filters(blocs=("us",), relevant_only=False)))
    fresh_db.add_watch(Watch("Everything", Filters(relevant_only=False)))
    first = check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    told = fresh_db.recent_alerts(kinds=STORY_KINDS)  # (a volume spike fires too: 7 from 0)
    fired = {(a.watch, a.kind, a.detail["story_id"]) for a in told}
    assert fired == {
        ("US view", "new_story", both),
        ("Everything", "new_story", both),
        ("Everything", "new_story", ru),
        ("Everything", "blindspot", ru),
    }, first
    spot = fresh_db.recent_alerts(kinds=("blindspot",))[0]
    figures = spot.detail["figures"]
    assert figures["headline"] == "Moscow statement"
    assert figures["blocs"] == ["russian-state"] and figures["coverage"] == {"russian-state": 3}
    assert "covered only by Russian state media" in spot.summary
    assert spot.detail["link"].split("?")[0].endswith("/Stories")
    assert f"story={ru}" in spot.detail["link"] and "relevant=0" in spot.detail["link"]
    assert sorted(spot.detail["article_ids"]) == sorted(
        int(i)
        for i in fresh_db.get_story(ru).members["id"]  # type: ignore[union-attr]
    )
    again = check_watches(fresh_db, NOW + timedelta(days=1), settings=NO_DELIVERY)
    assert again.fired == []  # the same stories, a day later: fired already


def test_a_small_or_old_story_fires_no_new_story(fresh_db: Store) -> None:
    make_story(fresh_db, "One outlet twice", [("TASS", "russian-state"), ("TASS", "russian-state")])
    make_story(fresh_db, "Wire copies", US_AND_RU, copies=2)  # one report, two copies
    make_story(fresh_db, "Last week", US_AND_RU, day=TODAY - timedelta(days=3))
    fresh_db.add_watch(Watch("Everything", Filters(relevant_only=False)))
    check_watches(fresh_db, NOW, settings=NO_DELIVERY)
    assert fresh_db.recent_alerts(kinds=STORY_KINDS) == []


def test_watches_are_stored_with_their_filters(fresh_db: Store) -> None:
    f = Filters(themes=("sanctions",), actors=("Lavrov",), query="talks", tone_min=-0.5)
    assert fresh_db.add_watch(Watch("Sanctions", f, "high"))
    assert not fresh_db.add_watch(Watch("Sanctions", Filters()))
    (saved,) = fresh_db.list_watches()
    assert (saved.name, saved.filters, saved.sensitivity) == ("Sanctions", f, "high")
    assert fresh_db.remove_watch("Sanctions") and not fresh_db.remove_watch("Sanctions")
    assert fresh_db.list_watches() == []


WINDOW_FILTERS = [
    Filters(),
    Filters(relevant_only=False),
    Filters(blocs=("wire",), relevant_only=False),
    Filters(outlets=("Paper",)),
    Filters(themes=("sanctions",)),
    Filters(themes=("sanctions", "diplomacy"), blocs=("us", "wire")),
    Filters(actors=("Lavrov",), relevant_only=False),
    Filters(query="TALKS", relevant_only=False),
    Filters(query="100%_sure", relevant_only=False),
    Filters(tone_min=-0.5, tone_max=0.0, relevant_only=False),
]


def test_the_in_memory_window_counts_as_the_sql_read(fresh_db: Store) -> None:
    """core/storage/watch_window.py answers each filter as WatchStore.daily_counts does."""
    from tests.fixtures_db import analysed

    start = TODAY - timedelta(days=15)
    items = []
    for n in range(60):
        day = start + timedelta(days=n % 16)
        items.append(
            analysed(
                f"w{n}",
                outlet=("Paper", "Wire A", "TASS")[n % 3],
                bloc=("us", "wire", "russian-state")[n % 3],
                day=day,
                title=("Talks resume", "100%_sure of it", "Sanctions")[n % 3],
                themes={"sanctions": ["sanctions"]} if n % 2 else {"diplomacy": ["talks"]},
                actors=[("Lavrov", "russia")] if n % 4 == 0 else [],
                tone=None if n % 7 == 0 else (n % 5 - 2) / 4,
                relevance=0.9 if n % 5 else 0.1,
            )
        )
    items.append(analysed("outside", day=start - timedelta(days=1)))
    fresh_db.save_articles(items)
    window = fresh_db.watch_window(start, TODAY)
    for f in WINDOW_FILTERS:
        frame = fresh_db.daily_counts(f, start, TODAY)
        expected = {
            r.day: (int(r.articles), round(float(r.tone_sum), 9), int(r.tone_count))
            for r in frame.itertuples(index=False)
            if r.articles
        }
        got = {d: (a, round(s, 9), n) for d, (a, s, n) in window.daily_counts(f).items()}
        assert got == expected, f
        day = TODAY - timedelta(days=3)
        listed = fresh_db.list_articles(
            dataclasses.replace(f, date_from=day, date_to=day), limit=4, sort="relevance"
        )
        assert [a["id"] for a in window.articles(f, day, 4)] == list(listed["id"]), f


def test_a_baseline_with_gaps_on_most_days_is_still_judged() -> None:
    """A broad watch over many feeds, one of which fails most days: judged on all 14 days."""
    gaps = {TODAY - timedelta(days=n) for n in range(1, 10)}
    assert len(rules.baseline_days(TODAY, gaps)) == rules.BASELINE_DAYS
    burst = counts({**baseline(), TODAY: 30})
    assert rules.volume_spike(burst, TODAY, gaps, "normal") is not None


def test_a_relations_shift_fires_on_a_swing_and_not_on_the_usual_balance() -> None:
    from core.alerts.rules import relations_shift

    today = date(2026, 11, 20)
    usual = {today - timedelta(days=n): (20.0, 5) for n in range(1, 15)}  # +0.4 a day
    calm = relations_shift({**usual, today: (18.0, 5)}, today, (), "normal")
    swing = relations_shift({**usual, today: (-30.0, 6)}, today, (), "normal")
    assert calm is None
    assert swing is not None and swing.kind == "relations_shift"
    assert swing.figures["score"] == -0.5 and swing.figures["baseline_score"] == 0.4
    assert relations_shift({today: (-30.0, 6)}, today, (), "normal") is None  # no baseline
