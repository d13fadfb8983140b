"""The URL model of a view: which query parameters a page reads and writes, and the `Filters`
they stand for. Pure (no Streamlit call), so every input can be tested on its own; nothing here
raises on any URL."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from core.analysis.relations_lexicon import QUADS
from core.models import BLOCS, DATE_FLOOR, Filters

URL_PARAMS = (
    "from",
    "to",
    "outlet",
    "bloc",
    "theme",
    "actor",
    "q",
    "tone",
    "relevant",
    "lang",
    "event",
    "mentions",
)
PAGE_PARAMS = ("article", "story", "count")
"""Parameters of one page, not filters: the article or story opened, and what the Overview's
volume chart counts (`count`, see COUNTS)."""
COUNTS = {"articles": "all articles", "reports": "independent reports"}
"""`count=`: every article (syndicated copies included, the default) or independent reports
(an original or an article that copies nothing: issue 10's counting)."""
LIST_PARAMS = {
    "outlet": "outlets",
    "bloc": "blocs",
    "theme": "themes",
    "actor": "actors",
    "lang": "languages",
    "event": "event_categories",
}
"""A list parameter (comma-separated, e.g. lang=en,ru) and the option list it is checked against."""
MAX_QUERY = 200
MAX_ID_DIGITS = 18
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "all")
SWITCHES = {"relevant": "relevant_only", "mentions": "mentions"}
"""The on/off parameters and the filter each sets."""


def last_value(value: str | list[str]) -> str:
    """One parameter's value: the last one when the URL repeats the key."""
    return value[-1] if isinstance(value, list) else value


def _tone_range(text: str) -> tuple[float, float] | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(low) and math.isfinite(high) and -1.0 <= low <= high <= 1.0):
        return None
    return low, high


def filters_from_params(
    params: Mapping[str, str | list[str]], options: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Filter values named in the URL, and a notice for everything ignored.

    Keys of the result: from, to (dates), outlets, blocs, themes, actors, languages,
    event_categories (lists of known values; an event may also be a quad class), q (str),
    tone ((low, high)), relevant_only, mentions (bool). Unknown keys and values are dropped with a
    notice; nothing here raises on any input."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for key, raw in params.items():
        if key in PAGE_PARAMS:
            continue
        text = last_value(raw).strip()
        shown = text if len(text) <= 60 else text[:57] + "…"
        if key not in URL_PARAMS:
            notices.append(f"Ignored unknown URL parameter '{key[:40]}'.")
        elif key in ("from", "to"):
            try:
                values[key] = date.fromisoformat(text)
            except ValueError:
                notices.append(f"Ignored '{key}={shown}': not a date like 2026-10-01.")
        elif key == "q":
            values["q"] = text[:MAX_QUERY]
        elif key == "tone":
            tone = _tone_range(text)
            if tone is None:
                notices.append(f"Ignored 'tone={shown}': expected two numbers like -0.5,0.5.")
            else:
                values["tone"] = tone
        elif key in ("relevant", "mentions"):
            if text.lower() in TRUE_WORDS + FALSE_WORDS:
                values[SWITCHES[key]] = text.lower() in TRUE_WORDS
            else:
                notices.append(f"Ignored '{key}={shown}': expected 1 or 0.")
        else:
            wanted = [part.strip() for part in text.split(",") if part.strip()]
            known = set(BLOCS) if key == "bloc" else set(options.get(LIST_PARAMS[key], []))
            if key == "event":
                known |= set(QUADS)
            unknown = [part for part in wanted if part not in known]
            if unknown:
                listed = ", ".join(unknown)
                listed = listed if len(listed) <= 80 else listed[:77] + "…"
                notices.append(f"Ignored unknown {key} value(s): {listed}.")
            values[LIST_PARAMS[key]] = list(dict.fromkeys(p for p in wanted if p in known))
    if "from" in values and "to" in values and values["from"] > values["to"]:
        notices.append("Ignored 'from'/'to': 'from' is after 'to'.")
        del values["from"], values["to"]
    return values, notices


def article_id(raw: str) -> int | None:
    """The article an `?article=` parameter names, or None when it is not a plain decimal id:
    "²" and "١" are digits to str.isdigit but not to int(), and ids fit in 18 digits."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS):
        return None
    return int(text)


def counting(raw: str | list[str] | None) -> tuple[str, str | None]:
    """What `count=` asks the volume chart to count ("articles" or "reports") and a notice when
    the value was ignored."""
    if raw is None:
        return "articles", None
    text = last_value(raw).strip().lower()
    if text in COUNTS:
        return text, None
    return "articles", f"Ignored 'count={text[:40]}': not one of {', '.join(COUNTS)}."


def params_from_filters(
    f: Filters, default_from: date | None, default_to: date | None
) -> dict[str, str]:
    """The URL parameters that reproduce a view (defaults left out, so URLs stay short)."""
    params: dict[str, str] = {}
    if f.date_from and f.date_from != default_from:
        params["from"] = f.date_from.isoformat()
    if f.date_to and f.date_to != default_to:
        params["to"] = f.date_to.isoformat()
    for key, name in LIST_PARAMS.items():
        chosen = getattr(f, name)
        if chosen:
            params[key] = ",".join(chosen)
    if f.query.strip():
        params["q"] = f.query.strip()
    if f.tone_min > -1.0 or f.tone_max < 1.0:
        params["tone"] = f"{f.tone_min:g},{f.tone_max:g}"
    if not f.relevant_only:
        params["relevant"] = "0"
    if f.mentions:
        params["mentions"] = "1"
    return params


def filters_from_values(
    values: Mapping[str, Any], default_from: date | None, default_to: date | None
) -> Filters:
    """The Filters a URL asks for (what `filters_from_params` accepted), defaults elsewhere."""
    tone = values.get("tone", (-1.0, 1.0))
    return Filters(
        date_from=values.get("from", default_from),
        date_to=values.get("to", default_to),
        outlets=tuple(values.get("outlets", ())),
        blocs=tuple(values.get("blocs", ())),
        themes=tuple(values.get("themes", ())),
        actors=tuple(values.get("actors", ())),
        tone_min=float(tone[0]),
        tone_max=float(tone[1]),
        relevant_only=bool(values.get("relevant_only", True)),
        query=str(values.get("q", "")),
        languages=tuple(values.get("languages", ())),
        event_categories=tuple(values.get("event_categories", ())),
        mentions=bool(values.get("mentions", False)),
    )


def default_range(low: date | None, high: date | None) -> tuple[date | None, date | None]:
    """The date range a view starts with: the data's first to last day, but never starting before
    DATE_FLOOR (core/models.py), so an article dated year 1 does not stretch it. When
    every article is older than the floor, the data's own range."""
    if low is None or high is None or high < DATE_FLOOR:
        return low, high
    return max(low, DATE_FLOOR), high


def extend_dates(
    chosen: tuple[date, ...],
    old: tuple[date | None, date | None] | None,
    low: date | None,
    high: date | None,
) -> tuple[date, ...]:
    """The date range once new articles widen the data: an end (or start) left at the old edge
    of the data follows it, so a dashboard left open keeps showing what the poller brings; a
    range the analyst narrowed stays as it is."""
    if not (low and high):
        return chosen
    if len(chosen) != 2 or old is None:
        return chosen if chosen else (low, high)
    start, end = chosen
    return (low if start == old[0] else start, high if end == old[1] else end)
