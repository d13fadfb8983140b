"""Watches (saved filters with a name and a sensitivity) and the alerts they fired, with their
evidence and their delivery state. The rules that decide an alert live in core/alerts; this part
only stores and reads.

An alert's `key` is unique (watch, kind, day): recording the same alert on the next round is a
no-op, so each fires once."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast, get_args

import pandas as pd
import sqlalchemy as sa

from core.models import Filters, Sensitivity, Watch
from core.storage.base import StoreBase
from core.storage.plan import ARTICLES
from core.storage.schema import alerts, watches
from core.storage.values import as_day, as_utc
from core.storage.watch_window import WatchWindow, read_window

_SAVED = tuple(
    f.name for f in dataclasses.fields(Filters) if f.name not in ("date_from", "date_to")
)
"""The filters a watch keeps: all but the dates."""


def filters_json(f: Filters) -> str:
    """A watch's filters as JSON (lists for tuples; the dates left out)."""
    values = {name: getattr(f, name) for name in _SAVED}
    return json.dumps(
        {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}, sort_keys=True
    )


def filters_from_json(text: str) -> Filters:
    """The Filters a stored watch names; keys this version does not know are ignored, missing
    ones take their defaults (a watch saved by another version still loads)."""
    try:
        raw = json.loads(text)
    except ValueError:
        raw = {}
    raw = raw if isinstance(raw, dict) else {}
    defaults = Filters()
    values: dict[str, Any] = {}
    for name in _SAVED:
        if name not in raw:
            continue
        value, default = raw[name], getattr(defaults, name)
        if isinstance(default, tuple) and isinstance(value, list):
            values[name] = tuple(str(v) for v in value)
        elif isinstance(default, bool) and isinstance(value, bool):
            values[name] = value
        elif isinstance(default, float) and isinstance(value, int | float):
            values[name] = float(value)
        elif isinstance(default, str) and isinstance(value, str):
            values[name] = value
    return Filters(**values)


def _sensitivity(text: str) -> Sensitivity:
    return cast(Sensitivity, text if text in get_args(Sensitivity) else "normal")


@dataclasses.dataclass(frozen=True, slots=True)
class AlertRow:
    """A recorded alert: what fired, its evidence and how its delivery went."""

    id: int
    key: str
    watch: str
    kind: str
    day: date
    fired_at: datetime
    summary: str
    detail: Mapping[str, Any]
    attempts: int
    last_error: str | None
    delivered_at: datetime | None
    delivered_to: tuple[str, ...]


def _alert_row(row: Any) -> AlertRow:
    return AlertRow(
        id=row.id,
        key=row.key,
        watch=row.watch,
        kind=row.kind,
        day=cast(date, as_day(row.day)),
        fired_at=cast(datetime, as_utc(row.fired_at)),
        summary=row.summary,
        detail=json.loads(row.detail or "{}"),
        attempts=row.attempts,
        last_error=row.last_error,
        delivered_at=as_utc(row.delivered_at),
        delivered_to=tuple(json.loads(row.delivered_to or "[]")),
    )


class WatchStore(StoreBase):
    def add_watch(self, watch: Watch) -> bool:
        """Save a watch; False (and nothing changed) when one of that name exists."""
        with self._write() as conn:
            inserted = conn.execute(
                self._insert_dialect()(watches)
                .values(
                    name=watch.name,
                    filters=filters_json(watch.filters),
                    sensitivity=watch.sensitivity,
                    created_at=datetime.now(UTC),
                )
                .on_conflict_do_nothing(index_elements=["name"])
                .returning(watches.c.id)
            )
            return inserted.first() is not None

    def list_watches(self) -> list[Watch]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(watches).order_by(watches.c.name)).all()
        return [
            Watch(r.name, filters_from_json(r.filters), _sensitivity(r.sensitivity), r.id)
            for r in rows
        ]

    def remove_watch(self, name: str) -> bool:
        """Delete a watch (its alerts stay, naming it); False when there is none of that name."""
        with self._write() as conn:
            return bool(conn.execute(watches.delete().where(watches.c.name == name)).rowcount)

    def daily_counts(self, f: Filters, start: date, end: date) -> pd.DataFrame:
        """Per day from `start` to `end` under `f` (its own dates ignored): articles, tone_sum
        and tone_count (days without articles absent). From a rollup when it can answer."""
        f = dataclasses.replace(f, date_from=start, date_to=end)
        p = self.plan(f, ARTICLES)
        day = p.col("day")
        statement = (
            sa.select(day, p.articles(), p.tone_sum(), p.tone_count())
            .select_from(p.source)
            .where(*p.where)
            .group_by(day)
        )
        frame = self._frame(statement, ["day", "articles", "tone_sum", "tone_count"])
        return frame.fillna({"tone_sum": 0.0, "tone_count": 0})

    def watch_window(self, start: date, end: date) -> WatchWindow:
        """The articles from `start` to `end` in memory, to count many watches with one read
        (core/storage/watch_window.py)."""
        with self.engine.connect() as conn:
            return read_window(conn, start, end, self.engine)

    def record_alert(
        self,
        key: str,
        watch: str,
        kind: str,
        day: date,
        summary: str,
        detail: Mapping[str, Any],
        now: datetime,
    ) -> bool:
        """Record an alert once: False when its key was already recorded (fired before)."""
        return bool(self.record_alerts([(key, watch, kind, day, summary, detail)], now))

    def record_alerts(
        self, found: Sequence[tuple[str, str, str, date, str, Mapping[str, Any]]], now: datetime
    ) -> list[str]:
        """Record (key, watch, kind, day, summary, detail) alerts in one transaction, each key
        once; returns the keys recorded now (the others had fired before). One statement for
        all of them (a round can fire a thousand: a blindspot seen by most watches)."""
        rows = [
            {
                "key": key, "watch": watch, "kind": kind, "day": day, "fired_at": now,
                "summary": summary, "detail": json.dumps(detail, sort_keys=True, default=str),
                "attempts": 0, "delivered_to": "[]",
            }
            for key, watch, kind, day, summary, detail in found
        ]  # fmt: skip
        if not rows:
            return []
        statement = (
            self._insert_dialect()(alerts)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(alerts.c.key)
        )
        with self._write() as conn:
            inserted = set(conn.execute(statement, rows).scalars())
        recorded = []
        for key, *_ in found:
            if key in inserted:
                inserted.discard(key)  # a key given twice is recorded once
                recorded.append(key)
        return recorded

    def alert_keys(self, since: date) -> set[str]:
        """The keys of the alerts about days from `since` on (to skip what fired before)."""
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(alerts.c.key).where(alerts.c.day >= since)).scalars())

    def undelivered_alerts(self, max_attempts: int, limit: int = 200) -> list[AlertRow]:
        """Alerts not yet delivered everywhere that have attempts left, oldest first."""
        statement = (
            sa.select(alerts)
            .where(alerts.c.delivered_at.is_(None), alerts.c.attempts < max_attempts)
            .order_by(alerts.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_alert_row(r) for r in conn.execute(statement)]

    def record_delivery(
        self,
        alert_id: int,
        *,
        attempts: int,
        error: str | None,
        delivered_to: tuple[str, ...],
        delivered_at: datetime | None,
    ) -> None:
        """What a delivery round did: attempts so far, the last error, where it arrived."""
        with self._write() as conn:
            conn.execute(
                alerts.update()
                .where(alerts.c.id == alert_id)
                .values(
                    attempts=attempts,
                    last_error=error,
                    delivered_to=json.dumps(list(delivered_to)),
                    delivered_at=delivered_at,
                )
            )

    def recent_alerts(self, limit: int = 100, *, kinds: tuple[str, ...] = ()) -> list[AlertRow]:
        """The latest alerts, newest first (optionally of some kinds only)."""
        statement = sa.select(alerts).order_by(alerts.c.fired_at.desc(), alerts.c.id.desc())
        if kinds:
            statement = statement.where(alerts.c.kind.in_(kinds))
        with self.engine.connect() as conn:
            return [_alert_row(r) for r in conn.execute(statement.limit(limit))]

    def get_alert(self, key: str) -> AlertRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(alerts).where(alerts.c.key == key)).first()
        return _alert_row(row) if row is not None else None
