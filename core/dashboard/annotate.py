"""An article's text as HTML with its evidence marked: sentences tinted by tone, theme terms
highlighted and labelled, actors underlined. Pure; every character of feed text is escaped.

The text is cut at every span boundary; each piece is escaped and wrapped in the spans that cover
it, so overlapping evidence (a theme term that is also an actor) nests correctly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from itertools import pairwise
from typing import TypeVar

from core.models import ActorMention, Analysis, SentenceTone, TextField, ThemeMatch

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
.dt-legend { margin-bottom: .8em; }
.dt-legend span { margin-right: 1em; padding: 1px 6px; border-radius: 3px; }
.dt-legend .dt-neu { border: 1px solid #ccc; }
.dt-legend small { color: #666; }
</style>
"""


_Span = TypeVar("_Span", SentenceTone, ThemeMatch, ActorMention)


def _inside(span: _Span, text: str) -> bool:
    return 0 <= span.start < span.end <= len(text)


def tone_class(tone: float | None) -> str:
    if tone is None or -0.05 < tone < 0.05:
        return "dt-neu"
    strength = 3 if abs(tone) >= 0.6 else 2 if abs(tone) >= 0.3 else 1
    return f"dt-{'pos' if tone > 0 else 'neg'}{strength}"


def _covering(spans: Sequence[_Span], start: int, end: int) -> list[_Span]:
    return [span for span in spans if span.start <= start and end <= span.end]


def annotate(text: str, analysis: Analysis, field: TextField, labels: Mapping[str, str]) -> str:
    """HTML for `text` (the title or the analyzed text) with the evidence of that field.

    Spans outside the text (a stale analysis) are ignored rather than trusted."""
    sentences = [s for s in analysis.sentences if s.field == field and _inside(s, text)]
    themes = [m for m in analysis.themes if m.field == field and _inside(m, text)]
    actors = [a for a in analysis.actors if a.field == field and _inside(a, text)]
    cuts = {0, len(text)}
    cuts.update(p for s in sentences for p in (s.start, s.end))
    cuts.update(p for m in themes for p in (m.start, m.end))
    cuts.update(p for a in actors for p in (a.start, a.end))
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
        covering_sentences = _covering(sentences, start, end)
        if covering_sentences:
            tone = covering_sentences[0].tone
            score = "n/a" if tone is None else f"{tone:+.2f}"
            piece = (
                f'<span class="dt-s {tone_class(tone)}" '
                f'title="sentence tone {score}">{piece}</span>'
            )
        pieces.append(piece)
    return "".join(pieces)


def legend() -> str:
    """What the marks mean; hovering a sentence shows its score, a term its theme."""
    return (
        '<div class="dt-legend">'
        '<span class="dt-pos2">positive sentence</span>'
        '<span class="dt-neg2">negative sentence</span>'
        '<span class="dt-neu">neutral or n/a</span>'
        '<span class="dt-theme">theme term<sup>theme</sup></span>'
        '<span class="dt-actor">actor</span>'
        "<small>Hover a sentence for its tone score, a mark for its theme or actor.</small>"
        "</div>"
    )


def article_html(title: str, text: str, analysis: Analysis, labels: dict[str, str]) -> str:
    """The whole annotated article: style, legend, title and body."""
    return (
        f"{STYLE}<div class='dt-article'>{legend()}"
        f"<h3>{annotate(title, analysis, 'title', labels)}</h3>"
        f"<div>{annotate(text, analysis, 'text', labels)}</div></div>"
    )


def evidence_rows(
    title: str, text: str, analysis: Analysis, labels: Mapping[str, str]
) -> list[dict[str, object]]:
    """Every piece of evidence as a row (kind, field, start, end, the text it covers, what it
    means, the sentence tone), for a table and its CSV: the annotated view, in numbers."""
    fields = {"title": title, "text": text}
    rows: list[dict[str, object]] = []
    for s in analysis.sentences:
        source = fields[s.field]
        if _inside(s, source):
            rows.append(_row("sentence", s.field, s.start, s.end, source, "", s.tone))
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
    }
