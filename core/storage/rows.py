"""An analysed article as a row of `articles` and back: the values written, the evidence kept
as compact JSON for the annotated view, and the Analysis read from a stored row."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from core.models import (
    ActorMention,
    Analysis,
    AnalyzedArticle,
    RelationEvent,
    RelationsReading,
    SentenceTone,
    ThemeMatch,
    ToneAdjustment,
)


def content_hash(article: Any) -> str:
    parts = (article.title, article.summary, article.content, article.fulltext)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _sentence(s: SentenceTone) -> list[Any]:
    row: list[Any] = [s.field, s.start, s.end, s.tone]
    if s.vader is not None or s.adjustments:
        row.append(s.vader)
    if s.adjustments:
        row.append(
            [[j.start, j.end, j.phrase, j.valence, j.vader_valence, j.field] for j in s.adjustments]
        )
    return row


def _reading(reading: RelationsReading) -> list[Any]:
    return [
        reading.score,
        reading.label,
        [
            [e.start, e.end, e.category, e.weight, e.source, e.target, e.negated,
             e.hypothetical, e.field, e.quad]
            for e in reading.events
        ],
    ]  # fmt: skip


def evidence_json(analysis: Analysis) -> str:
    """Compact evidence for the annotated view: sentences (tone, stock VADER's score and the
    domain layer's adjustments), theme matches with salience and central themes, actor
    mentions, and the relations readings of the article and of its headline."""
    data: dict[str, Any] = {
        "s": [_sentence(s) for s in analysis.sentences],
        "t": [[m.theme, m.term, m.field, m.start, m.end] for m in analysis.themes],
        "a": [[a.actor, a.side, a.field, a.start, a.end] for a in analysis.actors],
        "names": list(analysis.theme_names),
        "lang": analysis.lang,
    }
    if analysis.theme_salience:
        data["sal"] = [[theme, salience] for theme, salience in analysis.theme_salience]
        data["central"] = list(analysis.central_themes)
    if analysis.relations.events or analysis.relations.score is not None:
        data["r"] = _reading(analysis.relations)
    if analysis.title_relations.events or analysis.title_relations.score is not None:
        data["tr"] = _reading(analysis.title_relations)
    return json.dumps(data, separators=(",", ":"))


def _sentence_from(row: list[Any]) -> SentenceTone:
    field, start, end, tone = row[:4]
    vader = row[4] if len(row) > 4 else None
    adjusted = row[5] if len(row) > 5 else []
    adjustments = tuple(ToneAdjustment(*adjustment) for adjustment in adjusted)
    return SentenceTone(start, end, tone, field, vader, adjustments)


def _reading_from(stored: list[Any] | None) -> RelationsReading:
    if not stored:
        return RelationsReading()
    score, label, events = stored
    return RelationsReading(score, label, tuple(RelationEvent(*event) for event in events))


def analysis_from_row(row: Any) -> Analysis:
    """The Analysis a stored row holds: every field `evidence_json` and the columns keep (an
    article stored before a field existed reads it as its default)."""
    data = json.loads(row.evidence or "{}")
    return Analysis(
        tone=row.tone,
        tone_label=row.tone_label,
        sentences=tuple(_sentence_from(s) for s in data.get("s", [])),
        themes=tuple(ThemeMatch(th, te, s, e, f) for th, te, f, s, e in data.get("t", [])),
        theme_names=tuple(data.get("names", [])),
        actors=tuple(ActorMention(ac, si, s, e, f) for ac, si, f, s, e in data.get("a", [])),
        relevance=row.relevance,
        relevant=bool(row.relevant),
        lang=row.lang,
        lexicon_version=row.lexicon_version,
        analyzer_version=row.analyzer_version,
        theme_salience=tuple((theme, salience) for theme, salience in data.get("sal", [])),
        central_themes=tuple(data.get("central", [])),
        relations=_reading_from(data.get("r")),
        title_relations=_reading_from(data.get("tr")),
    )


def analyzed_text(row: Any) -> str:
    """The text the stored analysis offsets index ('' in the row means: the content)."""
    return str(row.analyzed_text or row.content)


def outlet_row(article_id: int, item: AnalyzedArticle) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "outlet": item.article.outlet,
        "bloc": item.article.bloc,
        "feed_url": item.article.feed_url,
    }


def analysis_values(analysis: Analysis) -> dict[str, Any]:
    return {
        "lang": analysis.lang,
        "tone": analysis.tone,
        "tone_label": analysis.tone_label,
        "relations_score": analysis.relations.score,
        "relations_label": analysis.relations.label,
        "relevance": analysis.relevance,
        "relevant": analysis.relevant,
        "theme_list": ", ".join(analysis.theme_names),
        "actor_list": ", ".join(dict.fromkeys(a.actor for a in analysis.actors)),
        "evidence": evidence_json(analysis),
        "lexicon_version": analysis.lexicon_version,
        "analyzer_version": analysis.analyzer_version,
    }


def article_row(item: AnalyzedArticle) -> dict[str, Any]:
    article = item.article
    published = article.published.astimezone(UTC)
    return {
        "uid": article.uid,
        "url": article.url,
        "guid": article.guid,
        "title": article.title,
        "summary": article.summary,
        "content": article.content,
        "fulltext": article.fulltext,
        "analyzed_text": "" if article.body == article.content else article.body,
        "published_at": published,
        "published_day": published.date(),
        "published_estimated": article.published_estimated,
        "fetched_at": article.fetched.astimezone(UTC),
        "feed_url": article.feed_url,
        "outlet": article.outlet,
        "bloc": article.bloc,
        "content_hash": content_hash(article),
        "is_demo": article.is_demo,
        **analysis_values(item.analysis),
    }
