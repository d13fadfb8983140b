"""Cached reads for the Alerts and Briefing pages (core/alerts, core/storage/watch_store.py),
in the manner of core/dashboard/loaders.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.alerts.briefing import Briefing, build_briefing, latest_day
from core.dashboard.loaders import CACHE_TTL, get_store
from core.models import Watch

ALERT_COLUMNS = ["fired_at", "watch", "kind", "day", "summary", "view", "delivered_at",
                 "attempts", "last_error", "key"]  # fmt: skip


def _relative_view(link: str) -> str:
    """An alert's dashboard link made relative to this dashboard (whatever base it was sent
    with)."""
    return "/?" + link.split("?", 1)[1] if "?" in link else "/"


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def recent_alerts(limit: int = 200) -> pd.DataFrame:
    rows = get_store().recent_alerts(limit)
    return pd.DataFrame(
        [
            {
                "fired_at": a.fired_at,
                "watch": a.watch,
                "kind": str(a.detail.get("kind_label", a.kind)),
                "day": a.day,
                "summary": a.summary,
                "view": _relative_view(str(a.detail.get("link", ""))),
                "delivered_at": a.delivered_at,
                "attempts": a.attempts,
                "last_error": a.last_error,
                "key": a.key,
            }
            for a in rows
        ],
        columns=ALERT_COLUMNS,
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def alert_articles(key: str) -> pd.DataFrame:
    """The articles behind one alert (its recorded evidence)."""
    alert = get_store().get_alert(key)
    articles = list(alert.detail.get("articles", [])) if alert is not None else []
    frame = pd.DataFrame(articles, columns=["id", "outlet", "bloc", "title"])
    return frame.assign(open=[f"/Articles?article={int(i)}" for i in frame["id"]])


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def list_watches() -> list[Watch]:
    return get_store().list_watches()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def briefing(day: date | None) -> Briefing | None:
    return build_briefing(get_store(), day)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def briefing_day() -> date | None:
    return latest_day(get_store())


def forget_alerts() -> None:
    for query in (recent_alerts, alert_articles, list_watches):
        query.clear()
