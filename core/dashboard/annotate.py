"""An article's text as HTML with its evidence marked: sentences tinted by tone, theme terms
highlighted and labelled, actors underlined, the domain tone layer's words and the relations
events (who does what to whom) marked. Pure; every character of feed text is escaped.

The text is cut at every span boundary; each piece is escaped and wrapped in the spans that cover
it, so overlapping evidence (a theme term that is also an actor) nests correctly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from itertools import pairwise
from typing import TypeVar

from core.models import (
    ActorMention,
    Analysis,
    RelationEvent,
    SentenceTone,
    TextField,
    ThemeMatch,
    ToneAdjustment,
)

STYLE = """
<style>
.dt-article { line-height: 1.7; font-size: 1.02rem; }
.dt-s { border-radius: 3px; padding: 1px 0; }
.dt-pos3 { background: rgba(46, 160, 67, .30); } .dt-pos2 { background: rgba(46, 160, 67, .18); }
.dt-pos1 { background: rgba(46, 160, 67, .08); } .dt-neu { background: transparent; }
.dt-neg1 { background: rgba(218, 54, 51, .08); } .dt-neg2 { background: rgba(218, 54, 51, .18); }
.dt-neg3 { background: rgba(218, 54, 51, .30); }
.dt-theme { background: #ffe9a8; border-bottom: 2px solid #c99a06; border-radius: 2px; }
.dt-theme sup { font-size: .65em; color: #7a5b00; margin-left: 1px; }
.dt-actor { border-bottom: 2px dotted #1f6feb; font-weight: 600; }
.dt-adj { border-bottom: 2px dashed #8250df; }
.dt-rel { border: 1.5px solid #57606a; border-left: 0; border-right: 0; }
.dt-rel-from { border-left: 1.5px solid; border-radius: 4px 0 0 4px; padding-left: 2px; }
.dt-rel-to { border-right: 1.5px solid; border-radius: 0 4px 4px 0; padding-right: 2px; }
.dt-rel-from.dt-rel-to { border-radius: 4px; }
.dt-rel sup { font-size: .65em; font-weight: 600; margin-left: 2px; white-space: nowrap; }
.dt-rel-coop { border-color: #1a7f37; } .dt-rel-coop sup { color: #1a7f37; }
.dt-rel-conf { border-color: #cf222e; } .dt-rel-conf sup { color: #cf222e; }
.dt-rel-flat { border-style: dashed; }
.dt-legend { margin-bottom: .8em; }
.dt-legend span { margin-right: 1em; padding: 1px 6px; border-radius: 3px; }
.dt-legend .dt-neu { border: 1px solid #ccc; }
.dt-legend small { color: #666; }
</style>
"""

SIDE_NAMES = {"us": "US", "russia": "Russia", "mutual": "both sides"}
SIDE_CODES = {"us": "US", "russia": "RU"}

_Span = TypeVar("_Span", SentenceTone, ThemeMatch, ActorMention, ToneAdjustment, RelationEvent)


def _inside(span: _Span, text: str) -> bool:
    return 0 <= span.start < span.end <= len(text)


def tone_class(tone: float | None) -> str:
    if tone is None or -0.05 < tone < 0.05:
        return "dt-neu"
    strength = 3 if abs(tone) >= 0.6 else 2 if abs(tone) >= 0.3 else 1
    return f"dt-{'pos' if tone > 0 else 'neg'}{strength}"


def _covering(spans: Sequence[_Span], start: int, end: int) -> list[_Span]:
    return [span for span in spans if span.start <= start and end <= span.end]


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def direction(event: RelationEvent) -> str:
    """Who acts on whom, in words: "Russia → US", or "mutual (both sides)"."""
    if event.source == "mutual" or event.target == "mutual":
        return "mutual (both sides)"
    source = SIDE_NAMES.get(event.source, event.source)
    return f"{source} → {SIDE_NAMES.get(event.target, event.target)}"


def arrow(event: RelationEvent) -> str:
    """The short direction a mark carries: "RU→US", "US→RU" or "US⇄RU" (mutual)."""
    if event.source == "mutual" or event.target == "mutual":
        return "US⇄RU"
    return (
        f"{SIDE_CODES.get(event.source, event.source)}→{SIDE_CODES.get(event.target, event.target)}"
    )


def modality(event: RelationEvent) -> str:
    """ "negated", "hypothetical", both, or "" for an act reported as done."""
    return ", ".join(
        word
        for word, flag in (("negated", event.negated), ("hypothetical", event.hypothetical))
        if flag
    )


def event_meaning(event: RelationEvent, categories: Mapping[str, str]) -> str:
    """One event in words: direction, category, weight and modality."""
    said = modality(event)
    return (
        f"{direction(event)}: {categories.get(event.category, event.category)}, "
        f"weight {event.weight:+.1f}" + (f" ({said})" if said else "")
    )


def adjustment_meaning(adjustment: ToneAdjustment) -> str:
    """One domain tone phrase in words: the valence it gave against stock VADER's."""
    return (
        f"domain tone “{adjustment.phrase}”: {adjustment.valence:+.1f} "
        f"(stock VADER {adjustment.vader_valence:+.1f})"
    )


def _event_mark(
    piece: str, events: list[RelationEvent], start: int, end: int, categories: Mapping[str, str]
) -> str:
    """A piece of one or more events: one box per event across its pieces, closed where the
    event starts and ends, labelled (arrow, category, ✗/?) at its end."""
    title = "; ".join(event_meaning(e, categories) for e in events)
    weight = sum(e.weight for e in events)
    kind = "dt-rel-coop" if weight > 0 else "dt-rel-conf" if weight < 0 else "dt-rel-flat"
    edges = (" dt-rel-from" if any(e.start == start for e in events) else "") + (
        " dt-rel-to" if any(e.end == end for e in events) else ""
    )
    tags = []
    for e in events:
        if e.end == end:
            mark = " ✗" if e.negated else ""
            mark += " ?" if e.hypothetical else ""
            tags.append(f"{arrow(e)} {categories.get(e.category, e.category)}{mark}")
    tag = f"<sup>{escape(', '.join(dict.fromkeys(tags)))}</sup>" if tags else ""
    return f'<span class="dt-rel {kind}{edges}" title="{escape(title)}">{piece}{tag}</span>'


def annotate(
    text: str,
    analysis: Analysis,
    field: TextField,
    labels: Mapping[str, str],
    categories: Mapping[str, str] | None = None,
) -> str:
    """HTML for `text` (the title or the analyzed text) with the evidence of that field;
    `labels` name themes, `categories` the relations event categories (ids shown otherwise).

    Spans outside the text (a stale analysis) are ignored rather than trusted."""
    names = categories or {}
    sentences = [s for s in analysis.sentences if s.field == field and _inside(s, text)]
    themes = [m for m in analysis.themes if m.field == field and _inside(m, text)]
    actors = [a for a in analysis.actors if a.field == field and _inside(a, text)]
    adjustments = [
        a for s in sentences for a in s.adjustments if a.field == field and _inside(a, text)
    ]
    events = [e for e in analysis.relations.events if e.field == field and _inside(e, text)]
    cuts = {0, len(text)}
    for spans in (sentences, themes, actors, adjustments, events):
        cuts.update(p for span in spans for p in (span.start, span.end))
    pieces: list[str] = []
    for start, end in pairwise(sorted(cuts)):
        piece = escape(text[start:end]).replace("\n", "<br>")
        covering_actors = _covering(actors, start, end)
        if covering_actors:
            title = "; ".join(f"{a.actor} ({a.side})" for a in covering_actors)
            piece = f'<span class="dt-actor" title="{escape(title)}">{piece}</span>'
        covering_themes = _covering(themes, start, end)
        if covering_themes:
            title = "; ".join(
                f"{labels.get(m.theme, m.theme)}: matched “{m.term}”" for m in covering_themes
            )
            ending = dict.fromkeys(
                labels.get(m.theme, m.theme) for m in covering_themes if m.end == end
            )
            tag = f"<sup>{escape(', '.join(ending))}</sup>" if ending else ""
            piece = f'<mark class="dt-theme" title="{escape(title)}">{piece}{tag}</mark>'
        covering_adjustments = _covering(adjustments, start, end)
        if covering_adjustments:
            title = "; ".join(adjustment_meaning(a) for a in covering_adjustments)
            piece = f'<span class="dt-adj" title="{escape(title)}">{piece}</span>'
        covering_events = _covering(events, start, end)
        if covering_events:
            piece = _event_mark(piece, covering_events, start, end, names)
        covering_sentences = _covering(sentences, start, end)
        if covering_sentences:
            piece = (
                f'<span class="dt-s {tone_class(covering_sentences[0].tone)}" '
                f'title="{escape(sentence_title(covering_sentences[0]))}">{piece}</span>'
            )
        pieces.append(piece)
    return "".join(pieces)


def sentence_title(sentence: SentenceTone) -> str:
    """A sentence's hover: its tone, and stock VADER's where the domain layer moved it."""
    title = f"sentence tone {_score(sentence.tone)}"
    if sentence.adjustments and sentence.vader is not None:
        moved = ", ".join(f"“{a.phrase}”" for a in sentence.adjustments)
        title += f" (stock VADER {_score(sentence.vader)}; moved by {moved})"
    return title


def legend() -> str:
    """What the marks mean; hovering a sentence shows its score, a term its theme."""
    return (
        '<div class="dt-legend">'
        '<span class="dt-pos2">positive sentence</span>'
        '<span class="dt-neg2">negative sentence</span>'
        '<span class="dt-neu">neutral or n/a</span>'
        '<span class="dt-theme">theme term<sup>theme</sup></span>'
        '<span class="dt-actor">actor</span>'
        '<span class="dt-adj">domain tone word</span>'
        '<span class="dt-rel dt-rel-coop dt-rel-from dt-rel-to">cooperation<sup>US→RU</sup></span>'
        '<span class="dt-rel dt-rel-conf dt-rel-from dt-rel-to">conflict<sup>RU→US</sup></span>'
        "<small>✗ negated, ? hypothetical, US⇄RU mutual. Hover a sentence for its tone score "
        "(and stock VADER's), a mark for its theme, actor, domain tone word or event.</small>"
        "</div>"
    )


def article_html(
    title: str,
    text: str,
    analysis: Analysis,
    labels: Mapping[str, str],
    categories: Mapping[str, str] | None = None,
) -> str:
    """The whole annotated article: style, legend, title and body."""
    return (
        f"{STYLE}<div class='dt-article'>{legend()}"
        f"<h3>{annotate(title, analysis, 'title', labels, categories)}</h3>"
        f"<div>{annotate(text, analysis, 'text', labels, categories)}</div></div>"
    )


EVIDENCE_COLUMNS = ["kind", "field", "start", "end", "text", "meaning", "tone", "weight"]
"""The evidence table's columns, in order (`evidence_rows`)."""


def evidence_rows(
    title: str,
    text: str,
    analysis: Analysis,
    labels: Mapping[str, str],
    categories: Mapping[str, str] | None = None,
) -> list[dict[str, object]]:
    """Every piece of evidence as a row (kind, field, start, end, the text it covers, what it
    means, the sentence tone, the event weight), for a table and its CSV: the annotated view, in
    numbers."""
    names = categories or {}
    fields = {"title": title, "text": text}
    rows: list[dict[str, object]] = []
    for s in analysis.sentences:
        source = fields[s.field]
        if _inside(s, source):
            meaning = f"stock VADER {_score(s.vader)}" if s.adjustments else ""
            rows.append(_row("sentence", s.field, s.start, s.end, source, meaning, s.tone))
            for word in s.adjustments:
                if _inside(word, fields[word.field]):
                    rows.append(
                        _row("tone word", word.field, word.start, word.end, fields[word.field],
                             adjustment_meaning(word), None)
                    )  # fmt: skip
    for m in analysis.themes:
        source = fields[m.field]
        if _inside(m, source):
            meaning = f"{labels.get(m.theme, m.theme)} (term “{m.term}”)"
            rows.append(_row("theme term", m.field, m.start, m.end, source, meaning, None))
    for a in analysis.actors:
        source = fields[a.field]
        if _inside(a, source):
            rows.append(
                _row("actor", a.field, a.start, a.end, source, f"{a.actor} ({a.side})", None)
            )
    for e in analysis.relations.events:
        source = fields[e.field]
        if _inside(e, source):
            row = _row("event", e.field, e.start, e.end, source, event_meaning(e, names), None)
            rows.append({**row, "weight": e.weight})
    order = {"title": 0, "text": 1}
    return sorted(rows, key=lambda r: (order[str(r["field"])], r["start"], str(r["kind"])))


def _row(
    kind: str, field: str, start: int, end: int, source: str, meaning: str, tone: float | None
) -> dict[str, object]:
    return {
        "kind": kind,
        "field": field,
        "start": start,
        "end": end,
        "text": source[start:end],
        "meaning": meaning,
        "tone": tone,
        "weight": None,
    }
