"""The checks run for each watch after a poll round, as a list of pluggable `Check`s.

A check says whether its reading exists in this database (`available`) and, if so, what moved
(`run`). Volume, tone and relations shift read the watch's daily figures; new story and
blindspot read the stories of the day under the watch's filters (Store.stories_by_day); a check
whose read the store lacks is skipped and reported as such."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import numpy as np

from core.alerts import rules
from core.alerts.rules import DayCounts, Finding
from core.models import Watch
from core.storage.reads_stories import story_key
from core.storage.schema import DIRECTIONS


@dataclass(frozen=True, slots=True)
class WatchDays:
    """What a check sees of one watch: its daily counts over the checked span, the days with
    a coverage gap, and the day being checked ("today", from the round's clock). `relations`,
    when given, answers the watch's relations events per day (weight sum, events) over the
    checked span, as the relations check would read them (the runner passes one shared by
    every watch with the same filters)."""

    watch: Watch
    counts: Mapping[date, DayCounts]
    gaps: Collection[date]
    today: date
    relations: Callable[[], Mapping[date, tuple[float, int]]] | None = None
    stories: Any = None
    """The stories seen today, read once for every watch (Store.stories_of_day), or None."""
    shared: dict[Hashable, Any] | None = None
    """One per round, given to every watch's checks (or None): what a check found for a
    part of a watch that other watches share (StoryCheck: the stories of a story key and
    sensitivity), kept under a key of the check's own."""


class Check(Protocol):
    name: str

    def available(self, store: Any) -> bool:
        """Does this database hold the reading this check needs?"""

    def run(self, store: Any, days: WatchDays) -> list[Finding]:
        """What moved for this watch (empty when nothing did): judged by the watch's filters
        and sensitivity alone, as the runner asks once for all watches that share them."""


class VolumeCheck:
    """A spike today, or a drop on the last complete day (yesterday); core/alerts/rules.py."""

    name = "volume"

    def available(self, store: Any) -> bool:
        return True

    def run(self, store: Any, days: WatchDays) -> list[Finding]:
        s = days.watch.sensitivity
        spike = rules.volume_spike(days.counts, days.today, days.gaps, s)
        drop = rules.volume_drop(days.counts, days.today - timedelta(days=1), days.gaps, s)
        return [finding for finding in (spike, drop) if finding is not None]


class ToneCheck:
    """Today's mean tone against the 14 days before (rules.tone_shift)."""

    name = "tone"

    def available(self, store: Any) -> bool:
        return True

    def run(self, store: Any, days: WatchDays) -> list[Finding]:
        found = rules.tone_shift(days.counts, days.today, days.gaps, days.watch.sensitivity)
        return [found] if found is not None else []


class RelationsShiftCheck:
    """Cooperation–conflict balance of the watch's articles against the 14 days before
    (rules.relations_shift), from the stored relations reading (Store.relations_by_day)."""

    name = "relations"

    def available(self, store: Any) -> bool:
        return callable(getattr(store, "relations_by_day", None))

    def run(self, store: Any, days: WatchDays) -> list[Finding]:
        per_day = days.relations() if days.relations is not None else self.read(store, days)
        found = rules.relations_shift(per_day, days.today, days.gaps, days.watch.sensitivity)
        return [found] if found is not None else []

    @staticmethod
    def read(store: Any, days: WatchDays) -> dict[date, tuple[float, int]]:
        """The watch's events per day from the store: (weight sum, events) of every direction."""
        start = days.today - timedelta(days=rules.BASELINE_DAYS)
        f = dataclasses.replace(days.watch.filters, date_from=start, date_to=days.today)
        frame = store.relations_by_day(f, "direction")
        every = frame[frame["key"].isin(DIRECTIONS)].groupby("day")[["weight_sum", "events"]].sum()
        return {
            _as_date(day): (float(row.weight_sum), int(row.events)) for day, row in every.iterrows()
        }


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else value.date()


class StoryCheck:
    """A new story among the watch's stories, or a blindspot (rules.new_story and
    rules.story_blindspot), from the stories seen on the day checked (Store.stories_by_day:
    the story filters of core/storage/reads_stories.py, so a watch's text, actor, tone and
    event filters do not narrow its stories, as on the Stories page)."""

    name = "stories"

    def available(self, store: Any) -> bool:
        return callable(getattr(store, "stories_by_day", None))

    def run(self, store: Any, days: WatchDays) -> list[Finding]:
        f, sensitivity = days.watch.filters, days.watch.sensitivity
        if days.stories is None:
            frame = store.stories_by_day(f, days.today)
            return self.judge(frame.to_dict("records"), days.today, sensitivity)
        if days.shared is None:
            return self.judge(days.stories.records(f), days.today, sensitivity)
        key = (self.name, story_key(f), sensitivity, days.today)
        if key not in days.shared:  # filters the stories ignore (text, actors…) aside
            found, hits = self.each_story(days.stories, days.today, sensitivity, days.shared)
            at = days.stories.positions(f)
            days.shared[key] = [finding for i in at[hits[at]] for finding in found[i]]
        return list(days.shared[key])

    def each_story(
        self, stories: Any, today: date, sensitivity: str, shared: dict[Hashable, Any]
    ) -> tuple[list[list[Finding]], np.ndarray]:
        """What each of the day's stories gives at this sensitivity (judged once a round, as a
        story's findings do not depend on the watch), and which stories give something: a
        watch then takes the findings of its stories, in their order."""
        key = (self.name, "each story", sensitivity, today)
        if key not in shared:
            found = [self.judge([story], today, sensitivity) for story in stories.rows()]
            shared[key] = (found, np.array([bool(f) for f in found], dtype=bool))
        return shared[key]  # type: ignore[no-any-return]

    @staticmethod
    def judge(stories: Iterable[Mapping[str, Any]], today: date, sensitivity: str) -> list[Finding]:
        found: list[Finding] = []
        for story in stories:
            for finding in (
                rules.new_story(story, today, sensitivity),
                rules.story_blindspot(story, today),
            ):
                if finding is not None:
                    found.append(finding)
        return found


CHECKS: tuple[Check, ...] = (VolumeCheck(), ToneCheck(), RelationsShiftCheck(), StoryCheck())
KIND_LABELS = {
    "volume_spike": "volume spike",
    "volume_drop": "volume drop",
    "tone_shift": "tone shift",
    "relations_shift": "relations shift",
    "new_story": "new story",
    "blindspot": "blindspot",
    "briefing": "daily briefing",
}
