"""Alert messages: plain text for chat and escaped HTML for email, with every piece of feed text
(titles, outlets, queries) defused first.

Feed text is untrusted (README.md, "Reliability"): a title may carry `<script>`, `<a href>`, a
Markdown link, `<http://x|label>` (Slack's link syntax) or a spreadsheet formula. `defuse`
makes it inert as plain text in any chat client: angle and square brackets become look-alikes,
URL schemes and `www.` are defanged so no client turns them into links, and a leading formula
sign gets a quote. `html_text` then escapes it for HTML. Only links Détente makes itself (to
its dashboard) are live."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from core.dashboard.url import params_from_filters
from core.models import Filters

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|file|javascript|data|vbscript|mailto|tel)\s*:")
_WWW = re.compile(r"(?i)\bwww\.")
_LOOKALIKE = str.maketrans({"<": "‹", ">": "›", "[": "⟦", "]": "⟧", "`": "ʹ", "|": "¦"})
MAX_FIELD = 300


def defuse(text: object, limit: int = MAX_FIELD) -> str:
    """Feed text made inert as plain text: one line, no markup or link syntax, no live URL."""
    value = _CONTROL.sub("", " ".join(str(text).split()))
    value = value.translate(_LOOKALIKE)
    value = _SCHEME.sub(lambda m: f"{m.group(1)}[:]", value)
    value = _WWW.sub("www[.]", value)
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value if len(value) <= limit else value[: limit - 1] + "…"


def html_text(text: object, limit: int = MAX_FIELD) -> str:
    """Feed text for an HTML message: defused, then escaped."""
    return html.escape(defuse(text, limit), quote=True)


def dashboard_link(base: str, f: Filters, day: date, page: str = "") -> str:
    """The dashboard view of a watch on `day`: `base/page?…` with the parameters the sidebar
    reads (core/dashboard/url.py), so the analyst lands on the same filters."""
    params = params_from_filters(f, None, None)
    params["from"] = params["to"] = day.isoformat()
    query = urlencode(params)
    return f"{base.rstrip('/')}/{page}?{query}" if page else f"{base.rstrip('/')}/?{query}"


def story_link(base: str, f: Filters, story_id: int) -> str:
    """One story on the dashboard's Stories page, under the watch's filters (no dates: a story's
    view spans its own days)."""
    params = params_from_filters(f, None, None)
    params.pop("from", None)
    params.pop("to", None)
    params["story"] = str(int(story_id))
    return f"{base.rstrip('/')}/Stories?{urlencode(params)}"


def article_link(base: str, article_id: int) -> str:
    """The article on the dashboard's Articles page (never the article's own, untrusted URL)."""
    return f"{base.rstrip('/')}/Articles?article={int(article_id)}"


@dataclass(frozen=True, slots=True)
class Message:
    """One notification: a title, a plain-text body and an HTML body (same content)."""

    title: str
    text: str
    html: str


def _evidence_lines(articles: Sequence[Mapping[str, Any]], base: str) -> list[tuple[str, str]]:
    """(plain line, HTML line) per article behind an alert."""
    lines = []
    for a in articles:
        label = f"{defuse(a.get('outlet', ''), 60)}: {defuse(a.get('title', ''), 200)}"
        link = article_link(base, int(a["id"]))
        lines.append(
            (
                f"- {label} ({link})",
                f"<li>{html.escape(label)} "
                f'(<a href="{html.escape(link)}">open in Détente</a>)</li>',
            )
        )
    return lines


def _story_lines(figures: Mapping[str, Any]) -> list[str]:
    """A story alert's evidence as defused plain lines: outlets and articles per bloc."""
    if "story_id" not in figures:
        return []
    outlets = ", ".join(defuse(o, 60) for o in list(figures.get("outlets", []))[:20])
    coverage = dict(figures.get("coverage", {}))
    blocs = ", ".join(f"{defuse(b, 40)} {int(n)}" for b, n in coverage.items())
    return [
        f"Story {int(figures['story_id'])}: {defuse(figures.get('headline', ''), 200)}",
        f"Outlets: {outlets}",
        f"Articles by bloc: {blocs}",
    ]


def alert_message(watch: str, summary: str, detail: Mapping[str, Any], base: str) -> Message:
    """The message of one alert: the watch, what moved and by how much, the dashboard view and
    the articles behind it."""
    name = defuse(watch, 80)
    title = f"Détente: {name}: {defuse(detail.get('kind_label', 'alert'), 40)}"
    link = str(detail.get("link", base))
    articles = list(detail.get("articles", []))
    evidence = _evidence_lines(articles, base)
    story = _story_lines(detail.get("figures", {}))
    text = [f"Watch “{name}”: {defuse(summary, 400)}", *story, f"View: {link}"]
    if evidence:
        text += ["Articles:", *(plain for plain, _ in evidence)]
    body = [
        f"<p>Watch “<b>{html.escape(name)}</b>”: {html_text(summary, 400)}</p>",
        *(f"<p>{html.escape(line)}</p>" for line in story),
        f'<p><a href="{html.escape(link)}">Open this view in Détente</a></p>',
    ]
    if evidence:
        body += ["<p>Articles:</p><ul>", *(h for _, h in evidence), "</ul>"]
    return Message(title, "\n".join(text), "\n".join(body))
