"""The daily briefing: one day in one page — volume and tone by bloc against the week before,
the top articles and top stories per bloc, the day's blindspots, the unusual days, the feeds
whose failures leave gaps — as
self-contained HTML (the chart a PNG embedded as data: URI, drawn by plotly through kaleido and
the installed Chromium; a table when that is not possible, and the page says so), as Markdown
and as plain text for chat.

Feed text (titles, outlets, feed errors) is defused (core/alerts/message.py) in every format and
HTML-escaped in HTML. Top stories of a bloc: the stories seen on the day in which the bloc
published, most independent reports first; blindspots: the stories seen on the day that the
story summary flags (core/stories/summary.py)."""

from __future__ import annotations

import base64
import html
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.alerts.message import Message, article_link, defuse, html_text, story_link
from core.dashboard.charts import colour_of, daily_totals, key_order, unusual_days
from core.models import Filters

WEEK = 7
TOP_PER_BLOC = 3
TOP_STORIES = 3
MAX_BLINDSPOTS = 10
UNUSUAL_LOOKBACK = 42
"""Days read to judge unusual days (each needs 14 days before it)."""


@dataclass
class Briefing:
    """What the briefing of `day` says (every frame may be empty)."""

    day: date
    blocs: pd.DataFrame
    """bloc, articles (the day), week_mean (per day over the WEEK days before), tone, week_tone."""
    daily: pd.DataFrame
    """day, bloc, articles, tone over the week ending on `day` (for the chart)."""
    top: dict[str, list[dict[str, Any]]]
    """bloc → its most relevant articles of the day (id, title, outlet, tone)."""
    unusual: pd.DataFrame
    """day, articles, threshold: unusual days of the week ending on `day`."""
    gaps: pd.DataFrame
    """outlet, bloc, start, end, error: coverage gaps overlapping the week."""
    stories: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """bloc → its top stories of the day (id, headline, reports, articles: the bloc's, blocs)."""
    blindspots: list[dict[str, Any]] = field(default_factory=list)
    """The day's blindspot stories (id, headline, reports, blocs, blindspot)."""
    notes: list[str] = field(default_factory=list)

    @property
    def week_start(self) -> date:
        return self.day - timedelta(days=WEEK)


def latest_day(store: Any) -> date | None:
    """The latest day that has relevant articles (the briefing's subject), looked for within
    the 60 days before the latest stored day; else that day."""
    found = store.filter_options().get("date_max")
    if not isinstance(found, date):
        return None
    recent = store.volume_by_day(
        Filters(date_from=found - timedelta(days=60), date_to=found), "total"
    )
    return max(recent["day"]) if len(recent) else found


def _bloc_table(day: date, volume: pd.DataFrame, tone: pd.DataFrame) -> pd.DataFrame:
    columns = ["bloc", "articles", "week_mean", "tone", "week_tone"]
    if volume.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for bloc in key_order("bloc", sorted(set(volume["key"]))):
        v = volume[volume["key"] == bloc]
        t = tone[tone["key"] == bloc] if len(tone) else tone
        today_t, week_t = (t[t["day"] == day], t[t["day"] < day]) if len(t) else (t, t)
        week_n = float(week_t["articles"].sum()) if len(week_t) else 0.0
        rows.append(
            {
                "bloc": bloc,
                "articles": int(v.loc[v["day"] == day, "articles"].sum()),
                "week_mean": round(float(v.loc[v["day"] < day, "articles"].sum()) / WEEK, 2),
                "tone": (float(today_t["mean_tone"].iloc[0]) if len(today_t) else None),
                "week_tone": (
                    float((week_t["mean_tone"] * week_t["articles"]).sum() / week_n)
                    if week_n
                    else None
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def day_stories(
    store: Any, day: date
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """(top stories per bloc, blindspots) of the stories seen on `day` (none when the store
    keeps no stories)."""
    if not callable(getattr(store, "stories_by_day", None)):
        return {}, []
    seen = store.stories_by_day(Filters(), day)
    if seen.empty:
        return {}, []
    seen = seen.sort_values(["reports", "articles", "id"], ascending=[False, False, False])
    rows = seen.to_dict("records")

    def item(row: dict[str, Any], bloc: str | None = None) -> dict[str, Any]:
        per_bloc = {str(c["bloc"]): int(c["articles"]) for c in row["coverage"]}
        return {
            "id": int(row["id"]), "headline": row["headline"], "reports": int(row["reports"]),
            "articles": per_bloc.get(bloc, 0) if bloc else int(row["articles"]),
            "blocs": ", ".join(row["blocs"]), "blindspot": row["blindspot"],
        }  # fmt: skip

    blocs = key_order("bloc", sorted({b for row in rows for b in row["blocs"]}))
    top = {
        bloc: [item(row, bloc) for row in rows if bloc in row["blocs"]][:TOP_STORIES]
        for bloc in blocs
    }
    spots = [item(row) for row in rows if row["blindspot"]][:MAX_BLINDSPOTS]
    return top, spots


def build_briefing(store: Any, day: date | None = None) -> Briefing | None:
    """The briefing of `day` (default: the latest day with articles); None without articles."""
    day = day or latest_day(store)
    if day is None:
        return None
    week = Filters(date_from=day - timedelta(days=WEEK), date_to=day)
    volume = store.volume_by_day(week, "bloc")
    tone = store.tone_by_day(week, "bloc")
    top: dict[str, list[dict[str, Any]]] = {}
    for bloc in key_order("bloc", sorted(set(volume["key"])) if len(volume) else []):
        listed = store.list_articles(
            Filters(date_from=day, date_to=day, blocs=(bloc,)), limit=TOP_PER_BLOC, sort="relevance"
        )
        if len(listed):
            top[bloc] = [
                {"id": int(r.id), "title": r.title, "outlet": r.outlet, "tone": r.tone}
                for r in listed.itertuples(index=False)
            ]
    longer = Filters(date_from=day - timedelta(days=UNUSUAL_LOOKBACK), date_to=day)
    unusual = unusual_days(daily_totals(store.volume_by_day(longer, "total")), end=day)
    if len(unusual):
        unusual = unusual[unusual["day"] >= week.date_from].reset_index(drop=True)
    daily = (
        volume.rename(columns={"key": "bloc"})[["day", "bloc", "articles"]]
        if len(volume)
        else (pd.DataFrame(columns=["day", "bloc", "articles"]))
    )
    if len(tone):
        daily = daily.merge(
            tone.rename(columns={"key": "bloc", "mean_tone": "tone"})[["day", "bloc", "tone"]],
            on=["day", "bloc"],
            how="left",
        )
    else:
        daily = daily.assign(tone=[None] * len(daily))
    stories, spots = day_stories(store, day)
    return Briefing(
        day=day,
        blocs=_bloc_table(day, volume, tone),
        daily=daily,
        top=top,
        unusual=unusual,
        gaps=store.coverage_gaps(week),
        stories=stories,
        blindspots=spots,
    )


# --- chart -------------------------------------------------------------------------------------


def briefing_figure(b: Briefing) -> go.Figure:
    """Articles per bloc per day (bars) and mean tone per bloc (lines) over the week."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("Articles per day", "Mean tone per day"),
        horizontal_spacing=0.08,
    )  # fmt: skip
    for bloc in key_order("bloc", sorted(set(b.daily["bloc"])) if len(b.daily) else []):
        rows = b.daily[b.daily["bloc"] == bloc].sort_values("day")
        colour = colour_of("bloc", bloc)
        days = [str(d) for d in rows["day"]]
        figure.add_bar(x=days, y=rows["articles"], name=bloc, marker_color=colour, row=1, col=1)
        figure.add_scatter(
            x=days, y=rows["tone"], name=bloc, mode="lines+markers", line_color=colour,
            showlegend=False, row=1, col=2,
        )  # fmt: skip
    figure.update_layout(
        barmode="stack", width=1000, height=380, margin={"t": 40, "b": 20, "l": 20, "r": 20},
        legend={"orientation": "h", "y": -0.15}, template="plotly_white",
    )  # fmt: skip
    return figure


def chart_png(b: Briefing) -> tuple[bytes | None, str]:
    """The briefing's chart as PNG, or (None, why not). Kaleido ≥ 1 drives a Chrome it finds;
    $BROWSER_PATH names one, else Debian's chromium is used when installed."""
    if b.daily.empty:
        return None, "no articles in the week"
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            os.environ["BROWSER_PATH"] = found
    try:
        return briefing_figure(b).to_image(format="png", width=1000, height=380), ""
    except Exception as exc:  # kaleido or the browser missing or failing
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"


# --- formats -----------------------------------------------------------------------------------


def _signed(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:+.2f}"


def _md(text: str, markdown: bool) -> str:
    """Defused feed text; in Markdown, emphasis and heading marks escaped too."""
    safe = defuse(text)
    if not markdown:
        return safe
    return "".join("\\" + ch if ch in "\\*_#~!" else ch for ch in safe)


def briefing_text(b: Briefing, base: str, *, markdown: bool = False) -> str:
    """The briefing as plain text for chat, or as Markdown."""
    h = "## " if markdown else ""
    lines = [f"{'# ' if markdown else ''}Détente briefing for {b.day}", ""]
    lines.append(f"{h}Volume and tone by bloc (the day against the {WEEK} days before)")
    for r in b.blocs.itertuples(index=False):
        lines.append(
            f"- {r.bloc}: {r.articles} article(s) (week mean {r.week_mean:.1f}/day), "
            f"tone {_signed(r.tone)} (week {_signed(r.week_tone)})"
        )
    if b.blocs.empty:
        lines.append("- no relevant articles")
    lines += ["", f"{h}Top articles per bloc"]
    for bloc, items in b.top.items():
        lines.append(f"{bloc}:")
        for a in items:
            lines.append(
                f"  - {_md(a['outlet'], markdown)}: {_md(a['title'], markdown)} "
                f"({article_link(base, a['id'])})"
            )
    lines += ["", f"{h}Top stories per bloc (independent reports)"]
    for bloc, items in b.stories.items():
        lines.append(f"{bloc}:")
        lines += [
            f"  - {_md(st['headline'], markdown)}: {st['reports']} report(s), {st['articles']} "
            f"article(s) from this bloc ({story_link(base, Filters(), st['id'])})"
            for st in items
        ]
    if not b.stories:
        lines.append("- no story seen this day")
    lines += ["", f"{h}Blindspots"]
    lines += [
        f"- {_md(st['headline'], markdown)}: {_md(st['blindspot'], markdown)} "
        f"({st['reports']} report(s); {story_link(base, Filters(), st['id'])})"
        for st in b.blindspots
    ] or ["- none this day"]
    lines += ["", f"{h}Unusual days"]
    lines += [
        f"- {r.day}: {int(r.articles)} articles (threshold {r.threshold:.1f})"
        for r in b.unusual.itertuples(index=False)
    ] or ["- none this week"]
    lines += ["", f"{h}Feeds failing (coverage gaps)"]
    lines += [
        f"- {_md(r.outlet, markdown)} ({r.bloc}): {r.start:%Y-%m-%d %H:%M} to "
        f"{r.end:%Y-%m-%d %H:%M} UTC: {_md(str(r.error), markdown)}"
        for r in b.gaps.itertuples(index=False)
    ] or ["- none"]
    lines += ["", f"Dashboard: {base.rstrip('/')}/?from={b.week_start}&to={b.day}"]
    lines += [f"Note: {_md(n, markdown)}" for n in b.notes]
    return "\n".join(lines) + "\n"


def _cell(key: str, value: Any) -> str:
    """A table cell: our own figures formatted, feed text (outlets, errors) defused and
    escaped."""
    if "tone" in key:
        return _signed(value)
    if isinstance(value, bool) or value is None:
        return html.escape(str(value))
    if isinstance(value, float):
        return "n/a" if pd.isna(value) else f"{value:.1f}" if key != "week_mean" else f"{value:.2f}"
    if isinstance(value, int | date):
        return html.escape(str(value))
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    return html_text(value)


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    body = []
    for row in frame.to_dict("records"):
        cells = []
        for key in columns:
            cells.append(f"<td>{_cell(key, row.get(key))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1040px;margin:24px auto;color:#222}"
    "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;"
    "padding:4px 8px;text-align:left}th{background:#f3f3f3}.note{color:#8a4b00}"
    "img{max-width:100%}"
)


def _story_item(st: dict[str, Any], base: str, told: str) -> str:
    link = html.escape(story_link(base, Filters(), st["id"]))
    return (
        f"<li>{html_text(st['headline'])}: {html_text(told)} "
        f'(<a href="{link}">open the story in Détente</a>)</li>'
    )


def _stories_html(b: Briefing, base: str) -> list[str]:
    parts = ["<h2>Top stories per bloc (independent reports)</h2>"]
    for bloc, items in b.stories.items():
        parts.append(f"<h3>{html.escape(bloc)}</h3><ul>")
        parts += [
            _story_item(st, base, f"{st['reports']} report(s), {st['articles']} article(s)")
            for st in items
        ]
        parts.append("</ul>")
    if not b.stories:
        parts.append("<p>No story seen this day.</p>")
    parts.append("<h2>Blindspots</h2>")
    if b.blindspots:
        parts.append("<ul>")
        parts += [_story_item(st, base, st["blindspot"]) for st in b.blindspots]
        parts.append("</ul>")
    else:
        parts.append("<p>None this day.</p>")
    return parts


def briefing_html(b: Briefing, base: str, *, images: bool = True) -> str:
    """The briefing as one self-contained HTML page (no external resource)."""
    png, why = chart_png(b) if images else (None, "images not requested")
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Détente briefing {b.day}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Détente briefing for {b.day}</h1>",
        f"<h2>Volume and tone by bloc (the day against the {WEEK} days before)</h2>",
    ]
    if png is not None:
        data = base64.b64encode(png).decode()
        parts.append(f'<img alt="Articles and tone per bloc" src="data:image/png;base64,{data}">')
    else:
        parts.append(
            f'<p class="note">The chart could not be drawn as an image ({html_text(why)}); '
            "the figures are in the tables.</p>"
        )
        parts.append(_table(b.daily, {"day": "Day", "bloc": "Bloc", "articles": "Articles",
                                      "tone": "Mean tone"}))  # fmt: skip
    parts.append(
        _table(
            b.blocs,
            {
                "bloc": "Bloc",
                "articles": "Articles",
                "week_mean": "Week mean per day",
                "tone": "Tone",
                "week_tone": "Week tone",
            },
        )
    )
    parts.append("<h2>Top articles per bloc</h2>")
    for bloc, items in b.top.items():
        parts.append(f"<h3>{html.escape(bloc)}</h3><ul>")
        for a in items:
            link = html.escape(article_link(base, a["id"]))
            parts.append(
                f"<li>{html_text(a['outlet'], 60)}: {html_text(a['title'])} "
                f'(<a href="{link}">open in Détente</a>)</li>'
            )
        parts.append("</ul>")
    if not b.top:
        parts.append("<p>No relevant articles this day.</p>")
    parts += _stories_html(b, base)
    parts.append("<h2>Unusual days</h2>")
    parts.append(
        _table(b.unusual, {"day": "Day", "articles": "Articles", "threshold": "Threshold"})
        if len(b.unusual)
        else "<p>None this week.</p>"
    )
    parts.append("<h2>Feeds failing (coverage gaps)</h2>")
    parts.append(
        _table(
            b.gaps,
            {
                "outlet": "Outlet",
                "bloc": "Bloc",
                "start": "From",
                "end": "To",
                "error": "Last error",
            },
        )
        if len(b.gaps)
        else "<p>None.</p>"
    )
    view = html.escape(f"{base.rstrip('/')}/?from={b.week_start}&to={b.day}")
    parts.append(f'<p><a href="{view}">Open the week in Détente</a></p></body></html>')
    return "\n".join(parts)


def briefing_message(b: Briefing, base: str) -> Message:
    """The briefing as a notification: HTML for email, plain text for chat."""
    return Message(f"Détente briefing for {b.day}", briefing_text(b, base), briefing_html(b, base))
