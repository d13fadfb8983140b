"""The alert rules, pure over a watch's daily counts (no storage, no clock).

Volume spike (the day being checked, "today", against the previous BASELINE_DAYS days):

    fires when  count ≥ max(min_count, mean + k·sd')  and  count − mean ≥ min_rise
    where       sd' = max(sd, √max(mean, 1))

`mean` and `sd` are over the baseline days that had no coverage gap (a feed of the watch's
outlets or blocs failing that day): an outage would drag the baseline down and make the next
normal day look like a spike. Days without articles count as zero. When fewer than
MIN_BASELINE_DAYS days are clean (a broad watch over many feeds, one of which fails most days),
all BASELINE_DAYS days are used. The √mean floor is the spread of a Poisson count:
a baseline that happened to be flat (sd 0) does not turn one extra article into an alert.

Volume drop: the same with the sign turned (count ≤ mean − k·sd', a fall of at least min_rise,
from a baseline mean of at least min_count + min_rise), judged on a *complete* day (the caller
passes yesterday), never on a day with a coverage gap — an outage is not a drop in attention.

Tone shift: the day's mean tone against the article-weighted mean of the clean baseline days;
fires when |difference| ≥ delta with at least min_articles toned articles on the day and in the
baseline.

k, min_count, min_rise, delta and min_articles depend on the watch's sensitivity (SETTINGS).

New story: a story matching the watch, first seen on the day checked or the day before (a
story starting late in the evening reaches its size the next morning), that has at least
NEW_STORY_REPORTS[sensitivity] independent reports (syndicated copies not counted) from at
least NEW_STORY_OUTLETS outlets. Blindspot: a story matching the watch, seen on the day checked,
that the story summary flags as a blindspot (core/stories/summary.py `blindspots`: one bloc
only, or a side bloc silent on it). Each fires once per watch and story, whatever the day.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

BASELINE_DAYS = 14
MIN_BASELINE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How readily a watch alerts: a higher sensitivity has lower thresholds."""

    k: float
    min_count: int
    min_rise: int
    delta: float
    min_articles: int


SETTINGS: Mapping[str, Sensitivity] = {
    "low": Sensitivity(k=4.0, min_count=10, min_rise=6, delta=0.30, min_articles=10),
    "normal": Sensitivity(k=3.0, min_count=5, min_rise=4, delta=0.20, min_articles=5),
    "high": Sensitivity(k=2.0, min_count=3, min_rise=2, delta=0.12, min_articles=3),
}


@dataclass(frozen=True, slots=True)
class DayCounts:
    """One day of a watch: articles, and the sum and number of article tones."""

    articles: int = 0
    tone_sum: float = 0.0
    tone_count: int = 0


@dataclass(frozen=True, slots=True)
class Finding:
    """What moved: `kind` (volume_spike, volume_drop, tone_shift …), on which day, a one-line
    summary, and the figures behind it."""

    kind: str
    day: date
    summary: str
    figures: Mapping[str, Any] = field(default_factory=dict)


def baseline_days(day: date, gaps: Collection[date]) -> list[date]:
    """The BASELINE_DAYS days before `day`, leaving out those with a coverage gap — unless that
    leaves fewer than MIN_BASELINE_DAYS (some feed of a broad watch is failing most days): then
    all of them, as judging against a slightly low baseline beats never judging."""
    before = [day - timedelta(days=n) for n in range(1, BASELINE_DAYS + 1)]
    clean = [d for d in before if d not in gaps]
    return clean if len(clean) >= MIN_BASELINE_DAYS else before


def _stats(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, math.sqrt(variance)


def volume_threshold(
    counts: Mapping[date, DayCounts], day: date, gaps: Collection[date], sensitivity: str
) -> tuple[float, float, float, int] | None:
    """(mean, spread sd', threshold, clean baseline days) for `day`, or None when too few days."""
    days = baseline_days(day, gaps)
    if len(days) < MIN_BASELINE_DAYS:
        return None
    s = SETTINGS.get(sensitivity, SETTINGS["normal"])
    mean, sd = _stats([float(counts.get(d, DayCounts()).articles) for d in days])
    spread = max(sd, math.sqrt(max(mean, 1.0)))
    return mean, spread, max(float(s.min_count), mean + s.k * spread), len(days)


def volume_spike(
    counts: Mapping[date, DayCounts], day: date, gaps: Collection[date], sensitivity: str
) -> Finding | None:
    """A spike on `day` (see the module docstring), or None."""
    judged = volume_threshold(counts, day, gaps, sensitivity)
    if judged is None:
        return None
    mean, spread, threshold, clean = judged
    count = counts.get(day, DayCounts()).articles
    if count < threshold or count - mean < SETTINGS.get(sensitivity, SETTINGS["normal"]).min_rise:
        return None
    ratio = count / mean if mean else math.inf
    times = f"{ratio:.1f}× the" if math.isfinite(ratio) else "against a"
    return Finding(
        "volume_spike",
        day,
        f"{count} articles on {day}, {times} {BASELINE_DAYS}-day mean of {mean:.1f} "
        f"(threshold {threshold:.1f})",
        {
            "count": count,
            "baseline_mean": round(mean, 3),
            "baseline_sd": round(spread, 3),
            "threshold": round(threshold, 3),
            "baseline_days": clean,
            "change": round(count - mean, 3),
        },
    )


def volume_drop(
    counts: Mapping[date, DayCounts], day: date, gaps: Collection[date], sensitivity: str
) -> Finding | None:
    """A drop on the complete `day`, never on a day with a coverage gap, or None."""
    if day in gaps:
        return None
    judged = volume_threshold(counts, day, gaps, sensitivity)
    if judged is None:
        return None
    mean, spread, _, clean = judged
    s = SETTINGS.get(sensitivity, SETTINGS["normal"])
    count = counts.get(day, DayCounts()).articles
    floor = mean - s.k * spread
    if mean < s.min_count + s.min_rise or count > floor or mean - count < s.min_rise:
        return None
    return Finding(
        "volume_drop",
        day,
        f"{count} articles on {day} against a {BASELINE_DAYS}-day mean of {mean:.1f} "
        f"(floor {floor:.1f})",
        {
            "count": count,
            "baseline_mean": round(mean, 3),
            "baseline_sd": round(spread, 3),
            "threshold": round(floor, 3),
            "baseline_days": clean,
            "change": round(count - mean, 3),
        },
    )


def tone_shift(
    counts: Mapping[date, DayCounts], day: date, gaps: Collection[date], sensitivity: str
) -> Finding | None:
    """The day's mean tone moved by at least the sensitivity's delta, or None."""
    s = SETTINGS.get(sensitivity, SETTINGS["normal"])
    today = counts.get(day, DayCounts())
    days = baseline_days(day, gaps)
    tone_sum = sum(counts.get(d, DayCounts()).tone_sum for d in days)
    tone_n = sum(counts.get(d, DayCounts()).tone_count for d in days)
    if today.tone_count < s.min_articles or tone_n < s.min_articles:
        return None
    now, before = today.tone_sum / today.tone_count, tone_sum / tone_n
    change = now - before
    if abs(change) < s.delta:
        return None
    direction = "more negative" if change < 0 else "more positive"
    return Finding(
        "tone_shift",
        day,
        f"mean tone {now:+.2f} on {day} over {today.tone_count} articles, {direction} than the "
        f"{BASELINE_DAYS}-day {before:+.2f} (by {abs(change):.2f})",
        {
            "tone": round(now, 4),
            "baseline_tone": round(before, 4),
            "change": round(change, 4),
            "articles": today.tone_count,
            "baseline_articles": tone_n,
        },
    )


RELATIONS_DELTA = {"low": 0.35, "normal": 0.25, "high": 0.15}
"""How far the day's cooperation–conflict score (−1 … 1) must move from its baseline."""
RELATIONS_MIN_EVENTS = {"low": 6, "normal": 4, "high": 3}


def relations_shift(
    days: Mapping[date, tuple[float, int]], day: date, gaps: Collection[date], sensitivity: str
) -> Finding | None:
    """The day's relations score (weight sum / events / 10, per day: (weight_sum, events)) moved
    by at least the sensitivity's delta from the baseline days' pooled score, or None."""
    delta = RELATIONS_DELTA.get(sensitivity, RELATIONS_DELTA["normal"])
    needed = RELATIONS_MIN_EVENTS.get(sensitivity, RELATIONS_MIN_EVENTS["normal"])
    weight, events = days.get(day, (0.0, 0))
    before = [days.get(d, (0.0, 0)) for d in baseline_days(day, gaps)]
    base_weight, base_events = sum(w for w, _ in before), sum(n for _, n in before)
    if events < needed or base_events < needed:
        return None
    now, then = weight / events / 10, base_weight / base_events / 10
    change = now - then
    if abs(change) < delta:
        return None
    direction = "toward conflict" if change < 0 else "toward cooperation"
    return Finding(
        "relations_shift",
        day,
        f"relations score {now:+.2f} on {day} over {events} events, {direction} from the "
        f"{BASELINE_DAYS}-day {then:+.2f} (by {abs(change):.2f})",
        {
            "score": round(now, 4),
            "baseline_score": round(then, 4),
            "change": round(change, 4),
            "events": events,
            "baseline_events": base_events,
        },
    )


NEW_STORY_REPORTS = {"low": 5, "normal": 3, "high": 2}
"""Independent reports a new story needs before it alerts, per sensitivity."""
NEW_STORY_OUTLETS = 2


def _story_figures(story: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "story_id": int(story["id"]),
        "headline": str(story["headline"]),
        "first_day": str(story["first_day"]),
        "articles": int(story["articles"]),
        "reports": int(story["reports"]),
        "outlets": list(story["outlets"]),
        "blocs": list(story["blocs"]),
        "coverage": {str(c["bloc"]): int(c["articles"]) for c in story.get("coverage", [])},
        "blindspot": str(story.get("blindspot", "")),
    }


def new_story(story: Mapping[str, Any], day: date, sensitivity: str) -> Finding | None:
    """A story (a `Store.stories_by_day` row) that is new and big enough on `day`, or None."""
    if not day - timedelta(days=1) <= story["first_day"] <= day:
        return None
    reports, outlets = int(story["reports"]), len(story["outlets"])
    needed = NEW_STORY_REPORTS.get(sensitivity, NEW_STORY_REPORTS["normal"])
    if reports < needed or outlets < NEW_STORY_OUTLETS:
        return None
    return Finding(
        "new_story",
        day,
        f"new story “{story['headline']}”: {reports} independent reports from {outlets} "
        f"outlets ({', '.join(story['blocs'])}), first seen {story['first_day']}",
        _story_figures(story),
    )


def story_blindspot(story: Mapping[str, Any], day: date) -> Finding | None:
    """A story seen on `day` that is flagged a blindspot, or None."""
    if not story.get("blindspot") or not story["first_day"] <= day <= story["last_day"]:
        return None
    return Finding(
        "blindspot",
        day,
        f"blindspot: “{story['headline']}”: {story['blindspot']} "
        f"({int(story['reports'])} independent reports, {len(story['outlets'])} outlets)",
        _story_figures(story),
    )
